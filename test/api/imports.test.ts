/**
 * `POST /v1/namespaces/:ns/repos/:name/import` of docs/API.md: `{url,
 * branch?, depth?, headers?, description?, read_only?, wait? = false}` → 202
 * `Repo & {token}` with `status: "importing"`; with `wait: true`, 201 once it
 * is `ready` (or the import's error). `source` is `{kind: "import", url,
 * branch, depth}`. A remote that is not http(s), or on a loopback, private or
 * link-local address the server does not allow, is 422 REMOTE_NOT_ALLOWED; a
 * remote that fails is 502 REMOTE_ERROR (and `status_reason` of a repository
 * imported without waiting); `headers` are sent and never stored.
 *
 * The remote is a repository of a Grove server itself (on 127.0.0.1, so the
 * importing server is started with `allowPrivateRemotes`), reached with its
 * token in `headers`; what was imported is compared with `git ls-remote`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectFsckClean, git, gitOut } from '../support/git.ts';
import { useTempDir } from '../support/tempDir.ts';
import { tick, uniqueName, useApiServer, type ApiServer } from './support/apiServer.ts';
import { expectError, expectRepo, type RepoJson, type RepoWithTokenJson } from './support/shapes.ts';
import { commit, initWorkTree, lsRemote, remoteHead } from './support/workTree.ts';

const work = useTempDir('grove-api-imports-');
let dirs = 0;

/** A repository on `server` with main (3 commits), dev, a tag on each, HEAD on main. */
async function sourceRepo(server: ApiServer): Promise<RepoWithTokenJson> {
  const repo = await server.createRepo(uniqueName('remotes'), { name: 'source' });
  const dir = join(work, `source-${++dirs}`);
  await initWorkTree(dir);
  await commit(dir, 'second');
  await git(['tag', '-a', 'v1', '-m', 'on main'], { cwd: dir });
  await commit(dir, 'third');
  await git(['checkout', '--quiet', '-b', 'dev', 'HEAD~2'], { cwd: dir });
  await commit(dir, 'on dev');
  await git(['tag', 'dev-tag'], { cwd: dir });
  await git(['push', '--quiet', repo.remote, 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*'], { cwd: dir, token: repo.token });
  return repo;
}

const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

/** GET the repository until its status is no longer `importing`. */
async function settled(server: ApiServer, ns: string, name: string): Promise<RepoJson> {
  for (let i = 0; i < 10_000; i++) {
    const answer = await server.call('GET', `/v1/namespaces/${ns}/repos/${name}`);
    expect(answer.status, answer.text).toBe(200);
    const repo = answer.json as RepoJson;
    if (repo.status !== 'importing') return repo;
    await tick();
  }
  throw new Error(`${ns}/${name} is still importing`);
}

describe('import from a remote the server may reach', () => {
  const server = useApiServer({ allowPrivateRemotes: true });
  let source: RepoWithTokenJson;
  let sourceRefs: Record<string, string>;

  beforeAll(async () => {
    source = await sourceRepo(server());
    sourceRefs = await lsRemote(source.remote, source.token);
  });

  it('with wait: true answers 201 Repo & {token}, ready, holding every branch and tag of the remote', async () => {
    const ns = uniqueName('imported');
    const answer = await server().call('POST', `/v1/namespaces/${ns}/repos/copy/import`, {
      json: { url: source.remote, headers: bearer(source.token), wait: true, description: 'a copy' },
    });
    expect(answer.status, answer.text).toBe(201);
    const repo = expectRepo(answer.json, server().url, {
      name: 'copy', namespace: ns, description: 'a copy', read_only: false, status: 'ready', status_reason: null,
      default_branch: 'main', source: { kind: 'import', url: source.remote, branch: null, depth: null },
    }, { withToken: true }) as RepoWithTokenJson;
    expect(await lsRemote(repo.remote, repo.token)).toEqual(sourceRefs);
    expect(await remoteHead(repo.remote, repo.token)).toBe('refs/heads/main');
    const clone = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', '--mirror', repo.remote, clone], { token: repo.token });
    await expectFsckClean(clone);
    // The token of the answer pushes.
    await git(['push', '--quiet', repo.remote, 'refs/heads/main:refs/heads/pushed'], { cwd: clone, token: repo.token });
  });

  it('without wait answers 202 with status "importing", then becomes ready', async () => {
    const ns = uniqueName('imported');
    const answer = await server().call('POST', `/v1/namespaces/${ns}/repos/later/import`, {
      json: { url: source.remote, headers: bearer(source.token), read_only: true },
    });
    expect(answer.status, answer.text).toBe(202);
    const started = expectRepo(answer.json, server().url, {
      name: 'later', namespace: ns, status: 'importing', read_only: true,
      source: { kind: 'import', url: source.remote, branch: null, depth: null },
    }, { withToken: true }) as RepoWithTokenJson;
    const done = await settled(server(), ns, 'later');
    expectRepo(done, server().url, { id: started.id, status: 'ready', status_reason: null, read_only: true });
    expect(await lsRemote(started.remote, started.token)).toEqual(sourceRefs);
  });

  it('imports one branch (and the tags that point into it) with branch', async () => {
    const ns = uniqueName('imported');
    const answer = await server().call('POST', `/v1/namespaces/${ns}/repos/dev-only/import`, {
      json: { url: source.remote, headers: bearer(source.token), branch: 'dev', wait: true },
    });
    expect(answer.status, answer.text).toBe(201);
    const repo = expectRepo(answer.json, server().url, { source: { kind: 'import', url: source.remote, branch: 'dev', depth: null } }, { withToken: true }) as RepoWithTokenJson;
    const refs = await lsRemote(repo.remote, repo.token);
    expect(Object.keys(refs).filter((r) => r.startsWith('refs/heads/'))).toEqual(['refs/heads/dev']);
    expect(refs['refs/heads/dev']).toBe(sourceRefs['refs/heads/dev']);
    expect(refs['refs/tags/dev-tag']).toBe(sourceRefs['refs/tags/dev-tag']);
    expect(await remoteHead(repo.remote, repo.token)).toBe('refs/heads/dev');
  });

  it('imports a shallow history with depth', async () => {
    const ns = uniqueName('imported');
    const answer = await server().call('POST', `/v1/namespaces/${ns}/repos/shallow/import`, {
      json: { url: source.remote, headers: bearer(source.token), branch: 'main', depth: 1, wait: true },
    });
    expect(answer.status, answer.text).toBe(201);
    const repo = expectRepo(answer.json, server().url, { source: { kind: 'import', url: source.remote, branch: 'main', depth: 1 } }, { withToken: true }) as RepoWithTokenJson;
    const clone = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', repo.remote, clone], { token: repo.token });
    expect(await gitOut(['rev-parse', 'HEAD'], { cwd: clone })).toBe(sourceRefs['refs/heads/main']);
    expect(await gitOut(['rev-list', '--count', 'HEAD'], { cwd: clone })).toBe('1');
    const shallowFile = await gitOut(['rev-parse', '--git-path', 'shallow'], { cwd: clone });

    // A fork of the shallow repository is shallow the same way, and its clone is whole and sound.
    // Protocol v0 too (the shallow commits come in the ref advertisement).
    const v0Clone = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', repo.remote, v0Clone], { token: repo.token, protocol: 0 });
    expect(await gitOut(['rev-list', '--count', 'HEAD'], { cwd: v0Clone })).toBe('1');
    expect(readFileSync(join(v0Clone, '.git', 'shallow'), 'utf8')).toBe(readFileSync(join(clone, shallowFile), 'utf8'));
    await git(['fsck', '--strict'], { cwd: v0Clone });

    const fork = await server().createFork(ns, 'shallow', { name: 'shallow-fork' });
    const forkClone = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', fork.remote, forkClone], { token: fork.token });
    expect(await gitOut(['rev-parse', 'HEAD'], { cwd: forkClone })).toBe(sourceRefs['refs/heads/main']);
    expect(await gitOut(['rev-list', '--count', 'HEAD'], { cwd: forkClone })).toBe('1');
    const forkShallow = await gitOut(['rev-parse', '--git-path', 'shallow'], { cwd: forkClone });
    expect(readFileSync(join(forkClone, forkShallow), 'utf8')).toBe(readFileSync(join(clone, shallowFile), 'utf8'));
    await git(['fsck', '--strict'], { cwd: forkClone });
  });

  it('never stores or shows the headers', async () => {
    const ns = uniqueName('imported');
    const answer = await server().call('POST', `/v1/namespaces/${ns}/repos/secretive/import`, {
      json: { url: source.remote, headers: bearer(source.token), wait: true },
    });
    expect(answer.status).toBe(201);
    const secret = source.token.slice(-64);
    expect(answer.text).not.toContain(secret);
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos/secretive`)).text).not.toContain(secret);
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos`)).text).not.toContain(secret);
  });

  it('with wait: true answers 502 REMOTE_ERROR when the remote fails, and keeps no repository', async () => {
    const ns = uniqueName('failing');
    const cases: [string, Record<string, unknown>][] = [
      ['not a Git remote', { url: `${server().url}/healthz` }],
      ['no such repository', { url: `${server().url}/git/${ns}/nothing.git`, headers: bearer(server().admin) }],
      ['refused credentials', { url: source.remote }],
      ['nothing listening', { url: 'http://127.0.0.1:1/x.git' }],
    ];
    for (const [what, json] of cases) {
      const answer = await server().call('POST', `/v1/namespaces/${ns}/repos/broken/import`, { json: { ...json, wait: true } });
      expectError(answer, 'REMOTE_ERROR', what);
      expectError(await server().call('GET', `/v1/namespaces/${ns}/repos/broken`), 'NOT_FOUND');
    }
  });

  it('without wait ends "failed" with a status_reason; Git and forks then get 409 REPO_NOT_READY', async () => {
    const ns = uniqueName('failing');
    const answer = await server().call('POST', `/v1/namespaces/${ns}/repos/broken/import`, { json: { url: `${server().url}/healthz` } });
    expect(answer.status, answer.text).toBe(202);
    const started = answer.json as RepoWithTokenJson;
    const failed = await settled(server(), ns, 'broken');
    expectRepo(failed, server().url, { id: started.id, status: 'failed' });
    expect(typeof failed.status_reason).toBe('string');
    expect(failed.status_reason!.length).toBeGreaterThan(0);
    expectError(await server().call('GET', `/git/${ns}/broken.git/info/refs?service=git-upload-pack`, { token: started.token }), 'REPO_NOT_READY');
    expectError(await server().call('POST', `/v1/namespaces/${ns}/repos/broken/fork`, { json: { name: 'child' } }), 'REPO_NOT_READY');
    const listed = await git(['ls-remote', started.remote], { token: started.token, allowFailure: true });
    expect(listed.code).not.toBe(0);
    // It can be deleted, and the name imported again.
    expect((await server().call('DELETE', `/v1/namespaces/${ns}/repos/broken`)).status).toBe(204);
    const again = await server().call('POST', `/v1/namespaces/${ns}/repos/broken/import`, { json: { url: source.remote, headers: bearer(source.token), wait: true } });
    expect(again.status, again.text).toBe(201);
  });

  it('answers 409 ALREADY_EXISTS for a name taken', async () => {
    const ns = uniqueName('taken');
    await server().createRepo(ns, { name: 'here' });
    const error = expectError(await server().call('POST', `/v1/namespaces/${ns}/repos/here/import`, { json: { url: source.remote, headers: bearer(source.token) } }), 'ALREADY_EXISTS');
    expect(error.details).toMatchObject({ namespace: ns, name: 'here' });
  });

  it('answers 422 BAD_REF_NAME for a branch git refuses, and creates nothing', async () => {
    const ns = uniqueName('badbranch');
    expectError(await server().call('POST', `/v1/namespaces/${ns}/repos/copy/import`, { json: { url: source.remote, branch: 'a..b' } }), 'BAD_REF_NAME');
    expectError(await server().call('GET', `/v1/namespaces/${ns}/repos/copy`), 'NOT_FOUND');
  });

  it('answers 400 BAD_REQUEST to bad input, naming the field', async () => {
    const ns = uniqueName('badimport');
    const cases: [Record<string, unknown>, string | null][] = [
      [{}, 'url'],
      [{ url: 5 }, 'url'],
      [{ url: '' }, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: source.remote, depth: 0 }, 'depth'],
      [{ url: source.remote, depth: 1.5 }, 'depth'],
      [{ url: source.remote, depth: '1' }, 'depth'],
      [{ url: source.remote, wait: 'yes' }, 'wait'],
      [{ url: source.remote, headers: 'Authorization: x' }, 'headers'],
      [{ url: source.remote, headers: { 'Bad Name': 'x' } }, 'headers'],
      [{ url: source.remote, headers: { 'X-Ok': 'a\r\nInjected: 1' } }, 'headers'],
      [{ url: source.remote, name: 'other' }, null],
    ];
    for (const [json, field] of cases) {
      const error = expectError(await server().call('POST', `/v1/namespaces/${ns}/repos/copy/import`, { json }), 'BAD_REQUEST', JSON.stringify(json));
      if (field !== null) expect(error.details, JSON.stringify(json)).toMatchObject({ field });
    }
    expectError(await server().call('GET', `/v1/namespaces/${ns}/repos/copy`), 'NOT_FOUND');
  });

  it('refuses URLs that are not http(s) or hold credentials, even here: 422 REMOTE_NOT_ALLOWED', async () => {
    const ns = uniqueName('refused');
    const withCredentials = new URL(source.remote);
    withCredentials.username = 'git';
    withCredentials.password = source.token;
    for (const url of ['ftp://example.com/x.git', 'file:///etc/passwd', 'ssh://git@example.com/x.git', withCredentials.href]) {
      expectError(await server().call('POST', `/v1/namespaces/${ns}/repos/copy/import`, { json: { url, wait: true } }), 'REMOTE_NOT_ALLOWED', url);
    }
    expectError(await server().call('GET', `/v1/namespaces/${ns}/repos/copy`), 'NOT_FOUND');
  });
});

describe('import from a remote the server may not reach', () => {
  const server = useApiServer();

  it('answers 422 REMOTE_NOT_ALLOWED for loopback, private and link-local addresses, and creates nothing', async () => {
    const source = await sourceRepo(server());
    const ns = uniqueName('private');
    for (const url of [
      source.remote,
      `http://localhost:${new URL(server().url).port}/git/x/y.git`,
      'http://10.1.2.3/x.git',
      'http://192.168.0.1/x.git',
      'http://172.16.0.1/x.git',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/x.git',
      'http://[::ffff:127.0.0.1]/x.git',
      'http://0.0.0.0/x.git',
    ]) {
      for (const wait of [true, false]) {
        const answer = await server().call('POST', `/v1/namespaces/${ns}/repos/copy/import`, { json: { url, headers: bearer(source.token), wait } });
        expectError(answer, 'REMOTE_NOT_ALLOWED', `${url} wait=${wait}`);
      }
    }
    expectError(await server().call('GET', `/v1/namespaces/${ns}`), 'NOT_FOUND');
  });
});
