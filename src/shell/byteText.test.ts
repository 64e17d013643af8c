import { describe, expect, it } from 'vitest';
import { bytesToText, encodingOf, textToBytes } from './byteText.ts';

/** What Node's Buffer makes of the same calls: the meaning just-bash expects. */
function nodeEncode(text: string, encoding: BufferEncoding): number[] {
  return [...Buffer.from(text, encoding)];
}

describe('byteText', () => {
  const bytes = new Uint8Array([0x68, 0xc3, 0xa9, 0x00, 0xff, 0x7f, 0x80]);

  it('decodes as Buffer#toString does', () => {
    for (const encoding of ['utf8', 'binary', 'latin1', 'base64', 'hex', 'ascii'] as const) {
      expect(bytesToText(bytes, encoding), encoding).toBe(Buffer.from(bytes).toString(encoding));
    }
  });

  it('encodes as Buffer.from does', () => {
    for (const [text, encoding] of [['héllo ✓', 'utf8'], ['\u00ff\u0000A\u0100', 'binary'], ['\u00e9x', 'latin1'], ['aGk=', 'base64'], ['00ff10', 'hex']] as const) {
      expect([...textToBytes(text, encoding)!], encoding).toEqual(nodeEncode(text, encoding));
    }
    expect(textToBytes(new Uint8Array([1, 2]), 'hex')).toEqual(new Uint8Array([1, 2]));
    expect(textToBytes('xyz', 'hex')).toBeNull();
    expect(textToBytes('a', 'base64')).toBeNull();
  });

  it('reads the encoding from either form just-bash passes', () => {
    expect(encodingOf(undefined)).toBe('utf8');
    expect(encodingOf('binary')).toBe('binary');
    expect(encodingOf({ encoding: 'base64' })).toBe('base64');
    expect(encodingOf({ encoding: null })).toBe('utf8');
  });
});
