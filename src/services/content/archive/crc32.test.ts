import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.ts';

describe('crc32', () => {
  it('matches zlib\'s CRC-32, whole and in pieces', () => {
    const data = new Uint8Array(100_000).map((_, i) => (i * 7919) & 0xff);
    expect(crc32(new Uint8Array())).toBe(0);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926); // the check value of CRC-32/ISO-HDLC
    expect(crc32(data)).toBe(zlibCrc32(data));
    expect(crc32(data.subarray(60_000), crc32(data.subarray(0, 60_000)))).toBe(zlibCrc32(data));
  });
});
