import { describe, expect, it } from 'vitest';
import { isGroveError } from '../errors.ts';
import { RateLimiter } from './RateLimiter.ts';

function refusal(fn: () => void): { code: string; retryAfter: unknown } | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (!isGroveError(err)) throw err;
    return { code: err.code, retryAfter: err.details?.['retry_after'] };
  }
}

describe('RateLimiter', () => {
  it('allows `limit` requests at once, then refuses with the time until one more fits, and refills with time', () => {
    const clock = { now: 1_000_000 };
    const rates = new RateLimiter({ perToken: { limit: 3, windowSeconds: 30 } }, { now: () => clock.now });
    for (let i = 0; i < 3; i++) expect(refusal(() => rates.take('a', 'ns'))).toBeNull();
    expect(refusal(() => rates.take('a', 'ns'))).toEqual({ code: 'RATE_LIMITED', retryAfter: 10 });
    expect(refusal(() => rates.take('b', 'ns'))).toBeNull(); // another token has its own bucket
    clock.now += 5_000;
    expect(refusal(() => rates.take('a', 'ns'))).toEqual({ code: 'RATE_LIMITED', retryAfter: 5 });
    clock.now += 5_000;
    expect(refusal(() => rates.take('a', 'ns'))).toBeNull();
    expect(refusal(() => rates.take('a', 'ns'))?.code).toBe('RATE_LIMITED');
  });

  it('counts a namespace across tokens, and a refused request uses up neither bucket', () => {
    const clock = { now: 0 };
    const rates = new RateLimiter({ perToken: { limit: 2, windowSeconds: 10 }, perNamespace: { limit: 3, windowSeconds: 10 } }, { now: () => clock.now });
    expect(refusal(() => rates.take('a', 'ns'))).toBeNull();
    expect(refusal(() => rates.take('b', 'ns'))).toBeNull();
    expect(refusal(() => rates.take('c', 'ns'))).toBeNull();
    expect(refusal(() => rates.take('d', 'ns'))?.code).toBe('RATE_LIMITED'); // the namespace is full
    expect(refusal(() => rates.take('d', 'other'))).toBeNull(); // d's own bucket was not charged
    expect(refusal(() => rates.take('d', 'other'))).toBeNull();
    expect(refusal(() => rates.take('d', 'other'))?.code).toBe('RATE_LIMITED'); // now d is full
    expect(refusal(() => rates.take('e', undefined))).toBeNull(); // no namespace: only the token counts
  });

  it('limits nothing without rates, and refuses nonsense rates', () => {
    const rates = new RateLimiter({});
    for (let i = 0; i < 10_000; i++) rates.take('a', 'ns');
    expect(() => new RateLimiter({ perToken: { limit: 0, windowSeconds: 1 } })).toThrow();
    expect(() => new RateLimiter({ perNamespace: { limit: 1, windowSeconds: 0 } })).toThrow();
  });
});
