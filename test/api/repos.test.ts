/**
 * The repository routes of docs/API.md that make, read, change and delete
 * one repository (listing is in repoList.test.ts, forks in forks.test.ts,
 * imports in imports.test.ts):
 *
 *   POST   /v1/namespaces/:ns/repos        {name, description?, default_branch? = "main", read_only? = false}  201 Repo & {token}
 *   GET    /v1/namespaces/:ns/repos/:name                                       200 Repo (admin, or a token of this repository)
 *   PATCH  /v1/namespaces/:ns/repos/:name  {description?, default_branch?, read_only?}  200 Repo
 *   DELETE /v1/namespaces/:ns/repos/:name                                       204; its tokens are revoked with it
 *
 * What a change means is checked with the real git CLI: the default branch is
 * what a clone checks out, a read-only repository refuses a push (and keeps
 * its refs), the token of the create answer pushes.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitOut } from '../support/git.ts';
import { useTempDir } from '../support/tempDir.ts';
import { tick, uniqueName, useApiServer } from './support/apiServer.ts';
import { BAD_NAMES } from './support/badNames.ts';
import { expectError, expectNamespace, expectRepo, expectToken, ms, type RepoJson, type TokenJson } from './support/shapes.ts';
import { commit, initWorkTree, lsRemote, remoteHead } from './support/workTree.ts';

const server = useApiServer();
const work = useTempDir('grove-api-repos-');
let dirs = 0;

/** A fresh working repository with one commit on main. */
async function workTree(): Promise<{ dir: string; first: string }> {
  const dir = join(work, `wt-${++dirs}`);
  const first = await initWorkTree(dir);
  return { dir, first };
}

