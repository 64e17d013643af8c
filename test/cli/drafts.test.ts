/**
 * `grove draft …` as users run it: `node bin/grove.js` as a child process
 * against a Grove server started in-process on 127.0.0.1, on a repository
 * pushed with the real `git` CLI. Text output is compared with what git
 * prints for the same files (`git ls-tree -l`, `git grep -n`, `git diff`),
 * `--json` with the SDK's answers; files written from stdin and from a local
 * file are read back byte for byte; revisions and the applied branch are
 * fetched with git (`git fsck --strict` clean); exit codes are 0, 1 (the
 * server's refusals, a grep without match, the command's own code for exec)
 * and 2 (usage), with the one-line error on stderr.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/node/startServer.ts';
import { GroveClient } from '../../src/sdk/GroveClient.ts';
import type { DraftApi } from '../../src/sdk/DraftApi.ts';
import { expectFsckClean, git, gitOut } from '../support/git.ts';
import { tempDir, useTempDir } from '../support/tempDir.ts';

const BIN = resolve(import.meta.dirname, '../../bin/grove.js');
const ADMIN = 'cli-drafts-admin-token';
const REPO = 'cli/drafts';
const BINARY = Buffer.concat([Buffer.from([0, 1, 2, 255, 0]), randomBytes(200_000)]);

let server: RunningServer;
let remote: string;
let repoToken: string;
let sdk: DraftApi;
const data = tempDir('grove-cli-drafts-data-');
const work = useTempDir('grove-cli-drafts-work-');
const local = join(work, 'local');

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs `grove <args>` with GROVE_URL and GROVE_TOKEN set for the test server, `input` on stdin; stdout as bytes. */
function groveRaw(args: string[], options: { env?: Record<string, string | undefined>; input?: string | Uint8Array } = {}): Promise<Run> {
  const fullEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ PATH: process.env['PATH'], HOME: work, GROVE_URL: server.url, GROVE_TOKEN: ADMIN, ...options.env })) {
    if (value !== undefined) fullEnv[key] = value;
  }
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: fullEnv, stdio: ['pipe', 'pipe', 'pipe'], cwd: work });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.stdin.on('error', () => {});
    child.on('close', (code) => done({ code, stdout: Buffer.concat(stdout), stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Runs and expects exit 0 with nothing on stderr; returns stdout. */
async function ok(args: string[], options: { env?: Record<string, string | undefined>; input?: string | Uint8Array } = {}): Promise<string> {
  const run = await groveRaw(args, options);
  expect({ code: run.code, stderr: run.stderr }, `grove ${args.join(' ')}`).toEqual({ code: 0, stderr: '' });
  return run.stdout.toString('utf8');
}

async function okJson<T = Record<string, unknown>>(args: string[]): Promise<T> {
  return JSON.parse(await ok([...args, '--json'])) as T;
}

/** Runs and expects `exit` with exactly one `grove: <CODE>: …` line on stderr and nothing on stdout. */
async function fails(args: string[], exit: number, code: string, env: Record<string, string | undefined> = {}): Promise<string> {
  const run = await groveRaw(args, { env });
  expect(run.code, `grove ${args.join(' ')}: ${run.stderr}`).toBe(exit);
  expect(run.stdout.toString()).toBe('');
  expect(run.stderr).toMatch(new RegExp(`^grove: ${code}: [^\\n]+\\n$`));
  return run.stderr;
}

function write(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(join(local, path)), { recursive: true });
  writeFileSync(join(local, path), content);
}

/** A new draft of main, made with the CLI; its id. */
async function newDraft(...flags: string[]): Promise<string> {
  return (await okJson<{ id: string }>(['draft', 'create', REPO, ...flags])).id;
}

async function fetchRef(ref: string, into: string): Promise<string> {
  await git(['fetch', '--quiet', remote, `+${ref}:${into}`], { cwd: local, token: repoToken });
  return gitOut(['rev-parse', into], { cwd: local });
}

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, dataDir: data.dir, adminToken: ADMIN });
  const client = new GroveClient({ url: server.url, token: ADMIN });
  const created = await client.repos.create('cli', { name: 'drafts' });
  remote = created.remote;
  repoToken = created.token;
  sdk = client.repo('cli', 'drafts').drafts;

  await git(['init', '--quiet', '-b', 'main', local]);
  write('README.md', 'hello\nworld\n');
  write('src/app.ts', 'export const app = 1;\n// TODO: app\n');
  write('src/util.ts', 'export const util = 2; // todo: util\n');
  write('docs/guide.md', ['# Guide', '', 'one', 'two', 'three', ''].join('\n'));
  write('assets/logo.bin', BINARY.subarray(0, 3000));
  await git(['add', '-A'], { cwd: local });
  await git(['commit', '--quiet', '-m', 'Initial files'], { cwd: local });
  await git(['push', '--quiet', remote, 'refs/heads/*:refs/heads/*'], { cwd: local, token: repoToken });
});

