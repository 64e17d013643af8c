import { describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS, sliceLines, TRUNCATED_MARK } from './sliceLines.ts';

const enc = new TextEncoder();
const slice = (text: string, offset = 1, limit = 2000): ReturnType<typeof sliceLines> => sliceLines(enc.encode(text), offset, limit);

describe('sliceLines', () => {
  it('keeps each line end as in the file, so pages laid end to end are the file', () => {
    const text = 'a\r\nb\nc\r\nd';
    expect(slice(text)).toEqual({ content: text, fromLine: 1, toLine: 4, totalLines: 4, truncatedLines: 0 });
    const pages = [slice(text, 1, 3), slice(text, 4, 3)];
    expect(pages.map((p) => p.content)).toEqual(['a\r\nb\nc\r\n', 'd']);
    expect(pages.map((p) => [p.fromLine, p.toLine])).toEqual([[1, 3], [4, 4]]);
  });

  it('counts lines as git does: a final LF ends the last line, a text without one still has it', () => {
    expect(slice('').totalLines).toBe(0);
    expect(slice('\n').totalLines).toBe(1);
    expect(slice('a\nb\n').totalLines).toBe(2);
    expect(slice('a\nb').totalLines).toBe(2);
    expect(slice('a\n\n\nb\n', 2, 2)).toMatchObject({ content: '\n\n', fromLine: 2, toLine: 3 });
  });

  it('returns nothing past the end', () => {
    expect(slice('a\nb\n', 3)).toEqual({ content: '', fromLine: 3, toLine: 2, totalLines: 2, truncatedLines: 0 });
  });

  it('cuts lines longer than 2000 characters, keeping their line end', () => {
    const long = 'x'.repeat(MAX_LINE_CHARS + 1);
    const exact = 'y'.repeat(MAX_LINE_CHARS);
    const result = slice(`${long}\r\n${exact}\n${long}`);
    expect(result.content).toBe(`${'x'.repeat(MAX_LINE_CHARS)}${TRUNCATED_MARK}\r\n${exact}\n${'x'.repeat(MAX_LINE_CHARS)}${TRUNCATED_MARK}`);
    expect(result.truncatedLines).toBe(2);
  });

  it('counts characters, not bytes, and never splits a surrogate pair', () => {
    const wide = 'é'.repeat(MAX_LINE_CHARS); // 4000 bytes, 2000 characters: not cut
    expect(slice(`${wide}\n`)).toMatchObject({ content: `${wide}\n`, truncatedLines: 0 });
    const astral = `a${'😀'.repeat(MAX_LINE_CHARS)}`; // a pair straddles character 2000
    const cut = slice(astral).content;
    expect(cut).toBe(`a${'😀'.repeat((MAX_LINE_CHARS - 2) / 2)}${TRUNCATED_MARK}`);
    expect(cut.isWellFormed()).toBe(true);
  });

  it('reads a few lines of a 50 MiB file without decoding the rest', () => {
    const line = `${'z'.repeat(99)}\n`;
    const bytes = enc.encode(line.repeat(50 * 1024 * 1024 / 100));
    const result = sliceLines(bytes, 500_000, 3);
    expect(result).toEqual({ content: line.repeat(3), fromLine: 500_000, toLine: 500_002, totalLines: 524_288, truncatedLines: 0 });
    const oneLine = new Uint8Array(50 * 1024 * 1024).fill(0x61);
    expect(sliceLines(oneLine, 1, 10)).toEqual({ content: 'a'.repeat(MAX_LINE_CHARS) + TRUNCATED_MARK, fromLine: 1, toLine: 1, totalLines: 1, truncatedLines: 1 });
  });
});
