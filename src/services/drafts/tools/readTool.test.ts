import { describe, expect, it } from 'vitest';
import { withDraft } from '../../../../test/drafts/support/draftFixture.ts';
import { toolPath } from '../toolPath.ts';
import { readTool, type ReadArgs, type ReadTextResult } from './readTool.ts';

const enc = new TextEncoder();
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code: string; details?: Record<string, unknown> };
    return { code: e.code, ...e.details };
  }
  throw new Error('expected a failure');
}

const FILES = {
  'README.md': '# Title\r\n\r\nSome text\r\n',
  'src/a.ts': 'one\ntwo\nthree\nfour\nfive',
  'empty.txt': '',
  'logo.png': PNG,
  'data.bin': new Uint8Array([0, 1, 2, 3]),
  'latin1.txt': new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]),
};

describe('read', () => {
  it('returns a text file whole, with its line ends, media type, size and blob id', async () => {
    await withDraft(FILES, async (files) => {
      const result = await readTool(files, { path: '/README.md' });
      expect(result).toEqual({
        path: 'README.md',
        kind: 'text',
        media_type: 'text/markdown',
        size: FILES['README.md'].length,
        sha: (await files.stat(['README.md']))!.sha,
        content: FILES['README.md'],
        from_line: 1,
        to_line: 3,
        total_lines: 3,
        next_offset: null,
        truncated_lines: 0,
      });
    });
  });

  it('pages through lines with offset and limit; the pages laid end to end are the file', async () => {
    await withDraft(FILES, async (files) => {
      const pages: ReadTextResult[] = [];
      let offset: number | null = 1;
      while (offset !== null) {
        const page = (await readTool(files, { path: 'src/a.ts', offset, limit: 2 })) as ReadTextResult;
        pages.push(page);
        offset = page.next_offset;
      }
      expect(pages.map((p) => [p.from_line, p.to_line, p.next_offset, p.total_lines])).toEqual([[1, 2, 3, 5], [3, 4, 5, 5], [5, 5, null, 5]]);
      expect(pages.map((p) => p.content).join('')).toBe(FILES['src/a.ts']);
      expect(pages[0]!.media_type).toBe('text/x-typescript');
    });
  });

  it('reads an empty file as no lines, and refuses an offset past the end', async () => {
    await withDraft(FILES, async (files) => {
      expect(await readTool(files, { path: 'empty.txt' })).toMatchObject({ kind: 'text', content: '', from_line: 1, to_line: 0, total_lines: 0, next_offset: null });
      expect(await failure(readTool(files, { path: 'empty.txt', offset: 2 }))).toMatchObject({ code: 'EINVAL', field: 'offset', total_lines: 0 });
      expect(await readTool(files, { path: 'src/a.ts', offset: 5 })).toMatchObject({ content: 'five', from_line: 5, to_line: 5 });
      expect(await failure(readTool(files, { path: 'src/a.ts', offset: 6 }))).toMatchObject({ code: 'EINVAL', field: 'offset', total_lines: 5 });
    });
  });

  it('describes a binary file; an image comes with its bytes in base64', async () => {
    await withDraft(FILES, async (files) => {
      expect(await readTool(files, { path: 'logo.png' })).toEqual({
        path: 'logo.png', kind: 'binary', media_type: 'image/png', size: PNG.length, sha: (await files.stat(['logo.png']))!.sha, content_base64: Buffer.from(PNG).toString('base64'),
      });
      const bin = await readTool(files, { path: 'data.bin' });
      expect(bin).toMatchObject({ kind: 'binary', media_type: 'application/octet-stream', size: 4 });
      expect(bin).not.toHaveProperty('content_base64');
      expect(await readTool(files, { path: 'latin1.txt' })).toMatchObject({ kind: 'binary', media_type: 'application/octet-stream' });
    });
  });

  it('leaves out the bytes of an image over 3.5 MiB', async () => {
    await withDraft({}, async (files) => {
      const big = new Uint8Array(3.5 * 1024 * 1024 + 1);
      big.set(PNG);
      await files.write(['big.png'], big);
      const result = await readTool(files, { path: 'big.png' });
      expect(result).toMatchObject({ kind: 'binary', media_type: 'image/png', size: big.length });
      expect(result).not.toHaveProperty('content_base64');
    });
  });

  it('reads lines of a 50 MiB text file', async () => {
    await withDraft({}, async (files) => {
      const line = `${'0123456789'.repeat(9)}abcdefghi\n`; // 100 bytes
      const bytes = enc.encode(line.repeat(512 * 1024 + 1)); // 50 MiB and a line
      await files.write(toolPath('big/huge.txt'), bytes);
      const result = await readTool(files, { path: 'big/huge.txt', offset: 524_000, limit: 2000 });
      expect(result).toMatchObject({ kind: 'text', size: bytes.length, from_line: 524_000, to_line: 524_289, total_lines: 524_289, next_offset: null, truncated_lines: 0 });
      expect((result as ReadTextResult).content).toBe(line.repeat(290));
    });
  });

  it('reads a symbolic link as its target', async () => {
    await withDraft(FILES, async (files) => {
      await files.write(['link'], enc.encode('src/a.ts'), { mode: 0o120000 });
      expect(await readTool(files, { path: 'link' })).toMatchObject({ kind: 'text', content: 'src/a.ts' });
    });
  });

  it('fails with ENOENT, EISDIR, ENOTDIR and EINVAL', async () => {
    await withDraft(FILES, async (files) => {
      const cases: [ReadArgs, Record<string, unknown>][] = [
        [{ path: 'nope.txt' }, { code: 'ENOENT', path: 'nope.txt' }],
        [{ path: 'src' }, { code: 'EISDIR' }],
        [{ path: '/' }, { code: 'EISDIR' }],
        [{ path: 'README.md/x' }, { code: 'ENOTDIR' }],
        [{ path: '../etc/passwd' }, { code: 'EINVAL', field: 'path' }],
        [{ path: 'a\0b' }, { code: 'EINVAL', field: 'path' }],
        [{ path: 'README.md', offset: 0 }, { code: 'EINVAL', field: 'offset' }],
        [{ path: 'README.md', limit: 2001 }, { code: 'EINVAL', field: 'limit' }],
        [{ path: 'README.md', limit: 1.5 }, { code: 'EINVAL', field: 'limit' }],
        [{ path: 42 } as unknown as ReadArgs, { code: 'EINVAL', field: 'path' }],
      ];
      for (const [args, expected] of cases) expect(await failure(readTool(files, args)), JSON.stringify(args)).toMatchObject(expected);
    });
  });
});
