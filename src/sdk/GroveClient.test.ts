/**
 * Every GroveClient method against a real Grove server started in this
 * process on 127.0.0.1: answers, paging with `iterate`, and the mapping of
 * the server's errors (code, status, details). Repositories are filled and
 * checked with the real `git` CLI.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../runtime/node/startServer.ts';
import { git, gitOut } from '../../test/support/git.ts';
import { tempDir, useTempDir } from '../../test/support/tempDir.ts';
import { GroveApiError } from './GroveApiError.ts';
import { GroveClient } from './GroveClient.ts';
import type { RepoWithToken } from './types.ts';

const ADMIN = 'sdk-test-admin-token';
const TOKEN = /^grove_[0-9a-f]{16}_[0-9a-f]{64}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

let server: RunningServer;
let client: GroveClient;
const data = tempDir('grove-sdk-');
const work = useTempDir('grove-sdk-work-');

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, dataDir: data.dir, adminToken: ADMIN, allowPrivateRemotes: true });
  client = new GroveClient({ url: server.url, token: ADMIN });
});

afterAll(async () => {
  await server.close();
  data.remove();
});

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

/** `git ls-remote` of a Grove repository: `<oid> <ref>` lines, sorted. */
async function lsRemote(remote: string, token: string): Promise<string> {
  return (await gitOut(['ls-remote', remote], { token })).split('\n').sort().join('\n');
}

