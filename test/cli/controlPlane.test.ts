/**
 * The control-plane commands as users run them: `node bin/grove.js …` as a
 * child process (asynchronous: the server answers from this process) against
 * a Grove server started in-process on 127.0.0.1. Every command, its text and
 * `--json` output, exit codes (0, 1 for the server's refusals, 2 for usage
 * errors) and the one-line error on stderr.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/node/startServer.ts';
import { git, gitOut } from '../support/git.ts';
import { tempDir, useTempDir } from '../support/tempDir.ts';

const BIN = resolve(import.meta.dirname, '../../bin/grove.js');
const ADMIN = 'cli-test-admin-token';
const TOKEN = /grove_[0-9a-f]{16}_[0-9a-f]{64}/;
const SHOWN_ONCE = 'This token is shown once: store it now, it cannot be read again.';

let server: RunningServer;
const data = tempDir('grove-cli-data-');
const work = useTempDir('grove-cli-work-');

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, dataDir: data.dir, adminToken: ADMIN, allowPrivateRemotes: true });
});

afterAll(async () => {
  await server.close();
  data.remove();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `grove <args>` with GROVE_URL and GROVE_TOKEN set for the test server (unless `env` says otherwise). */
function grove(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const fullEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ PATH: process.env['PATH'], HOME: work, GROVE_URL: server.url, GROVE_TOKEN: ADMIN, ...env })) {
    if (value !== undefined) fullEnv[key] = value;
  }
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Runs and expects exit 0 with nothing on stderr; returns stdout. */
async function ok(args: string[], env: Record<string, string | undefined> = {}): Promise<string> {
  const run = await grove(args, env);
  expect({ code: run.code, stderr: run.stderr }, `grove ${args.join(' ')}`).toEqual({ code: 0, stderr: '' });
  return run.stdout;
}

/** Runs with --json and parses stdout. */
async function okJson<T = Record<string, unknown>>(args: string[]): Promise<T> {
  return JSON.parse(await ok([...args, '--json'])) as T;
}

/** Runs and expects `code` with exactly one `grove: <CODE>: …` line on stderr, and nothing on stdout. */
async function fails(args: string[], exit: number, code: string, env: Record<string, string | undefined> = {}): Promise<string> {
  const run = await grove(args, env);
  expect(run.code, `grove ${args.join(' ')}: ${run.stderr}`).toBe(exit);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(new RegExp(`^grove: ${code}: [^\\n]+\\n$`));
  return run.stderr;
}

/** `key: value` lines of a text view, as a map. */
function fields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+):\s*(.*)$/.exec(line);
    if (match !== null) out[match[1]!] = match[2]!;
  }
  return out;
}

/** A table's rows as arrays of cells (split on runs of two or more spaces). */
function rows(text: string): string[][] {
  return text.trimEnd().split('\n').map((line) => line.split(/ {2,}/));
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((ok) => probe.close(() => ok()));
  return port;
}

