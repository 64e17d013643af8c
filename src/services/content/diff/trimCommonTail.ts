/**
 * What git does before a diff without context lines (xdiff-interface.c
 * `trim_common_tail`, used when the context is 0): "Trim down common
 * substring at the end of the buffers, but end on a complete line" — whole
 * 1 KiB blocks the two files end with are cut off, except for the bytes up
 * to the first newline of the cut part. Lines past the cut cannot show in a
 * patch without context, but the cut can change which equal lines xdiff
 * pairs, so it is reproduced.
 */
const BLOCK = 1024;

function sameBlock(a: Uint8Array, aEnd: number, b: Uint8Array, bEnd: number): boolean {
  for (let i = 1; i <= BLOCK; i++) if (a[aEnd - i] !== b[bEnd - i]) return false;
  return true;
}

export function trimCommonTail(a: Uint8Array, b: Uint8Array): [Uint8Array, Uint8Array] {
  const smaller = Math.min(a.length, b.length);
  let trimmed = 0;
  while (BLOCK + trimmed <= smaller && sameBlock(a, a.length - trimmed, b, b.length - trimmed)) trimmed += BLOCK;
  let recovered = 0;
  const cut = a.length - trimmed;
  while (recovered < trimmed) if (a[cut + recovered++] === 0x0a) break;
  return [a.subarray(0, a.length - trimmed + recovered), b.subarray(0, b.length - trimmed + recovered)];
}