afterAll(async () => {
  await server.close();
  data.remove();
});

describe('grove draft create, ls, show, discard', () => {
  it('creates with flags, lists as a table and as JSON, shows, and discards', async () => {
    const created = await okJson<{ id: string; branch: string; label: string; ttl_seconds: number; state: string }>(['draft', 'create', REPO, '--label', 'first try', '--ttl', '2h']);
    expect(created).toMatchObject({ branch: 'main', label: 'first try', ttl_seconds: 7200, state: 'open' });
    const text = await ok(['draft', 'create', REPO, '--from', 'main']);
    const textId = /^id:\s+(\S+)$/m.exec(text)?.[1];
    expect(text).toMatch(/^state:\s+open$/m);
    expect(textId).toEqual(expect.any(String));

    const table = await ok(['draft', 'ls', REPO]);
    expect(table.split('\n')[0]).toMatch(/^ID\s+STATE\s+BRANCH\s+CHANGED\s+LABEL\s+EXPIRES_AT$/);
    expect(table).toContain(created.id);
    expect(await okJson(['draft', 'ls', REPO])).toEqual(JSON.parse(JSON.stringify(await sdk.list())));
    const all = await okJson<{ drafts: Array<{ id: string }>; next_cursor: null }>(['draft', 'ls', REPO, '--limit', '1', '--all']);
    expect(all.drafts.map((d) => d.id)).toEqual((await sdk.list({ limit: 200 })).drafts.map((d) => d.id));
    expect(await okJson(['draft', 'show', REPO, created.id])).toEqual(JSON.parse(JSON.stringify(await sdk.get(created.id))));
    expect(await ok(['draft', 'show', REPO, created.id])).toMatch(new RegExp(`^id:\\s+${created.id}\\nlabel:\\s+first try\\n`));

    expect(await ok(['draft', 'discard', REPO, textId!])).toBe(`discarded draft ${textId}\n`);
    await fails(['draft', 'show', REPO, textId!], 1, 'NOT_FOUND');
    await fails(['draft', 'create', REPO, '--from', 'no-such-branch'], 1, 'NOT_FOUND');
    await fails(['draft', 'create', 'not-a-repo'], 2, 'USAGE');
    await fails(['draft', 'create', REPO, '--ttl', 'soon'], 2, 'USAGE');
  });
});

