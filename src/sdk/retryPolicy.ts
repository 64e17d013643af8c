/**
 * When the SDK tries a request again, and after how long. Only idempotent
 * methods are retried (RFC 9110 §9.2.2: GET, HEAD, PUT, DELETE, OPTIONS), and
 * only for failures that say "try again": 429 (after its `Retry-After`),
 * 502/503/504, and no answer at all. POST and PATCH are never retried: a
 * request that reached the server may have done its work.
 */
import type { GroveApiError } from './GroveApiError.ts';

export interface RetryOptions {
  /** Tries in all, the first included (default 3; 1 turns retries off). */
  attempts?: number;
  /** First backoff delay in milliseconds, doubled on each retry (default 200). */
  baseDelayMs?: number;
  /**
   * Longest wait before a retry, in milliseconds (default 5,000). A `Retry-After`
   * longer than this is not waited for: the error is thrown, `retryAfter` set.
   */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { attempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 };

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * Milliseconds to wait before trying `method` again after `error` on try
 * number `attempt` (1-based), or `null` when it must not be tried again.
 */
export function retryDelay(method: string, error: GroveApiError, attempt: number, options: Required<RetryOptions>): number | null {
  if (!IDEMPOTENT.has(method) || attempt >= options.attempts) return null;
  if (error.code !== 'NETWORK_ERROR' && !RETRYABLE_STATUS.has(error.status)) return null;
  if (error.retryAfter !== undefined) {
    const wait = error.retryAfter * 1000;
    return wait <= options.maxDelayMs ? wait : null;
  }
  const backoff = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(backoff * (0.5 + Math.random() / 2));
}

/**
 * Seconds from a `Retry-After` header (RFC 9110 §10.2.3: `delay-seconds` or an
 * HTTP date), or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^[A-Za-z]{3}, /.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
