/**
 * Byte strings glued from parts, for tests that build requests, objects and
 * packs by hand: each part is either bytes, taken as they are, or a string,
 * taken as its UTF-8 encoding. The result is always a fresh array.
 */

/** One piece of a hand-made byte string: text (as UTF-8) or raw bytes. */
export type Part = string | Uint8Array;

const encoder = new TextEncoder();

/** The bytes of `parts` one after the other. */
export function bytesOf(...parts: Part[]): Uint8Array {
  const chunks = parts.map((part) => (typeof part === 'string' ? encoder.encode(part) : part));
  const out = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