describe('grove ns', () => {
  it('creates, gets, lists and deletes, in text and JSON', async () => {
    const created = fields(await ok(['ns', 'create', 'cli-ns']));
    expect(created).toMatchObject({ name: 'cli-ns', repo_count: '0' });
    expect(created['created_at']).toMatch(/^\d{4}-/);
    const got = await okJson(['ns', 'get', 'cli-ns']);
    expect(got).toEqual({ name: 'cli-ns', created_at: created['created_at'], repo_count: 0 });
    expect(fields(await ok(['ns', 'get', 'cli-ns']))).toEqual(created);

    await ok(['ns', 'create', 'cli-ns2', '--json']);
    const table = rows(await ok(['ns', 'list']));
    expect(table[0]).toEqual(['NAME', 'REPO_COUNT', 'CREATED_AT']);
    expect(table).toContainEqual(['cli-ns', '0', created['created_at']]);
    const listed = await okJson<{ namespaces: Array<{ name: string }>; next_cursor: null }>(['ns', 'list']);
    expect(listed.namespaces.map((n) => n.name)).toEqual(expect.arrayContaining(['cli-ns', 'cli-ns2']));
    expect(listed.next_cursor).toBeNull();

    expect(await ok(['ns', 'delete', 'cli-ns'])).toBe('deleted namespace cli-ns\n');
    expect(await ok(['ns', 'delete', 'cli-ns2', '--json'])).toBe('');
    expect(await fails(['ns', 'get', 'cli-ns'], 1, 'NOT_FOUND')).toContain('cli-ns');
  });

  it('pages with --limit, --cursor and --all', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await ok(['ns', 'create', name, '--json']);
    const first = await grove(['ns', 'list', '--limit', '1']);
    expect(first.code).toBe(0);
    expect(rows(first.stdout)).toHaveLength(2);
    const cursor = /^more: pass --cursor (\S+) for the next page, or --all\n$/.exec(first.stderr)?.[1];
    expect(cursor).toBeDefined();
    const second = await grove(['ns', 'list', '--limit', '1', '--cursor', cursor!]);
    expect(rows(second.stdout)[1]![0]! > rows(first.stdout)[1]![0]!).toBe(true);
    const page = await okJson<{ namespaces: unknown[]; next_cursor: string | null }>(['ns', 'list', '--limit', '1']);
    expect(page.namespaces).toHaveLength(1);
    expect(page.next_cursor).toEqual(expect.any(String));
    const all = await okJson<{ namespaces: Array<{ name: string }>; next_cursor: null }>(['ns', 'list', '--limit', '1', '--all']);
    expect(all.namespaces.map((n) => n.name)).toEqual(expect.arrayContaining(['page-a', 'page-b', 'page-c']));
    expect(all.next_cursor).toBeNull();
    const text = await ok(['ns', 'list', '--limit', '1', '--all']);
    expect(rows(text).length).toBe(all.namespaces.length + 1);
  });

  it('refuses to delete a namespace with repositories unless --force', async () => {
    await ok(['repo', 'create', 'full-ns/one', '--json']);
    const line = await fails(['ns', 'delete', 'full-ns'], 1, 'NAMESPACE_NOT_EMPTY');
    expect(line).toContain('--force');
    expect(await ok(['ns', 'delete', 'full-ns', '--force'])).toBe('deleted namespace full-ns\n');
    await fails(['repo', 'get', 'full-ns/one'], 1, 'NOT_FOUND');
  });
});

