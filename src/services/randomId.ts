/** Random identifiers from the Web Crypto API (available in every runtime). */
const HEX = '0123456789abcdef';

/** `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes));
  let out = '';
  for (const b of buffer) out += HEX[b >> 4]! + HEX[b & 15]!;
  return out;
}
