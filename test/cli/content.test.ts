/**
 * The content commands as users run them: `node bin/grove.js …` as a child
 * process (asynchronous: the server answers from this process) against a
 * Grove server started in-process on 127.0.0.1, on a repository pushed with
 * the real `git` CLI. Text output is compared with what git prints for the
 * same repository (`git log`, `git show`, `git ls-tree -l`, `git diff -M`,
 * `git grep -n`, `git notes show`); `--json` with the SDK's answers; exit
 * codes (0; 1 for the server's refusals and for a grep without match; 2 for
 * usage errors) and the one-line error on stderr; `cat` byte for byte; the
 * archive extracted with `tar`; writes fetched back with git, fsck-clean.
 * Progress bars are drawn only on a terminal: on these pipes stderr stays empty.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/node/startServer.ts';
import { expectFsckClean, git, gitOut } from '../support/git.ts';
import { tempDir, useTempDir } from '../support/tempDir.ts';

const BIN = resolve(import.meta.dirname, '../../bin/grove.js');
const ADMIN = 'cli-content-admin-token';
const BINARY = Buffer.concat([Buffer.from([0, 1, 2, 255, 0]), randomBytes(5000)]);

let server: RunningServer;
let remote: string;
let repoToken: string;
const data = tempDir('grove-cli-content-data-');
const work = useTempDir('grove-cli-content-work-');
const local = join(work, 'local');

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs `grove <args>` with GROVE_URL and GROVE_TOKEN set for the test server; stdout as bytes. */
function groveRaw(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const fullEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ PATH: process.env['PATH'], HOME: work, GROVE_URL: server.url, GROVE_TOKEN: ADMIN, ...env })) {
    if (value !== undefined) fullEnv[key] = value;
  }
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'], cwd: work });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout: Buffer.concat(stdout), stderr }));
  });
}

/** Runs and expects exit 0 with nothing on stderr; returns stdout. */
async function ok(args: string[], env: Record<string, string | undefined> = {}): Promise<string> {
  const run = await groveRaw(args, env);
  expect({ code: run.code, stderr: run.stderr }, `grove ${args.join(' ')}`).toEqual({ code: 0, stderr: '' });
  return run.stdout.toString('utf8');
}

async function okJson<T = Record<string, unknown>>(args: string[]): Promise<T> {
  return JSON.parse(await ok([...args, '--json'])) as T;
}

/** Runs and expects `exit` with exactly one `grove: <CODE>: …` line on stderr and nothing on stdout. */
async function fails(args: string[], exit: number, code: string, env: Record<string, string | undefined> = {}): Promise<string> {
  const run = await groveRaw(args, env);
  expect(run.code, `grove ${args.join(' ')}: ${run.stderr}`).toBe(exit);
  expect(run.stdout.toString()).toBe('');
  expect(run.stderr).toMatch(new RegExp(`^grove: ${code}: [^\\n]+\\n$`));
  return run.stderr;
}

/** git's stdout, untrimmed, in the local clone. */
async function gitText(args: string[]): Promise<string> {
  return (await git(args, { cwd: local })).stdout;
}

function write(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(join(local, path)), { recursive: true });
  writeFileSync(join(local, path), content);
}