describe('POST /v1/namespaces/:ns/repos', () => {
  it('creates a repository: 201 Repo & {token}, every field as documented, defaults applied', async () => {
    const ns = uniqueName('create');
    const before = Date.now();
    const answer = await server().call('POST', `/v1/namespaces/${ns}/repos`, { json: { name: 'plain' } });
    const after = Date.now();
    expect(answer.status, answer.text).toBe(201);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json\b/);
    const repo = expectRepo(answer.json, server().url, {
      name: 'plain', namespace: ns, description: '', default_branch: 'main', read_only: false,
      status: 'ready', status_reason: null, last_push_at: null, source: null,
    }, { withToken: true });
    expect(repo.remote).toBe(`${server().url}/git/${ns}/plain.git`);
    expect(repo.updated_at).toBe(repo.created_at);
    expect(ms(repo.created_at)).toBeGreaterThanOrEqual(before);
    expect(ms(repo.created_at)).toBeLessThanOrEqual(after);
    const { token, ...withoutToken } = answer.json as RepoJson & { token: string };
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos/plain`)).json).toEqual(withoutToken);
    expect(token).toMatch(/^grove_[0-9a-f]{16}_[0-9a-f]{64}$/);
  });

  it('takes description, default_branch and read_only', async () => {
    const ns = uniqueName('create');
    const answer = await server().call('POST', `/v1/namespaces/${ns}/repos`, {
      json: { name: 'full', description: 'a repository for agent 42 — ünïcode ok', default_branch: 'trunk', read_only: true },
    });
    expect(answer.status, answer.text).toBe(201);
    expectRepo(answer.json, server().url, { name: 'full', namespace: ns, description: 'a repository for agent 42 — ünïcode ok', default_branch: 'trunk', read_only: true }, { withToken: true });
    const long = 'd'.repeat(4096);
    const longAnswer = await server().call('POST', `/v1/namespaces/${ns}/repos`, { json: { name: 'long', description: long } });
    expect(longAnswer.status).toBe(201);
    expect((longAnswer.json as RepoJson).description).toBe(long);
  });

  it('gives ids unique to each repository', async () => {
    const ns = uniqueName('ids');
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await server().createRepo(ns, { name: `r${i}` })).id);
    expect(ids.size).toBe(5);
  });

  it('answers with a write token for the new repository, valid one day, listed with its label', async () => {
    const ns = uniqueName('token');
    const repo = await server().createRepo(ns, { name: 'repo' });
    const listed = await server().call('GET', `/v1/namespaces/${ns}/repos/repo/tokens`);
    expect(listed.status).toBe(200);
    const tokens = (listed.json as { tokens: TokenJson[] }).tokens;
    expect(tokens).toHaveLength(1);
    const token = expectToken(tokens[0], { scope: 'write', state: 'active', revoked_at: null });
    expect(repo.token.startsWith(`grove_${token.id}_`)).toBe(true);
    expect(ms(token.expires_at!) - ms(token.created_at)).toBe(24 * 60 * 60 * 1000);
    expect(Math.abs(ms(token.created_at) - ms(repo.created_at))).toBeLessThan(60_000);

    // It pushes, and it reads the repository's REST answer.
    const { dir, first } = await workTree();
    await git(['push', '--quiet', repo.remote, 'main'], { cwd: dir, token: repo.token });
    expect(await lsRemote(repo.remote, repo.token)).toEqual({ HEAD: first, 'refs/heads/main': first });
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos/repo`, { token: repo.token })).status).toBe(200);
  });

  it('makes the default branch what a clone checks out', async () => {
    const ns = uniqueName('branch');
    const repo = await server().createRepo(ns, { name: 'repo', default_branch: 'trunk' });
    const { dir, first } = await workTree();
    await git(['checkout', '--quiet', '-b', 'other'], { cwd: dir });
    const second = await commit(dir, 'second');
    await git(['push', '--quiet', repo.remote, 'main:refs/heads/main', 'other:refs/heads/trunk'], { cwd: dir, token: repo.token });
    expect(await remoteHead(repo.remote, repo.token)).toBe('refs/heads/trunk');
    const clone = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', repo.remote, clone], { token: repo.token });
    expect(await gitOut(['symbolic-ref', 'HEAD'], { cwd: clone })).toBe('refs/heads/trunk');
    expect(await gitOut(['rev-parse', 'HEAD'], { cwd: clone })).toBe(second);
    expect(second).not.toBe(first);
  });

  it('creates the namespace with the first repository', async () => {
    const ns = uniqueName('implicit');
    expectError(await server().call('GET', `/v1/namespaces/${ns}`), 'NOT_FOUND');
    await server().createRepo(ns, { name: 'first' });
    expectNamespace((await server().call('GET', `/v1/namespaces/${ns}`)).json, { name: ns, repo_count: 1 });
  });

  it('creates in a namespace made before', async () => {
    const ns = uniqueName('explicit');
    expect((await server().call('POST', '/v1/namespaces', { json: { name: ns } })).status).toBe(201);
    await server().createRepo(ns, { name: 'first' });
    expectNamespace((await server().call('GET', `/v1/namespaces/${ns}`)).json, { name: ns, repo_count: 1 });
  });

  it('answers 409 ALREADY_EXISTS for a name taken in the namespace (and not in another)', async () => {
    const ns = uniqueName('taken');
    const first = await server().createRepo(ns, { name: 'repo', description: 'first' });
    const error = expectError(await server().call('POST', `/v1/namespaces/${ns}/repos`, { json: { name: 'repo', description: 'second' } }), 'ALREADY_EXISTS');
    expect(error.details).toMatchObject({ namespace: ns, name: 'repo' });
    const { token, ...json } = first;
    void token;
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos/repo`)).json).toEqual(json);
    await server().createRepo(uniqueName('other'), { name: 'repo' });
  });

  it.each(BAD_NAMES)('answers 400 BAD_REQUEST to the repository name %j (%s)', async (name) => {
    const ns = uniqueName('badname');
    expectError(await server().call('POST', `/v1/namespaces/${ns}/repos`, { json: { name } }), 'BAD_REQUEST', JSON.stringify(name));
    expectError(await server().call('GET', `/v1/namespaces/${ns}`), 'NOT_FOUND');
  });

  it.each(BAD_NAMES.filter(([name]) => name !== '' && !name.includes('/')))('answers 400 BAD_REQUEST (404 for a `..` segment) to the namespace %j (%s) in the path', async (name) => {
    // Sent as written (fetch would resolve a '..' segment before sending; the server resolves it too, to a route that does not exist).
    const answer = await server().rawCall('POST', `/v1/namespaces/${encodeURIComponent(name)}/repos`, { json: { name: 'repo' } });
    expectError(answer, name === '..' ? 'NOT_FOUND' : 'BAD_REQUEST', JSON.stringify(name));
  });

  it('answers 400 BAD_REQUEST to wrong types and out-of-range values, naming the field', async () => {
    const ns = uniqueName('types');
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 42 }, 'name'],
      [{ name: 'repo', description: 5 }, 'description'],
      [{ name: 'repo', description: null }, 'description'],
      [{ name: 'repo', description: 'd'.repeat(4097) }, 'description'],
      [{ name: 'repo', default_branch: 7 }, 'default_branch'],
      [{ name: 'repo', default_branch: '' }, 'default_branch'],
      [{ name: 'repo', default_branch: 'b'.repeat(256) }, 'default_branch'],
      [{ name: 'repo', read_only: 'yes' }, 'read_only'],
      [{ name: 'repo', read_only: 1 }, 'read_only'],
    ];
    for (const [json, field] of cases) {
      const error = expectError(await server().call('POST', `/v1/namespaces/${ns}/repos`, { json }), 'BAD_REQUEST', JSON.stringify(json).slice(0, 80));
      expect(error.details).toMatchObject({ field });
    }
    expectError(await server().call('POST', `/v1/namespaces/${ns}/repos`, { json: {} }), 'BAD_REQUEST');
    expectError(await server().call('POST', `/v1/namespaces/${ns}/repos`, { json: { name: 'repo', token: 'mine' } }), 'BAD_REQUEST');
    expectError(await server().call('POST', `/v1/namespaces/${ns}/repos`, { json: { name: 'repo', defaultBranch: 'x' } }), 'BAD_REQUEST');
    expectError(await server().call('GET', `/v1/namespaces/${ns}`), 'NOT_FOUND');
  });

  // The server answers 500 INTERNAL (Hono's HTTPException(400) is not mapped).
  it('answers 400 BAD_REQUEST to a malformed JSON body', async () => {
    const answer = await server().call('POST', `/v1/namespaces/${uniqueName('json')}/repos`, { body: '{"name": "repo",', headers: { 'content-type': 'application/json' } });
    expectError(answer, 'BAD_REQUEST');
  });

  it('answers 422 BAD_REF_NAME to a default branch git refuses, and accepts what git accepts', async () => {
    const ns = uniqueName('refname');
    const candidates = [
      'a..b', 'a b', 'x~1', 'x^', 'x:y', 'x.lock', 'x/', '/x', 'x//y', 'x@{1}', 'x\\y', '.x', 'x/.y', 'x.', 'x*', 'x?', 'x[',
      'x\u0001', 'x\u007f', 'feature/ok', 'v1.0', '@', 'x@y', 'HEAD', 'ünïcode', 'a.b-c_d',
    ];
    let i = 0;
    for (const branch of candidates) {
      const gitSays = await git(['check-ref-format', `refs/heads/${branch}`], { allowFailure: true });
      const answer = await server().call('POST', `/v1/namespaces/${ns}/repos`, { json: { name: `r${++i}`, default_branch: branch } });
      if (gitSays.code === 0) {
        expect(answer.status, `${JSON.stringify(branch)}: git accepts it; ${answer.text}`).toBe(201);
        expect((answer.json as RepoJson).default_branch).toBe(branch);
      } else {
        const error = expectError(answer, 'BAD_REF_NAME', `${JSON.stringify(branch)}: git refuses it`);
        expect(error.message).toMatch(/branch/);
      }
    }
    expect(candidates.filter((b) => b === 'a..b')).toHaveLength(1);
  });
});

describe('GET /v1/namespaces/:ns/repos/:name', () => {
  it('answers the Repo to the admin token and to read and write tokens of the repository', async () => {
    const ns = uniqueName('get');
    const created = await server().createRepo(ns, { name: 'repo', description: 'seen' });
    const read = await server().mintToken(ns, 'repo', { scope: 'read' });
    const { token, ...expected } = created;
    for (const [what, auth] of [['admin', server().admin], ['write', token], ['read', read.token]] as const) {
      const answer = await server().call('GET', `/v1/namespaces/${ns}/repos/repo`, { token: auth });
      expect(answer.status, what).toBe(200);
      expect(answer.json, what).toEqual(expected);
      expectRepo(answer.json, server().url);
    }
  });

  it('answers 404 NOT_FOUND to the admin for a repository or namespace that does not exist', async () => {
    const ns = uniqueName('get');
    await server().createRepo(ns, { name: 'repo' });
    const error = expectError(await server().call('GET', `/v1/namespaces/${ns}/repos/nothing`), 'NOT_FOUND');
    expect(error.details).toMatchObject({ namespace: ns, name: 'nothing' });
    expectError(await server().call('GET', `/v1/namespaces/${uniqueName('nowhere')}/repos/repo`), 'NOT_FOUND');
  });

  it('shows last_push_at and updated_at moved by a push', async () => {
    const ns = uniqueName('push');
    const created = await server().createRepo(ns, { name: 'repo' });
    const { dir } = await workTree();
    await tick();
    const before = Date.now();
    await git(['push', '--quiet', created.remote, 'main'], { cwd: dir, token: created.token });
    const after = Date.now();
    const repo = expectRepo((await server().call('GET', `/v1/namespaces/${ns}/repos/repo`)).json, server().url, { created_at: created.created_at });
    expect(repo.last_push_at).not.toBeNull();
    expect(ms(repo.last_push_at!)).toBeGreaterThanOrEqual(before);
    expect(ms(repo.last_push_at!)).toBeLessThanOrEqual(after);
    expect(repo.updated_at).toBe(repo.last_push_at);
  });
});

describe('PATCH /v1/namespaces/:ns/repos/:name', () => {
  it('changes the description; updated_at moves, nothing else does', async () => {
    const ns = uniqueName('patch');
    const created = await server().createRepo(ns, { name: 'repo', description: 'old' });
    await tick();
    const answer = await server().call('PATCH', `/v1/namespaces/${ns}/repos/repo`, { json: { description: 'new' } });
    expect(answer.status, answer.text).toBe(200);
    const { token, ...before } = created;
    void token;
    const after = expectRepo(answer.json, server().url, { ...before, description: 'new', updated_at: (answer.json as RepoJson).updated_at });
    expect(ms(after.updated_at)).toBeGreaterThan(ms(created.updated_at));
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos/repo`)).json).toEqual(after);
    const cleared = await server().call('PATCH', `/v1/namespaces/${ns}/repos/repo`, { json: { description: '' } });
    expect((cleared.json as RepoJson).description).toBe('');
  });

  it('with an empty body changes nothing but answers the Repo', async () => {
    const ns = uniqueName('patch');
    const created = await server().createRepo(ns, { name: 'repo', description: 'same', default_branch: 'dev', read_only: true });
    const answer = await server().call('PATCH', `/v1/namespaces/${ns}/repos/repo`, { json: {} });
    expect(answer.status).toBe(200);
    expectRepo(answer.json, server().url, { id: created.id, description: 'same', default_branch: 'dev', read_only: true, created_at: created.created_at });
  });

  it('moves HEAD with default_branch: a new clone checks the new branch out', async () => {
    const ns = uniqueName('head');
    const repo = await server().createRepo(ns, { name: 'repo' });
    const { dir, first } = await workTree();
    await git(['checkout', '--quiet', '-b', 'dev'], { cwd: dir });
    const dev = await commit(dir, 'on dev');
    await git(['push', '--quiet', repo.remote, 'main', 'dev'], { cwd: dir, token: repo.token });
    expect(await remoteHead(repo.remote, repo.token)).toBe('refs/heads/main');

    const answer = await server().call('PATCH', `/v1/namespaces/${ns}/repos/repo`, { json: { default_branch: 'dev' } });
    expect(answer.status, answer.text).toBe(200);
    expectRepo(answer.json, server().url, { default_branch: 'dev' });
    expect(await remoteHead(repo.remote, repo.token)).toBe('refs/heads/dev');
    const clone = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', repo.remote, clone], { token: repo.token });
    expect(await gitOut(['symbolic-ref', 'HEAD'], { cwd: clone })).toBe('refs/heads/dev');
    expect(await gitOut(['rev-parse', 'HEAD'], { cwd: clone })).toBe(dev);

    // To a branch that does not exist yet: HEAD follows it, and the first push to it makes it what clones get.
    expect((await server().call('PATCH', `/v1/namespaces/${ns}/repos/repo`, { json: { default_branch: 'later' } })).status).toBe(200);
    await git(['push', '--quiet', repo.remote, `${first}:refs/heads/later`], { cwd: dir, token: repo.token });
    expect(await remoteHead(repo.remote, repo.token)).toBe('refs/heads/later');
    expect((await server().call('PATCH', `/v1/namespaces/${ns}/repos/repo`, { json: { default_branch: 'main' } })).status).toBe(200);
    expect(await remoteHead(repo.remote, repo.token)).toBe('refs/heads/main');
  });

  it('with read_only refuses a push (git fails on a 403) and keeps the ref; writable again, the push goes through', async () => {
    const ns = uniqueName('readonly');
    const repo = await server().createRepo(ns, { name: 'repo' });
    const { dir, first } = await workTree();
    await git(['push', '--quiet', repo.remote, 'main'], { cwd: dir, token: repo.token });

    const locked = await server().call('PATCH', `/v1/namespaces/${ns}/repos/repo`, { json: { read_only: true } });
    expect(locked.status).toBe(200);
    expectRepo(locked.json, server().url, { read_only: true });
    const second = await commit(dir, 'second');
    const refused = await git(['push', repo.remote, 'main'], { cwd: dir, token: repo.token, allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/403/);
    expect(await lsRemote(repo.remote, repo.token)).toEqual({ HEAD: first, 'refs/heads/main': first });
    expectError(await server().call('GET', `${new URL(repo.remote).pathname}/info/refs?service=git-receive-pack`, { token: repo.token }), 'FORBIDDEN');
    // Still readable.
    const clone = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', repo.remote, clone], { token: repo.token });
    expect(await gitOut(['rev-parse', 'HEAD'], { cwd: clone })).toBe(first);

    const unlocked = await server().call('PATCH', `/v1/namespaces/${ns}/repos/repo`, { json: { read_only: false } });
    expectRepo(unlocked.json, server().url, { read_only: false });
    await git(['push', '--quiet', repo.remote, 'main'], { cwd: dir, token: repo.token });
    expect(await lsRemote(repo.remote, repo.token)).toEqual({ HEAD: second, 'refs/heads/main': second });
  });

  it('a repository created read-only refuses its first push', async () => {
    const ns = uniqueName('readonly');
    const repo = await server().createRepo(ns, { name: 'repo', read_only: true });
    const { dir } = await workTree();
    const refused = await git(['push', repo.remote, 'main'], { cwd: dir, token: repo.token, allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/403/);
    expect(await lsRemote(repo.remote, repo.token)).toEqual({});
  });

  it('answers 422 BAD_REF_NAME to a bad default branch and changes nothing', async () => {
    const ns = uniqueName('patchref');
    const created = await server().createRepo(ns, { name: 'repo' });
    for (const branch of ['a..b', 'x.lock', 'x y', 'x~']) {
      const error = expectError(await server().call('PATCH', `/v1/namespaces/${ns}/repos/repo`, { json: { default_branch: branch } }), 'BAD_REF_NAME', branch);
      expect(error.message).toMatch(/branch/);
    }
    // Nor the other fields of the same request.
    expectError(await server().call('PATCH', `/v1/namespaces/${ns}/repos/repo`, { json: { default_branch: 'a..b', description: 'changed' } }), 'BAD_REF_NAME');
    const { token, ...expected } = created;
    void token;
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos/repo`)).json).toEqual(expected);
  });

  it('answers 400 BAD_REQUEST to unknown keys and wrong types, and changes nothing', async () => {
    const ns = uniqueName('patchbad');
    const created = await server().createRepo(ns, { name: 'repo' });
    const cases: [Record<string, unknown>, string | null][] = [
      [{ name: 'renamed' }, null],
      [{ namespace: 'moved' }, null],
      [{ description: 1 }, 'description'],
      [{ description: 'd'.repeat(4097) }, 'description'],
      [{ read_only: 'true' }, 'read_only'],
      [{ default_branch: '' }, 'default_branch'],
      [{ default_branch: null }, 'default_branch'],
    ];
    for (const [json, field] of cases) {
      const error = expectError(await server().call('PATCH', `/v1/namespaces/${ns}/repos/repo`, { json }), 'BAD_REQUEST', JSON.stringify(json).slice(0, 80));
      if (field !== null) expect(error.details).toMatchObject({ field });
    }
    expectError(await server().call('PATCH', `/v1/namespaces/${ns}/repos/repo`, { json: ['x'] }), 'BAD_REQUEST');
    const { token, ...expected } = created;
    void token;
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos/repo`)).json).toEqual(expected);
  });

  it('answers 404 NOT_FOUND for a repository that does not exist', async () => {
    const ns = uniqueName('patch404');
    await server().createRepo(ns, { name: 'repo' });
    const error = expectError(await server().call('PATCH', `/v1/namespaces/${ns}/repos/nothing`, { json: { description: 'x' } }), 'NOT_FOUND');
    expect(error.details).toMatchObject({ namespace: ns, name: 'nothing' });
    expectError(await server().call('PATCH', `/v1/namespaces/${uniqueName('nowhere')}/repos/repo`, { json: { description: 'x' } }), 'NOT_FOUND');
  });
});

