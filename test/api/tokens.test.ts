/**
 * The token routes of docs/API.md:
 *
 *   POST   /v1/namespaces/:ns/repos/:name/tokens      {scope? = "write", ttl? = 86400, label? = ""}  201 {id, token, scope, label, created_at, expires_at}
 *   GET    /v1/namespaces/:ns/repos/:name/tokens      state (active|expired|revoked|all, default active), limit, cursor  200 {tokens, next_cursor}, newest first
 *   DELETE /v1/namespaces/:ns/repos/:name/tokens/:id  204 (also when already revoked)
 *   POST   /v1/tokens      {ttl? = 2592000, label? = ""}  201 admin token
 *   GET    /v1/tokens      as above                      200 (admin tokens; not the configured bootstrap one)
 *   DELETE /v1/tokens/:id                                204
 *
 * `ttl` is 60 – 31,536,000 seconds. The secret is shown once; lists never
 * show it. A token's rights are checked with real git (a read token clones,
 * a write token pushes) and REST. Expiry needs a clock the test can move: it
 * is covered in src/services/TokenService.test.ts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../support/git.ts';
import { useTempDir } from '../support/tempDir.ts';
import { tick, uniqueName, useApiServer, type ApiServer } from './support/apiServer.ts';
import { page, walk } from './support/pages.ts';
import { expectError, expectMinted, expectToken, ms, secretOf, type MintedJson, type RepoWithTokenJson, type TokenJson } from './support/shapes.ts';
import { initWorkTree, lsRemote } from './support/workTree.ts';

const server = useApiServer();
const work = useTempDir('grove-api-tokens-');
let dirs = 0;

const DAY = 24 * 60 * 60;

async function newRepo(): Promise<RepoWithTokenJson & { tokens: string }> {
  const ns = uniqueName('tokens');
  const repo = await server().createRepo(ns, { name: 'repo' });
  return { ...repo, tokens: `/v1/namespaces/${ns}/repos/repo/tokens` };
}

async function listAll(s: ApiServer, path: string, state: string): Promise<TokenJson[]> {
  return walk<TokenJson>(s, path, 'tokens', 200, { state });
}

describe('POST /v1/namespaces/:ns/repos/:name/tokens', () => {
  it('mints a write token valid one day by default: 201 {id, token, scope, label, created_at, expires_at}', async () => {
    const repo = await newRepo();
    const before = Date.now();
    const answer = await server().call('POST', repo.tokens, { json: {} });
    const after = Date.now();
    expect(answer.status, answer.text).toBe(201);
    const minted = expectMinted(answer.json, { scope: 'write', label: '' });
    expect(ms(minted.created_at)).toBeGreaterThanOrEqual(before);
    expect(ms(minted.created_at)).toBeLessThanOrEqual(after);
    expect(ms(minted.expires_at!) - ms(minted.created_at)).toBe(DAY * 1000);
  });

  it('takes scope, ttl (60 to 31,536,000 s) and label', async () => {
    const repo = await newRepo();
    for (const [json, expected] of [
      [{ scope: 'read', ttl: 60, label: 'ci' }, { scope: 'read', label: 'ci', ttl: 60 }],
      [{ scope: 'write', ttl: 31_536_000, label: 'l'.repeat(256) }, { scope: 'write', label: 'l'.repeat(256), ttl: 31_536_000 }],
      [{ label: 'ünïcode ✓' }, { scope: 'write', label: 'ünïcode ✓', ttl: DAY }],
    ] as const) {
      const answer = await server().call('POST', repo.tokens, { json });
      expect(answer.status, answer.text).toBe(201);
      const minted = expectMinted(answer.json, { scope: expected.scope, label: expected.label });
      expect(ms(minted.expires_at!) - ms(minted.created_at)).toBe(expected.ttl * 1000);
    }
  });

  it('mints distinct tokens; a read token clones but cannot push, a write token pushes', async () => {
    const repo = await newRepo();
    const read = await server().mintToken(...nsName(repo), { scope: 'read' });
    const write = await server().mintToken(...nsName(repo), { scope: 'write' });
    expect(new Set([repo.token, read.token, write.token]).size).toBe(3);
    const dir = join(work, `wt-${++dirs}`);
    const first = await initWorkTree(dir);
    await git(['push', '--quiet', repo.remote, 'main'], { cwd: dir, token: write.token });
    expect(await lsRemote(repo.remote, read.token)).toEqual({ HEAD: first, 'refs/heads/main': first });
    const refused = await git(['push', repo.remote, 'main:refs/heads/other'], { cwd: dir, token: read.token, allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/403/);
    expect(await lsRemote(repo.remote, read.token)).toEqual({ HEAD: first, 'refs/heads/main': first });
  });

  it.each([
    [{ ttl: 59 }, 'ttl'],
    [{ ttl: 31_536_001 }, 'ttl'],
    [{ ttl: 0 }, 'ttl'],
    [{ ttl: -60 }, 'ttl'],
    [{ ttl: 60.5 }, 'ttl'],
    [{ ttl: '3600' }, 'ttl'],
    [{ ttl: null }, 'ttl'],
    [{ scope: 'admin' }, 'scope'],
    [{ scope: 'READ' }, 'scope'],
    [{ scope: 1 }, 'scope'],
    [{ label: 'l'.repeat(257) }, 'label'],
    [{ label: 5 }, 'label'],
  ])('answers 400 BAD_REQUEST to %j, naming the field', async (json, field) => {
    const repo = await newRepo();
    const error = expectError(await server().call('POST', repo.tokens, { json }), 'BAD_REQUEST', JSON.stringify(json).slice(0, 60));
    expect(error.details).toMatchObject({ field });
    expect(await listAll(server(), repo.tokens, 'all')).toHaveLength(1);
  });

  it('answers 400 BAD_REQUEST to unknown keys and to a body that is not an object', async () => {
    const repo = await newRepo();
    for (const json of [{ repo: 'x' }, { expires_at: '2030-01-01T00:00:00.000Z' }, { secret: 'mine' }, [], 'write', null]) {
      expectError(await server().call('POST', repo.tokens, { json }), 'BAD_REQUEST', JSON.stringify(json));
    }
    expect(await listAll(server(), repo.tokens, 'all')).toHaveLength(1);
  });

  it('answers 404 NOT_FOUND for a repository or namespace that does not exist', async () => {
    const repo = await newRepo();
    const ns = repo.namespace;
    const error = expectError(await server().call('POST', `/v1/namespaces/${ns}/repos/nothing/tokens`, { json: {} }), 'NOT_FOUND');
    expect(error.details).toMatchObject({ namespace: ns, name: 'nothing' });
    expectError(await server().call('POST', `/v1/namespaces/${uniqueName('nowhere')}/repos/repo/tokens`, { json: {} }), 'NOT_FOUND');
  });
});

describe('GET /v1/namespaces/:ns/repos/:name/tokens', () => {
  it('lists Tokens newest first, each {id, scope, label, state, created_at, expires_at, last_used_at, revoked_at}', async () => {
    const repo = await newRepo();
    const minted: MintedJson[] = [];
    for (const [scope, label] of [['read', 'a'], ['write', 'b'], ['read', 'c']] as const) {
      await tick();
      minted.push(await server().mintToken(...nsName(repo), { scope, label, ttl: 3600 }));
    }
    const got = await page<TokenJson>(server(), repo.tokens, 'tokens');
    expect(got.next_cursor).toBeNull();
    expect(got.items.map((t) => t.label)).toEqual(['c', 'b', 'a', 'created with the repository']);
    for (const [i, m] of [...minted].reverse().entries()) {
      expectToken(got.items[i], { id: m.id, scope: m.scope, label: m.label, state: 'active', created_at: m.created_at, expires_at: m.expires_at, last_used_at: null, revoked_at: null });
    }
    const createdAt = got.items.map((t) => ms(t.created_at));
    for (let i = 1; i < createdAt.length; i++) expect(createdAt[i]!).toBeLessThanOrEqual(createdAt[i - 1]!);
  });

  it('never shows a secret', async () => {
    const repo = await newRepo();
    const tokens = [repo.token];
    for (let i = 0; i < 3; i++) tokens.push((await server().mintToken(...nsName(repo), { scope: i % 2 === 0 ? 'read' : 'write' })).token);
    const revoked = await server().mintToken(...nsName(repo));
    expect((await server().call('DELETE', `${repo.tokens}/${revoked.id}`)).status).toBe(204);
    tokens.push(revoked.token);
    for (const state of ['active', 'revoked', 'expired', 'all']) {
      const answer = await server().call('GET', `${repo.tokens}?state=${state}`);
      expect(answer.status).toBe(200);
      for (const token of tokens) {
        expect(answer.text).not.toContain(token);
        expect(answer.text).not.toContain(secretOf(token));
      }
      for (const item of (answer.json as { tokens: TokenJson[] }).tokens) expectToken(item);
    }
  });

  it('records last_used_at when a token is used', async () => {
    const repo = await newRepo();
    const read = await server().mintToken(...nsName(repo), { scope: 'read', label: 'used' });
    const unused = (await listAll(server(), repo.tokens, 'active')).find((t) => t.id === read.id)!;
    expect(unused.last_used_at).toBeNull();
    const before = Date.now();
    await lsRemote(repo.remote, read.token);
    const used = (await listAll(server(), repo.tokens, 'active')).find((t) => t.id === read.id)!;
    expectToken(used, { id: read.id });
    expect(used.last_used_at).not.toBeNull();
    expect(ms(used.last_used_at!)).toBeGreaterThanOrEqual(before);
  });

  it('filters by state: active (the default), revoked, all', async () => {
    const repo = await newRepo();
    const createdWith = (await listAll(server(), repo.tokens, 'all'))[0]!;
    const kept = await server().mintToken(...nsName(repo), { label: 'kept' });
    const gone = await server().mintToken(...nsName(repo), { label: 'gone' });
    const before = Date.now();
    expect((await server().call('DELETE', `${repo.tokens}/${gone.id}`)).status).toBe(204);
    const ids = (tokens: TokenJson[]): string[] => tokens.map((t) => t.id).sort();
    expect(ids((await page<TokenJson>(server(), repo.tokens, 'tokens')).items)).toEqual([createdWith.id, kept.id].sort());
    expect(ids(await listAll(server(), repo.tokens, 'active'))).toEqual([createdWith.id, kept.id].sort());
    const revoked = await listAll(server(), repo.tokens, 'revoked');
    expect(ids(revoked)).toEqual([gone.id]);
    expectToken(revoked[0], { id: gone.id, state: 'revoked', label: 'gone' });
    expect(ms(revoked[0]!.revoked_at!)).toBeGreaterThanOrEqual(before);
    const all = await listAll(server(), repo.tokens, 'all');
    expect(ids(all)).toEqual([createdWith.id, kept.id, gone.id].sort());
    expect(all.find((t) => t.id === gone.id)?.state).toBe('revoked');
    expect(all.find((t) => t.id === kept.id)?.state).toBe('active');
    expect(await listAll(server(), repo.tokens, 'expired')).toEqual([]);
  });

  it('lists only the tokens of this repository', async () => {
    const a = await newRepo();
    const b = await newRepo();
    await server().mintToken(...nsName(b), { label: 'of b' });
    expect((await listAll(server(), a.tokens, 'all')).map((t) => t.label)).toEqual(['created with the repository']);
    expect((await listAll(server(), '/v1/tokens', 'all')).some((t) => t.label === 'of b')).toBe(false);
  });

  it('pages: limit 1 walks every token once; exactly `limit` gives next_cursor null; a cursor survives revocations and new tokens', async () => {
    const repo = await newRepo();
    for (let i = 0; i < 5; i++) await server().mintToken(...nsName(repo), { label: `t${i}` });
    const all = await listAll(server(), repo.tokens, 'all');
    expect(all).toHaveLength(6);
    const walked = await walk<TokenJson>(server(), repo.tokens, 'tokens', 1, { state: 'all' });
    expect(walked.map((t) => t.id)).toEqual(all.map((t) => t.id));
    const exact = await page<TokenJson>(server(), repo.tokens, 'tokens', { state: 'all', limit: 6 });
    expect(exact.items).toHaveLength(6);
    expect(exact.next_cursor).toBeNull();

    const first = await page<TokenJson>(server(), repo.tokens, 'tokens', { state: 'all', limit: 2 });
    expect(first.items.map((t) => t.id)).toEqual(all.slice(0, 2).map((t) => t.id));
    // Revoke the last one seen, mint a newer one: the next page starts right after the last one seen.
    expect((await server().call('DELETE', `${repo.tokens}/${first.items[1]!.id}`)).status).toBe(204);
    await tick();
    await server().mintToken(...nsName(repo), { label: 'newer' });
    const rest: TokenJson[] = [];
    let cursor: string | null = first.next_cursor;
    while (cursor !== null) {
      const next: { items: TokenJson[]; next_cursor: string | null } = await page<TokenJson>(server(), repo.tokens, 'tokens', { state: 'all', limit: 2, cursor });
      rest.push(...next.items);
      cursor = next.next_cursor;
    }
    expect(rest.map((t) => t.id)).toEqual(all.slice(2).map((t) => t.id));
  });

  it('answers 400 BAD_REQUEST to a bad state, limit or cursor, naming the field', async () => {
    const repo = await newRepo();
    for (const [query, field] of [
      ['state=x', 'state'], ['state=ACTIVE', 'state'], ['state=', 'state'],
      ['limit=0', 'limit'], ['limit=201', 'limit'], ['limit=abc', 'limit'],
      ['cursor=zzz', 'cursor'], [`cursor=${Buffer.from('["a","b"]').toString('base64url')}`, 'cursor'],
    ] as const) {
      const error = expectError(await server().call('GET', `${repo.tokens}?${query}`), 'BAD_REQUEST', query);
      expect(error.details).toMatchObject({ field });
    }
  });

  it('answers 404 NOT_FOUND for a repository or namespace that does not exist', async () => {
    const repo = await newRepo();
    expectError(await server().call('GET', `/v1/namespaces/${repo.namespace}/repos/nothing/tokens`), 'NOT_FOUND');
    expectError(await server().call('GET', `/v1/namespaces/${uniqueName('nowhere')}/repos/repo/tokens`), 'NOT_FOUND');
  });
});

describe('DELETE /v1/namespaces/:ns/repos/:name/tokens/:id', () => {
  it('revokes: 204 with no body; the token then gets 401 on Git and REST; again 204', async () => {
    const repo = await newRepo();
    const read = await server().mintToken(...nsName(repo), { scope: 'read' });
    expect((await server().call('GET', `/v1/namespaces/${repo.namespace}/repos/repo`, { token: read.token })).status).toBe(200);
    const answer = await server().call('DELETE', `${repo.tokens}/${read.id}`);
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expectError(await server().call('GET', `/v1/namespaces/${repo.namespace}/repos/repo`, { token: read.token }), 'UNAUTHORIZED');
    expectError(await server().call('GET', `${new URL(repo.remote).pathname}/info/refs?service=git-upload-pack`, { token: read.token }), 'UNAUTHORIZED');
    const listed = await git(['ls-remote', repo.remote], { token: read.token, allowFailure: true });
    expect(listed.code).not.toBe(0);
    expect(listed.stderr).toMatch(/Authentication failed|could not read Username/);
    const first = (await listAll(server(), repo.tokens, 'revoked'))[0]!;
    const again = await server().call('DELETE', `${repo.tokens}/${read.id}`);
    expect(again.status).toBe(204);
    expect((await listAll(server(), repo.tokens, 'revoked'))[0]).toEqual(first);
    // The other tokens still work.
    expect(await lsRemote(repo.remote, repo.token)).toEqual({});
  });

  it('answers 404 NOT_FOUND for an unknown id, a token of another repository, or an admin token, and revokes nothing', async () => {
    const repo = await newRepo();
    const other = await newRepo();
    const foreign = await server().mintToken(...nsName(other));
    const admin = await server().mintAdminToken();
    for (const id of ['0000000000000000', 'nothing', foreign.id, admin.id, 'x'.repeat(300)]) {
      expectError(await server().call('DELETE', `${repo.tokens}/${id}`), 'NOT_FOUND', id.slice(0, 20));
    }
    expect((await server().call('GET', `/v1/namespaces/${other.namespace}/repos/repo`, { token: foreign.token })).status).toBe(200);
    expect((await server().call('GET', '/v1/tokens', { token: admin.token })).status).toBe(200);
    expectError(await server().call('DELETE', `/v1/namespaces/${repo.namespace}/repos/nothing/tokens/${foreign.id}`), 'NOT_FOUND');
  });
});

describe('admin tokens: /v1/tokens', () => {
  const fresh = useApiServer();

  it('lists nothing before any is minted: the configured admin token is not listed', async () => {
    for (const state of ['active', 'all', 'revoked', 'expired']) {
      expect(await page<TokenJson>(fresh(), '/v1/tokens', 'tokens', { state })).toEqual({ items: [], next_cursor: null });
    }
  });

  it('mints an admin token valid 30 days by default: 201 {id, token, scope: "admin", label, created_at, expires_at}', async () => {
    const answer = await fresh().call('POST', '/v1/tokens', { json: { label: 'ops' } });
    expect(answer.status, answer.text).toBe(201);
    const minted = expectMinted(answer.json, { scope: 'admin', label: 'ops' });
    expect(ms(minted.expires_at!) - ms(minted.created_at)).toBe(30 * DAY * 1000);
    const plain = expectMinted((await fresh().call('POST', '/v1/tokens', { json: {} })).json, { scope: 'admin', label: '' });
    const short = expectMinted((await fresh().call('POST', '/v1/tokens', { json: { ttl: 60 } })).json, { scope: 'admin' });
    expect(ms(short.expires_at!) - ms(short.created_at)).toBe(60_000);
    const long = expectMinted((await fresh().call('POST', '/v1/tokens', { json: { ttl: 31_536_000 } })).json, { scope: 'admin' });
    expect(ms(long.expires_at!) - ms(long.created_at)).toBe(31_536_000_000);
    const listed = await listAll(fresh(), '/v1/tokens', 'all');
    expect(listed.map((t) => t.id).sort()).toEqual([minted.id, plain.id, short.id, long.id].sort());
    for (const t of listed) expectToken(t, { scope: 'admin', state: 'active' });
    expect(JSON.stringify(listed)).not.toContain(fresh().admin);
  });

  it('a minted admin token drives every route, mints more, and stops working (401) once revoked', async () => {
    const minted = await fresh().mintAdminToken({ label: 'short-lived' });
    const ns = uniqueName('by-minted');
    const asMinted = { token: minted.token };
    expect((await fresh().call('POST', '/v1/namespaces', { ...asMinted, json: { name: ns } })).status).toBe(201);
    const repo = await fresh().call('POST', `/v1/namespaces/${ns}/repos`, { ...asMinted, json: { name: 'repo' } });
    expect(repo.status).toBe(201);
    expect((await fresh().call('GET', `/v1/namespaces/${ns}/repos/repo/tokens`, asMinted)).status).toBe(200);
    expect((await fresh().call('GET', `/git/${ns}/repo.git/info/refs?service=git-upload-pack`, asMinted)).status).toBe(200);
    const second = await fresh().call('POST', '/v1/tokens', { ...asMinted, json: { label: 'by a minted one' } });
    expect(second.status).toBe(201);
    const secondToken = expectMinted(second.json, { scope: 'admin' });

    const revoked = await fresh().call('DELETE', `/v1/tokens/${minted.id}`);
    expect(revoked.status).toBe(204);
    expect(revoked.text).toBe('');
    for (const [method, path] of [['GET', '/v1/namespaces'], ['GET', `/v1/namespaces/${ns}/repos/repo`], ['GET', '/v1/tokens'], ['GET', `/git/${ns}/repo.git/info/refs?service=git-upload-pack`]] as const) {
      expectError(await fresh().call(method, path, asMinted), 'UNAUTHORIZED', path);
    }
    expectToken((await listAll(fresh(), '/v1/tokens', 'revoked')).find((t) => t.id === minted.id), { state: 'revoked', label: 'short-lived' });
    expect((await fresh().call('GET', '/v1/namespaces', { token: secondToken.token })).status).toBe(200);
    expect((await fresh().call('DELETE', `/v1/tokens/${minted.id}`)).status).toBe(204);
  });

  it('lists newest first, by state, in pages, never with a secret', async () => {
    const all = await listAll(fresh(), '/v1/tokens', 'all');
    const created = all.map((t) => ms(t.created_at));
    for (let i = 1; i < created.length; i++) expect(created[i]!).toBeLessThanOrEqual(created[i - 1]!);
    const walked = await walk<TokenJson>(fresh(), '/v1/tokens', 'tokens', 1, { state: 'all' });
    expect(walked.map((t) => t.id)).toEqual(all.map((t) => t.id));
    const active = await listAll(fresh(), '/v1/tokens', 'active');
    const revoked = await listAll(fresh(), '/v1/tokens', 'revoked');
    expect([...active, ...revoked].map((t) => t.id).sort()).toEqual(all.map((t) => t.id).sort());
    expect(active.every((t) => t.state === 'active' && t.revoked_at === null)).toBe(true);
    expect(revoked.every((t) => t.state === 'revoked' && t.revoked_at !== null)).toBe(true);
    expect(revoked.length).toBeGreaterThan(0);
    const text = (await fresh().call('GET', '/v1/tokens?state=all')).text;
    expect(text).not.toMatch(/grove_[0-9a-f]{16}_[0-9a-f]{64}/);
    expect(text).not.toContain(fresh().admin);
  });

  it('does not list repository tokens, and DELETE /v1/tokens/:id does not revoke one (404)', async () => {
    const repo = await fresh().createRepo(uniqueName('repo-tokens'), { name: 'repo' });
    const id = repo.token.slice('grove_'.length, 'grove_'.length + 16);
    expect((await listAll(fresh(), '/v1/tokens', 'all')).some((t) => t.id === id)).toBe(false);
    expectError(await fresh().call('DELETE', `/v1/tokens/${id}`), 'NOT_FOUND');
    expect((await fresh().call('GET', `/v1/namespaces/${repo.namespace}/repos/repo`, { token: repo.token })).status).toBe(200);
  });

  it('answers 404 NOT_FOUND to DELETE of an unknown id, and the bootstrap admin token cannot be revoked by id', async () => {
    for (const id of ['0000000000000000', 'bootstrap', 'nothing']) expectError(await fresh().call('DELETE', `/v1/tokens/${id}`), 'NOT_FOUND', id);
    expect((await fresh().call('GET', '/v1/namespaces')).status).toBe(200);
  });

  it.each([
    [{ ttl: 59 }, 'ttl'],
    [{ ttl: 31_536_001 }, 'ttl'],
    [{ ttl: 'long' }, 'ttl'],
    [{ label: 'l'.repeat(257) }, 'label'],
  ])('answers 400 BAD_REQUEST to %j, naming the field', async (json, field) => {
    const before = (await listAll(fresh(), '/v1/tokens', 'all')).length;
    const error = expectError(await fresh().call('POST', '/v1/tokens', { json }), 'BAD_REQUEST', JSON.stringify(json).slice(0, 60));
    expect(error.details).toMatchObject({ field });
    expect(await listAll(fresh(), '/v1/tokens', 'all')).toHaveLength(before);
  });

  it('answers 400 BAD_REQUEST to a scope or unknown key (an admin token has no scope to choose)', async () => {
    for (const json of [{ scope: 'admin' }, { scope: 'write' }, { repo: 'x' }]) {
      expectError(await fresh().call('POST', '/v1/tokens', { json }), 'BAD_REQUEST', JSON.stringify(json));
    }
  });

  it('answers 400 BAD_REQUEST to a bad state, limit or cursor', async () => {
    for (const [query, field] of [['state=gone', 'state'], ['limit=0', 'limit'], ['limit=201', 'limit'], ['cursor=%21', 'cursor']] as const) {
      const error = expectError(await fresh().call('GET', `/v1/tokens?${query}`), 'BAD_REQUEST', query);
      expect(error.details).toMatchObject({ field });
    }
  });
});

function nsName(repo: { namespace: string; name: string }): [string, string] {
  return [repo.namespace, repo.name];
}