async function commitAll(message: string, hours: number): Promise<void> {
  const date = `${1_700_000_000 + hours * 3600} -0500`;
  await git(['add', '-A'], { cwd: local });
  await git(['commit', '--quiet', '-m', message], { cwd: local, env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
}

async function fetchBranch(branch: string): Promise<string> {
  await git(['fetch', '--quiet', remote, `+refs/heads/${branch}:refs/remotes/grove/${branch}`], { cwd: local, token: repoToken });
  return gitOut(['rev-parse', `refs/remotes/grove/${branch}`], { cwd: local });
}

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, dataDir: data.dir, adminToken: ADMIN });
  const response = await fetch(`${server.url}/v1/namespaces/cli/repos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'content' }),
  });
  const created = (await response.json()) as { remote: string; token: string };
  remote = created.remote;
  repoToken = created.token;

  await git(['init', '--quiet', '-b', 'main', local]);
  write('README.md', 'hello\nworld\n');
  write('src/app.ts', 'export const app = 1;\n// TODO: app\n');
  write('docs/guide.md', ['# Guide', '', 'one', 'two', 'three', 'four', 'five', ''].join('\n'));
  write('assets/logo.bin', BINARY);
  await commitAll('Initial files', 1);
  write('README.md', 'hello\nbrave new\nworld\n');
  write('src/util.ts', 'export const util = 2; // todo: util\n');
  await commitAll('Edit README\n\nAnd add util.', 2);
  await git(['checkout', '--quiet', '-b', 'topic/login'], { cwd: local });
  write('src/login.ts', 'export function login() {\n  // TODO: login\n}\n');
  write('README.md', 'hello\nbrave new\nworld\nwith login\n');
  await commitAll('Add login', 3);
  await git(['checkout', '--quiet', 'main'], { cwd: local });
  await git(['mv', 'docs/guide.md', 'docs/manual.md'], { cwd: local });
  await commitAll('Rename the guide', 4);
  await git(['push', '--quiet', remote, 'refs/heads/*:refs/heads/*'], { cwd: local, token: repoToken });
});

afterAll(async () => {
  await server.close();
  data.remove();
});

describe('grove log', () => {
  it('prints what git log prints, one page or --all, and the page as JSON', async () => {
    expect(await ok(['log', 'cli/content'])).toBe(await gitText(['log', 'main']));
    expect(await ok(['log', 'cli/content', '--ref', 'topic/login', '--path', 'src'])).toBe(await gitText(['log', 'topic/login', '--', 'src']));
    expect(await ok(['log', 'cli/content', '--oneline'])).toBe(await gitText(['log', '--oneline', '--no-decorate', 'main']));

    const first = await groveRaw(['log', 'cli/content', '--limit', '1']);
    expect(first.code).toBe(0);
    expect(first.stdout.toString()).toBe(await gitText(['log', '-1', 'main']));
    expect(first.stderr).toMatch(/^more: pass --cursor \S+ for the next page, or --all\n$/);
    expect(await ok(['log', 'cli/content', '--limit', '1', '--all'])).toBe(await gitText(['log', 'main']));

    const page = await okJson<{ commits: Array<{ sha: string; message: string }>; next_cursor: string | null }>(['log', 'cli/content', '--limit', '2']);
    expect(page.commits.map((c) => c.sha)).toEqual((await gitOut(['rev-list', '-2', 'main'], { cwd: local })).split('\n'));
    expect(page.next_cursor).toEqual(expect.any(String));
    const all = await okJson<{ commits: unknown[]; next_cursor: null }>(['log', 'cli/content', '--limit', '1', '--all']);
    expect([all.commits.length, all.next_cursor]).toEqual([3, null]);
  });

  it('fails with the server code, and with USAGE for a bad argument', async () => {
    await fails(['log', 'cli/content', '--ref', 'no-such-branch'], 1, 'NOT_FOUND');
    await fails(['log', 'cli/missing'], 1, 'NOT_FOUND');
    await fails(['log', 'not-a-repo-name'], 2, 'USAGE');
    await fails(['log', 'cli/content', '--limit', 'zero'], 2, 'USAGE');
    const read = await fails(['log', 'cli/content'], 1, 'UNAUTHORIZED', { GROVE_TOKEN: '' });
    expect(read).toContain('--token');
  });
});

describe('grove show', () => {
  it('prints what git show prints, with --stat the diffstat, and the commit as JSON', async () => {
    expect(await ok(['show', 'cli/content', 'main'])).toBe(await gitText(['show', '-M', 'main']));
    expect(await ok(['show', 'cli/content', 'main~1'])).toBe(await gitText(['show', 'main~1']));
    const stat = await ok(['show', 'cli/content', 'main~1', '--stat']);
    expect(stat).toBe(`${(await gitText(['log', '-1', 'main~1']))}---\n README.md   | 1 +\n src/util.ts | 1 +\n 2 files changed, 2 insertions(+)\n`);
    const both = await ok(['show', 'cli/content', 'main~1', '--stat', '--patch']);
    expect(both).toContain('2 files changed');
    expect(both).toContain('diff --git a/README.md b/README.md');
    const json = await okJson<{ sha: string; files: Array<{ path: string; status: string }>; patch?: string }>(['show', 'cli/content', 'main', '--stat']);
    expect(json.sha).toBe(await gitOut(['rev-parse', 'main'], { cwd: local }));
    expect(json.files).toEqual([expect.objectContaining({ path: 'docs/manual.md', status: 'renamed' })]);
    expect(json.patch).toBeUndefined();
    await fails(['show', 'cli/content', 'f'.repeat(40)], 1, 'NOT_FOUND');
  });
});

describe('grove diff', () => {
  it('prints the patch of git diff -M base...head, or its stat, or the comparison as JSON', async () => {
    expect(await ok(['diff', 'cli/content', 'main...topic/login'])).toBe(await gitText(['diff', '-M', 'main...topic/login']));
    expect(await ok(['diff', 'cli/content', 'topic/login...main'])).toBe(await gitText(['diff', '-M', 'topic/login...main']));
    expect(await ok(['diff', 'cli/content', 'main...topic/login', '--stat'])).toBe(' README.md    | 1 +\n src/login.ts | 3 +++\n 2 files changed, 4 insertions(+)\n');
    const json = await okJson<{ ahead_by: number; behind_by: number; merge_base_sha: string }>(['diff', 'cli/content', 'main...topic/login']);
    expect(json).toMatchObject({ ahead_by: 1, behind_by: 1, merge_base_sha: await gitOut(['merge-base', 'main', 'topic/login'], { cwd: local }) });
    await fails(['diff', 'cli/content', 'main..topic/login'], 2, 'USAGE');
    await fails(['diff', 'cli/content', 'main...nope'], 1, 'NOT_FOUND');
  });
});

describe('grove ls', () => {
  it('lists as git ls-tree -l, at the root, in a folder, recursively, and as JSON', async () => {
    expect(await ok(['ls', 'cli/content'])).toBe(await gitText(['ls-tree', '-l', 'HEAD']));
    expect(await ok(['ls', 'cli/content', 'topic/login', 'src'])).toBe(await gitText(['ls-tree', '-l', 'topic/login', 'src/']));
    expect(await ok(['ls', 'cli/content', 'main', '-r'])).toBe(await gitText(['ls-tree', '-r', '-l', 'main']));
    const tree = await okJson<{ sha: string; entries: Array<{ path: string }> }>(['ls', 'cli/content', 'main', 'docs']);
    expect(tree.sha).toBe(await gitOut(['rev-parse', 'main:docs'], { cwd: local }));
    expect(tree.entries.map((e) => e.path)).toEqual(['docs/manual.md']);
    await fails(['ls', 'cli/content', 'main', 'nowhere'], 1, 'NOT_FOUND');
  });
});

describe('grove cat', () => {
  it('writes the bytes git show gives, a binary file byte for byte', async () => {
    const binary = await groveRaw(['cat', 'cli/content', 'main', 'assets/logo.bin']);
    expect([binary.code, binary.stderr]).toEqual([0, '']);
    expect(binary.stdout.equals(BINARY)).toBe(true);
    expect(await ok(['cat', 'cli/content', 'topic/login', 'README.md'])).toBe(await gitText(['show', 'topic/login:README.md']));
    await fails(['cat', 'cli/content', 'main', 'missing.txt'], 1, 'NOT_FOUND');
    await fails(['cat', 'cli/content', 'main', 'src'], 1, 'BAD_REQUEST');
  });
});

describe('grove grep', () => {
  it('prints what git grep -n prints in a work tree, with -i, -E, -C and pathspecs', async () => {
    await git(['checkout', '--quiet', 'topic/login'], { cwd: local });
    try {
      const gitGrep = async (args: string[]): Promise<string> => (await git(['grep', '-n', ...args], { cwd: local, allowFailure: true })).stdout;
      expect(await ok(['grep', 'cli/content', 'TODO', '--ref', 'topic/login'])).toBe(await gitGrep(['TODO']));
      expect(await ok(['grep', 'cli/content', 'todo', '-i', '--ref', 'topic/login'])).toBe(await gitGrep(['-i', 'todo']));
      expect(await ok(['grep', 'cli/content', '(two|four)', '-E', '-C', '1', '--ref', 'topic/login'])).toBe(await gitGrep(['-E', '-C', '1', '(two|four)']));
      expect(await ok(['grep', 'cli/content', 'export', '--ref', 'topic/login', '--', 'src/*.ts', ':!src/app.ts'])).toBe(await gitGrep(['export', '--', 'src/*.ts', ':!src/app.ts']));
      expect(await ok(['grep', 'cli/content', 'e', '--ref', 'topic/login'])).toBe(await gitGrep(['e']));
      expect(await ok(['grep', 'cli/content', 'e', '-C', '1', '--ref', 'topic/login'])).toBe(await gitGrep(['-C', '1', 'e']));
      const json = await okJson<{ matches: Array<{ path: string; line_number: number }>; skipped: unknown[] }>(['grep', 'cli/content', 'TODO', '--ref', 'topic/login']);
      expect(json.matches.map((m) => `${m.path}:${m.line_number}`)).toEqual(['src/app.ts:2', 'src/login.ts:2']);
      expect(json.skipped).toEqual([]);
    } finally {
      await git(['checkout', '--quiet', 'main'], { cwd: local });
    }
  });

  it('exits 1 with no output when nothing matches, as git grep does; 1 with the code on a bad regex', async () => {
    const none = await groveRaw(['grep', 'cli/content', 'absent-word']);
    expect([none.code, none.stdout.toString(), none.stderr]).toEqual([1, '', '']);
    await fails(['grep', 'cli/content', '(a)\\1', '-E'], 1, 'BAD_REQUEST');
  });
});

describe('grove archive', () => {
  it('writes a tar.gz that tar extracts to the tree of the revision, and a zip', async () => {
    const out = join(work, 'main.tar.gz');
    expect(await ok(['archive', 'cli/content', 'main', '-o', out])).toMatch(/^wrote .*main\.tar\.gz \(\d+(\.\d)? (B|KiB)\)\n$/);
    const extracted = join(work, 'extracted');
    mkdirSync(extracted);
    await run('tar', ['-xzf', out, '-C', extracted]);
    const short = (await gitOut(['rev-parse', 'main'], { cwd: local })).slice(0, 7);
    const [top] = (await run('ls', [extracted])).trim().split('\n');
    expect(top).toMatch(new RegExp(`^content-${short}`));
    expect(readFileSync(join(extracted, top!, 'assets/logo.bin')).equals(BINARY)).toBe(true);
    expect(readFileSync(join(extracted, top!, 'docs/manual.md'), 'utf8')).toBe(await gitText(['show', 'main:docs/manual.md']));

    const json = await okJson<{ file: string; bytes: number; format: string }>(['archive', 'cli/content', 'topic/login', '--format', 'zip', '-o', join(work, 'login.zip')]);
    expect(json).toMatchObject({ file: join(work, 'login.zip'), format: 'zip' });
    expect(readFileSync(join(work, 'login.zip')).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(readFileSync(join(work, 'login.zip')).length).toBe(json.bytes);

    const piped = await groveRaw(['archive', 'cli/content', 'main', '-o', '-']);
    expect([piped.code, piped.stderr, piped.stdout.subarray(0, 2).toString('hex')]).toEqual([0, '', '1f8b']);
    expect(await ok(['archive', 'cli/content', 'main'])).toMatch(new RegExp(`^wrote content-${short}[0-9a-f]*\\.tar\\.gz `));
    await fails(['archive', 'cli/content', 'main', '--format', 'rar'], 2, 'USAGE');
    await fails(['archive', 'cli/content', 'nope'], 1, 'NOT_FOUND');
  });
});

function run(command: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`${command} exited ${code}: ${err}`))));
  });
}

describe('grove commit', () => {
  it('commits puts, deletes and moves in one commit that git fetches, fsck-clean', async () => {
    const head = await gitOut(['rev-parse', 'main'], { cwd: local });
    const note = join(work, 'note.txt');
    const script = join(work, 'run.sh');
    writeFileSync(note, 'a note\n');
    writeFileSync(script, '#!/bin/sh\necho hi\n');
    chmodSync(script, 0o755);
    const text = await ok(['commit', 'cli/content', '--branch', 'main', '-m', 'From the CLI', '--put', `notes/today.txt=${note}`, '--put', `bin/run.sh=${script}`,
      '--delete', 'src/app.ts', '--move', 'docs/manual.md=docs/book.md', '--expected-head', head, '--author', 'Cli User <cli@example.com>']);
    const sha = await fetchBranch('main');
    expect(text).toBe(`[main ${sha.slice(0, 7)}] From the CLI\n`);
    await expectFsckClean(local);
    expect(await gitText(['ls-tree', '-r', '--name-only', sha])).toBe('README.md\nassets/logo.bin\nbin/run.sh\ndocs/book.md\nnotes/today.txt\nsrc/util.ts\n');
    expect(await gitOut(['ls-tree', sha, 'bin/run.sh'], { cwd: local })).toMatch(/^100755 blob /);
    expect(await gitOut(['log', '-1', '--format=%an <%ae>|%P', sha], { cwd: local })).toBe(`Cli User <cli@example.com>|${head}`);

    const stale = await fails(['commit', 'cli/content', '--branch', 'main', '-m', 'late', '--delete', 'README.md', '--expected-head', head], 1, 'REF_CONFLICT');
    expect(stale).toContain('main');
    expect(await fetchBranch('main')).toBe(sha);
  });

  it('streams a big single file through the upload route, and prints the commit as JSON', async () => {
    // 2 MiB is past the 1 MiB JSON body limit: only the streamed upload can carry it.
    const big = randomBytes(2 * 1024 * 1024);
    const file = join(work, 'big.bin');
    writeFileSync(file, big);
    const written = await okJson<{ sha: string; branch: string; message: string }>(['commit', 'cli/content', '--branch', 'uploads', '--start-from', 'main', '-m', 'Big upload', '--put', `data/big.bin=${file}`]);
    expect(written).toMatchObject({ branch: 'uploads', message: 'Big upload\n' });
    expect(await fetchBranch('uploads')).toBe(written.sha);
    expect(await gitOut(['rev-parse', `${written.sha}:data/big.bin`], { cwd: local })).toBe(await gitOut(['hash-object', file], { cwd: local }));
    const back = await groveRaw(['cat', 'cli/content', 'uploads', 'data/big.bin']);
    expect(back.stdout.equals(big)).toBe(true);
  });

  it('refuses bad command lines with USAGE (exit 2) and bad paths with BAD_REQUEST (exit 1)', async () => {
    await fails(['commit', 'cli/content', '--branch', 'main', '-m', 'nothing'], 2, 'USAGE');
    await fails(['commit', 'cli/content', '-m', 'no branch', '--delete', 'x'], 2, 'USAGE');
    await fails(['commit', 'cli/content', '--branch', 'main', '-m', 'x', '--put', 'no-equals-sign'], 2, 'USAGE');
    await fails(['commit', 'cli/content', '--branch', 'main', '-m', 'x', '--put', `a.txt=${join(work, 'missing-file')}`], 2, 'USAGE');
    await fails(['commit', 'cli/content', '--branch', 'main', '-m', 'x', '--author', 'no email', '--delete', 'x'], 2, 'USAGE');
    const note = join(work, 'note.txt');
    await fails(['commit', 'cli/content', '--branch', 'main', '-m', 'x', '--put', `../escape.txt=${note}`], 1, 'BAD_REQUEST');
  });

  it('is refused to a read token with FORBIDDEN', async () => {
    const minted = await fetch(`${server.url}/v1/namespaces/cli/repos/content/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'read' }),
    });
    const { token } = (await minted.json()) as { token: string };
    expect(await ok(['ls', 'cli/content'], { GROVE_TOKEN: token })).toContain('README.md');
    await fails(['commit', 'cli/content', '--branch', 'main', '-m', 'x', '--delete', 'README.md'], 1, 'FORBIDDEN', { GROVE_TOKEN: token });
  });
});

