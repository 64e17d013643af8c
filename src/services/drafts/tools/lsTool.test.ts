import { describe, expect, it } from 'vitest';
import { withDraft } from '../../../../test/drafts/support/draftFixture.ts';
import { toolPath } from '../toolPath.ts';
import { lsTool, type LsArgs, type LsResult } from './lsTool.ts';

const enc = new TextEncoder();

const FILES = {
  'README.md': 'hello\n',
  'a-b.txt': 'x',
  'a/x.txt': 'xx',
  'a/y/z.txt': 'z',
  'src/index.ts': 'export {};\n',
  'src/lib/util.ts': 'u',
  'bin/run.sh': '#!/bin/sh\n',
};

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code: string; details?: Record<string, unknown> };
    return { code: e.code, ...e.details };
  }
  throw new Error('expected a failure');
}

async function allPages(run: (cursor: string | undefined) => Promise<LsResult>): Promise<LsResult[]> {
  const pages: LsResult[] = [];
  let cursor: string | undefined;
  do {
    const page = await run(cursor);
    pages.push(page);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return pages;
}

describe('ls', () => {
  it('lists a folder by name, with kinds, sizes, modes as octal strings and blob ids', async () => {
    await withDraft(FILES, async (files) => {
      await files.write(toolPath('bin/run.sh'), enc.encode('#!/bin/sh\n'), { mode: 0o100755 });
      await files.write(toolPath('link'), enc.encode('README.md'), { mode: 0o120000 });
      const root = await lsTool(files, {});
      expect(root.path).toBe('');
      expect(root.next_cursor).toBeNull();
      expect(root.entries.map((e) => [e.name, e.kind, e.mode, e.size])).toEqual([
        ['README.md', 'file', '100644', 6], ['a', 'dir', '40000', 0], ['a-b.txt', 'file', '100644', 1], ['bin', 'dir', '40000', 0], ['link', 'symlink', '120000', 9], ['src', 'dir', '40000', 0],
      ]);
      expect(root.entries[0]!.sha).toBe((await files.stat(['README.md']))!.sha);
      expect(root.entries[1]!.sha).toBeNull();
      expect((await lsTool(files, { path: '/bin/' })).entries).toMatchObject([{ path: 'bin/run.sh', name: 'run.sh', mode: '100755' }]);
    });
  });

  it('lists everything below a folder, depth first, a folder right before its contents', async () => {
    await withDraft(FILES, async (files) => {
      expect((await lsTool(files, { recursive: true })).entries.map((e) => e.path)).toEqual([
        'README.md', 'a', 'a/x.txt', 'a/y', 'a/y/z.txt', 'a-b.txt', 'bin', 'bin/run.sh', 'src', 'src/index.ts', 'src/lib', 'src/lib/util.ts',
      ]);
      expect((await lsTool(files, { path: 'src', recursive: true })).entries.map((e) => e.path)).toEqual(['src/index.ts', 'src/lib', 'src/lib/util.ts']);
    });
  });

  it('pages with limit and cursor, in both modes; the pages laid end to end are the whole listing', async () => {
    await withDraft(FILES, async (files) => {
      for (const recursive of [false, true]) {
        const whole = (await lsTool(files, { recursive, limit: 1000 })).entries;
        for (const limit of [1, 2, 5]) {
          const pages = await allPages((cursor) => lsTool(files, { recursive, limit, ...(cursor === undefined ? {} : { cursor }) }));
          expect(pages.flatMap((p) => p.entries)).toEqual(whole);
          expect(pages.slice(0, -1).every((p) => p.entries.length === limit)).toBe(true);
        }
      }
    });
  });

  it('resumes after the cursor even when entries were added or removed meanwhile', async () => {
    await withDraft(FILES, async (files) => {
      const first = await lsTool(files, { recursive: true, limit: 3 });
      expect(first.entries.map((e) => e.path)).toEqual(['README.md', 'a', 'a/x.txt']);
      await files.remove(toolPath('a/x.txt'));
      await files.write(toolPath('a/w.txt'), enc.encode('before the cursor'));
      await files.write(toolPath('a/xa.txt'), enc.encode('after it'));
      const next = await lsTool(files, { recursive: true, limit: 3, cursor: first.next_cursor! });
      expect(next.entries.map((e) => e.path)).toEqual(['a/xa.txt', 'a/y', 'a/y/z.txt']);
    });
  });

  it('fails with ENOENT, ENOTDIR and EINVAL', async () => {
    await withDraft(FILES, async (files) => {
      const cursor = (await lsTool(files, { limit: 1 })).next_cursor!;
      const cases: [LsArgs, Record<string, unknown>][] = [
        [{ path: 'nope' }, { code: 'ENOENT' }],
        [{ path: 'README.md' }, { code: 'ENOTDIR' }],
        [{ path: 'README.md/x' }, { code: 'ENOTDIR' }],
        [{ limit: 0 }, { code: 'EINVAL', field: 'limit' }],
        [{ limit: 1001 }, { code: 'EINVAL', field: 'limit' }],
        [{ cursor: 'not a cursor' }, { code: 'EINVAL', field: 'cursor' }],
        [{ cursor, recursive: true }, { code: 'EINVAL', field: 'cursor' }],
        [{ cursor, path: 'src' }, { code: 'EINVAL', field: 'cursor' }],
        [{ recursive: 'yes' as unknown as boolean }, { code: 'EINVAL', field: 'recursive' }],
      ];
      for (const [args, expected] of cases) expect(await failure(lsTool(files, args)), JSON.stringify(args)).toMatchObject(expected);
    });
  });
});
