import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffRepo, type DiffRepo } from '../../../test/content/support/diffRepo.ts';
import { groveRepoOf, type GroveCopy } from '../../../test/content/support/groveRepoOf.ts';
import { gitBytes, gitText } from '../../../test/support/gitBytes.ts';
import { tempDir } from '../../../test/support/tempDir.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { buildTree, type PathChange } from './buildTree.ts';
import { ObjectWriter } from './writeObjects.ts';

const encoder = new TextEncoder();
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** A change as a test states it: contents instead of blob ids. */
type Step =
  | { op: 'put'; path: string; content: string; mode?: number }
  | { op: 'delete'; path: string }
  | { op: 'move'; from: string; to: string };

/** The tree git writes after the same steps in a work tree checked out at `commit` (null: an empty one). */
function gitTreeAfter(bare: string, commit: string | null, steps: readonly Step[]): string {
  const work = tempDir('grove-build-tree-');
  try {
    gitBytes(['clone', '--quiet', bare, work.dir]);
    if (commit === null) gitBytes(['read-tree', '--empty'], { cwd: work.dir });
    else gitBytes(['checkout', '--quiet', '--detach', commit], { cwd: work.dir });
    if (commit === null) gitBytes(['clean', '-fdxq'], { cwd: work.dir });
    for (const step of steps) {
      if (step.op === 'delete') gitBytes(['rm', '-r', '--quiet', '--', step.path], { cwd: work.dir });
      else if (step.op === 'move') {
        mkdirSync(dirname(join(work.dir, step.to)), { recursive: true });
        gitBytes(['mv', '--', step.from, step.to], { cwd: work.dir });
      } else {
        const file = join(work.dir, step.path);
        mkdirSync(dirname(file), { recursive: true });
        if (step.mode === 0o120000) {
          rmSync(file, { force: true });
          symlinkSync(step.content, file);
        } else {
          writeFileSync(file, step.content);
          if (step.mode !== undefined) chmodSync(file, step.mode === 0o100755 ? 0o755 : 0o644);
        }
      }
    }
    gitBytes(['add', '-A'], { cwd: work.dir });
    return gitText(['write-tree'], { cwd: work.dir });
  } finally {
    work.remove();
  }
}

/** Our tree after the same steps, from the tree of `commit` (null: none). */
async function ourTreeAfter(copy: GroveCopy, commit: string | null, steps: readonly Step[]): Promise<string> {
  const writer = new ObjectWriter(copy.repo, nodeCodec);
  try {
    const changes = steps.map((s): PathChange => (s.op === 'put'
      ? { op: 'put', path: s.path, oid: writer.add('blob', encoder.encode(s.content)), ...(s.mode === undefined ? {} : { mode: s.mode }) }
      : s));
    const base = commit === null ? null : (await copy.repo.objects.readCommits([commit])).get(commit)!.tree;
    return await buildTree(copy.repo.objects, base, changes, (data) => writer.add('tree', data));
  } finally {
    writer.discard();
  }
}