describe('grove repo', () => {
  it('creates with settings, printing the token once, and gets', async () => {
    const text = await ok(['repo', 'create', 'cli/notes', '--description', 'meeting notes', '--default-branch', 'trunk', '--read-only']);
    expect(text.trimEnd().split('\n').at(-1)).toBe(SHOWN_ONCE);
    const created = fields(text);
    expect(created).toMatchObject({
      name: 'cli/notes', description: 'meeting notes', default_branch: 'trunk', read_only: 'yes', status: 'ready',
      source: '-', remote: `${server.url}/git/cli/notes.git`, last_push_at: '-',
    });
    expect(created['token']).toMatch(TOKEN);
    const got = await okJson(['repo', 'get', 'cli/notes']);
    expect(got).toMatchObject({ id: created['id'], name: 'notes', namespace: 'cli', read_only: true, default_branch: 'trunk', source: null });
    expect(got).not.toHaveProperty('token');
    const shown = fields(await ok(['repo', 'get', 'cli/notes']));
    expect(shown).not.toHaveProperty('token');
    expect(shown['id']).toBe(created['id']);

    const json = await okJson(['repo', 'create', 'cli/other']);
    expect(json).toMatchObject({ name: 'other', namespace: 'cli', status: 'ready', default_branch: 'main', read_only: false, token: expect.stringMatching(TOKEN) });
    expect(await fails(['repo', 'create', 'cli/other'], 1, 'ALREADY_EXISTS')).toContain('cli/other');
  });

  it('updates settings, and refuses an update that changes nothing or contradicts itself', async () => {
    await ok(['repo', 'create', 'cli/editable', '--json']);
    const updated = fields(await ok(['repo', 'update', 'cli/editable', '--description', 'new words', '--default-branch', 'dev', '--read-only']));
    expect(updated).toMatchObject({ description: 'new words', default_branch: 'dev', read_only: 'yes' });
    expect(await okJson(['repo', 'update', 'cli/editable', '--writable'])).toMatchObject({ read_only: false, description: 'new words' });
    await fails(['repo', 'update', 'cli/editable'], 2, 'USAGE');
    await fails(['repo', 'update', 'cli/editable', '--read-only', '--writable'], 2, 'USAGE');
    await fails(['repo', 'update', 'cli/missing', '--description', 'x'], 1, 'NOT_FOUND');
  });

  it('deletes', async () => {
    await ok(['repo', 'create', 'cli/doomed', '--json']);
    expect(await ok(['repo', 'delete', 'cli/doomed'])).toBe('deleted repository cli/doomed\n');
    await fails(['repo', 'get', 'cli/doomed'], 1, 'NOT_FOUND');
    await fails(['repo', 'delete', 'cli/doomed'], 1, 'NOT_FOUND');
  });

  it('lists as a table or JSON, with --search, --sort, --direction, --limit and --all', async () => {
    for (const name of ['cherry', 'apple', 'banana']) await ok(['repo', 'create', `fruit/${name}`, '--description', `a ${name}`, '--json']);
    const table = rows(await ok(['repo', 'list', 'fruit']));
    expect(table[0]).toEqual(['NAME', 'STATUS', 'DEFAULT_BRANCH', 'READ_ONLY', 'LAST_PUSH_AT', 'DESCRIPTION']);
    expect(table.slice(1)).toEqual([
      ['banana', 'ready', 'main', 'no', '-', 'a banana'],
      ['apple', 'ready', 'main', 'no', '-', 'a apple'],
      ['cherry', 'ready', 'main', 'no', '-', 'a cherry'],
    ]);
    const header = (await ok(['repo', 'list', 'fruit'])).split('\n')[0]!;
    expect(header.indexOf('STATUS')).toBe('banana'.length + 2);

    const byName = await okJson<{ repos: Array<{ name: string }> }>(['repo', 'list', 'fruit', '--sort', 'name', '--direction', 'asc']);
    expect(byName.repos.map((r) => r.name)).toEqual(['apple', 'banana', 'cherry']);
    const found = await okJson<{ repos: Array<{ name: string }> }>(['repo', 'list', 'fruit', '--search', 'ERR']);
    expect(found.repos.map((r) => r.name)).toEqual(['cherry']);
    const page = await okJson<{ repos: unknown[]; next_cursor: string | null }>(['repo', 'list', 'fruit', '--limit', '2']);
    expect(page.repos).toHaveLength(2);
    expect(page.next_cursor).toEqual(expect.any(String));
    const all = await okJson<{ repos: Array<{ name: string }>; next_cursor: null }>(['repo', 'list', 'fruit', '--limit', '1', '--all', '--sort', 'name', '--direction', 'asc']);
    expect(all).toMatchObject({ next_cursor: null });
    expect(all.repos.map((r) => r.name)).toEqual(['apple', 'banana', 'cherry']);
    await ok(['ns', 'create', 'empty-ns', '--json']);
    expect(await ok(['repo', 'list', 'empty-ns'])).toBe('no repositories\n');
    expect(await okJson(['repo', 'list', 'empty-ns'])).toEqual({ repos: [], next_cursor: null });
    await fails(['repo', 'list', 'no-such-ns'], 1, 'NOT_FOUND');

    await fails(['repo', 'list', 'fruit', '--sort', 'size'], 2, 'USAGE');
    await fails(['repo', 'list', 'fruit', '--limit', 'many'], 2, 'USAGE');
    await fails(['repo', 'list', 'fruit', '--limit', '500'], 1, 'BAD_REQUEST');
  });

  it('forks into the same or another namespace, with --all-refs, --read-only and --description', async () => {
    const parent = await okJson<{ remote: string; token: string }>(['repo', 'create', 'forks/parent']);
    const dir = join(work, 'fork-source');
    await git(['init', '--quiet', '-b', 'main', dir]);
    await git(['commit', '--quiet', '--allow-empty', '-m', 'one'], { cwd: dir });
    await git(['tag', 'v1'], { cwd: dir });
    await git(['push', '--quiet', parent.remote, 'main', 'v1'], { cwd: dir, token: parent.token });

    const child = fields(await ok(['repo', 'fork', 'forks/parent', 'child', '--description', 'a child']));
    expect(child).toMatchObject({ name: 'forks/child', source: 'fork of forks/parent', description: 'a child', read_only: 'no' });
    expect(await gitOut(['ls-remote', '--tags', child['remote']!], { token: child['token']! })).toBe('');

    const mirror = await okJson<{ remote: string; token: string; namespace: string; read_only: boolean; source: unknown }>(['repo', 'fork', 'forks/parent', 'other-ns/mirror', '--all-refs', '--read-only']);
    expect(mirror).toMatchObject({ namespace: 'other-ns', read_only: true, source: { kind: 'fork', namespace: 'forks', name: 'parent' } });
    expect(await gitOut(['ls-remote', '--tags', mirror.remote], { token: mirror.token })).toMatch(/\trefs\/tags\/v1$/);

    await fails(['repo', 'fork', 'forks/parent', 'a/b/c'], 2, 'USAGE');
    await fails(['repo', 'fork', 'forks/missing', 'x1'], 1, 'NOT_FOUND');
  });

  it('imports, at once (status importing) or with --wait (ready), sending --header', async () => {
    const origin = await okJson<{ remote: string; token: string }>(['repo', 'create', 'imports/origin']);
    const dir = join(work, 'import-source');
    await git(['init', '--quiet', '-b', 'main', dir]);
    await git(['commit', '--quiet', '--allow-empty', '-m', 'one'], { cwd: dir });
    await git(['commit', '--quiet', '--allow-empty', '-m', 'two'], { cwd: dir });
    await git(['push', '--quiet', origin.remote, 'main', 'main:side'], { cwd: dir, token: origin.token });
    const header = `Authorization: Bearer ${origin.token}`;

    const waited = await grove(['repo', 'import', origin.remote, 'imports/copy', '--header', header, '--wait']);
    expect({ code: waited.code, stderr: waited.stderr }).toEqual({ code: 0, stderr: '' }); // no progress line on a pipe
    const copy = fields(waited.stdout);
    expect(copy).toMatchObject({ name: 'imports/copy', status: 'ready', source: `import of ${origin.remote}` });
    expect(copy['token']).toMatch(TOKEN);
    expect(await gitOut(['ls-remote', copy['remote']!, 'refs/heads/side'], { token: copy['token']! })).toContain('refs/heads/side');

    const started = await okJson<{ status: string; source: unknown }>(['repo', 'import', origin.remote, 'imports/later', '--header', header, '--branch', 'side', '--depth', '1', '--description', 'later']);
    expect(started).toMatchObject({ status: 'importing', source: { kind: 'import', url: origin.remote, branch: 'side', depth: 1 } });

    const refused = await fails(['repo', 'import', origin.remote, 'imports/noauth', '--wait'], 1, 'REMOTE_ERROR');
    expect(refused).not.toMatch(/^\s+at /m);
    await fails(['repo', 'get', 'imports/noauth'], 1, 'NOT_FOUND'); // a failed import waited for is deleted
    await fails(['repo', 'import', 'file:///etc', 'imports/file', '--wait'], 1, 'REMOTE_NOT_ALLOWED');
    await fails(['repo', 'import', origin.remote, 'imports/bad', '--header', 'no colon'], 2, 'USAGE');
    await fails(['repo', 'import', origin.remote, 'imports/bad', '--depth', '0'], 2, 'USAGE');
  });
});

