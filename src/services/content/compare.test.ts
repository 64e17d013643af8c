import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffRepo, type DiffRepo } from '../../../test/content/support/diffRepo.ts';
import { gitNumstat, gitPatches, gitRaw, ourRaw } from '../../../test/content/support/gitDiff.ts';
import { groveRepoOf, type GroveCopy } from '../../../test/content/support/groveRepoOf.ts';
import { gitRun } from '../../../test/support/gitBytes.ts';
import { seededRandom } from '../../../test/support/seededRandom.ts';
import { diffTrees } from './diff/diffTrees.ts';
import { compare, parseBaseHead, type Comparison } from './compare.ts';
import { mergeBases } from './compare/mergeBase.ts';

const lines = (tag: string, n: number): string => Array.from({ length: n }, (_, i) => `${tag} line ${i}\n`).join('');

/** `git merge-base --all` (which exits 1 when there is none). */
function mergeBasesOf(repo: DiffRepo, a: string, b: string): string[] {
  const result = gitRun(['merge-base', '--all', a, b], { cwd: repo.dir });
  return new TextDecoder().decode(result.stdout).split('\n').filter((l) => l !== '');
}

/** What git says about `base...head`, in the shape compare() answers. */
function gitCompare(repo: DiffRepo, base: string, head: string): Omit<Comparison, 'files' | 'truncated' | 'commits'> & { commits: string[] } {
  const b = repo.git(['rev-parse', `${base}^{commit}`]);
  const h = repo.git(['rev-parse', `${head}^{commit}`]);
  const mergeBase = mergeBasesOf(repo, b, h);
  const log = repo.git(['log', '--reverse', '--format=%H', `${b}..${h}`]).split('\n').filter((l) => l !== '');
  return {
    base_sha: b,
    head_sha: h,
    merge_base_sha: mergeBase.length === 0 ? null : repo.git(['merge-base', b, h]),
    ahead_by: Number(repo.git(['rev-list', '--count', `${b}..${h}`])),
    behind_by: Number(repo.git(['rev-list', '--count', `${h}..${b}`])),
    total_commits: log.length,
    commits: log,
  };
}

function summary(result: Comparison): ReturnType<typeof gitCompare> {
  const { files: _files, truncated: _truncated, commits, ...rest } = result;
  return { ...rest, commits: commits.map((c) => c.sha) };
}