describe('buildTree', () => {
  let git: DiffRepo;
  let copy: GroveCopy;
  let commit: string;
  beforeAll(async () => {
    git = diffRepo();
    commit = git.commit({
      branch: 'main',
      files: {
        'README.md': '# readme\n',
        a: 'file a\n',
        'a.c': 'a.c\n',
        'a-b/x': 'x\n',
        'lib/one.ts': 'one\n',
        'lib/deep/two.ts': 'two\n',
        'lib/deep/three.ts': 'three\n',
        'bin/run.sh': { mode: '100755', content: '#!/bin/sh\n' },
        'docs/guide/intro.md': 'intro\n',
        link: { mode: '120000', content: 'README.md' },
      },
    });
    copy = await groveRepoOf(git.dir);
  });
  afterAll(() => {
    copy.close();
    git.remove();
  });

  const scenarios: [string, Step[]][] = [
    ['puts that make new folders, in git order next to similar names', [
      { op: 'put', path: 'a.d/new.txt', content: 'n\n' },
      { op: 'put', path: 'new/deeper/still/file.txt', content: 'deep\n' },
      { op: 'put', path: 'lib/deep/four.ts', content: 'four\n' },
      { op: 'put', path: 'a0', content: 'after a/ in git order\n' },
    ]],
    ['replacing contents keeps the mode; a given mode wins', [
      { op: 'put', path: 'bin/run.sh', content: '#!/bin/sh\necho new\n' },
      { op: 'put', path: 'README.md', content: '# now executable\n', mode: 0o100755 },
      { op: 'put', path: 'tool', content: 'README.md', mode: 0o120000 },
    ]],
    ['deleting the last files of folders removes the folders', [
      { op: 'delete', path: 'lib/deep/two.ts' },
      { op: 'delete', path: 'lib/deep/three.ts' },
      { op: 'delete', path: 'docs/guide/intro.md' },
    ]],
    ['deleting and moving whole folders', [
      { op: 'delete', path: 'lib' },
      { op: 'move', from: 'docs', to: 'manual/docs' },
      { op: 'move', from: 'a', to: 'z/a' },
      { op: 'move', from: 'link', to: 'link2' },
    ]],
  ];
  it.each(scenarios)('%s: the tree git writes', async (_, steps) => {
    expect(await ourTreeAfter(copy, commit, steps)).toBe(gitTreeAfter(git.dir, commit, steps));
  });

  it('builds a first tree from nothing', async () => {
    const steps: Step[] = [{ op: 'put', path: 'x/y/z.txt', content: 'z\n' }, { op: 'put', path: 'x.txt', content: 'x\n' }];
    expect(await ourTreeAfter(copy, null, steps)).toBe(gitTreeAfter(git.dir, null, steps));
  });

  it('deleting everything gives the empty tree; no change gives the same tree', async () => {
    const all = ['README.md', 'a', 'a.c', 'a-b', 'lib', 'bin', 'docs', 'link'].map((path): Step => ({ op: 'delete', path }));
    expect(await ourTreeAfter(copy, commit, all)).toBe(EMPTY_TREE);
    expect(await ourTreeAfter(copy, commit, [])).toBe(gitText(['rev-parse', `${commit}^{tree}`], { cwd: git.dir }));
  });

  const refused: [string, Step[], string, Record<string, unknown>][] = [
    ['deleting a missing file', [{ op: 'delete', path: 'lib/nope.ts' }], 'NOT_FOUND', { path: 'lib/nope.ts' }],
    ['deleting below a file', [{ op: 'delete', path: 'a/b' }], 'NOT_FOUND', { path: 'a/b' }],
    ['moving a missing file', [{ op: 'move', from: 'nope', to: 'b' }], 'NOT_FOUND', { path: 'nope' }],
    ['a put below a file', [{ op: 'put', path: 'README.md/x', content: '' }], 'ALREADY_EXISTS', { path: 'README.md/x', conflict: 'README.md' }],
    ['a put onto a folder', [{ op: 'put', path: 'lib', content: '' }], 'ALREADY_EXISTS', { path: 'lib' }],
    ['a move onto an existing file', [{ op: 'move', from: 'a', to: 'a.c' }], 'ALREADY_EXISTS', { path: 'a.c' }],
    ['the same path twice', [{ op: 'put', path: 'n', content: '1' }, { op: 'delete', path: 'n' }], 'BAD_REQUEST', { path: 'n', field: 'changes[1].path' }],
    ['a path inside another changed one', [{ op: 'delete', path: 'lib' }, { op: 'put', path: 'lib/x', content: '' }], 'BAD_REQUEST', { path: 'lib/x' }],
    ['a move into itself', [{ op: 'move', from: 'lib', to: 'lib/inner' }], 'BAD_REQUEST', { path: 'lib/inner' }],
    ['a name Windows reads as .git', [{ op: 'put', path: 'x/git~1/config', content: '' }], 'BAD_REQUEST', { path: 'x', check: 'hasDotgit' }],
    ['.gitmodules as a symlink', [{ op: 'put', path: '.gitmodules', content: 'x', mode: 0o120000 }], 'BAD_REQUEST', { check: 'gitmodulesSymlink' }],
  ];
  it.each(refused)('refuses %s', async (_, steps, code, details) => {
    await expect(ourTreeAfter(copy, commit, steps)).rejects.toMatchObject({ code, details: expect.objectContaining(details) });
  });

  const badPaths = ['', '/abs', 'a/', '../x', 'x/../y', './x', 'a//b', '.git/config', 'x/.GIT/y', 'nul\0byte', 'x'.repeat(4097), `${'y'.repeat(256)}/z`, 'bad\uD800'];
  it.each(badPaths.map((p) => [JSON.stringify(p.length > 40 ? `${p.slice(0, 20)}…(${p.length})` : p), p]))('refuses the path %s', async (_, path) => {
    await expect(ourTreeAfter(copy, commit, [{ op: 'put', path, content: '' }])).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { field: 'changes[0].path' } });
  });
});
