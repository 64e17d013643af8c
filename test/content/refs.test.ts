/**
 * The refs routes against git: what `GET …/refs` lists is what
 * `git ls-remote` advertises (HEAD as a symbolic ref, peeled tags); refs
 * written through REST are what git then fetches, and a clone made after a
 * write sees it. Writes are compare-and-swap: a lost race or a stale
 * `expected_sha` is 409 REF_CONFLICT and changes nothing; a branch moves only
 * forward unless forced; a ref must name an existing object (422), a branch a
 * commit. Read tokens read and cannot write; other repositories' tokens get
 * 403; a read-only repository refuses writes.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dumpRepository } from '../../src/testing.ts';
import { expectFsckClean, git, gitOut } from '../support/git.ts';
import { useTempDir } from '../support/tempDir.ts';
import { uniqueName, useApiServer } from '../api/support/apiServer.ts';
import { expectError, type RepoJson, type RepoWithTokenJson } from '../api/support/shapes.ts';
import { lsRemote, remoteHead } from '../api/support/workTree.ts';
import { historyFixture, ok, pushAll, repoPath, type Fixture } from './support/readFixtures.ts';

interface RefJson {
  name: string;
  sha: string | null;
  peeled?: string;
  target?: string;
}

const work = useTempDir('grove-content-refs-');
let dirs = 0;

describe('refs', () => {
  const server = useApiServer();
  let fixture: Fixture;
  let repo: RepoWithTokenJson;
  const refsPath = (): string => `${repoPath(repo)}/refs`;
  const refPath = (name: string): string => `${refsPath()}/${encodeURIComponent(name)}`;

  beforeAll(async () => {
    fixture = await historyFixture(join(work, 'history'));
    repo = await server().createRepo(uniqueName('refs'), { name: 'history' });
    await pushAll(fixture.dir, repo);
  });

  /** What `git ls-remote` says, in the API's shape. */
  async function gitRefs(): Promise<RefJson[]> {
    const advertised = await lsRemote(repo.remote, repo.token);
    const refs: RefJson[] = [];
    for (const [name, sha] of Object.entries(advertised)) {
      if (name.endsWith('^{}')) continue;
      const ref: RefJson = { name, sha };
      const peeled = advertised[`${name}^{}`];
      if (peeled !== undefined) ref.peeled = peeled;
      if (name === 'HEAD') ref.target = (await remoteHead(repo.remote, repo.token))!;
      refs.push(ref);
    }
    return refs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  it('lists what git ls-remote advertises, HEAD as a symbolic ref, annotated tags peeled', async () => {
    const body = ok<{ refs: RefJson[] }>(await server().call('GET', refsPath()));
    expect(body.refs).toEqual(await gitRefs());
    expect(body.refs.find((r) => r.name === 'HEAD')).toEqual({ name: 'HEAD', sha: fixture.commits['c7'], target: 'refs/heads/main' });
    expect(body.refs.find((r) => r.name === 'refs/tags/outer')?.peeled).toBe(fixture.commits['c5']);
  });

  it('an empty repository lists HEAD alone, pointing at a branch not born yet; its log is 404', async () => {
    const empty = await server().createRepo(repo.namespace, { name: uniqueName('empty') });
    expect(ok<{ refs: RefJson[] }>(await server().call('GET', `${repoPath(empty)}/refs`)).refs).toEqual([{ name: 'HEAD', sha: null, target: 'refs/heads/main' }]);
    expectError(await server().call('GET', `${repoPath(empty)}/log`), 'NOT_FOUND');
    expectError(await server().call('GET', `${repoPath(empty)}/tree/HEAD`), 'NOT_FOUND');
    expectError(await server().call('GET', `${repoPath(empty)}/refs/${encodeURIComponent('refs/heads/main')}`), 'NOT_FOUND');
  });

  it('filters by prefix', async () => {
    const all = ok<{ refs: RefJson[] }>(await server().call('GET', refsPath())).refs;
    for (const prefix of ['refs/heads/', 'refs/tags/', 'refs/tags/v', 'HEAD', 'refs/nothing/']) {
      const body = ok<{ refs: RefJson[] }>(await server().call('GET', `${refsPath()}?prefix=${encodeURIComponent(prefix)}`));
      expect(body.refs, prefix).toEqual(all.filter((r) => r.name.startsWith(prefix)));
    }
    expect(ok<{ refs: RefJson[] }>(await server().call('GET', `${refsPath()}?prefix=refs/heads/`)).refs.map((r) => r.name))
      .toEqual(['refs/heads/evil', 'refs/heads/feature', 'refs/heads/main', 'refs/heads/side', 'refs/heads/ties']);
  });

  it('gets one ref by its full name (URL-encoded), HEAD, or a short name git would expand', async () => {
    expect(ok<RefJson>(await server().call('GET', refPath('refs/heads/main')))).toEqual({ name: 'refs/heads/main', sha: fixture.commits['c7'] });
    expect(ok<RefJson>(await server().call('GET', refPath('HEAD'))).target).toBe('refs/heads/main');
    expect(ok<RefJson>(await server().call('GET', refPath('feature'))).name).toBe('refs/heads/feature');
    const v1 = ok<RefJson>(await server().call('GET', refPath('v1')));
    expect(v1).toEqual({ name: 'refs/tags/v1', sha: await gitOut(['rev-parse', 'v1'], { cwd: fixture.dir }), peeled: fixture.commits['m1'] });
    expectError(await server().call('GET', refPath('refs/heads/nope')), 'NOT_FOUND');
  });

  it('creates a branch that git then fetches; a second create is 409 ALREADY_EXISTS', async () => {
    const created = await server().call('POST', refsPath(), { json: { name: 'refs/heads/made', sha: fixture.commits['c2'] } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toEqual({ name: 'refs/heads/made', sha: fixture.commits['c2'] });
    expect((await lsRemote(repo.remote, repo.token))['refs/heads/made']).toBe(fixture.commits['c2']);
    expectError(await server().call('POST', refsPath(), { json: { name: 'refs/heads/made', sha: fixture.commits['c3'] } }), 'ALREADY_EXISTS');
    expect((await lsRemote(repo.remote, repo.token))['refs/heads/made']).toBe(fixture.commits['c2']);

    const clone = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', '--branch=made', repo.remote, clone], { token: repo.token });
    expect(await gitOut(['rev-parse', 'HEAD'], { cwd: clone })).toBe(fixture.commits['c2']);
    await expectFsckClean(clone);
  });

  it('a ref to an annotated tag records its peeled commit, as git shows it', async () => {
    const tag = await gitOut(['rev-parse', 'outer'], { cwd: fixture.dir });
    const created = await server().call('POST', refsPath(), { json: { name: 'refs/tags/copy', sha: tag } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toEqual({ name: 'refs/tags/copy', sha: tag, peeled: fixture.commits['c5'] });
    const advertised = await lsRemote(repo.remote, repo.token);
    expect(advertised['refs/tags/copy']).toBe(tag);
    expect(advertised['refs/tags/copy^{}']).toBe(fixture.commits['c5']);
    // A tag may name a blob; a branch may not.
    const blob = await gitOut(['rev-parse', 'main:README.md'], { cwd: fixture.dir });
    expect((await server().call('POST', refsPath(), { json: { name: 'refs/tags/a-blob', sha: blob } })).status).toBe(201);
    expectError(await server().call('POST', refsPath(), { json: { name: 'refs/heads/a-blob', sha: blob } }), 'BAD_REQUEST');
    expectError(await server().call('POST', refsPath(), { json: { name: 'refs/heads/a-tag', sha: tag } }), 'BAD_REQUEST');
  });

  it('refuses a missing object (422), a bad name (422), HEAD and malformed bodies (400), changing nothing', async () => {
    const before = dumpRepository(server().dataDir, repo.namespace, repo.name);
    expectError(await server().call('POST', refsPath(), { json: { name: 'refs/heads/x', sha: 'ab'.repeat(20) } }), 'MISSING_OBJECT');
    for (const name of ['main', 'refs/heads/a..b', 'refs/heads/x.lock', 'refs/heads/a b', 'refs/heads/', 'refs/heads/x~1', '/refs/heads/x']) {
      expectError(await server().call('POST', refsPath(), { json: { name, sha: fixture.commits['c1'] } }), 'BAD_REF_NAME', name);
    }
    expectError(await server().call('POST', refsPath(), { json: { name: 'HEAD', sha: fixture.commits['c1'] } }), 'BAD_REQUEST');
    for (const body of [{ name: 'refs/heads/x' }, { name: 'refs/heads/x', sha: 'xyz' }, { name: 'refs/heads/x', sha: fixture.commits['c1'], extra: 1 }]) {
      expectError(await server().call('POST', refsPath(), { json: body }), 'BAD_REQUEST', JSON.stringify(body));
    }
    expectError(await server().call('PATCH', refPath('HEAD'), { json: { sha: fixture.commits['c1'] } }), 'BAD_REQUEST');
    expectError(await server().call('DELETE', refPath('HEAD')), 'BAD_REQUEST');
    expect(dumpRepository(server().dataDir, repo.namespace, repo.name)).toBe(before);
  });

  it('moves a branch forward; with a stale expected_sha or backwards it is 409 REF_CONFLICT; force moves it anyway', async () => {
    const name = 'refs/heads/moving';
    expect((await server().call('POST', refsPath(), { json: { name, sha: fixture.commits['c1'] } })).status).toBe(201);
    const moved = await server().call('PATCH', refPath(name), { json: { sha: fixture.commits['c3'], expected_sha: fixture.commits['c1'] } });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json).toEqual({ name, sha: fixture.commits['c3'] });

    const stale = expectError(await server().call('PATCH', refPath(name), { json: { sha: fixture.commits['m1'], expected_sha: fixture.commits['c1'] } }), 'REF_CONFLICT');
    expect(stale.details).toMatchObject({ ref: name, actual_sha: fixture.commits['c3'] });
    const backwards = expectError(await server().call('PATCH', refPath(name), { json: { sha: fixture.commits['c2'] } }), 'REF_CONFLICT');
    expect(backwards.message).toMatch(/not a fast-forward/);
    const sideways = expectError(await server().call('PATCH', refPath(name), { json: { sha: fixture.commits['f1'] } }), 'REF_CONFLICT');
    expect(sideways.message).toMatch(/not a fast-forward/);
    expect((await lsRemote(repo.remote, repo.token))[name]).toBe(fixture.commits['c3']);

    // Forward through a merge (c3 is m1's first parent), then backwards with force.
    expect(ok<RefJson>(await server().call('PATCH', refPath(name), { json: { sha: fixture.commits['m1'] } })).sha).toBe(fixture.commits['m1']);
    expect(ok<RefJson>(await server().call('PATCH', refPath(name), { json: { sha: fixture.commits['f1'], force: true, expected_sha: fixture.commits['m1'] } })).sha).toBe(fixture.commits['f1']);
    expect((await lsRemote(repo.remote, repo.token))[name]).toBe(fixture.commits['f1']);

    // Tags move without the fast-forward rule.
    expect((await server().call('POST', refsPath(), { json: { name: 'refs/tags/moving', sha: fixture.commits['c3'] } })).status).toBe(201);
    expect(ok<RefJson>(await server().call('PATCH', refPath('refs/tags/moving'), { json: { sha: fixture.commits['c1'] } })).sha).toBe(fixture.commits['c1']);

    expectError(await server().call('PATCH', refPath('refs/heads/absent'), { json: { sha: fixture.commits['c1'] } }), 'NOT_FOUND');
    expectError(await server().call('PATCH', refPath(name), { json: { sha: 'cd'.repeat(20), force: true } }), 'MISSING_OBJECT');
  });

  it('deletes a ref (with expected_sha only if it matches); an absent ref is 404', async () => {
    const name = 'refs/heads/doomed';
    expect((await server().call('POST', refsPath(), { json: { name, sha: fixture.commits['c1'] } })).status).toBe(201);
    expectError(await server().call('DELETE', `${refPath(name)}?expected_sha=${fixture.commits['c2']}`), 'REF_CONFLICT');
    expect((await lsRemote(repo.remote, repo.token))[name]).toBe(fixture.commits['c1']);
    expect((await server().call('DELETE', `${refPath(name)}?expected_sha=${fixture.commits['c1']}`)).status).toBe(204);
    expect((await lsRemote(repo.remote, repo.token))[name]).toBeUndefined();
    expectError(await server().call('DELETE', refPath(name)), 'NOT_FOUND');
    expectError(await server().call('DELETE', `${refPath(name)}?expected_sha=zz`), 'BAD_REQUEST');
  });

  it('of many updates racing with one expected_sha, exactly one wins', async () => {
    const name = 'refs/heads/raced';
    expect((await server().call('POST', refsPath(), { json: { name, sha: fixture.commits['c1'] } })).status).toBe(201);
    const targets = ['c2', 'c3', 'f1', 'f2', 'm1', 's1', 'c4', 'm2'].map((k) => fixture.commits[k]!);
    const answers = await Promise.all(targets.map((sha) =>
      server().call('PATCH', refPath(name), { json: { sha, expected_sha: fixture.commits['c1'], force: true } })));
    const winners = answers.filter((a) => a.status === 200);
    expect(winners).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) expectError(a, 'REF_CONFLICT');
    expect((await lsRemote(repo.remote, repo.token))[name]).toBe((winners[0]!.json as RefJson).sha);
  });

  it('a git push is visible through REST at once: refs, log and tree', async () => {
    const clone = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', repo.remote, clone], { token: repo.token });
    await git(['checkout', '--quiet', '-b', 'pushed-now'], { cwd: clone });
    await git(['-c', 'user.name=Pusher', '-c', 'user.email=p@example.com', 'commit', '--quiet', '--allow-empty', '-m', 'pushed by git'], { cwd: clone });
    await git(['push', '--quiet', 'origin', 'pushed-now'], { cwd: clone, token: repo.token });
    const head = await gitOut(['rev-parse', 'HEAD'], { cwd: clone });
    expect(ok<RefJson>(await server().call('GET', refPath('refs/heads/pushed-now'))).sha).toBe(head);
    const log = ok<{ commits: { sha: string; message: string }[] }>(await server().call('GET', `${repoPath(repo)}/log?ref=pushed-now&limit=1`));
    expect(log.commits.map((c) => [c.sha, c.message])).toEqual([[head, 'pushed by git\n']]);
    const tree = ok<{ sha: string }>(await server().call('GET', `${repoPath(repo)}/tree/pushed-now`));
    expect(tree.sha).toBe(await gitOut(['rev-parse', 'HEAD^{tree}'], { cwd: clone }));
  });

  it('a write counts as a push (last_push_at), and a clone after it sees the new ref', async () => {
    const clone = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', repo.remote, clone], { token: repo.token });
    const before = ok<RepoJson>(await server().call('GET', repoPath(repo))).last_push_at;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await server().call('POST', refsPath(), { json: { name: 'refs/heads/late', sha: fixture.commits['c5'] } })).status).toBe(201);
    const after = ok<RepoJson>(await server().call('GET', repoPath(repo))).last_push_at;
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
    const again = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', '--branch=late', repo.remote, again], { token: repo.token });
    expect(await gitOut(['rev-parse', 'HEAD'], { cwd: again })).toBe(fixture.commits['c5']);
    await git(['fetch', '--quiet', 'origin'], { cwd: clone, token: repo.token });
    expect(await gitOut(['rev-parse', 'origin/late'], { cwd: clone })).toBe(fixture.commits['c5']);
  });

  it('a read token reads refs and cannot write them; another repository\'s token gets 403; a read-only repository refuses writes', async () => {
    const read = await server().mintToken(repo.namespace, repo.name, { scope: 'read' });
    expect((await server().call('GET', refsPath(), { token: read.token })).status).toBe(200);
    expect((await server().call('GET', refPath('refs/heads/main'), { token: read.token })).status).toBe(200);
    expectError(await server().call('POST', refsPath(), { token: read.token, json: { name: 'refs/heads/r', sha: fixture.commits['c1'] } }), 'FORBIDDEN');
    expectError(await server().call('PATCH', refPath('refs/heads/main'), { token: read.token, json: { sha: fixture.commits['c1'], force: true } }), 'FORBIDDEN');
    expectError(await server().call('DELETE', refPath('refs/heads/main'), { token: read.token }), 'FORBIDDEN');

    const other = await server().createRepo(repo.namespace, { name: uniqueName('other') });
    expectError(await server().call('GET', refsPath(), { token: other.token }), 'FORBIDDEN');
    expectError(await server().call('POST', refsPath(), { token: other.token, json: { name: 'refs/heads/o', sha: fixture.commits['c1'] } }), 'FORBIDDEN');

    // The repository's own write token writes; once read-only, nobody does.
    expect((await server().call('POST', refsPath(), { token: repo.token, json: { name: 'refs/heads/by-token', sha: fixture.commits['c1'] } })).status).toBe(201);
    expect((await server().call('PATCH', repoPath(repo), { json: { read_only: true } })).status).toBe(200);
    try {
      expectError(await server().call('POST', refsPath(), { json: { name: 'refs/heads/ro', sha: fixture.commits['c1'] } }), 'FORBIDDEN');
      expectError(await server().call('DELETE', refPath('refs/heads/by-token'), { token: repo.token }), 'FORBIDDEN');
      expect((await server().call('GET', refsPath(), { token: repo.token })).status).toBe(200);
    } finally {
      await server().call('PATCH', repoPath(repo), { json: { read_only: false } });
    }
  });
});