/** Pushes two commits on main, one on `side` and a tag `v1` to `repo`. */
async function pushHistory(repo: RepoWithToken): Promise<void> {
  const dir = join(work, `${repo.namespace}-${repo.name}`);
  await git(['init', '--quiet', '-b', 'main', dir]);
  await git(['commit', '--quiet', '--allow-empty', '-m', 'one'], { cwd: dir });
  await git(['tag', 'v1'], { cwd: dir });
  await git(['commit', '--quiet', '--allow-empty', '-m', 'two'], { cwd: dir });
  await git(['branch', 'side', 'HEAD~1'], { cwd: dir });
  await git(['push', '--quiet', repo.remote, 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*'], { cwd: dir, token: repo.token });
}

describe('namespaces', () => {
  it('creates, gets, lists and deletes', async () => {
    const created = await client.namespaces.create({ name: 'ns-alpha' });
    expect(created).toEqual({ name: 'ns-alpha', created_at: expect.stringMatching(ISO), repo_count: 0 });
    expect(await client.namespaces.get('ns-alpha')).toEqual(created);
    const page = await client.namespaces.list({ limit: 200 });
    expect(page.namespaces).toContainEqual(created);
    expect(page.next_cursor).toBeNull();
    await client.namespaces.delete('ns-alpha');
    expect((await caught(client.namespaces.get('ns-alpha'))).code).toBe('NOT_FOUND');
  });

  it('counts repositories, refuses to delete a non-empty namespace without force, and deletes it with force', async () => {
    await client.repos.create('ns-full', { name: 'one' });
    await client.repos.create('ns-full', { name: 'two' });
    expect((await client.namespaces.get('ns-full')).repo_count).toBe(2);
    const refused = await caught(client.namespaces.delete('ns-full'));
    expect([refused.status, refused.code]).toEqual([409, 'NAMESPACE_NOT_EMPTY']);
    await client.namespaces.delete('ns-full', { force: true });
    expect((await caught(client.namespaces.get('ns-full'))).status).toBe(404);
    expect((await caught(client.repos.get('ns-full', 'one'))).code).toBe('NOT_FOUND');
  });

  it('maps ALREADY_EXISTS, BAD_REQUEST (with details) and NOT_FOUND', async () => {
    await client.namespaces.create({ name: 'ns-dup' });
    const dup = await caught(client.namespaces.create({ name: 'ns-dup' }));
    expect([dup.status, dup.code]).toEqual([409, 'ALREADY_EXISTS']);
    const bad = await caught(client.namespaces.create({ name: '-bad name' }));
    expect([bad.status, bad.code]).toEqual([400, 'BAD_REQUEST']);
    expect(bad.details).toMatchObject({ field: 'name' });
    expect(bad.request).toBe('POST /v1/namespaces');
    const missing = await caught(client.namespaces.delete('ns-never'));
    expect([missing.status, missing.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('iterates every namespace by name, page after page', async () => {
    const names = ['pg-a', 'pg-b', 'pg-c', 'pg-d', 'pg-e'];
    for (const name of [...names].reverse()) await client.namespaces.create({ name });
    const first = await client.namespaces.list({ limit: 2 });
    expect(first.namespaces).toHaveLength(2);
    expect(first.next_cursor).toEqual(expect.any(String));
    const all = (await collect(client.namespaces.iterate({ limit: 2 }))).map((ns) => ns.name);
    expect(all.filter((n) => n.startsWith('pg-'))).toEqual(names);
    expect(all).toEqual([...all].sort());
  });
});

describe('repositories', () => {
  it('creates one with its settings and a write token, and gets it', async () => {
    const repo = await client.repos.create('team', { name: 'notes', description: 'meeting notes', default_branch: 'trunk', read_only: true });
    expect(repo).toEqual({
      id: expect.any(String),
      name: 'notes',
      namespace: 'team',
      description: 'meeting notes',
      default_branch: 'trunk',
      read_only: true,
      status: 'ready',
      status_reason: null,
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
      last_push_at: null,
      source: null,
      remote: `${server.url}/git/team/notes.git`,
      token: expect.stringMatching(TOKEN),
    });
    const { token: _secret, ...shown } = repo;
    expect(await client.repos.get('team', 'notes')).toEqual(shown);
    expect((await caught(client.repos.create('team', { name: 'notes' }))).code).toBe('ALREADY_EXISTS');
  });

  it('updates description, default branch and read-only flag', async () => {
    await client.repos.create('team', { name: 'editable' });
    const updated = await client.repos.update('team', 'editable', { description: 'now described', default_branch: 'dev', read_only: true });
    expect(updated).toMatchObject({ description: 'now described', default_branch: 'dev', read_only: true });
    expect(await client.repos.get('team', 'editable')).toEqual(updated);
    expect((await client.repos.update('team', 'editable', { read_only: false })).read_only).toBe(false);
    const bad = await caught(client.repos.update('team', 'editable', { default_branch: 'no..dots' }));
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(['BAD_REQUEST', 'BAD_REF_NAME']).toContain(bad.code);
  });

  it('deletes one and revokes its tokens', async () => {
    const repo = await client.repos.create('team', { name: 'doomed' });
    await client.repos.delete('team', 'doomed');
    expect((await caught(client.repos.get('team', 'doomed'))).code).toBe('NOT_FOUND');
    const byToken = new GroveClient({ url: server.url, token: repo.token });
    expect((await caught(byToken.repos.get('team', 'doomed'))).code).toBe('UNAUTHORIZED');
    expect((await caught(client.repos.delete('team', 'doomed'))).status).toBe(404);
  });

  it('lists with search, sort and direction, and iterates every page', async () => {
    const names = ['r-cherry', 'r-apple', 'r-banana', 'r-date', 'r-elder', 'other'];
    for (const name of names) await client.repos.create('listing', { name });
    // Newest first; repositories made in the same millisecond may come in either order.
    const newestFirst = await collect(client.repos.iterate('listing', { limit: 2 }));
    expect(newestFirst.map((r) => r.name).sort()).toEqual([...names].sort());
    const times = newestFirst.map((r) => Date.parse(r.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const byName = await collect(client.repos.iterate('listing', { limit: 4, sort: 'name', direction: 'asc' }));
    expect(byName.map((r) => r.name)).toEqual(['other', 'r-apple', 'r-banana', 'r-cherry', 'r-date', 'r-elder']);
    const page = await client.repos.list('listing', { limit: 3 });
    expect(page.repos).toHaveLength(3);
    expect(page.next_cursor).toEqual(expect.any(String));
    const rest = await client.repos.list('listing', { limit: 3, cursor: page.next_cursor! });
    expect([...page.repos, ...rest.repos]).toEqual(newestFirst);
    expect(rest.next_cursor).toBeNull();
    const found = await client.repos.list('listing', { search: 'AN' });
    expect(found.repos.map((r) => r.name)).toEqual(['r-banana']);
  });

  it('lets a repository token read its own repository and nothing else', async () => {
    const mine = await client.repos.create('tokens-see', { name: 'mine' });
    await client.repos.create('tokens-see', { name: 'theirs' });
    const byToken = new GroveClient({ url: server.url, token: mine.token });
    expect((await byToken.repos.get('tokens-see', 'mine')).id).toBe(mine.id);
    const other = await caught(byToken.repos.get('tokens-see', 'theirs'));
    expect([other.status, other.code]).toEqual([403, 'FORBIDDEN']);
    const none = await caught(byToken.repos.get('tokens-see', 'nonexistent'));
    expect([none.status, none.code]).toEqual([403, 'FORBIDDEN']);
    expect((await caught(byToken.namespaces.list())).code).toBe('FORBIDDEN');
    const anonymous = await caught(new GroveClient({ url: server.url }).namespaces.list());
    expect([anonymous.status, anonymous.code]).toEqual([401, 'UNAUTHORIZED']);
  });

  it('forks the default branch, or every ref, into the same or another namespace', async () => {
    const parent = await client.repos.create('forking', { name: 'parent' });
    await pushHistory(parent);
    const parentRefs = await lsRemote(parent.remote, parent.token);

    const fork = await client.repos.fork('forking', 'parent', { name: 'child', description: 'a fork' });
    expect(fork).toMatchObject({ namespace: 'forking', name: 'child', description: 'a fork', status: 'ready', read_only: false, token: expect.stringMatching(TOKEN) });
    expect(fork.source).toEqual({ kind: 'fork', id: parent.id, namespace: 'forking', name: 'parent' });
    const childRefs = await lsRemote(fork.remote, fork.token);
    expect(childRefs).toBe(parentRefs.split('\n').filter((l) => /\t(HEAD|refs\/heads\/main)$/.test(l)).join('\n'));

    const full = await client.repos.fork('forking', 'parent', { name: 'mirror', namespace: 'elsewhere', default_branch_only: false, read_only: true });
    expect(full).toMatchObject({ namespace: 'elsewhere', name: 'mirror', read_only: true });
    expect(await lsRemote(full.remote, full.token)).toBe(parentRefs);

    expect((await caught(client.repos.fork('forking', 'missing', { name: 'x1' }))).code).toBe('NOT_FOUND');
    expect((await caught(client.repos.fork('forking', 'parent', { name: 'child' }))).code).toBe('ALREADY_EXISTS');
  });

  it('imports from a smart-HTTP remote, waiting or not, with headers, branch and depth', async () => {
    const origin = await client.repos.create('importing', { name: 'origin' });
    await pushHistory(origin);
    const originRefs = await lsRemote(origin.remote, origin.token);
    const headers = { Authorization: `Bearer ${origin.token}` };

    const waited = await client.repos.import('importing', 'copy', { url: origin.remote, headers, wait: true, description: 'imported' });
    expect(waited).toMatchObject({ name: 'copy', status: 'ready', status_reason: null, description: 'imported', token: expect.stringMatching(TOKEN) });
    expect(waited.source).toEqual({ kind: 'import', url: origin.remote, branch: null, depth: null });
    expect(await lsRemote(waited.remote, waited.token)).toBe(originRefs);

    const started = await client.repos.import('importing', 'later', { url: origin.remote, headers, branch: 'side', depth: 1 });
    expect(started.status).toBe('importing');
    expect(started.source).toEqual({ kind: 'import', url: origin.remote, branch: 'side', depth: 1 });
    let repo = await client.repos.get('importing', 'later');
    for (let i = 0; i < 600 && repo.status === 'importing'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      repo = await client.repos.get('importing', 'later');
    }
    expect(repo.status).toBe('ready');
    const sideLine = originRefs.split('\n').find((l) => l.endsWith('\trefs/heads/side'))!;
    expect(await lsRemote(repo.remote, started.token)).toContain(sideLine);

    const refused = await caught(client.repos.import('importing', 'nope', { url: 'file:///etc', wait: true }));
    expect([refused.status, refused.code]).toEqual([422, 'REMOTE_NOT_ALLOWED']);
  });
});

describe('repository tokens', () => {
  it('mints, lists, iterates and revokes', async () => {
    await client.repos.create('tok', { name: 'repo' });
    const read = await client.tokens.create('tok', 'repo', { scope: 'read', ttl: 3600, label: 'ci' });
    expect(read).toEqual({ id: expect.any(String), token: expect.stringMatching(TOKEN), scope: 'read', label: 'ci', created_at: expect.stringMatching(ISO), expires_at: expect.stringMatching(ISO) });
    expect(Date.parse(read.expires_at!) - Date.parse(read.created_at)).toBe(3600 * 1000);
    const write = await client.tokens.create('tok', 'repo');
    expect(write.scope).toBe('write');
    expect(Date.parse(write.expires_at!) - Date.parse(write.created_at)).toBe(86400 * 1000);

    const listed = await client.tokens.list('tok', 'repo');
    const ids = listed.tokens.map((t) => t.id);
    expect(ids).toContain(read.id);
    expect(ids.indexOf(write.id)).toBeLessThan(ids.indexOf(read.id));
    expect(listed.tokens.find((t) => t.id === read.id)).toEqual({
      id: read.id, scope: 'read', label: 'ci', state: 'active', created_at: read.created_at, expires_at: read.expires_at, last_used_at: null, revoked_at: null,
    });
    expect(JSON.stringify(listed)).not.toContain(read.token);

    const byRead = new GroveClient({ url: server.url, token: read.token });
    expect((await byRead.repos.get('tok', 'repo')).name).toBe('repo');
    await client.tokens.revoke('tok', 'repo', read.id);
    await client.tokens.revoke('tok', 'repo', read.id);
    expect((await caught(byRead.repos.get('tok', 'repo'))).code).toBe('UNAUTHORIZED');
    expect((await client.tokens.list('tok', 'repo')).tokens.map((t) => t.id)).not.toContain(read.id);
    const revoked = (await client.tokens.list('tok', 'repo', { state: 'revoked' })).tokens;
    expect(revoked.map((t) => t.id)).toEqual([read.id]);
    expect(revoked[0]!.revoked_at).toMatch(ISO);

    for (let i = 0; i < 5; i++) await client.tokens.create('tok', 'repo', { label: `bulk ${i}` });
    const all = await collect(client.tokens.iterate('tok', 'repo', { state: 'all', limit: 2 }));
    expect(all).toHaveLength(1 + 2 + 5); // the create answer's token, write, read, five bulk
    expect(new Set(all.map((t) => t.id)).size).toBe(all.length);
  });

  it('maps a bad ttl to BAD_REQUEST naming the field, and an unknown repository to NOT_FOUND', async () => {
    await client.repos.create('tok', { name: 'strict' });
    const bad = await caught(client.tokens.create('tok', 'strict', { ttl: 5 }));
    expect([bad.status, bad.code]).toEqual([400, 'BAD_REQUEST']);
    expect(bad.details).toMatchObject({ field: 'ttl' });
    expect((await caught(client.tokens.list('tok', 'missing'))).code).toBe('NOT_FOUND');
  });
});

describe('admin tokens', () => {
  it('mints one that drives the control plane, lists it, and revokes it', async () => {
    const minted = await client.adminTokens.create({ ttl: 7200, label: 'deploy' });
    expect(minted).toMatchObject({ scope: 'admin', label: 'deploy', token: expect.any(String) });
    expect(Date.parse(minted.expires_at!) - Date.parse(minted.created_at)).toBe(7200 * 1000);
    const byMinted = new GroveClient({ url: server.url, token: minted.token });
    expect((await byMinted.namespaces.create({ name: 'by-minted' })).name).toBe('by-minted');

    const defaults = await client.adminTokens.create();
    expect(Date.parse(defaults.expires_at!) - Date.parse(defaults.created_at)).toBe(30 * 86400 * 1000);
    const listed = await collect(client.adminTokens.iterate({ limit: 1 }));
    expect(listed.map((t) => t.id)).toEqual(expect.arrayContaining([minted.id, defaults.id]));
    expect(listed.every((t) => t.scope === 'admin')).toBe(true);
    expect((await client.adminTokens.list()).tokens.find((t) => t.id === minted.id)!.last_used_at).toMatch(ISO);

    await client.adminTokens.revoke(minted.id);
    const refused = await caught(byMinted.namespaces.list());
    expect([refused.status, refused.code]).toEqual([401, 'UNAUTHORIZED']);
    expect((await client.adminTokens.list({ state: 'revoked' })).tokens.map((t) => t.id)).toEqual([minted.id]);
  });
});

describe('rate limits', () => {
  it('maps 429 to RATE_LIMITED with retryAfter, without waiting for a long Retry-After', async () => {
    const dir = tempDir('grove-sdk-rate-');
    const limited = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir.dir, adminToken: ADMIN, rates: { perToken: { limit: 2, windowSeconds: 3600 } } });
    try {
      const api = new GroveClient({ url: limited.url, token: ADMIN });
      await api.namespaces.list();
      await api.namespaces.list();
      const err = await caught(api.namespaces.list());
      expect([err.status, err.code]).toEqual([429, 'RATE_LIMITED']);
      expect(err.retryAfter).toBeGreaterThan(60);
    } finally {
      await limited.close();
      dir.remove();
    }
  });
});
