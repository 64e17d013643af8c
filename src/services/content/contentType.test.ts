import { describe, expect, it } from 'vitest';
import { contentTypeOf, isText } from './contentType.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('contentTypeOf', () => {
  it('knows images and PDFs by their magic numbers, whatever the name', () => {
    expect(contentTypeOf('x.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(contentTypeOf('x', new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(contentTypeOf('x', text('GIF89a...'))).toBe('image/gif');
    expect(contentTypeOf('x', text('%PDF-1.7'))).toBe('application/pdf');
    expect(contentTypeOf('x', text('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
  });

  it('serves UTF-8 text as text/plain (HTML too), JSON and SVG by extension, the rest as octet-stream', () => {
    expect(contentTypeOf('a/README.md', text('# hi\n'))).toBe('text/plain; charset=utf-8');
    expect(contentTypeOf('index.html', text('<script>alert(1)</script>'))).toBe('text/plain; charset=utf-8');
    expect(contentTypeOf('data.JSON', text('{}'))).toBe('application/json; charset=utf-8');
    expect(contentTypeOf('logo.svg', text('<svg/>'))).toBe('image/svg+xml; charset=utf-8');
    expect(contentTypeOf('a.json', new Uint8Array([0x7b, 0, 0x7d]))).toBe('application/octet-stream');
    expect(contentTypeOf('a.txt', new Uint8Array([0xc3, 0x28]))).toBe('application/octet-stream');
    expect(contentTypeOf('empty', new Uint8Array())).toBe('text/plain; charset=utf-8');
  });

  it('judges text by its first 64 KiB, a character cut at the edge included', () => {
    const big = text(`${'a'.repeat(65_535)}é${'b'.repeat(10)}`);
    expect(isText(big)).toBe(true);
    const late = new Uint8Array(200_000).fill(0x61);
    late[150_000] = 0;
    expect(isText(late)).toBe(true);
  });
});