describe('grove token', () => {
  it('mints, lists and revokes repository tokens', async () => {
    await ok(['repo', 'create', 'tok/repo', '--json']);
    const text = await ok(['token', 'create', 'tok/repo', '--scope', 'read', '--ttl', '2h', '--label', 'ci']);
    expect(text.trimEnd().split('\n').at(-1)).toBe(SHOWN_ONCE);
    const read = fields(text);
    expect(read).toMatchObject({ scope: 'read', label: 'ci', token: expect.stringMatching(TOKEN) });
    expect(Date.parse(read['expires_at']!) - Date.parse(read['created_at']!)).toBe(2 * 3600 * 1000);

    const write = await okJson<{ id: string; scope: string; token: string; created_at: string; expires_at: string }>(['token', 'create', 'tok/repo', '--ttl', '3600']);
    expect(write.scope).toBe('write');
    expect(Date.parse(write.expires_at) - Date.parse(write.created_at)).toBe(3600 * 1000);

    const table = rows(await ok(['token', 'list', 'tok/repo']));
    expect(table[0]).toEqual(['ID', 'SCOPE', 'STATE', 'LABEL', 'EXPIRES_AT', 'LAST_USED_AT']);
    expect(table[1]).toEqual([write.id, 'write', 'active', write.expires_at, '-']); // empty label: two-space runs merge
    expect(table[2]).toEqual([read['id'], 'read', 'active', 'ci', read['expires_at'], '-']);
    const listed = await okJson<{ tokens: Array<{ id: string }> }>(['token', 'list', 'tok/repo']);
    expect(JSON.stringify(listed)).not.toMatch(TOKEN);

    expect(await ok(['token', 'revoke', 'tok/repo', read['id']!])).toBe(`revoked token ${read['id']}\n`);
    const revoked = await okJson<{ tokens: Array<{ id: string; state: string }> }>(['token', 'list', 'tok/repo', '--state', 'revoked']);
    expect(revoked.tokens).toEqual([expect.objectContaining({ id: read['id'], state: 'revoked' })]);
    const all = await okJson<{ tokens: unknown[]; next_cursor: null }>(['token', 'list', 'tok/repo', '--state', 'all', '--limit', '1', '--all']);
    expect(all.tokens).toHaveLength(3); // the one made with the repository, write, read
    await fails(['repo', 'get', 'tok/repo'], 1, 'UNAUTHORIZED', { GROVE_TOKEN: read['token'] });
    expect(fields(await ok(['repo', 'get', 'tok/repo'], { GROVE_TOKEN: write.token }))['name']).toBe('tok/repo');
  });

  it('mints, lists and revokes admin tokens', async () => {
    const minted = await okJson<{ id: string; token: string; scope: string; label: string }>(['token', 'create', '--admin', '--ttl', '1d', '--label', 'bot']);
    expect(minted).toMatchObject({ scope: 'admin', label: 'bot' });
    expect(await ok(['ns', 'create', 'by-bot', '--json'], { GROVE_TOKEN: minted.token })).toContain('by-bot');
    const text = await ok(['token', 'create', '--admin']);
    expect(fields(text)['scope']).toBe('admin');
    expect(text).toContain(SHOWN_ONCE);
    const table = rows(await ok(['token', 'list', '--admin']));
    expect(table[0]![0]).toBe('ID');
    expect(table.some((row) => row[0] === minted.id && row[1] === 'admin' && row[3] === 'bot')).toBe(true);
    expect(await ok(['token', 'revoke', '--admin', minted.id])).toBe(`revoked token ${minted.id}\n`);
    await fails(['ns', 'list'], 1, 'UNAUTHORIZED', { GROVE_TOKEN: minted.token });
    const revoked = await okJson<{ tokens: Array<{ id: string }> }>(['token', 'list', '--admin', '--state', 'revoked']);
    expect(revoked.tokens.map((t) => t.id)).toContain(minted.id);
  });

  it('rejects bad command lines with exit code 2, and server refusals with 1', async () => {
    await ok(['repo', 'create', 'tok/strict', '--json']);
    await fails(['token', 'create', 'tok/strict', '--ttl', '5x'], 2, 'USAGE');
    await fails(['token', 'create', 'tok/strict', '--scope', 'admin'], 2, 'USAGE');
    await fails(['token', 'create', '--admin', 'tok/strict'], 2, 'USAGE');
    await fails(['token', 'create', '--admin', '--scope', 'read'], 2, 'USAGE');
    await fails(['token', 'create'], 2, 'USAGE');
    await fails(['token', 'revoke', 'tok/strict'], 2, 'USAGE');
    await fails(['token', 'revoke', '--admin', 'a', 'b'], 2, 'USAGE');
    await fails(['token', 'list', 'tok/strict', '--state', 'old'], 2, 'USAGE');
    await fails(['token', 'create', 'tok/strict', '--ttl', '10'], 1, 'BAD_REQUEST');
    await fails(['token', 'list', 'tok/missing'], 1, 'NOT_FOUND');
  });
});

