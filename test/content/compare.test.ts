/**
 * GET …/compare/{base}...{head} against what git itself reports for the
 * same repository, pushed to Grove with the real git CLI:
 *
 *   merge_base_sha       = git merge-base base head
 *   ahead_by, behind_by  = git rev-list --count base..head, head..base
 *   commits              = git log --reverse base..head (full commits)
 *   files                = git diff -M base...head: --raw statuses and paths,
 *                          --numstat counts, and the patch text byte for byte
 *
 * on a hand-made history (readFixtures.ts, plus a branch with renames, mode
 * and type changes) and on a generated one of a few hundred commits
 * (makeRepo.ts); and the route's input errors and access rules.
 */
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, gitOut } from '../support/git.ts';
import { makeRepo } from '../support/makeRepo.ts';
import { useTempDir } from '../support/tempDir.ts';
import { uniqueName, useApiServer } from '../api/support/apiServer.ts';
import { expectError, type RepoWithTokenJson } from '../api/support/shapes.ts';
import { gitCommitJson, historyFixture, ok, pushAll, repoPath, T0, type Fixture } from './support/readFixtures.ts';

interface FileJson {
  path: string;
  old_path: string | null;
  status: string;
  additions: number;
  deletions: number;
  binary: boolean;
  patch?: string | null;
}

interface ComparisonJson {
  base_sha: string;
  head_sha: string;
  merge_base_sha: string | null;
  ahead_by: number;
  behind_by: number;
  total_commits: number;
  commits: { sha: string }[];
  files: FileJson[];
  truncated: boolean;
}

const work = useTempDir('grove-content-compare-');
const STATUS: Record<string, string> = { A: 'added', D: 'deleted', M: 'modified', R: 'renamed', T: 'type_changed' };

async function lines(dir: string, args: string[]): Promise<string[]> {
  const out = await gitOut(args, { cwd: dir });
  return out === '' ? [] : out.split('\n');
}

/** What git says about base...head, as the route's fields. */
async function gitComparison(dir: string, base: string, head: string): Promise<Omit<ComparisonJson, 'files' | 'truncated' | 'commits'> & { commits: string[] }> {
  const b = await gitOut(['rev-parse', `${base}^{commit}`], { cwd: dir });
  const h = await gitOut(['rev-parse', `${head}^{commit}`], { cwd: dir });
  const mergeBase = await git(['merge-base', b, h], { cwd: dir, allowFailure: true });
  const log = await lines(dir, ['log', '--reverse', '--format=%H', `${b}..${h}`]);
  return {
    base_sha: b,
    head_sha: h,
    merge_base_sha: mergeBase.code === 0 ? mergeBase.stdout.trim() : null,
    ahead_by: Number(await gitOut(['rev-list', '--count', `${b}..${h}`], { cwd: dir })),
    behind_by: Number(await gitOut(['rev-list', '--count', `${h}..${b}`], { cwd: dir })),
    total_commits: log.length,
    commits: log,
  };
}

/** `git diff -M --raw -z` and `--numstat -z` of a range, as `<status> <old> -> <path> <added> <deleted>` lines. */
async function gitFiles(dir: string, range: string): Promise<string[]> {
  const raw = (await git(['diff', '--raw', '-M', '-z', range], { cwd: dir })).stdout.split('\0');
  const numstat = (await git(['diff', '--numstat', '-M', '-z', range], { cwd: dir })).stdout.split('\0');
  const out: string[] = [];
  for (let i = 0, j = 0; i + 1 < raw.length; ) {
    const letter = raw[i]!.split(' ')[4]!.slice(0, 1);
    const renamed = letter === 'R';
    const path = renamed ? raw[i + 2]! : raw[i + 1]!;
    const oldPath = renamed ? raw[i + 1]! : letter === 'A' ? null : path;
    i += renamed ? 3 : 2;
    const [added, deleted] = numstat[j]!.split('\t');
    j += numstat[j]!.endsWith('\t') ? 3 : 1;
    out.push(`${STATUS[letter]} ${oldPath} -> ${path} ${added === '-' ? 'binary' : `${added} ${deleted}`}`);
  }
  return out;
}