describe('grove draft read, write, edit, ls-files, grep', () => {
  let id: string;
  beforeAll(async () => {
    id = await newDraft();
  });

  it('writes from stdin and from a file (big, binary, executable) and reads the bytes back', async () => {
    const wrote = await ok(['draft', 'write', REPO, id, 'notes/today.md'], { input: '# Today\nbuy milk\n' });
    expect(wrote).toMatch(/^wrote notes\/today\.md \(17 bytes, 100644, [0-9a-f]{7}\)\n$/);
    const file = join(work, 'blob.bin');
    writeFileSync(file, BINARY);
    const info = await okJson<{ path: string; size: number; mode: string; sha: string }>(['draft', 'write', REPO, id, 'data/blob.bin', '--file', file]);
    expect(info).toMatchObject({ path: 'data/blob.bin', size: BINARY.length, mode: '100644', sha: await gitOut(['hash-object', file], { cwd: local }) });
    expect((await groveRaw(['draft', 'read', REPO, id, 'data/blob.bin'])).stdout.equals(BINARY)).toBe(true);
    const script = join(work, 'run.sh');
    writeFileSync(script, '#!/bin/sh\necho hi\n');
    chmodSync(script, 0o755);
    expect((await okJson<{ mode: string }>(['draft', 'write', REPO, id, 'bin/run.sh', '--file', script])).mode).toBe('100755');
    expect((await okJson<{ mode: string }>(['draft', 'write', REPO, id, 'bin/plain.sh', '--file', script, '--mode', '100644'])).mode).toBe('100644');
    expect(await ok(['draft', 'read', REPO, id, 'notes/today.md'])).toBe('# Today\nbuy milk\n');

    await fails(['draft', 'write', REPO, id, 'x', '--file', join(work, 'missing')], 2, 'USAGE');
    await fails(['draft', 'write', REPO, id, 'x', '--mode', '644'], 2, 'USAGE');
    await fails(['draft', 'read', REPO, id, 'nope.txt'], 1, 'ENOENT');
    await fails(['draft', 'read', REPO, id, '../up'], 1, 'EINVAL');
  });

  it('reads lines with --offset and --limit, and the read tool\'s JSON', async () => {
    const run = await groveRaw(['draft', 'read', REPO, id, 'docs/guide.md', '--limit', '2']);
    expect({ code: run.code, stdout: run.stdout.toString(), stderr: run.stderr }).toEqual({ code: 0, stdout: '# Guide\n\n', stderr: 'grove: note: lines 1-2 of 5; --offset 3 reads on\n' });
    expect(await ok(['draft', 'read', REPO, id, 'docs/guide.md', '--offset', '3'])).toBe('one\ntwo\nthree\n');
    expect(await okJson(['draft', 'read', REPO, id, 'docs/guide.md', '--offset', '4'])).toEqual(await sdk.read(id, 'docs/guide.md', { offset: 4 }));
    await fails(['draft', 'read', REPO, id, 'docs/guide.md', '--offset', '0'], 2, 'USAGE');
  });

  it('edits and prints the diff git diff prints for the same change', async () => {
    const diff = await ok(['draft', 'edit', REPO, id, 'README.md', '--old', 'world', '--new', 'wide world']);
    write('README.md', 'hello\nwide world\n');
    try {
      expect(diff).toBe((await git(['diff', '--', 'README.md'], { cwd: local })).stdout);
    } finally {
      await git(['checkout', '--', 'README.md'], { cwd: local });
    }
    const all = await okJson<{ replacements: number }>(['draft', 'edit', REPO, id, 'src/util.ts', '--old', 'util', '--new', 'tool', '--all']);
    expect(all.replacements).toBe(2);
    expect(await ok(['draft', 'read', REPO, id, 'src/util.ts'])).toBe('export const tool = 2; // todo: tool\n');
    await fails(['draft', 'edit', REPO, id, 'README.md', '--old', 'absent', '--new', 'x'], 1, 'EINVAL');
    await fails(['draft', 'edit', REPO, id, 'README.md', '--old', 'x'], 2, 'USAGE');
  });

  it('lists files as git ls-tree -l does, and greps as git grep -n does', async () => {
    const fresh = await newDraft();
    const listed = await ok(['draft', 'ls-files', REPO, fresh, '-r']);
    const blobs = listed.split('\n').filter((line) => / blob /.test(line)).join('\n');
    expect(blobs).toBe(await gitOut(['ls-tree', '-r', '-l', 'main'], { cwd: local }));
    expect(await ok(['draft', 'ls-files', REPO, fresh, 'src'])).toBe((await git(['ls-tree', '-l', 'main', 'src/'], { cwd: local })).stdout);
    const json = await okJson<{ path: string; entries: Array<{ path: string }>; next_cursor: null }>(['draft', 'ls-files', REPO, fresh, '/src/']);
    expect(json.path).toBe('src');
    expect(json.entries.map((e) => e.path)).toEqual(['src/app.ts', 'src/util.ts']);

    const gitGrep = async (args: string[]): Promise<string> => (await git(['grep', '-n', ...args], { cwd: local, allowFailure: true })).stdout;
    expect(await ok(['draft', 'grep', REPO, fresh, 'TODO'])).toBe(await gitGrep(['TODO']));
    expect(await ok(['draft', 'grep', REPO, fresh, 'todo', '-i', '-C', '1'])).toBe(await gitGrep(['-i', '-C', '1', 'todo']));
    expect(await ok(['draft', 'grep', REPO, fresh, 'u[a-z]+l', '-E', '--include', 'src/**'])).toBe(await gitGrep(['-E', 'u[a-z]+l', '--', 'src']));
    expect(await ok(['draft', 'grep', REPO, fresh, 'e', '--path', 'docs', '--exclude', '*.txt'])).toBe(await gitGrep(['e', '--', 'docs']));
    const found = await okJson<{ matches: Array<{ path: string; line: number }>; files_with_matches: number }>(['draft', 'grep', REPO, fresh, 'TODO']);
    expect(found.matches).toEqual([{ path: 'src/app.ts', line: 2, text: '// TODO: app' }]);
    const none = await groveRaw(['draft', 'grep', REPO, fresh, 'nothing-like-this']);
    expect({ code: none.code, stdout: none.stdout.toString(), stderr: none.stderr }).toEqual({ code: 1, stdout: '', stderr: '' });
    await fails(['draft', 'grep', REPO, fresh, '(a', '-E'], 1, 'EINVAL');
  });
});

