/**
 * `client.repo(ns, name)` against a real Grove server started in this process
 * on 127.0.0.1, on a repository pushed with the real `git` CLI: what each
 * method answers equals what git says of the same history (log vs `git log`,
 * tree vs `git ls-tree -l`, file vs `git show`, compare vs `git diff -M`,
 * notes vs `git notes show`, grep vs `git grep`), writes land where `git
 * fetch` sees them with `git fsck --strict` clean, and the server's error
 * codes arrive as GroveApiError codes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../runtime/node/startServer.ts';
import { expectFsckClean, git, gitOut } from '../../test/support/git.ts';
import { tempDir, useTempDir } from '../../test/support/tempDir.ts';
import { GroveApiError } from './GroveApiError.ts';
import { GroveClient } from './GroveClient.ts';
import type { RepoContentApi } from './RepoContentApi.ts';
import type { Commit, RepoWithToken } from './types.ts';

const ADMIN = 'sdk-content-admin-token';
const BINARY = new Uint8Array(randomBytes(3000));
BINARY[10] = 0;

let server: RunningServer;
let client: GroveClient;
let created: RepoWithToken;
let repo: RepoContentApi;
const data = tempDir('grove-sdk-content-');
const work = useTempDir('grove-sdk-content-work-');
const local = join(work, 'local');

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, dataDir: data.dir, adminToken: ADMIN });
  client = new GroveClient({ url: server.url, token: ADMIN });
  created = await client.repos.create('sdk', { name: 'content' });
  await pushFixture(local, created);
  repo = client.repo('sdk', 'content');
});

afterAll(async () => {
  await server.close();
  data.remove();
});

function write(dir: string, path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

/** Commits everything in `dir` at `seconds` past 1,700,000,000 (distinct dates, so --since has something to cut). */
async function commitAll(dir: string, message: string, seconds: number): Promise<void> {
  const date = `${1_700_000_000 + seconds * 3600} +0200`;
  await git(['add', '-A'], { cwd: dir });
  await git(['commit', '--quiet', '-m', message], { cwd: dir, env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
}

/**
 * main: add files → edit README, add src/b.ts → rename docs/guide.md to docs/manual.md, delete src/a.ts;
 * topic/login branches at the second commit and adds src/login.ts; tag v1 (annotated) on the first.
 */
async function pushFixture(dir: string, target: RepoWithToken): Promise<void> {
  await git(['init', '--quiet', '-b', 'main', dir]);
  write(dir, 'README.md', 'hello\nworld\n');
  write(dir, 'src/a.ts', 'export const a = 1;\n// TODO: remove a\n');
  write(dir, 'docs/guide.md', ['# Guide', '', 'line one', 'line two', 'line three', 'line four', ''].join('\n'));
  write(dir, 'bin/logo.png', BINARY);
  await commitAll(dir, 'Initial files', 1);
  await git(['tag', '-a', 'v1', '-m', 'version one'], { cwd: dir });
  write(dir, 'README.md', 'hello\nbrave new\nworld\n');
  write(dir, 'src/b.ts', 'export const b = 2; // todo: b\n');
  await commitAll(dir, 'Edit README\n\nAnd add b.', 2);
  await git(['checkout', '--quiet', '-b', 'topic/login'], { cwd: dir });
  write(dir, 'src/login.ts', 'export function login() {\n  // TODO: login\n}\n');
  await commitAll(dir, 'Add login', 3);
  await git(['checkout', '--quiet', 'main'], { cwd: dir });
  await git(['mv', 'docs/guide.md', 'docs/manual.md'], { cwd: dir });
  write(dir, 'docs/manual.md', ['# Manual', '', 'line one', 'line two', 'line three', 'line four', ''].join('\n'));
  await git(['rm', '--quiet', 'src/a.ts'], { cwd: dir });
  await commitAll(dir, 'Rename guide, drop a', 4);
  await git(['push', '--quiet', target.remote, 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*'], { cwd: dir, token: target.token });
}

async function caught(promise: Promise<unknown>): Promise<GroveApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof GroveApiError) return err;
    throw err;
  }
  throw new Error('expected a GroveApiError');
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** `git log --format` of the fields the API gives, one commit a line. */
async function gitLog(dir: string, args: string[]): Promise<string[]> {
  const out = await gitOut(['log', '--format=%H %T %P|%an|%ae|%aI|%cn|%ce|%cI', ...args], { cwd: dir });
  return out === '' ? [] : out.split('\n');
}

function logLine(c: Commit): string {
  return `${c.sha} ${c.tree} ${c.parents.join(' ')}|${c.author.name}|${c.author.email}|${c.author.date}|${c.committer.name}|${c.committer.email}|${c.committer.date}`;
}

/** Fetches the server's branch into the local clone and returns its head. */
async function fetchHead(branch: string): Promise<string> {
  await git(['fetch', '--quiet', created.remote, `+refs/heads/${branch}:refs/remotes/grove/${branch}`], { cwd: local, token: created.token });
  return gitOut(['rev-parse', `refs/remotes/grove/${branch}`], { cwd: local });
}

describe('refs', () => {
  it('lists, gets, creates, moves with compare-and-swap and deletes', async () => {
    const main = await gitOut(['rev-parse', 'main'], { cwd: local });
    const first = await gitOut(['rev-parse', 'main~2'], { cwd: local });
    const { refs } = await repo.refs.list();
    const shown = await gitOut(['for-each-ref', '--format=%(objectname) %(refname)'], { cwd: local });
    expect(refs.filter((r) => r.name !== 'HEAD').map((r) => `${r.sha} ${r.name}`).join('\n')).toBe(shown);
    expect(refs.find((r) => r.name === 'HEAD')).toEqual({ name: 'HEAD', sha: main, target: 'refs/heads/main' });
    expect((await repo.refs.get('refs/tags/v1')).peeled).toBe(first);
    expect((await repo.refs.list({ prefix: 'refs/heads/' })).refs.map((r) => r.name)).toEqual(['refs/heads/main', 'refs/heads/topic/login']);

    expect(await repo.refs.create({ name: 'refs/heads/sdk-tmp', sha: first })).toEqual({ name: 'refs/heads/sdk-tmp', sha: first });
    expect((await caught(repo.refs.create({ name: 'refs/heads/sdk-tmp', sha: first }))).code).toBe('ALREADY_EXISTS');
    const lost = await caught(repo.refs.update('refs/heads/sdk-tmp', { sha: main, expected_sha: main }));
    expect([lost.status, lost.code]).toEqual([409, 'REF_CONFLICT']);
    expect((await repo.refs.update('refs/heads/sdk-tmp', { sha: main, expected_sha: first })).sha).toBe(main);
    await repo.refs.delete('refs/heads/sdk-tmp', { expected_sha: main });
    expect((await caught(repo.refs.get('refs/heads/sdk-tmp'))).code).toBe('NOT_FOUND');
  });
});

describe('history', () => {
  it('log and iterateLog list what git log lists, with path, first_parent and since', async () => {
    const page = await repo.log();
    expect(page.commits.map(logLine)).toEqual(await gitLog(local, ['main']));
    expect(page.next_cursor).toBeNull();
    expect(page.commits[1]!.message).toBe('Edit README\n\nAnd add b.\n');

    const paged = await collect(repo.iterateLog({ ref: 'topic/login', limit: 1 }));
    expect(paged.map(logLine)).toEqual(await gitLog(local, ['topic/login']));
    const twoPages = await repo.log({ ref: 'topic/login', limit: 2 });
    expect(twoPages.next_cursor).toEqual(expect.any(String));

    expect((await repo.log({ path: 'README.md' })).commits.map(logLine)).toEqual(await gitLog(local, ['main', '--', 'README.md']));
    expect((await repo.log({ path: 'src' })).commits.map(logLine)).toEqual(await gitLog(local, ['main', '--', 'src']));
    expect((await repo.log({ since: 1_700_000_000 + 2 * 3600 })).commits.map(logLine)).toEqual(await gitLog(local, ['main', `--since=${1_700_000_000 + 2 * 3600}`]));
    expect((await caught(repo.log({ ref: 'no-such-branch' }))).code).toBe('NOT_FOUND');
  });

  it('commit shows the stat and patch git show shows', async () => {
    const sha = await gitOut(['rev-parse', 'main'], { cwd: local });
    const plain = await repo.commit('main');
    expect(plain.sha).toBe(sha);
    expect(plain.files).toBeUndefined();
    const detail = await repo.commit(sha, { stat: true, patch: true });
    const numstat = (await gitOut(['show', '--format=', '--numstat', '-M', sha], { cwd: local })).split('\n');
    expect(detail.files!.map((f) => `${f.additions}\t${f.deletions}\t${f.old_path !== null && f.old_path !== f.path ? `docs/{guide.md => manual.md}` : f.path}`)).toEqual(numstat);
    expect(detail.files!.map((f) => f.status).sort()).toEqual(['deleted', 'renamed']);
    expect(detail.stats).toEqual({ files: 2, additions: 1, deletions: 3 });
    expect(detail.patch).toBe((await git(['show', '--format=', '-p', '-M', sha], { cwd: local })).stdout.replace(/^\n/, ''));
    expect(detail.patch_truncated).toBe(false);
    expect((await caught(repo.commit('0'.repeat(40)))).code).toBe('NOT_FOUND');
  });

  it('compare answers git merge-base, rev-list --count and diff -M, sides with slashes included', async () => {
    const result = await repo.compare('main', 'topic/login');
    expect(result.merge_base_sha).toBe(await gitOut(['merge-base', 'main', 'topic/login'], { cwd: local }));
    expect(result.ahead_by).toBe(Number(await gitOut(['rev-list', '--count', 'main..topic/login'], { cwd: local })));
    expect(result.behind_by).toBe(Number(await gitOut(['rev-list', '--count', 'topic/login..main'], { cwd: local })));
    expect(result.commits.map((c) => c.message)).toEqual(['Add login\n']);
    expect(result.files.map((f) => f.patch).join('')).toBe((await git(['diff', '-M', 'main...topic/login'], { cwd: local })).stdout);
    const reverse = await repo.compare('v1', 'main', { patch: false });
    expect(reverse.files.every((f) => !('patch' in f))).toBe(true);
    expect(reverse.files.map((f) => `${f.status} ${f.path}`).sort()).toEqual(['added src/b.ts', 'deleted src/a.ts', 'modified README.md', 'renamed docs/manual.md']);
    expect((await caught(repo.compare('main', 'nope'))).code).toBe('NOT_FOUND');
  });
});

describe('trees and files', () => {
  it('tree lists what git ls-tree -l lists, recursively too', async () => {
    const lsTree = async (args: string[]): Promise<string[]> => (await gitOut(['ls-tree', '-l', ...args], { cwd: local })).split('\n');
    const asLsTree = (e: { mode: string; type: string; sha: string; size?: number; path: string }): string =>
      `${e.mode} ${e.type} ${e.sha} ${String(e.size ?? '-').padStart(7)}\t${e.path}`;
    const root = await repo.tree('main');
    expect(root.path).toBe('');
    expect(root.sha).toBe(await gitOut(['rev-parse', 'main^{tree}'], { cwd: local }));
    expect(root.entries.map(asLsTree)).toEqual(await lsTree(['main']));
    expect((await repo.tree('main', { path: 'src' })).entries.map(asLsTree)).toEqual(await lsTree(['main', 'src/']));
    expect((await repo.tree('v1', { recursive: true })).entries.map(asLsTree)).toEqual(await lsTree(['-r', 'v1']));
    expect((await caught(repo.tree('main', { path: 'nowhere' }))).code).toBe('NOT_FOUND');
  });

  it('file streams the bytes git show gives, with type, ETag, size, ranges and 304', async () => {
    const file = await repo.file('main', 'bin/logo.png');
    expect(file.status).toBe(200);
    expect(file.size).toBe(BINARY.length);
    const blobId = await gitOut(['rev-parse', 'main:bin/logo.png'], { cwd: local });
    expect(file.etag).toBe(`"${blobId}"`);
    const chunks: Uint8Array[] = [];
    for await (const chunk of file.body) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(Buffer.from(BINARY))).toBe(true);

    const readme = await repo.file('topic/login', 'README.md');
    expect(readme.contentType).toMatch(/^text\/markdown|^text\/plain/);
    expect(await readme.text()).toBe(await gitOut(['show', 'topic/login:README.md'], { cwd: local }) + '\n');

    const part = await repo.file('main', 'bin/logo.png', { range: { start: 100, end: 199 } });
    expect([part.status, part.size, part.range]).toEqual([206, BINARY.length, { start: 100, end: 199 }]);
    expect(Buffer.from(await part.bytes()).equals(Buffer.from(BINARY.subarray(100, 200)))).toBe(true);
    const tail = await repo.file('main', 'bin/logo.png', { range: { suffix: 10 } });
    expect(Buffer.from(await tail.bytes()).equals(Buffer.from(BINARY.subarray(-10)))).toBe(true);

    const again = await repo.file('main', 'bin/logo.png', { ifNoneMatch: file.etag! });
    expect(again.notModified).toBe(true);
    expect((await again.bytes()).length).toBe(0);

    const bad = await caught(repo.file('main', 'bin/logo.png', { range: { start: BINARY.length + 5 } }));
    expect([bad.status, bad.code]).toEqual([416, 'RANGE_NOT_SATISFIABLE']);
    expect((await caught(repo.file('main', 'missing.txt'))).code).toBe('NOT_FOUND');
    expect((await caught(repo.file('main', 'src'))).code).toBe('BAD_REQUEST');
    expect((await caught(repo.file('main', '../etc/passwd'))).code).toBe('BAD_REQUEST');
  });

  it('blob reads an object by id', async () => {
    const sha = await gitOut(['rev-parse', 'v1:src/a.ts'], { cwd: local });
    const blob = await repo.blob(sha);
    expect(blob.contentType).toBe('application/octet-stream');
    expect(await blob.text()).toBe(`${await gitOut(['cat-file', 'blob', sha], { cwd: local })}\n`);
    expect((await caught(repo.blob('1'.repeat(40)))).code).toBe('NOT_FOUND');
  });

  it('archive streams a tar.gz that tar extracts to the tree, and a zip', async () => {
    const archive = await repo.archive('main');
    expect(archive.contentType).toBe('application/gzip');
    const short = (await gitOut(['rev-parse', 'main'], { cwd: local })).slice(0, 7);
    expect(archive.filename).toMatch(new RegExp(`^content-${short}[0-9a-f]*\\.tar\\.gz$`));
    const file = join(work, 'main.tar.gz');
    writeFileSync(file, await archive.bytes());
    const listed = (await runTar(['-tzf', file])).split('\n').filter((l) => !l.endsWith('/') && l !== '').map((l) => l.replace(/^[^/]+\//, '')).sort();
    expect(listed).toEqual((await gitOut(['ls-tree', '-r', '--name-only', 'main'], { cwd: local })).split('\n').sort());
    const zip = await repo.archive('v1', 'zip');
    const bytes = await zip.bytes();
    expect([zip.contentType, bytes[0], bytes[1]]).toEqual(['application/zip', 0x50, 0x4b]);
    expect((await caught(repo.archive('nope'))).code).toBe('NOT_FOUND');
  });
});

async function runTar(args: string[]): Promise<string> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`tar exited ${code}`))));
  });
}

