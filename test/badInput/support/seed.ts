/**
 * Real content for the repositories that bad requests are thrown at: a small
 * history made once per test file with the `git` CLI, pushed to a fresh Grove
 * repository per test.
 *
 *     first ── second (tag v1, annotated) ── third   main
 *       └ side
 *
 * `big.txt` is a 200-line text that `second` edits, so deltas have a base.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll } from 'vitest';
import { git, gitOut } from '../../support/git.ts';
import { useTempDir } from '../../support/tempDir.ts';
import type { TreeEntry } from '../../support/treeBytes.ts';
import type { BadInputServer, TestRepo } from './badInputServer.ts';

export interface Seed {
  /** The working repository the history lives in. */
  dir: string;
  first: string;
  second: string;
  third: string;
  /** The annotated tag v1 (on `second`). */
  tag: string;
  /** The tree of `third`. */
  tree: string;
  /** `big.txt` as of `third`. */
  big: { oid: string; data: Uint8Array };
  /** The entries of `tree`, as raw tree entries (`40000` for a directory). */
  treeEntries: TreeEntry[];
}

/** A repository seeded with the history, and what it looked like before the test touched it. */
export interface SeededRepo extends TestRepo {
  /** `git ls-remote` right after seeding. */
  lsRemote: string;
  /** `dump()` right after seeding. */
  before: string;
}

function bigText(edit: string): string {
  const lines: string[] = [];
  for (let i = 0; i < 200; i++) lines.push(i === 50 ? edit : `line ${i}: the quick brown fox jumps over the lazy dog`);
  return `${lines.join('\n')}\n`;
}

export async function makeSeed(dir: string): Promise<Seed> {
  await git(['init', '--quiet', dir]);
  const run = (...args: string[]): Promise<string> => gitOut(args, { cwd: dir });
  writeFileSync(join(dir, 'README.md'), 'hello\n');
  writeFileSync(join(dir, 'big.txt'), bigText('line 50: original'));
  await run('add', '.');
  await run('commit', '--quiet', '-m', 'first');
  writeFileSync(join(dir, 'big.txt'), bigText('line 50: edited'));
  await run('commit', '--quiet', '-am', 'second');
  await run('tag', '-a', 'v1', '-m', 'version 1');
  await run('branch', 'side', 'HEAD~1');
  mkdirSync(join(dir, 'dir'));
  writeFileSync(join(dir, 'dir', 'notes.txt'), 'notes\n');
  await run('add', '.');
  await run('commit', '--quiet', '-m', 'third');
  const bigOid = await run('rev-parse', 'HEAD:big.txt');
  const treeEntries = (await run('ls-tree', 'HEAD')).split('\n').map((line): TreeEntry => {
    const [meta = '', name = ''] = line.split('\t');
    const [mode = '', , oid = ''] = meta.split(' ');
    return { mode: mode.replace(/^0+/, ''), name, oid };
  });
  return {
    dir,
    first: await run('rev-parse', 'HEAD~2'),
    second: await run('rev-parse', 'HEAD~1'),
    third: await run('rev-parse', 'HEAD'),
    tag: await run('rev-parse', 'v1'),
    tree: await run('rev-parse', 'HEAD^{tree}'),
    big: { oid: bigOid, data: new TextEncoder().encode(bigText('line 50: edited')) },
    treeEntries,
  };
}

/** A seed made before the block's tests in a scratch directory removed after them. */
export function useSeed(): () => Seed {
  const dir = useTempDir('grove-bad-input-seed-');
  let seed: Seed | undefined;
  beforeAll(async () => {
    seed = await makeSeed(join(dir, 'seed'));
  });
  return () => {
    if (seed === undefined) throw new Error('the seed repository is not made');
    return seed;
  };
}

export function lsRemote(repo: TestRepo): Promise<string> {
  return gitOut(['ls-remote', repo.remote], { token: repo.token });
}

/** A new repository holding the seed's branches and tags. */
export async function seededRepo(server: BadInputServer, seed: Seed): Promise<SeededRepo> {
  const repo = await server.createRepo();
  await git(['push', '--quiet', repo.remote, 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*'], { cwd: seed.dir, token: repo.token });
  return { ...repo, lsRemote: await lsRemote(repo), before: repo.dump() };
}
