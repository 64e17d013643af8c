import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.ts';

describe('base64', () => {
  it('encodes as Node does, at every length and across chunks', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 49151, 49152, 49153, 100_000]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 7919) & 0xff);
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(decodeBase64(text)).toEqual(bytes);
      expect(decodeBase64(text.replace(/=+$/, ''))).toEqual(bytes);
    }
  });

  it('refuses what is not base64', () => {
    for (const bad of ['a', 'ab c', 'ab-_', 'é===', 'abcde', '@@@@', 'abc!', 'ab\ncd']) expect(decodeBase64(bad), bad).toBeNull();
  });
});
