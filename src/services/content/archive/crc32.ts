/**
 * CRC-32 as zip uses it (ISO 3309 / ITU-T V.42: polynomial 0xEDB88320
 * reflected, initial value and final XOR 0xFFFFFFFF), a byte at a time from a
 * 256-entry table. `crc32(b, crc32(a))` equals `crc32(a + b)`.
 */

const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c >>> 0;
}

/** The CRC-32 of `data`, continuing from the CRC of what came before it (0 for nothing). */
export function crc32(data: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
