/**
 * The engine's only runtime capabilities: SHA-1 and zlib. Each runtime
 * implements this port once (Node: node:crypto + node:zlib); the engine never
 * imports a runtime module itself.
 */
export interface Hasher {
  update(data: Uint8Array): Hasher;
  /** The 20-byte digest; the hasher must not be used afterwards. */
  digest(): Uint8Array;
}

export interface InflatedPrefix {
  /** The inflated bytes of the first zlib stream of the input. */
  data: Uint8Array;
  /** How many input bytes that zlib stream occupied. */
  consumed: number;
}

export interface Codec {
  /** A fresh incremental SHA-1. */
  sha1(): Hasher;
  /** SHA-1 of `data` in one call (cheaper than a Hasher for small inputs). */
  sha1Digest(data: Uint8Array): Uint8Array;
  /** zlib-compress (RFC 1950) `data`. */
  deflate(data: Uint8Array): Uint8Array;
  /**
   * Inflate one complete zlib stream; throws if it is corrupt or truncated.
   * `size`, when known, is the inflated size (it lets the runtime allocate
   * exactly once). The result never holds on to more memory than its length.
   */
  inflate(data: Uint8Array, size?: number): Uint8Array;
  /**
   * Inflate the zlib stream that starts at the beginning of `data`, which may
   * be followed by unrelated bytes. Returns `undefined` when `data` ends before
   * the stream does (the caller supplies more input and retries); throws when
   * the stream is corrupt, with a `RangeError` when it would inflate to more
   * than `maxOutput` bytes (so a tiny entry cannot expand into gigabytes).
   */
  inflatePrefix(data: Uint8Array, maxOutput?: number): InflatedPrefix | undefined;
}