describe('grove revert and restore', () => {
  it('reverts a commit, reports MERGE_CONFLICT, and restores an earlier tree as a new commit', async () => {
    const before = await fetchBranch('main');
    const reverted = await ok(['revert', 'cli/content', 'main', '--branch', 'main']);
    const sha = await fetchBranch('main');
    expect(reverted).toBe(`[main ${sha.slice(0, 7)}] Revert "From the CLI"\n`);
    expect(await gitOut(['rev-parse', `${sha}^{tree}`], { cwd: local })).toBe(await gitOut(['rev-parse', `${before}~1^{tree}`], { cwd: local }));

    const file = join(work, 'readme.txt');
    writeFileSync(file, 'replaced entirely\n');
    await ok(['commit', 'cli/content', '--branch', 'main', '-m', 'Rewrite README', '--put', `README.md=${file}`]);
    const conflict = await fails(['revert', 'cli/content', 'main~4', '--branch', 'main'], 1, 'MERGE_CONFLICT');
    expect(conflict).toContain('README');

    const first = (await gitOut(['rev-list', '--max-parents=0', 'main'], { cwd: local }));
    const restored = await okJson<{ sha: string; tree: string; message: string }>(['restore', 'cli/content', first, '--branch', 'main', '-m', 'Back to the start']);
    expect(restored.tree).toBe(await gitOut(['rev-parse', `${first}^{tree}`], { cwd: local }));
    expect(restored.message).toBe('Back to the start\n');
    expect(await fetchBranch('main')).toBe(restored.sha);
    await fails(['restore', 'cli/content', 'nope', '--branch', 'main'], 1, 'NOT_FOUND');
    await fails(['restore', 'cli/content', first], 2, 'USAGE');
  });
});

