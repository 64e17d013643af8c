import { describe, expect, it } from 'vitest';
import { isTextFile } from './isTextFile.ts';
import { mediaTypeOf } from './mediaTypeOf.ts';

const enc = new TextEncoder();
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const GIF = enc.encode('GIF89a\x01\x00');
const WEBP = new Uint8Array([...enc.encode('RIFF'), 4, 0, 0, 0, ...enc.encode('WEBPVP8 '), 0]);
const PDF = new Uint8Array([...enc.encode('%PDF-1.7\n'), 0xe2, 0xe3, 0xcf, 0xd3, 0]);

const typeOf = (path: string, bytes: Uint8Array): string => mediaTypeOf(path, bytes, isTextFile(bytes));

describe('isTextFile', () => {
  it('is false for a NUL in the first 8000 bytes or for bytes that are not UTF-8', () => {
    expect(isTextFile(enc.encode('héllo\r\n'))).toBe(true);
    expect(isTextFile(new Uint8Array(0))).toBe(true);
    expect(isTextFile(new Uint8Array([0x61, 0, 0x62]))).toBe(false);
    expect(isTextFile(new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).toBe(false); // Latin-1 'café'
    const lateNul = new Uint8Array(9000).fill(0x61);
    lateNul[8500] = 0;
    expect(isTextFile(lateNul)).toBe(true); // git looks at 8000 bytes only
  });

  it('checks UTF-8 across the whole file, also where a character straddles two slices', () => {
    const big = new Uint8Array(3 * 1024 * 1024).fill(0x61);
    big.set(enc.encode('€'), 1024 * 1024 - 1); // 3 bytes across the first slice boundary
    expect(isTextFile(big)).toBe(true);
    big[big.length - 1] = 0xff;
    expect(isTextFile(big)).toBe(false);
    const cut = enc.encode('ab€').subarray(0, 4); // ends in the middle of a character
    expect(isTextFile(cut)).toBe(false);
  });
});

describe('mediaTypeOf', () => {
  it('knows images and PDFs by their magic numbers whatever their name', () => {
    expect([PNG, JPEG, GIF, WEBP, PDF].map((b) => typeOf('blob', b))).toEqual(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']);
  });

  it('goes by the extension first, when it names the right kind of content', () => {
    expect(typeOf('docs/README.md', enc.encode('# hi\n'))).toBe('text/markdown');
    expect(typeOf('a.JSON', enc.encode('{}'))).toBe('application/json');
    expect(typeOf('x.svg', enc.encode('<svg/>'))).toBe('image/svg+xml');
    expect(typeOf('x.jpg', PNG)).toBe('image/jpeg');
    expect(typeOf('x.zip', new Uint8Array([0x50, 0x4b, 3, 4, 0]))).toBe('application/zip');
  });

  it('ignores an extension of the wrong kind', () => {
    expect(typeOf('notes.png', enc.encode('just text'))).toBe('text/plain');
    expect(typeOf('image.txt', PNG)).toBe('image/png');
    expect(typeOf('data.md', new Uint8Array([1, 0, 2]))).toBe('application/octet-stream');
  });

  it('falls back on text/plain and application/octet-stream', () => {
    expect(typeOf('Makefile', enc.encode('all:\n'))).toBe('text/plain');
    expect(typeOf('.bashrc', enc.encode('x\n'))).toBe('text/plain');
    expect(typeOf('blob.bin', new Uint8Array([0, 1, 2]))).toBe('application/octet-stream');
  });
});
