import { afterEach, describe, expect, it } from 'vitest';
import { diffRepo, type DiffRepo, type FileSpec } from '../../../test/content/support/diffRepo.ts';
import { groveRepoOf, type GroveCopy } from '../../../test/content/support/groveRepoOf.ts';
import { gitRun, gitText } from '../../../test/support/gitBytes.ts';
import { storedOids } from '../../../test/support/storeRepo.ts';
import { tempDir } from '../../../test/support/tempDir.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { revert, revertMessage } from './revert.ts';

const lines = (n: number, change: Record<number, string> = {}): string =>
  Array.from({ length: n }, (_, i) => `${change[i] ?? `line ${i}`}\n`).join('');

/** What `git revert --no-edit [-m n] <sha>` on `main` makes: its tree and message, or null when it stops on a conflict. */
function gitRevert(bare: string, sha: string, mainline?: number): { tree: string; message: string } | null {
  const work = tempDir('grove-revert-');
  try {
    gitText(['clone', '--quiet', '--branch', 'main', bare, work.dir]);
    const result = gitRun(['revert', '--no-edit', ...(mainline === undefined ? [] : ['-m', String(mainline)]), sha], { cwd: work.dir });
    if (result.status !== 0) return null;
    return { tree: gitText(['rev-parse', 'HEAD^{tree}'], { cwd: work.dir }), message: `${gitText(['log', '-1', '--format=%B'], { cwd: work.dir })}\n` };
  } finally {
    work.remove();
  }
}

describe('revert', () => {
  let git: DiffRepo | undefined;
  let copy: GroveCopy | undefined;
  afterEach(() => {
    copy?.close();
    git?.remove();
    copy = undefined;
    git = undefined;
  });

  /** A linear history on main; returns the commit ids, oldest first. */
  function history(trees: Record<string, FileSpec>[]): string[] {
    git = diffRepo();
    const ids: string[] = [];
    for (const [i, files] of trees.entries()) {
      ids.push(git.commit({ files, parents: ids.slice(-1), message: `change ${i}\n\nbody of ${i}\n`, branch: 'main' }));
    }
    return ids;
  }

  async function check(target: string, mainline?: number): Promise<void> {
    copy = await groveRepoOf(git!.dir);
    const expected = gitRevert(git!.dir, target, mainline);
    expect(expected).not.toBeNull();
    const written = await revert(copy.repo, nodeCodec, { branch: 'main', commit: target, ...(mainline === undefined ? {} : { mainline }) });
    expect(written.commit.tree).toBe(expected!.tree);
    expect(written.commit.message).toBe(expected!.message);
    expect(written.commit.parents).toEqual([gitText(['rev-parse', 'main'], { cwd: git!.dir })]);
    expect(copy.repo.repo.listRefsSync().find((r) => r.name === 'refs/heads/main')?.oid).toBe(written.sha);
  }

  it('undoes an old change whose lines changed nowhere since, keeping later changes in the same file', async () => {
    const [, second] = history([
      { 'a.txt': lines(12), 'b.txt': 'b\n' },
      { 'a.txt': lines(12, { 1: 'two' }), 'new/d.txt': 'd\n', 'b.txt': 'b\n' },
      { 'a.txt': lines(12, { 1: 'two', 9: 'ten' }), 'new/d.txt': 'd\n' },
      { 'a.txt': lines(12, { 1: 'two', 9: 'ten' }), 'new/d.txt': 'd\n', 'c.sh': { mode: '100755', content: 'run\n' } },
    ]);
    await check(second!);
  });

  it('brings back a deleted file and undoes a mode change', async () => {
    const ids = history([
      { 'a.txt': 'a\n', 'b.txt': 'b\n', 'x.sh': 'x\n' },
      { 'a.txt': 'a\n', 'x.sh': { mode: '100755', content: 'x\n' } },
      { 'a.txt': 'a2\n', 'x.sh': { mode: '100755', content: 'x\n' } },
    ]);
    await check(ids[1]!);
  });

  it('reverts the head itself, and a root commit whose files are untouched since', async () => {
    const ids = history([{ 'root.txt': 'r\n' }, { 'root.txt': 'r\n', 'later.txt': 'l\n' }, { 'root.txt': 'r\n', 'later.txt': 'l2\n' }]);
    await check(ids[2]!);
    copy!.close();
    copy = undefined;
    await check(ids[0]!);
  });

  it('reverts a merge against the parent mainline names', async () => {
    git = diffRepo();
    const base = git.commit({ files: { 'a.txt': lines(8), 'side.txt': 's\n' } });
    const main = git.commit({ files: { 'a.txt': lines(8, { 0: 'main' }), 'side.txt': 's\n' }, parents: [base] });
    const side = git.commit({ files: { 'a.txt': lines(8, { 7: 'side' }), 'side.txt': 's2\n', 'only-side.txt': 'o\n' }, parents: [base] });
    const merge = git.commit({ files: { 'a.txt': lines(8, { 0: 'main', 7: 'side' }), 'side.txt': 's2\n', 'only-side.txt': 'o\n' }, parents: [main, side], branch: 'main', message: 'Merge side\n' });
    await check(merge, 1);
    copy!.close();
    copy = undefined;
    await check(merge, 2);
    await expect(revert(copy!.repo, nodeCodec, { branch: 'main', commit: merge })).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { field: 'mainline' } });
    await expect(revert(copy!.repo, nodeCodec, { branch: 'main', commit: main, mainline: 1 })).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { field: 'mainline' } });
    await expect(revert(copy!.repo, nodeCodec, { branch: 'main', commit: merge, mainline: 3 })).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { field: 'mainline' } });
  });

  const conflicts: [string, Record<string, FileSpec>[], string][] = [
    ['the same lines changed again', [{ 'a.txt': lines(5) }, { 'a.txt': lines(5, { 2: 'x' }) }, { 'a.txt': lines(5, { 2: 'y' }) }], 'content'],
    ['the file deleted since', [{ 'a.txt': lines(5), 'b.txt': 'b\n' }, { 'a.txt': lines(5, { 2: 'x' }), 'b.txt': 'b\n' }, { 'b.txt': 'b\n' }], 'modify/delete'],
    ['a binary file changed again', [{ 'bin': 'a\0b\n' }, { 'bin': 'a\0c\n' }, { 'bin': 'a\0d\n' }], 'binary'],
  ];
  it.each(conflicts)('refuses, as git does, when it conflicts: %s', async (_, trees, reason) => {
    const ids = history(trees);
    copy = await groveRepoOf(git!.dir);
    expect(gitRevert(git!.dir, ids[1]!)).toBeNull();
    const before = { refs: copy.repo.repo.listRefsSync(), objects: storedOids(copy.opened) };
    await expect(revert(copy.repo, nodeCodec, { branch: 'main', commit: ids[1]! })).rejects.toMatchObject({
      code: 'MERGE_CONFLICT',
      details: { conflicts: [{ path: Object.keys(trees[0]!)[0], reason }] },
    });
    expect({ refs: copy.repo.repo.listRefsSync(), objects: storedOids(copy.opened) }).toEqual(before);
  });

  it('writes git\'s message: the subject is the first paragraph, lines joined', () => {
    const commit = { tree: '', parents: ['p'], author: { name: '', email: '', timestamp: 0, timezone: '+0000' }, committer: { name: '', email: '', timestamp: 0, timezone: '+0000' }, extraHeaders: [], message: '\nFirst line  \nsecond line\n\nbody\n' };
    expect(revertMessage('abc', commit, 'p')).toBe('Revert "First line second line"\n\nThis reverts commit abc.\n');
  });
});
