/**
 * Request rates per token and per namespace: a token bucket per key that
 * holds `limit` requests and refills at `limit` per `windowSeconds`. Over the
 * rate, a request is refused with RATE_LIMITED and the seconds until the
 * bucket has room again (sent as `Retry-After`). Buckets are kept for a
 * bounded number of keys, the least recently used dropped first.
 */
import { GroveError } from '../errors.ts';

export interface Rate {
  /** Requests allowed per window (also the burst). */
  limit: number;
  windowSeconds: number;
}

export interface RateLimits {
  perToken?: Rate;
  perNamespace?: Rate;
}

interface Bucket {
  tokens: number;
  at: number;
}

const MAX_KEYS = 100_000;

export class RateLimiter {
  readonly #limits: RateLimits;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(limits: RateLimits, options: { now?: () => number } = {}) {
    for (const rate of [limits.perToken, limits.perNamespace]) {
      if (rate !== undefined && !(rate.limit >= 1 && rate.windowSeconds > 0)) throw new Error('a rate needs limit >= 1 and windowSeconds > 0');
    }
    this.#limits = limits;
    this.#now = options.now ?? Date.now;
  }

  /** Counts one request of `tokenId` in `namespace` (when known); throws RATE_LIMITED over either rate. */
  take(tokenId: string, namespace: string | undefined): void {
    const checks: [string, Rate][] = [];
    if (this.#limits.perToken !== undefined) checks.push([`t:${tokenId}`, this.#limits.perToken]);
    if (this.#limits.perNamespace !== undefined && namespace !== undefined) checks.push([`n:${namespace}`, this.#limits.perNamespace]);
    if (checks.length === 0) return;
    const now = this.#now();
    const buckets = checks.map(([key, rate]) => ({ key, rate, bucket: this.#refill(key, rate, now) }));
    for (const { key, rate, bucket } of buckets) {
      if (bucket.tokens < 1) {
        const retryAfter = ((1 - bucket.tokens) * rate.windowSeconds) / rate.limit;
        const what = key.startsWith('t:') ? 'this token' : `namespace ${namespace}`;
        throw new GroveError('RATE_LIMITED', `too many requests for ${what}: at most ${rate.limit} per ${rate.windowSeconds} s; retry in ${Math.ceil(retryAfter)} s`, { retry_after: retryAfter });
      }
    }
    for (const { key, bucket } of buckets) {
      bucket.tokens -= 1;
      this.#buckets.delete(key); // re-inserted: most recently used last
      this.#buckets.set(key, bucket);
    }
    while (this.#buckets.size > MAX_KEYS) this.#buckets.delete(this.#buckets.keys().next().value!);
  }

  /** Counts one request against `namespace` only (a request that touches a second namespace). */
  takeNamespace(namespace: string): void {
    const rate = this.#limits.perNamespace;
    if (rate === undefined) return;
    const key = `n:${namespace}`;
    const bucket = this.#refill(key, rate, this.#now());
    if (bucket.tokens < 1) {
      const retryAfter = ((1 - bucket.tokens) * rate.windowSeconds) / rate.limit;
      throw new GroveError('RATE_LIMITED', `too many requests for namespace ${namespace}: at most ${rate.limit} per ${rate.windowSeconds} s; retry in ${Math.ceil(retryAfter)} s`, { retry_after: retryAfter });
    }
    bucket.tokens -= 1;
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
  }

  #refill(key: string, rate: Rate, now: number): Bucket {
    const bucket = this.#buckets.get(key) ?? { tokens: rate.limit, at: now };
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(rate.limit, bucket.tokens + (elapsed * rate.limit) / rate.windowSeconds);
    bucket.at = now;
    return bucket;
  }
}