function ourFiles(files: readonly FileJson[]): string[] {
  return files.map((f) => `${f.status} ${f.old_path} -> ${f.path} ${f.binary ? 'binary' : `${f.additions} ${f.deletions}`}`);
}

/** The patch of `git diff -M range`, split per file. */
async function gitPatches(dir: string, range: string): Promise<string[]> {
  const text = (await git(['diff', '-M', '--no-color', range], { cwd: dir })).stdout;
  return text.split(/(?=^diff --git )/m).filter((p) => p !== '');
}

describe('compare', () => {
  const server = useApiServer();
  let fixture: Fixture;
  let repo: RepoWithTokenJson;
  let readToken: string;

  beforeAll(async () => {
    fixture = await historyFixture(join(work, 'history'));
    const dir = fixture.dir;
    // A branch with a slash in its name: renames with edits, a mode change, a file turned symlink, a deletion.
    await git(['checkout', '--quiet', '-b', 'topic/login', fixture.commits['c4']!], { cwd: dir });
    writeFileSync(join(dir, 'src/login.js'), Array.from({ length: 40 }, (_, i) => `export const line${i} = ${i};\n`).join(''));
    const date = { GIT_AUTHOR_DATE: `${T0 + 2000} +0100`, GIT_COMMITTER_DATE: `${T0 + 2000} +0100` };
    await git(['add', '-A'], { cwd: dir });
    await git(['commit', '--quiet', '-m', 'login'], { cwd: dir, env: date });
    mkdirSync(join(dir, 'src/auth'));
    await git(['mv', 'src/login.js', 'src/auth/login.js'], { cwd: dir });
    writeFileSync(join(dir, 'src/auth/login.js'), Array.from({ length: 40 }, (_, i) => `export const line${i} = ${i === 7 ? 'changed' : i};\n`).join(''));
    chmodSync(join(dir, 'bin/run.sh'), 0o644);
    rmSync(join(dir, 'config.json'));
    symlinkSync('README.md', join(dir, 'config.json'));
    rmSync(join(dir, 'page.html'));
    await git(['add', '-A'], { cwd: dir });
    await git(['commit', '--quiet', '-m', 'move login'], { cwd: dir, env: { ...date, GIT_COMMITTER_DATE: `${T0 + 2100} +0100` } });
    await git(['checkout', '--quiet', 'main'], { cwd: dir });

    repo = await server().createRepo(uniqueName('cmp'), { name: 'history' });
    await pushAll(dir, repo);
    readToken = (await server().mintToken(repo.namespace, repo.name, { scope: 'read' })).token;
  });

  async function restCompare(basehead: string, query = '', token?: string): Promise<ComparisonJson> {
    const answer = await server().call('GET', `${repoPath(repo)}/compare/${basehead}${query}`, { token: token ?? readToken });
    return ok<ComparisonJson>(answer, `compare ${basehead}`);
  }

  const pairs: [string, string][] = [
    ['main', 'topic/login'],
    ['topic/login', 'main'],
    ['c1', 'main'],
    ['feature', 'side'],
    ['v1', 'main'],
    ['side', 'evil'],
    ['main', 'ties'],
    ['outer', 'refs/heads/topic/login'],
    ['main', 'main'],
  ];
  for (const [baseName, headName] of pairs) {
    it(`answers ${baseName}...${headName} as git does`, async () => {
      const sha = (name: string): string => fixture.commits[name] ?? name;
      const base = sha(baseName);
      const head = sha(headName);
      const body = await restCompare(`${encodeURIComponent(base)}...${encodeURIComponent(head)}`);
      const { files, truncated, commits, ...rest } = body;
      expect({ ...rest, commits: commits.map((c) => c.sha) }).toEqual(await gitComparison(fixture.dir, base, head));
      for (const commit of commits.slice(0, 3)) expect(commit).toEqual(await gitCommitJson(fixture.dir, commit.sha));
      const range = `${base}...${head}`;
      expect(ourFiles(files)).toEqual(await gitFiles(fixture.dir, range));
      expect(files.map((f) => f.patch).join('')).toBe((await gitPatches(fixture.dir, range)).join(''));
      expect(truncated).toBe(false);
    });
  }

  it('finds renames, mode changes and type changes on the branch', async () => {
    const body = await restCompare('main...topic%2Flogin');
    const byPath = new Map(body.files.map((f) => [f.path, f]));
    expect(byPath.get('src/auth/login.js')).toMatchObject({ status: 'added' }); // added on the branch: no rename from the merge base
    expect(byPath.get('bin/run.sh')).toMatchObject({ status: 'modified', additions: 0, deletions: 0, patch: 'diff --git a/bin/run.sh b/bin/run.sh\nold mode 100755\nnew mode 100644\n' });
    expect(byPath.get('config.json')).toMatchObject({ status: 'type_changed', old_path: 'config.json' });
    expect(byPath.get('page.html')).toMatchObject({ status: 'deleted', additions: 0, deletions: 1 });
    const renamed = await restCompare('topic%2Flogin~1...topic/login');
    expect(renamed.files.find((f) => f.path === 'src/auth/login.js')).toMatchObject({ status: 'renamed', old_path: 'src/login.js', additions: 1, deletions: 1 });
  });

  it('reads a side with a slash encoded or not, and leaves patches out with patch=false', async () => {
    const encoded = await restCompare('main...topic%2Flogin');
    const raw = await restCompare('main...topic/login');
    expect(raw).toEqual(encoded);
    const bare = await restCompare('main...topic/login', '?patch=false');
    expect(bare.files.every((f) => !('patch' in f))).toBe(true);
    expect(bare.files.map(({ patch: _patch, ...f }) => f)).toEqual(encoded.files.map(({ patch: _patch, ...f }) => f));
  });

  it('refuses bad input and tokens that cannot read', async () => {
    const base = `${repoPath(repo)}/compare`;
    expectError(await server().call('GET', `${base}/main..feature`), 'BAD_REQUEST');
    expectError(await server().call('GET', `${base}/main...`), 'BAD_REQUEST');
    expectError(await server().call('GET', `${base}/main...feature?patch=maybe`), 'BAD_REQUEST');
    expectError(await server().call('GET', `${base}/main...no-such-branch`), 'NOT_FOUND');
    expectError(await server().call('GET', `${base}/${'0'.repeat(40)}...main`), 'NOT_FOUND');
    expectError(await server().call('GET', `${repoPath({ namespace: repo.namespace, name: 'nope' })}/compare/main...feature`), 'NOT_FOUND');
    expectError(await server().call('GET', `${base}/main...feature`, { token: null }), 'UNAUTHORIZED');
    const other = await server().createRepo(repo.namespace, { name: uniqueName('other') });
    expectError(await server().call('GET', `${base}/main...feature`, { token: other.token }), 'FORBIDDEN');
  });

  it('matches git on a generated history of a few hundred commits', async () => {
    const made = await makeRepo(join(work, 'made'), { commits: 260 });
    const generated = await server().createRepo(repo.namespace, { name: uniqueName('made') });
    await git(['push', '--quiet', generated.remote, '--all'], { cwd: made.dir, token: generated.token });
    await git(['push', '--quiet', generated.remote, '--tags'], { cwd: made.dir, token: generated.token });
    const candidates = [...made.branches, ...made.tags.slice(0, 3), 'main~40', 'main~120'];
    for (const [base, head] of [[candidates[0]!, candidates.at(-1)!], ['release/1.x', 'main'], ['main~120', 'main~40'], ['main', 'release/1.x']]) {
      const answer = await server().call('GET', `${repoPath(generated)}/compare/${encodeURIComponent(base!)}...${encodeURIComponent(head!)}`, { token: generated.token });
      const body = ok<ComparisonJson>(answer, `${base}...${head}`);
      const { files, truncated, commits, ...rest } = body;
      const expected = await gitComparison(made.dir, base!, head!);
      expect({ ...rest, commits: commits.map((c) => c.sha) }).toEqual({ ...expected, commits: expected.commits.slice(0, 250) });
      const range = `${base}...${head}`;
      expect(ourFiles(files)).toEqual(await gitFiles(made.dir, range));
      const patches = await gitPatches(made.dir, range);
      const kept = files.filter((f) => typeof f.patch === 'string');
      expect(kept.map((f) => f.patch)).toEqual(patches.slice(0, kept.length));
      expect(truncated).toBe(kept.length < files.length);
    }
  });
});
