/**
 * How git measures how much of one file another contains, for rename
 * detection (diffcore-delta.c): the content is cut into spans that end at a
 * newline or after 64 bytes, each span is hashed (into 107927 buckets), and a
 * file becomes the count of bytes per hash. The bytes two files have in
 * common are, over every hash, the smaller of the two counts. In text
 * (no NUL in the first 8000 bytes) the CR of a CRLF is skipped; bytes after
 * the last newline, fewer than 64, are not counted (git 2.39 `hash_chars`).
 */
import { isBinary } from './isBinary.ts';

export interface SpanCounts {
  /** Distinct span hashes, ascending. */
  hashes: Uint32Array;
  /** Bytes counted under each hash. */
  counts: Float64Array;
}

const HASHBASE = 107927;
const MAX_SPAN = 64;

export function spanCounts(bytes: Uint8Array): SpanCounts {
  const text = !isBinary(bytes);
  const byHash = new Map<number, number>();
  let n = 0;
  let accum1 = 0;
  let accum2 = 0;
  const size = bytes.length;
  for (let i = 0; i < size; i++) {
    const c = bytes[i]!;
    if (text && c === 0x0d && i + 1 < size && bytes[i + 1] === 0x0a) continue;
    const old1 = accum1;
    accum1 = ((accum1 << 7) ^ (accum2 >>> 25)) >>> 0;
    accum2 = ((accum2 << 7) ^ (old1 >>> 25)) >>> 0;
    accum1 = (accum1 + c) >>> 0;
    if (++n < MAX_SPAN && c !== 0x0a) continue;
    const hash = ((accum1 + Math.imul(accum2, 0x61)) >>> 0) % HASHBASE;
    byHash.set(hash, (byHash.get(hash) ?? 0) + n);
    n = 0;
    accum1 = 0;
    accum2 = 0;
  }
  const hashes = Uint32Array.from(byHash.keys()).sort();
  const counts = new Float64Array(hashes.length);
  for (let i = 0; i < hashes.length; i++) counts[i] = byHash.get(hashes[i]!)!;
  return { hashes, counts };
}

/** Bytes of `dst` that come from `src` (`diffcore_count_changes`' `src_copied`). */
export function copiedBytes(src: SpanCounts, dst: SpanCounts): number {
  let copied = 0;
  let j = 0;
  const dh = dst.hashes;
  for (let i = 0; i < src.hashes.length; i++) {
    const hash = src.hashes[i]!;
    while (j < dh.length && dh[j]! < hash) j++;
    if (j < dh.length && dh[j] === hash) {
      copied += Math.min(src.counts[i]!, dst.counts[j]!);
      j++;
    }
  }
  return copied;
}