describe('writes', () => {
  it('commitFiles makes one commit that git fetches, fsck-clean, with compare-and-swap', async () => {
    const head = await gitOut(['rev-parse', 'main'], { cwd: local });
    const written = await repo.commitFiles({
      branch: 'main',
      message: 'Through the SDK',
      expected_head: head,
      author: { name: 'Agent', email: 'agent@example.com', date: '2024-01-02T03:04:05+01:00' },
      changes: [
        { op: 'put', path: 'notes/today.md', content: '# Today\n' },
        { op: 'put', path: 'bin/raw.bin', content_base64: Buffer.from(BINARY).toString('base64') },
        { op: 'move', from: 'src/b.ts', to: 'lib/b.ts' },
        { op: 'delete', path: 'README.md' },
      ],
    });
    expect(written).toMatchObject({ branch: 'main', parents: [head], message: 'Through the SDK\n', author: { name: 'Agent', email: 'agent@example.com', date: '2024-01-02T03:04:05+01:00' } });
    expect(await fetchHead('main')).toBe(written.sha);
    await expectFsckClean(local);
    expect(await gitOut(['show', `${written.sha}:notes/today.md`], { cwd: local })).toBe('# Today');
    expect((await gitOut(['ls-tree', '-r', '--name-only', written.sha], { cwd: local })).split('\n')).toEqual(['bin/logo.png', 'bin/raw.bin', 'docs/manual.md', 'lib/b.ts', 'notes/today.md']);

    const stale = await caught(repo.commitFiles({ branch: 'main', message: 'late', expected_head: head, changes: [{ op: 'delete', path: 'lib/b.ts' }] }));
    expect([stale.status, stale.code]).toEqual([409, 'REF_CONFLICT']);
    const badPath = await caught(repo.commitFiles({ branch: 'main', message: 'bad', changes: [{ op: 'put', path: 'a/../b', content: 'x' }] }));
    expect([badPath.status, badPath.code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('putFile streams a body (stream, bytes or string) into one commit, and is sent only once', async () => {
    const big = new Uint8Array(randomBytes(3 * 1024 * 1024));
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const at = pulls++ * 256 * 1024;
        if (at >= big.length) controller.close();
        else controller.enqueue(big.subarray(at, at + 256 * 1024));
      },
    });
    const written = await repo.putFile('main', 'data/big.bin', stream, { message: 'Big file', author_name: 'Uploader', author_email: 'up@example.com' });
    expect(written).toMatchObject({ branch: 'main', message: 'Big file\n', author: { name: 'Uploader', email: 'up@example.com' } });
    expect(await fetchHead('main')).toBe(written.sha);
    expect(Buffer.from((await git(['cat-file', 'blob', `${written.sha}:data/big.bin`], { cwd: local })).stdout, 'utf8').length).toBeGreaterThan(0);
    expect(await gitOut(['rev-parse', `${written.sha}:data/big.bin`], { cwd: local })).toBe(await gitOut(['hash-object', '--stdin'], { cwd: local, input: big }));

    const badName = await caught(repo.putFile('bad..name', 'x.txt', 'nothing', { start_from: 'main' }));
    expect(badName.status).toBeGreaterThanOrEqual(400);
    const onNew = await repo.putFile('feature/upload', 'docs/up.txt', 'uploaded\n', { start_from: 'main', mode: '100755' });
    expect(onNew.branch).toBe('feature/upload');
    expect(await gitOut(['ls-tree', await fetchHead('feature/upload'), 'docs/up.txt'], { cwd: local })).toMatch(/^100755 blob /);
    const bytes = await repo.putFile('feature/upload', 'docs/up.txt', new TextEncoder().encode('again\n'), { expected_head: onNew.sha });
    expect(bytes.parents).toEqual([onNew.sha]);
    const conflict = await caught(repo.putFile('feature/upload', 'docs/up.txt', 'late\n', { expected_head: onNew.sha }));
    expect([conflict.status, conflict.code]).toEqual([409, 'REF_CONFLICT']);
  });

  it('revert undoes a commit as git revert does, and reports MERGE_CONFLICT', async () => {
    const base = await client.repos.create('sdk', { name: 'revert' });
    const r = client.repo('sdk', 'revert');
    const one = await r.commitFiles({ branch: 'main', message: 'one', changes: [{ op: 'put', path: 'f.txt', content: 'a\nb\nc\n' }] });
    const two = await r.commitFiles({ branch: 'main', message: 'two', changes: [{ op: 'put', path: 'f.txt', content: 'a\nB\nc\n' }] });
    const reverted = await r.revert({ branch: 'main', commit: two.sha });
    expect(reverted.message).toBe(`Revert "two"\n\nThis reverts commit ${two.sha}.\n`);
    expect(reverted.tree).toBe(one.tree);
    expect(base.default_branch).toBe('main');
    await r.commitFiles({ branch: 'main', message: 'three', changes: [{ op: 'put', path: 'f.txt', content: 'a\nX\nc\n' }] });
    const conflict = await caught(r.revert({ branch: 'main', commit: two.sha }));
    expect([conflict.status, conflict.code]).toEqual([409, 'MERGE_CONFLICT']);
    expect(conflict.details?.['conflicts']).toEqual([expect.objectContaining({ path: 'f.txt' })]);
  });

  it('restore gives a branch an earlier tree as a new commit', async () => {
    const r = client.repo('sdk', 'revert');
    const first = (await collect(r.iterateLog())).at(-1)!;
    const head = (await r.refs.get('main')).sha!;
    const restored = await r.restore({ branch: 'main', to: first.sha, expected_head: head });
    expect(restored).toMatchObject({ tree: first.tree, parents: [head], message: `Restore ${first.sha.slice(0, 7)}\n` });
    expect((await caught(r.restore({ branch: 'main', to: 'nope' }))).code).toBe('NOT_FOUND');
  });
});

describe('notes', () => {
  it('writes notes git notes show reads, reads notes git wrote, lists and removes them', async () => {
    const r = client.repo('sdk', 'content');
    const main = await gitOut(['rev-parse', 'main'], { cwd: local });
    const v1 = await gitOut(['rev-parse', 'v1^{commit}'], { cwd: local });
    const written = await r.notes.put(main, { text: 'reviewed\n' });
    expect(written).toMatchObject({ object: main, notes_ref: 'refs/notes/commits', changed: true });
    expect((await r.notes.put(main, { text: 'reviewed\n' })).changed).toBe(false);
    await git(['fetch', '--quiet', created.remote, '+refs/notes/*:refs/notes/*'], { cwd: local, token: created.token });
    expect(await gitOut(['notes', 'show', main], { cwd: local })).toBe('reviewed');

    await git(['notes', '--ref', 'review', 'add', '-m', 'from git', v1], { cwd: local });
    await git(['push', '--quiet', created.remote, 'refs/notes/review'], { cwd: local, token: created.token });
    expect(await r.notes.get(v1, { ref: 'review' })).toEqual({ object: v1, note_sha: await gitOut(['rev-parse', `refs/notes/review:${v1}`], { cwd: local }), text: 'from git\n', notes_ref: 'refs/notes/review' });

    const login = await gitOut(['rev-parse', 'topic/login'], { cwd: local });
    await r.notes.put('topic/login', { text: 'by revision' }, { ref: 'by-name' });
    expect((await r.notes.get(login, { ref: 'refs/notes/by-name' })).text).toBe('by revision');
    expect((await r.notes.list()).notes).toEqual([{ object: main, note_sha: written.note_sha }]);
    expect(await collect(r.notes.iterate({ ref: 'refs/notes/review', limit: 1 }))).toHaveLength(1);
    const removed = await r.notes.delete(main, { expected_notes_head: written.notes_head });
    expect(removed).toMatchObject({ object: main, note_sha: null, changed: true });
    expect((await caught(r.notes.get(main))).code).toBe('NOT_FOUND');
    expect((await caught(r.notes.delete(main))).code).toBe('NOT_FOUND');
  });
});

describe('grep', () => {
  it('finds what git grep -n finds, with regex, case, paths, context and paging', async () => {
    const r = client.repo('sdk', 'content');
    const gitGrep = async (args: string[]): Promise<string[]> => {
      const out = await git(['grep', '-n', ...args], { cwd: local, allowFailure: true });
      return out.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('Binary file ')).map((l) => l.replace(/^[^:]+:/, ''));
    };
    const asLines = (ms: { path: string; line_number: number; line: string }[]): string[] => ms.map((m) => `${m.path}:${m.line_number}:${m.line}`);
    const result = await r.grep({ pattern: 'TODO', ref: 'topic/login' });
    expect(result.commit).toBe(await gitOut(['rev-parse', 'topic/login'], { cwd: local }));
    expect(asLines(result.matches)).toEqual(await gitGrep(['TODO', 'topic/login']));
    expect(asLines((await r.grep({ pattern: 'todo', ref: 'topic/login', ignore_case: true })).matches)).toEqual(await gitGrep(['-i', 'todo', 'topic/login']));
    expect(asLines((await r.grep({ pattern: 'line (one|two)', regex: true, ref: 'v1' })).matches)).toEqual(await gitGrep(['-E', 'line (one|two)', 'v1']));
    expect(asLines((await r.grep({ pattern: 'export', ref: 'topic/login', paths: ['src/*.ts', ':!src/a.ts'] })).matches)).toEqual(await gitGrep(['export', 'topic/login', '--', 'src/*.ts', ':!src/a.ts']));
    const withContext = await r.grep({ pattern: 'line two', ref: 'v1', context: 1 });
    expect(withContext.matches).toEqual([{ path: 'docs/guide.md', line_number: 4, line: 'line two', before: ['line one'], after: ['line three'] }]);
    const all = await collect(r.iterateGrep({ pattern: 'o', ref: 'topic/login', ignore_case: true, limit: 2 }));
    expect(asLines(all)).toEqual(await gitGrep(['-i', 'o', 'topic/login']));
    expect((await r.grep({ pattern: 'o', ref: 'topic/login', ignore_case: true })).skipped).toEqual([{ path: 'bin/logo.png', reason: 'binary' }]);
    const bad = await caught(r.grep({ pattern: '(a)\\1', regex: true }));
    expect(bad.code).toBe('BAD_REQUEST');
  });
});

describe('permissions', () => {
  it('a read token reads content and is refused writes with FORBIDDEN', async () => {
    const read = await client.tokens.create('sdk', 'content', { scope: 'read' });
    const reader = new GroveClient({ url: server.url, token: read.token }).repo('sdk', 'content');
    expect((await reader.log({ limit: 1 })).commits).toHaveLength(1);
    const refused = await caught(reader.commitFiles({ branch: 'main', message: 'no', changes: [{ op: 'delete', path: 'lib/b.ts' }] }));
    expect([refused.status, refused.code]).toEqual([403, 'FORBIDDEN']);
    const upload = await caught(reader.putFile('main', 'x.txt', 'no'));
    expect([upload.status, upload.code]).toEqual([403, 'FORBIDDEN']);
  });
});