describe('grove draft checkpoint, revisions, reset, diff, apply', () => {
  it('checkpoints, lists revisions, resets, prints the diff git prints, and applies onto main', async () => {
    const main = await gitOut(['rev-parse', 'main'], { cwd: local });
    const id = await newDraft();
    await ok(['draft', 'edit', REPO, id, 'README.md', '--old', 'hello', '--new', 'hi']);
    await ok(['draft', 'write', REPO, id, 'NEW.md'], { input: 'new\n' });
    const first = await ok(['draft', 'checkpoint', REPO, id, '-m', 'First pass']);
    const firstSha = /^\[draft \S+ ([0-9a-f]{7})\] First pass\n$/.exec(first)?.[1];
    expect(firstSha).toEqual(expect.any(String));
    expect(await ok(['draft', 'checkpoint', REPO, id])).toMatch(new RegExp(`^nothing to checkpoint: the files are those of ${firstSha}\\n$`));
    await ok(['draft', 'write', REPO, id, 'NEW.md'], { input: 'newer\n' });
    const second = await okJson<{ revision: { sha: string; parent: string }; created: boolean }>(['draft', 'checkpoint', REPO, id, '-m', 'Second pass']);
    expect(second.created).toBe(true);

    const revisions = await okJson<{ revisions: Array<{ sha: string; current: boolean; message: string }> }>(['draft', 'revisions', REPO, id]);
    expect(revisions.revisions.map((r) => [r.message, r.current])).toEqual([['Second pass\n', true], ['First pass\n', false], ['Initial files\n', false]]);
    const firstFull = revisions.revisions[1]!.sha;
    expect(firstFull.startsWith(firstSha!)).toBe(true);
    const table = (await ok(['draft', 'revisions', REPO, id])).split('\n');
    expect(table[0]).toMatch(/^SHA\s+CURRENT\s+CREATED_AT\s+MESSAGE$/);
    expect(table[1]).toMatch(new RegExp(`^${second.revision.sha}  yes\\s+\\S+\\s+Second pass$`));

    expect(await ok(['draft', 'reset', REPO, id, firstSha!])).toBe(`draft ${id} is now at ${firstFull}\n`);
    expect(await ok(['draft', 'read', REPO, id, 'NEW.md'])).toBe('new\n');
    await fails(['draft', 'reset', REPO, id, 'f00d'], 1, 'NOT_FOUND');

    // The diff is git's, between main and the first revision fetched from refs/drafts/<id>.
    await fetchRef(`refs/drafts/${id}`, 'refs/remotes/grove/draft');
    expect(await ok(['draft', 'diff', REPO, id])).toBe((await git(['diff', '-M', main, firstFull], { cwd: local })).stdout);
    expect(await ok(['draft', 'diff', REPO, id, '--stat'])).toBe((await git(['diff', '--stat', main, firstFull], { cwd: local })).stdout);
    expect(await ok(['draft', 'diff', REPO, id, '--against', 'head'])).toBe('');
    await fails(['draft', 'diff', REPO, id, '--against', 'yesterday'], 2, 'USAGE');

    const applied = await ok(['draft', 'apply', REPO, id, '-m', 'Apply the first pass', '--ff-only']);
    const appliedSha = /^\[main ([0-9a-f]{7})\] applied draft \S+\n$/.exec(applied)?.[1];
    expect(appliedSha).toEqual(expect.any(String));
    const head = await fetchRef('refs/heads/main', 'refs/remotes/grove/main');
    expect(head.startsWith(appliedSha!)).toBe(true);
    expect(await gitOut(['log', '--format=%P %s', '-1', head], { cwd: local })).toBe(`${main} Apply the first pass`);
    expect(await gitOut(['rev-parse', `${head}^{tree}`], { cwd: local })).toBe(await gitOut(['rev-parse', `${firstFull}^{tree}`], { cwd: local }));
    await expectFsckClean(local);
    await fails(['draft', 'write', REPO, id, 'late.txt'], 1, 'DRAFT_CLOSED');
    await git(['merge', '--quiet', '--ff-only', 'refs/remotes/grove/main'], { cwd: local });
  });

  it('names the conflicting paths on MERGE_CONFLICT, updates with conflict markers, and refuses --ff-only when main moved', async () => {
    const ours = await newDraft();
    const theirs = await newDraft();
    await ok(['draft', 'edit', REPO, ours, 'docs/guide.md', '--old', 'two', '--new', 'TWO']);
    await ok(['draft', 'edit', REPO, theirs, 'docs/guide.md', '--old', 'two', '--new', 'deux']);
    await ok(['draft', 'apply', REPO, ours]);
    const conflict = await fails(['draft', 'apply', REPO, theirs], 1, 'MERGE_CONFLICT');
    expect(conflict).toContain('conflicts: docs/guide.md (content)');
    await fails(['draft', 'apply', REPO, theirs, '--ff-only'], 1, 'REF_CONFLICT');
    const updated = await ok(['draft', 'update', REPO, theirs, '-m', 'Catch up']);
    expect(updated).toMatch(/^\[draft \S+ [0-9a-f]{7}\] Catch up\nCONFLICT \(content\): docs\/guide\.md\n$/);
    expect(await ok(['draft', 'read', REPO, theirs, 'docs/guide.md'])).toMatch(/^<<<<<<< /m);
    expect(await ok(['draft', 'update', REPO, theirs])).toBe(`draft ${theirs} is up to date with main\n`);
  });
});

