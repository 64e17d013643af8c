import { describe, expect, it } from 'vitest';
import { GroveApiError } from './GroveApiError.ts';
import { DEFAULT_RETRY, parseRetryAfter, retryDelay } from './retryPolicy.ts';

const error = (status: number, code: string, retryAfter?: number): GroveApiError => new GroveApiError({ status, code, message: code, retryAfter });

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter(' 17 ')).toBe(17);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-5')).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('retries idempotent methods on 429, 502, 503, 504 and network errors', () => {
    for (const method of ['GET', 'DELETE']) {
      for (const e of [error(429, 'RATE_LIMITED'), error(502, 'HTTP_ERROR'), error(503, 'INTERNAL'), error(504, 'HTTP_ERROR'), error(0, 'NETWORK_ERROR')]) {
        expect(retryDelay(method, e, 1, DEFAULT_RETRY)).not.toBeNull();
      }
    }
  });

  it('never retries POST or PATCH, nor other statuses, nor past the last attempt', () => {
    expect(retryDelay('POST', error(503, 'INTERNAL'), 1, DEFAULT_RETRY)).toBeNull();
    expect(retryDelay('PATCH', error(0, 'NETWORK_ERROR'), 1, DEFAULT_RETRY)).toBeNull();
    expect(retryDelay('GET', error(500, 'INTERNAL'), 1, DEFAULT_RETRY)).toBeNull();
    expect(retryDelay('GET', error(404, 'NOT_FOUND'), 1, DEFAULT_RETRY)).toBeNull();
    expect(retryDelay('GET', error(503, 'INTERNAL'), 3, DEFAULT_RETRY)).toBeNull();
  });

  it('waits Retry-After when it is within maxDelayMs, and not at all beyond', () => {
    expect(retryDelay('GET', error(429, 'RATE_LIMITED', 2), 1, DEFAULT_RETRY)).toBe(2000);
    expect(retryDelay('GET', error(429, 'RATE_LIMITED', 60), 1, DEFAULT_RETRY)).toBeNull();
  });

  it('backs off exponentially, capped at maxDelayMs', () => {
    const options = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    for (let attempt = 1; attempt < 10; attempt++) {
      const delay = retryDelay('GET', error(503, 'INTERNAL'), attempt, options)!;
      const full = Math.min(1000, 100 * 2 ** (attempt - 1));
      expect(delay).toBeGreaterThanOrEqual(full / 2);
      expect(delay).toBeLessThanOrEqual(full);
    }
  });
});
