import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../../test/support/tempDir.ts';
import { numberLines, readResult } from './readResult.ts';

/** What `cat -n` prints for `content`, its last line end dropped. */
function catN(content: string): Promise<string> {
  return withTempDir('grove-cat-', async (dir) => {
    const file = join(dir, 'f.txt');
    writeFileSync(file, content);
    return spawnSync('cat', ['-n', file], { encoding: 'utf8' }).stdout.replace(/\n$/, '');
  });
}

describe('numberLines', () => {
  it('numbers lines as cat -n does', async () => {
    for (const content of ['one\ntwo\nthree\n', 'no final newline', '\n\nblank lines\n\n', 'x\n'.repeat(1_000_005).slice(0, 24)]) {
      expect(numberLines(content, 1)).toBe(await catN(content));
    }
    expect(numberLines('', 1)).toBe('');
  });

  it('starts at the page\'s first line and leaves the CR of CRLF out', () => {
    expect(numberLines('a\r\nb\r\n', 999_999)).toBe('999999\ta\n1000000\tb');
  });
});

describe('readResult', () => {
  it('says how to read on and how many lines were cut', () => {
    const json = { path: 'a.txt', kind: 'text', media_type: 'text/plain', size: 9, sha: 'f'.repeat(40), content: 'b\nc\n', from_line: 2, to_line: 3, total_lines: 5, next_offset: 4, truncated_lines: 1 };
    const result = readResult(json, 'grove://x/y/drafts/d1/a.txt');
    expect(result.content).toEqual([{ type: 'text', text: "     2\tb\n     3\tc\n(lines 2-3 of 5: call read with offset 4 for more)\n(1 line longer than 2000 characters cut, ending in '… [truncated]')" }]);
    expect(result.structuredContent).toEqual(json);
    const empty = readResult({ ...json, content: '', from_line: 1, to_line: 0, total_lines: 0, next_offset: null, truncated_lines: 0 }, 'u');
    expect(empty.content).toEqual([{ type: 'text', text: '(empty file)' }]);
  });

  it('gives an image as an image block and a PDF as a resource, their base64 out of the structured content', () => {
    const image = { path: 'i.png', kind: 'binary', media_type: 'image/png', size: 3, sha: 'a'.repeat(40), content_base64: 'AAEC' };
    const shown = readResult(image, 'grove://t/n/drafts/d1/i.png');
    expect(shown.content[1]).toEqual({ type: 'image', data: 'AAEC', mimeType: 'image/png' });
    expect(shown.structuredContent).not.toHaveProperty('content_base64');
    const pdf = readResult({ ...image, path: 'd.pdf', media_type: 'application/pdf' }, 'grove://t/n/drafts/d1/d.pdf');
    expect(pdf.content[1]).toEqual({ type: 'resource', resource: { uri: 'grove://t/n/drafts/d1/d.pdf', mimeType: 'application/pdf', blob: 'AAEC' } });
    const other = readResult({ path: 'x.bin', kind: 'binary', media_type: 'application/octet-stream', size: 3, sha: 'a'.repeat(40) }, 'u');
    expect(other.content).toEqual([{ type: 'text', text: `binary file 'x.bin': application/octet-stream, 3 bytes, sha ${'a'.repeat(40)} (content not shown: only images and PDFs of at most 3.5 MiB are)` }]);
  });
});