describe('settings and errors', () => {
  it('takes --url and --token over GROVE_URL and GROVE_TOKEN', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    await ok(['ns', 'create', 'flags-win', '--url', server.url, '--token', ADMIN], { GROVE_URL: dead, GROVE_TOKEN: 'wrong' });
    await fails(['ns', 'get', 'flags-win', '--token', 'wrong'], 1, 'UNAUTHORIZED');
  });

  it('says how to give a token when there is none', async () => {
    const line = await fails(['ns', 'list'], 1, 'UNAUTHORIZED', { GROVE_TOKEN: undefined });
    expect(line).toContain('GROVE_TOKEN');
  });

  it('reports an unreachable server as NETWORK_ERROR, one line, no stack trace', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const line = await fails(['repo', 'list', 'x1'], 1, 'NETWORK_ERROR', { GROVE_URL: dead });
    expect(line).toContain(dead);
  });

  it('exits 2 on usage errors: bad <ns>/<name>, unknown commands and options, a bad --url', async () => {
    await fails(['repo', 'get', 'no-slash'], 2, 'USAGE');
    await fails(['repo', 'get', 'a/b/c'], 2, 'USAGE');
    await fails(['repo', 'create', '/name'], 2, 'USAGE');
    await fails(['repo', 'get', 'a/b', '--colour'], 2, 'USAGE');
    await fails(['repo', 'get'], 2, 'USAGE');
    await fails(['ns', 'list', '--url', 'not a url'], 2, 'USAGE');
    const unknown = await grove(['repo', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^grove: USAGE: unknown command 'frobnicate'/);
  });

  it('exits 0 for --help', async () => {
    const help = await grove(['repo', 'import', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--header <header>');
  });
});
