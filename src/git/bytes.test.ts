import { describe, expect, it } from 'vitest';
import { bytesEqual, concatBytes, fromUtf8, utf8 } from './bytes.ts';

describe('bytes', () => {
  it('concatenates chunks', () => {
    expect(concatBytes([Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)])).toEqual(Uint8Array.of(1, 2, 3));
    expect(concatBytes([])).toEqual(new Uint8Array(0));
  });

  it('compares bytes', () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 2))).toBe(false);
  });

  it('encodes and decodes UTF-8', () => {
    expect([...utf8('é\n')]).toEqual([0xc3, 0xa9, 0x0a]);
    expect(fromUtf8(Uint8Array.of(0xc3, 0xa9))).toBe('é');
    expect(fromUtf8(Uint8Array.of(0xff))).toBe('\ufffd');
  });
});