describe('grove draft token and exec', () => {
  it('mints a draft token that reads and writes only within its globs', async () => {
    const id = await newDraft();
    const text = await ok(['draft', 'token', REPO, id, '--read', 'src/**', '--write', 'src/**', '--ttl', '10m']);
    expect(text).toMatch(/^id:\s+\S+\ndraft:\s+\S+\nread:\s+src\/\*\*\nwrite:\s+src\/\*\*\n/);
    expect(text).toContain('This token is shown once');
    const minted = await okJson<{ token: string; draft: string; read: string[]; write: string[] }>(['draft', 'token', REPO, id, '--write', 'notes/**', '--label', 'agent']);
    expect(minted).toMatchObject({ draft: id, read: ['**'], write: ['notes/**'] });
    const asAgent = { GROVE_TOKEN: minted.token };
    expect(await ok(['draft', 'write', REPO, id, 'notes/a.md'], { env: asAgent, input: 'agent\n' })).toMatch(/^wrote notes\/a\.md/);
    expect(await ok(['draft', 'read', REPO, id, 'src/app.ts'], { env: asAgent })).toBe('export const app = 1;\n// TODO: app\n');
    await fails(['draft', 'edit', REPO, id, 'README.md', '--old', 'world', '--new', 'x'], 1, 'FORBIDDEN', asAgent);
    await fails(['draft', 'apply', REPO, id], 1, 'FORBIDDEN', asAgent);
  });

  it('prints the command\'s stdout and stderr and exits with its code; changes land in the draft', async () => {
    const id = await newDraft();
    const run = await groveRaw(['draft', 'exec', REPO, id, '--', 'cat src/app.ts; echo made > made.txt; echo oops >&2; exit 3']);
    expect({ code: run.code, stdout: run.stdout.toString(), stderr: run.stderr }).toEqual({ code: 3, stdout: 'export const app = 1;\n// TODO: app\n', stderr: 'oops\n' });
    expect(await ok(['draft', 'read', REPO, id, 'made.txt'])).toBe('made\n');
    expect(await ok(['draft', 'exec', REPO, id, '--cwd', 'src', '--', 'ls'])).toBe('app.ts\nutil.ts\n');
    expect(await ok(['draft', 'exec', REPO, id, '--', 'printf', '%s|%s\\n', "it's", '$WHO'])).toBe("it's|$WHO\n");
    const json = JSON.parse(await ok(['draft', 'exec', REPO, id, '--json', '--env', 'WHO=x', '--', 'echo $WHO'])) as { stdout: string; exit_code: number };
    expect(json).toMatchObject({ stdout: 'x\n', exit_code: 0 });
  });
});