describe('compare', () => {
  let repo: DiffRepo;
  let grove: GroveCopy;
  const c: Record<string, string> = {};
  const id = (name: string): string => c[name]!;

  beforeAll(async () => {
    repo = diffRepo();
    // main: m1 - m2 - m3 - m4 ; feature from m2: f1 - f2 (merges m3) - f3 ; criss-cross x/y ; unrelated root u1.
    c.m1 = repo.commit({ files: { 'README.md': '# demo\n', 'src/app.c': lines('app', 30), 'src/util.c': lines('util', 40) } });
    c.m2 = repo.commit({ files: { 'README.md': '# demo\nmore\n', 'src/app.c': lines('app', 30), 'src/util.c': lines('util', 40) }, parents: [c.m1] });
    c.m3 = repo.commit({ files: { 'README.md': '# demo\nmore\n', 'src/app.c': lines('app', 32), 'src/util.c': lines('util', 40), 'docs/guide.md': 'guide\n' }, parents: [c.m2] });
    c.f1 = repo.commit({ files: { 'README.md': '# demo\nmore\n', 'src/app.c': lines('app', 30), 'lib/util.c': `${lines('util', 38)}tail\n`, 'bin.dat': new Uint8Array([0, 1, 2, 3]) }, parents: [c.m2] });
    c.m4 = repo.commit({ files: { 'README.md': '# demo\nmore\nand more\n', 'src/app.c': lines('app', 32), 'src/util.c': lines('util', 40), 'docs/guide.md': 'guide\n' }, parents: [c.m3], branch: 'main' });
    c.f2 = repo.commit({ files: { 'README.md': '# demo\nmore\n', 'src/app.c': lines('app', 32), 'lib/util.c': `${lines('util', 38)}tail\n`, 'bin.dat': new Uint8Array([0, 1, 2, 3]), 'docs/guide.md': 'guide\n' }, parents: [c.f1, c.m3] });
    c.f3 = repo.commit({ files: { 'README.md': '# demo\nmore\n', 'src/app.c': `${lines('app', 32)}feature\n`, 'lib/util.c': `${lines('util', 38)}tail\n`, 'bin.dat': new Uint8Array([0, 1, 2, 4]), 'docs/guide.md': 'guide\n', 'run.sh': { mode: '100755', content: '#!/bin/sh\n' } }, parents: [c.f2], branch: 'feature/login' });
    c.x1 = repo.commit({ files: { 'a.txt': 'x1\n' }, parents: [c.m1] });
    c.y1 = repo.commit({ files: { 'b.txt': 'y1\n' }, parents: [c.m1] });
    c.x2 = repo.commit({ files: { 'a.txt': 'x1\n', 'b.txt': 'y1\n', x: 'x\n' }, parents: [c.x1, c.y1], branch: 'cross/x' });
    c.y2 = repo.commit({ files: { 'a.txt': 'x1\n', 'b.txt': 'y1\n', y: 'y\n' }, parents: [c.y1, c.x1], branch: 'cross/y' });
    c.u1 = repo.commit({ files: { 'other.txt': 'unrelated\n' }, branch: 'orphan' });
    repo.git(['tag', 'v1', c.m2]);
    repo.git(['tag', '-a', '-m', 'annotated', 'v2', c.f1]);
    grove = await groveRepoOf(repo.dir);
  });
  afterAll(() => {
    grove.close();
    repo.remove();
  });

  const pairs: [string, string][] = [
    ['main', 'feature/login'],
    ['feature/login', 'main'],
    ['v1', 'main'],
    ['main', 'v1'],
    ['refs/heads/main', 'v2'],
    ['cross/x', 'cross/y'],
    ['main~2', 'main'],
    ['main', 'main'],
    ['main', 'orphan'],
  ];
  for (const [base, head] of pairs) {
    it(`answers ${base}...${head} as git merge-base, rev-list --count, log --reverse and diff -M base...head do`, async () => {
      const result = await compare(grove.repo, base, head);
      const git = gitCompare(repo, base, head);
      expect(summary(result)).toEqual(git);
      if (git.merge_base_sha === null) {
        expect(result.files.map((f) => `${f.status} ${f.path}`)).toEqual(['added other.txt']);
        return;
      }
      const range = `${base}...${head}`;
      const rawChanges = await diffTrees(grove.repo.objects, repo.git(['rev-parse', `${git.merge_base_sha}^{tree}`]), repo.git(['rev-parse', `${head}^{tree}`]));
      expect(ourRaw(rawChanges)).toEqual(gitRaw(repo, range, ''));
      expect(result.files.map((f) => f.binary ? `- - ${f.path}` : `${f.additions} ${f.deletions} ${f.path}`)).toEqual(gitNumstat(repo, range, ''));
      expect(result.files.map((f) => f.patch).join('')).toBe(gitPatches(repo, range, '').join(''));
      expect(result.truncated).toBe(false);
    });
  }

  it('lists the commits of head as full commits, oldest first', async () => {
    const result = await compare(grove.repo, 'main', 'feature/login');
    expect(result.commits.map((commit) => commit.sha)).toEqual([c.f1, c.f2, c.f3]);
    expect(result.commits[1]).toEqual({
      sha: id('f2'),
      tree: repo.git(['rev-parse', `${id('f2')}^{tree}`]),
      parents: [id('f1'), id('m3')],
      author: { name: 'Grove Test', email: 'test@grove.invalid', date: repo.git(['log', '-1', '--format=%aI', id('f2')]) },
      committer: { name: 'Grove Test', email: 'test@grove.invalid', date: repo.git(['log', '-1', '--format=%cI', id('f2')]) },
      message: repo.git(['log', '-1', '--format=%B', id('f2')]) + '\n',
    });
    expect(result.files.find((f) => f.path === 'lib/util.c')).toMatchObject({ old_path: 'src/util.c', status: 'renamed', additions: 1, deletions: 2, binary: false });
    expect(result.files.find((f) => f.path === 'bin.dat')).toMatchObject({ old_path: null, status: 'added', additions: 0, deletions: 0, binary: true });
  });

  it('caps commits and patch bytes, and leaves patches out when asked', async () => {
    const capped = await compare(grove.repo, 'main', 'feature/login', { maxCommits: 2, maxPatchBytes: 600 });
    expect(capped.commits.map((commit) => commit.sha)).toEqual([c.f1, c.f2]);
    expect(capped.total_commits).toBe(3);
    expect(capped.truncated).toBe(true);
    const full = await compare(grove.repo, 'main', 'feature/login');
    const kept = capped.files.filter((f) => typeof f.patch === 'string');
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.reduce((n, f) => n + new TextEncoder().encode(f.patch!).length, 0)).toBeLessThanOrEqual(600);
    expect(capped.files.slice(kept.length).every((f) => f.patch === null)).toBe(true);
    expect(capped.files.map((f) => [f.path, f.additions, f.deletions])).toEqual(full.files.map((f) => [f.path, f.additions, f.deletions]));
    const bare = await compare(grove.repo, 'main', 'feature/login', { patch: false });
    expect(bare.files.every((f) => !('patch' in f))).toBe(true);
    expect(bare.files.map((f) => [f.path, f.additions, f.deletions])).toEqual(full.files.map((f) => [f.path, f.additions, f.deletions]));
  });

  it('refuses unknown revisions with NOT_FOUND', async () => {
    await expect(compare(grove.repo, 'main', 'no-such-branch')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(compare(grove.repo, '0'.repeat(40), 'main')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('parses base...head', () => {
    expect(parseBaseHead('main...feature/x')).toEqual({ base: 'main', head: 'feature/x' });
    expect(parseBaseHead('a...b...c')).toEqual({ base: 'a', head: 'b...c' });
    for (const bad of ['main', 'main..x', '...x', 'x...']) {
      expect(() => parseBaseHead(bad)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }) as Error);
    }
  });
});

/** A random history: commits on a few branches, merges between them, times that often tie. */
function randomHistory(repo: DiffRepo, seed: number, count: number, distinctTimes: boolean): string[] {
  const random = seededRandom(seed);
  const commits: string[] = [];
  const trees: Record<string, string>[] = [];
  const tips: number[] = [];
  let time = 1_700_000_000;
  for (let i = 0; i < count; i++) {
    time += distinctTimes ? 1 + Math.floor(random() * 100) : random() < 0.7 ? 0 : 1;
    const parents: number[] = [];
    if (i > 0) {
      if (tips.length === 0 || random() < 0.25) parents.push(Math.floor(random() * i));
      else parents.push(tips.splice(Math.floor(random() * tips.length), 1)[0]!);
      if (random() < 0.2) {
        const other = Math.floor(random() * i);
        if (!parents.includes(other)) parents.push(other);
      }
    }
    const files = { ...(parents.length > 0 ? trees[parents[0]!] : {}) };
    const edits = 1 + Math.floor(random() * 3);
    for (let e = 0; e < edits; e++) {
      const name = `f${Math.floor(random() * 8)}.txt`;
      files[name] = random() < 0.15 ? '' : lines(`c${i}e${e}`, 1 + Math.floor(random() * 5)) + (files[name] ?? '');
    }
    for (const [name, text] of Object.entries(files)) if (text === '') delete files[name];
    commits.push(repo.commit({ files, parents: parents.map((p) => commits[p]!), time }));
    trees.push(files);
    tips.push(i);
  }
  return commits;
}

describe('compare on random histories', () => {
  for (const distinctTimes of [true, false]) {
    it(`agrees with git on 40 random pairs (${distinctTimes ? 'distinct' : 'mostly equal'} commit times)`, async () => {
      const repo = diffRepo();
      const commits = randomHistory(repo, distinctTimes ? 11 : 13, 70, distinctTimes);
      repo.git(['update-ref', 'refs/heads/main', commits.at(-1)!]);
      for (const [i, commit] of commits.entries()) repo.git(['update-ref', `refs/heads/c${i}`, commit]);
      const grove = await groveRepoOf(repo.dir);
      let multiple = 0;
      try {
        const random = seededRandom(99);
        for (let k = 0; k < 40; k++) {
          const base = commits[Math.floor(random() * commits.length)]!;
          const head = commits[Math.floor(random() * commits.length)]!;
          const result = await compare(grove.repo, base, head);
          const git = gitCompare(repo, base, head);
          expect(summary(result), `${base}...${head}`).toEqual(git);
          const all = mergeBasesOf(repo, base, head);
          expect(await mergeBases(grove.repo.objects, base, head)).toEqual(all);
          if (all.length > 1) multiple++;
          if (git.merge_base_sha !== null) {
            expect(result.files.map((f) => f.patch).join('')).toBe(gitPatches(repo, git.merge_base_sha, head).join(''));
          }
        }
        if (!distinctTimes) expect(multiple).toBeGreaterThan(0); // criss-crosses with same-second merge bases were met
      } finally {
        grove.close();
        repo.remove();
      }
    });
  }

  it('stops at the shallow boundary, as git does with the same shallow file', async () => {
    const repo = diffRepo();
    const commits = randomHistory(repo, 21, 40, true);
    repo.git(['update-ref', 'refs/heads/main', commits.at(-1)!]);
    const grove = await groveRepoOf(repo.dir);
    try {
      const shallow = [commits[20]!, commits[25]!];
      grove.opened.repo.setShallow(shallow);
      writeFileSync(join(repo.dir, 'shallow'), shallow.map((s) => `${s}\n`).join(''));
      for (const [base, head] of [[commits[10]!, commits[39]!], [commits[30]!, commits[35]!], [commits[22]!, commits[38]!]] as const) {
        expect(summary(await compare(grove.repo, base, head))).toEqual(gitCompare(repo, base, head));
      }
    } finally {
      grove.close();
      repo.remove();
    }
  });
});
