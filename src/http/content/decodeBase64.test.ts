import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from './decodeBase64.ts';

describe('decodeBase64', () => {
  it('decodes what Buffer encodes, with and without padding, for every length mod 3', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = randomBytes(length);
      const text = bytes.toString('base64');
      expect(decodeBase64(text)).toEqual(new Uint8Array(bytes));
      expect(decodeBase64(text.replace(/=+$/, ''))).toEqual(new Uint8Array(bytes));
    }
  });

  it('refuses what is not base64', () => {
    for (const bad of ['@@@@', 'abc!', 'a', 'ab c', 'abcde', 'ab\ncd', 'é===']) expect(decodeBase64(bad), bad).toBeNull();
  });
});
