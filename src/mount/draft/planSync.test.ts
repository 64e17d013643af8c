import { chmodSync, closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../../../test/support/tempDir.ts';
import { BlobTable, PLACEHOLDER_BIT } from './BlobTable.ts';
import { blobIdOf } from './blobId.ts';
import { planSync, topmost } from './planSync.ts';
import { ServerIndex } from './ServerIndex.ts';
import { StateDb } from './StateDb.ts';

const A = 'a'.repeat(40);
const X = 'b'.repeat(40);

async function withCache(fn: (c: { upper: string; server: ServerIndex; blobs: BlobTable; unlisted: Set<string> }) => void): Promise<void> {
  await withTempDir('grove-plan-sync-', async (tmp) => {
    const upper = join(tmp, 'upper');
    mkdirSync(upper);
    const db = new StateDb(join(tmp, 'state.db'));
    try {
      fn({ upper, server: new ServerIndex(db), blobs: new BlobTable(db), unlisted: new Set() });
    } finally {
      db.close();
    }
  });
}

describe('planSync', () => {
  it('compares the local tree with what the server holds: puts by id and mode, removals first, empty folders, no .git', async () => {
    await withCache((cache) => {
      const { upper, server, blobs, unlisted } = cache;
      const file = (sha: string, size: number, mode = '100644') => ({ kind: 'file' as const, mode, sha, size });
      const dir = { kind: 'dir' as const, mode: '40000', sha: null, size: 0 };
      // What the server has.
      server.set('kept.txt', file(A, 100));
      server.set('d', dir);
      server.set('d/x', file(X, 2));
      server.set('d/sub', dir);
      server.set('link', { kind: 'symlink', mode: '120000', sha: blobIdOf(Buffer.from('kept.txt')), size: 8 });
      server.set('gone.txt', file(A, 100));
      server.set('tofolder', file(A, 100));
      server.set('tofile', dir);
      server.set('tofile/y', file(X, 2));
      server.set('run.sh', file(blobIdOf(Buffer.from('#!/bin/sh\n')), 10));
      // The cache: kept.txt a placeholder, d/x rewritten, d/sub never listed, the link as it was.
      const fd = openSync(join(upper, 'kept.txt'), 'wx', 0o644);
      chmodSync(join(upper, 'kept.txt'), 0o644 | PLACEHOLDER_BIT);
      ftruncateSync(fd, 100);
      const placeholder = fstatSync(fd);
      closeSync(fd);
      blobs.put({ ino: placeholder.ino, sha: A, size: 100, mtimeMs: placeholder.mtimeMs, source: 'kept.txt', placeholder: true });
      mkdirSync(join(upper, 'd/sub'), { recursive: true });
      unlisted.add('d/sub');
      writeFileSync(join(upper, 'd/x'), 'changed\n');
      symlinkSync('kept.txt', join(upper, 'link'));
      mkdirSync(join(upper, 'tofolder'));
      writeFileSync(join(upper, 'tofolder/z.txt'), 'z\n');
      writeFileSync(join(upper, 'tofile'), 'now a file\n');
      writeFileSync(join(upper, 'run.sh'), '#!/bin/sh\n');
      chmodSync(join(upper, 'run.sh'), 0o755);
      const run = statSync(join(upper, 'run.sh'));
      blobs.put({ ino: run.ino, sha: blobIdOf(Buffer.from('#!/bin/sh\n')), size: run.size, mtimeMs: run.mtimeMs, source: 'run.sh', placeholder: false });
      mkdirSync(join(upper, 'empty/inner'), { recursive: true });
      mkdirSync(join(upper, 'repo/.git/objects'), { recursive: true });
      writeFileSync(join(upper, 'repo/.git/HEAD'), 'ref: refs/heads/main\n');
      writeFileSync(join(upper, 'repo/f.txt'), 'f\n');

      const plan = planSync(cache, ['']);
      expect(plan.removals).toEqual([
        { path: 'gone.txt', recursive: false, replaced: false },
        { path: 'tofile', recursive: true, replaced: true }, // a folder on the server, a file here
        { path: 'tofolder', recursive: false, replaced: true }, // a file on the server, a folder here
      ]);
      expect(plan.folders).toEqual(['empty/inner']);
      expect(plan.localOnly).toEqual(['repo/.git']);
      expect(plan.broken).toEqual([]);
      expect(plan.puts.map((p) => [p.path, p.mode, p.sha])).toEqual([
        ['d/x', '100644', null], // to hash
        ['repo/f.txt', '100644', null],
        ['run.sh', '100755', blobIdOf(Buffer.from('#!/bin/sh\n'))], // the mode changed, the bytes are known
        ['tofile', '100644', null],
        ['tofolder/z.txt', '100644', null],
      ]);

      // Only what is dirty is looked at.
      expect(planSync(cache, ['d/x', 'kept.txt']).puts.map((p) => p.path)).toEqual(['d/x']);
    });
  });

  it('keeps the topmost of nested dirty paths', () => {
    expect(topmost(['a/b', 'a', 'a-b/c', 'a-b', 'x/y/z', 'x/y'])).toEqual(['a', 'a-b', 'x/y']);
    expect(topmost(['a', ''])).toEqual(['']);
  });
});