describe('DELETE /v1/namespaces/:ns/repos/:name', () => {
  it('deletes: 204 with no body; then 404, gone from the list and the namespace count', async () => {
    const ns = uniqueName('delete');
    await server().createRepo(ns, { name: 'keep' });
    await server().createRepo(ns, { name: 'doomed' });
    const answer = await server().call('DELETE', `/v1/namespaces/${ns}/repos/doomed`);
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expectError(await server().call('GET', `/v1/namespaces/${ns}/repos/doomed`), 'NOT_FOUND');
    const list = (await server().call('GET', `/v1/namespaces/${ns}/repos`)).json as { repos: RepoJson[] };
    expect(list.repos.map((r) => r.name)).toEqual(['keep']);
    expectNamespace((await server().call('GET', `/v1/namespaces/${ns}`)).json, { repo_count: 1 });
    const again = expectError(await server().call('DELETE', `/v1/namespaces/${ns}/repos/doomed`), 'NOT_FOUND');
    expect(again.details).toMatchObject({ namespace: ns, name: 'doomed' });
  });

  it('revokes its tokens: they get 401 on Git and REST; the name can be reused, and the old tokens do not open the new repository', async () => {
    const ns = uniqueName('delete');
    const old = await server().createRepo(ns, { name: 'repo' });
    const read = await server().mintToken(ns, 'repo', { scope: 'read' });
    const { dir } = await workTree();
    await git(['push', '--quiet', old.remote, 'main'], { cwd: dir, token: old.token });
    expect((await server().call('DELETE', `/v1/namespaces/${ns}/repos/repo`)).status).toBe(204);

    for (const token of [old.token, read.token]) {
      expectError(await server().call('GET', `/v1/namespaces/${ns}/repos/repo`, { token }), 'UNAUTHORIZED');
      expectError(await server().call('GET', `/git/${ns}/repo.git/info/refs?service=git-upload-pack`, { token }), 'UNAUTHORIZED');
      const listed = await git(['ls-remote', old.remote], { token, allowFailure: true });
      expect(listed.code).not.toBe(0);
    }

    const reused = await server().createRepo(ns, { name: 'repo' });
    expect(reused.id).not.toBe(old.id);
    expect(reused.last_push_at).toBeNull();
    expect(await lsRemote(reused.remote, reused.token)).toEqual({});
    for (const token of [old.token, read.token]) {
      expectError(await server().call('GET', `/v1/namespaces/${ns}/repos/repo`, { token }), 'UNAUTHORIZED');
      const pushed = await git(['push', reused.remote, 'main'], { cwd: dir, token, allowFailure: true });
      expect(pushed.code).not.toBe(0);
    }
    expect(await lsRemote(reused.remote, reused.token)).toEqual({});
    const tokens = (await server().call('GET', `/v1/namespaces/${ns}/repos/repo/tokens?state=all`)).json as { tokens: TokenJson[] };
    expect(tokens.tokens.map((t) => t.id)).toEqual([reused.token.slice(6, 22)]);
  });

  it('answers 404 NOT_FOUND for a repository or namespace that does not exist', async () => {
    const ns = uniqueName('delete404');
    await server().createRepo(ns, { name: 'repo' });
    expectError(await server().call('DELETE', `/v1/namespaces/${ns}/repos/nothing`), 'NOT_FOUND');
    expectError(await server().call('DELETE', `/v1/namespaces/${uniqueName('nowhere')}/repos/repo`), 'NOT_FOUND');
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos/repo`)).status).toBe(200);
  });
});