describe('grove notes', () => {
  it('adds notes git notes show reads, shows notes git wrote, lists and removes them', async () => {
    const head = await fetchBranch('main');
    expect(await ok(['notes', 'add', 'cli/content', head, '-m', 'checked by the CLI'])).toBe(`wrote note of ${head} in refs/notes/commits\n`);
    await git(['fetch', '--quiet', remote, '+refs/notes/*:refs/notes/*'], { cwd: local, token: repoToken });
    expect(await gitText(['notes', 'show', head])).toBe('checked by the CLI\n');
    expect(await ok(['notes', 'show', 'cli/content', head])).toBe('checked by the CLI\n');
    expect(await ok(['notes', 'list', 'cli/content'])).toBe(await gitText(['notes', 'list']));

    const other = await gitOut(['rev-parse', 'topic/login'], { cwd: local });
    await git(['notes', '--ref', 'review', 'add', '-m', 'from git\n\nsecond paragraph', other], { cwd: local });
    await git(['push', '--quiet', remote, 'refs/notes/review'], { cwd: local, token: repoToken });
    expect(await ok(['notes', 'show', 'cli/content', 'topic/login', '--ref', 'review'])).toBe(await gitText(['notes', '--ref', 'review', 'show', other]));
    const file = join(work, 'note.bin');
    writeFileSync(file, Buffer.from([0xff, 0xfe, 0x41]));
    await ok(['notes', 'add', 'cli/content', other, '-F', file, '--ref', 'review']);
    expect((await groveRaw(['notes', 'show', 'cli/content', other, '--ref', 'review'])).stdout.equals(Buffer.from([0xff, 0xfe, 0x41]))).toBe(true);
    const json = await okJson<{ object: string; notes_ref: string; content_base64: string }>(['notes', 'show', 'cli/content', other, '--ref', 'review']);
    expect(json).toMatchObject({ object: other, notes_ref: 'refs/notes/review', content_base64: '//5B' });

    expect(await ok(['notes', 'remove', 'cli/content', head])).toBe(`removed note of ${head} in refs/notes/commits\n`);
    await fails(['notes', 'show', 'cli/content', head], 1, 'NOT_FOUND');
    await fails(['notes', 'remove', 'cli/content', head], 1, 'NOT_FOUND');
    await fails(['notes', 'add', 'cli/content', head], 2, 'USAGE');
    expect(await okJson(['notes', 'list', 'cli/content'])).toEqual({ notes: [], next_cursor: null });
  });
});
