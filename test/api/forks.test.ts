/**
 * `POST /v1/namespaces/:ns/repos/:name/fork` of docs/API.md: `{name,
 * namespace? = :ns, description?, read_only? = false, default_branch_only? =
 * true}` → 201 `Repo & {token}` with `source: {kind: "fork", id, namespace,
 * name}`. "default_branch_only: true copies HEAD and the default branch;
 * false copies every ref (tags and notes included). Pushing to a fork never
 * changes its parent. Deleting a parent keeps the objects its forks need."
 * Refs are checked with `git ls-remote`, contents with a clone and `git fsck`.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectFsckClean, git, gitOut } from '../support/git.ts';
import { useTempDir } from '../support/tempDir.ts';
import { uniqueName, useApiServer } from './support/apiServer.ts';
import { BAD_NAMES } from './support/badNames.ts';
import { expectError, expectNamespace, expectRepo, ms, type RepoWithTokenJson } from './support/shapes.ts';
import { commit, initWorkTree, lsRemote, remoteHead } from './support/workTree.ts';

const server = useApiServer();
const work = useTempDir('grove-api-forks-');
let dirs = 0;

describe('POST /v1/namespaces/:ns/repos/:name/fork', () => {
  const ns = uniqueName('forks');
  let parent: RepoWithTokenJson;
  let parentRefs: Record<string, string>;
  let source: string;
  /** The parent's Repo once pushed to. */
  let parentJson: unknown;

  beforeAll(async () => {
    parent = await server().createRepo(ns, { name: 'parent', description: 'the parent' });
    source = join(work, 'source');
    await initWorkTree(source);
    await commit(source, 'second on main');
    await git(['checkout', '--quiet', '-b', 'dev'], { cwd: source });
    await commit(source, 'on dev');
    await git(['checkout', '--quiet', 'main'], { cwd: source });
    await git(['tag', 'v1'], { cwd: source });
    await git(['tag', '-a', 'v2', '-m', 'annotated', 'dev'], { cwd: source });
    await git(['notes', 'add', '-m', 'a note', 'HEAD'], { cwd: source });
    await git(['push', '--quiet', parent.remote, 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*', 'refs/notes/*:refs/notes/*'], { cwd: source, token: parent.token });
    parentRefs = await lsRemote(parent.remote, parent.token);
    parentJson = (await server().call('GET', `/v1/namespaces/${ns}/repos/parent`)).json;
    expect(Object.keys(parentRefs).sort()).toEqual(['HEAD', 'refs/heads/dev', 'refs/heads/main', 'refs/notes/commits', 'refs/tags/v1', 'refs/tags/v2', 'refs/tags/v2^{}']);
  });

  it('forks: 201 Repo & {token}, source names the parent, settings as documented', async () => {
    const before = Date.now();
    const answer = await server().call('POST', `/v1/namespaces/${ns}/repos/parent/fork`, { json: { name: 'fork-plain' } });
    expect(answer.status, answer.text).toBe(201);
    const fork = expectRepo(answer.json, server().url, {
      name: 'fork-plain', namespace: ns, description: 'the parent', default_branch: 'main', read_only: false,
      status: 'ready', status_reason: null, last_push_at: null,
      source: { kind: 'fork', id: parent.id, namespace: ns, name: 'parent' },
    }, { withToken: true });
    expect(fork.id).not.toBe(parent.id);
    expect(fork.remote).toBe(`${server().url}/git/${ns}/fork-plain.git`);
    expect(ms(fork.created_at)).toBeGreaterThanOrEqual(before);
    const { token, ...json } = answer.json as RepoWithTokenJson;
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos/fork-plain`, { token })).json).toEqual(json);
  });

  it('copies HEAD and the default branch only, by default', async () => {
    const fork = await server().createFork(ns, 'parent', { name: 'fork-default' });
    expect(await lsRemote(fork.remote, fork.token)).toEqual({ HEAD: parentRefs['refs/heads/main'], 'refs/heads/main': parentRefs['refs/heads/main'] });
    expect(await remoteHead(fork.remote, fork.token)).toBe('refs/heads/main');
    const explicit = await server().createFork(ns, 'parent', { name: 'fork-default-true', default_branch_only: true });
    expect(await lsRemote(explicit.remote, explicit.token)).toEqual(await lsRemote(fork.remote, fork.token));
  });

  it('copies every ref (tags and notes included) with default_branch_only: false; a clone of it is whole', async () => {
    const fork = await server().createFork(ns, 'parent', { name: 'fork-all', default_branch_only: false });
    expect(await lsRemote(fork.remote, fork.token)).toEqual(parentRefs);
    const clone = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', '--mirror', fork.remote, clone], { token: fork.token });
    await expectFsckClean(clone);
    expect(await gitOut(['notes', 'show', parentRefs['refs/heads/main']!], { cwd: clone })).toBe('a note');
  });

  it('follows the parent\'s default branch', async () => {
    const branched = await server().createRepo(ns, { name: 'parent-dev', default_branch: 'dev' });
    await git(['push', '--quiet', branched.remote, 'main', 'dev'], { cwd: source, token: branched.token });
    const fork = await server().createFork(ns, 'parent-dev', { name: 'fork-dev' });
    expectRepo(fork, server().url, { default_branch: 'dev' }, { withToken: true });
    expect(await remoteHead(fork.remote, fork.token)).toBe('refs/heads/dev');
    expect(Object.keys(await lsRemote(fork.remote, fork.token)).sort()).toEqual(['HEAD', 'refs/heads/dev']);
  });

  it('takes namespace (made if new), description and read_only', async () => {
    const elsewhere = uniqueName('fork-target');
    const fork = await server().createFork(ns, 'parent', { name: 'moved', namespace: elsewhere, description: 'mine', read_only: true });
    expectRepo(fork, server().url, { name: 'moved', namespace: elsewhere, description: 'mine', read_only: true, source: { kind: 'fork', id: parent.id, namespace: ns, name: 'parent' } }, { withToken: true });
    expect(fork.remote).toBe(`${server().url}/git/${elsewhere}/moved.git`);
    expectNamespace((await server().call('GET', `/v1/namespaces/${elsewhere}`)).json, { name: elsewhere, repo_count: 1 });
    const pushed = await git(['push', fork.remote, 'main:refs/heads/new'], { cwd: source, token: fork.token, allowFailure: true });
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toMatch(/403/);
  });

  it('pushing to a fork never changes its parent', async () => {
    const fork = await server().createFork(ns, 'parent', { name: 'fork-push', default_branch_only: false });
    const dir = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', fork.remote, dir], { token: fork.token });
    const next = await commit(dir, 'on the fork');
    await git(['push', '--quiet', fork.remote, 'main', 'main:refs/heads/fork-only', ':refs/tags/v1'], { cwd: dir, token: fork.token });
    const forkRefs = await lsRemote(fork.remote, fork.token);
    expect(forkRefs['refs/heads/main']).toBe(next);
    expect(forkRefs['refs/heads/fork-only']).toBe(next);
    expect(forkRefs['refs/tags/v1']).toBeUndefined();
    expect(await lsRemote(parent.remote, parent.token)).toEqual(parentRefs);
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos/parent`)).json).toEqual(parentJson);
  });

  it('keeps working when its parent is deleted; source still names the parent', async () => {
    const doomed = await server().createRepo(ns, { name: 'doomed-parent' });
    await git(['push', '--quiet', doomed.remote, 'main', 'dev'], { cwd: source, token: doomed.token });
    const fork = await server().createFork(ns, 'doomed-parent', { name: 'orphan', default_branch_only: false });
    const grandchild = await server().createFork(ns, 'orphan', { name: 'grandchild' });
    expect((await server().call('DELETE', `/v1/namespaces/${ns}/repos/doomed-parent`)).status).toBe(204);
    expectError(await server().call('GET', `/v1/namespaces/${ns}/repos/doomed-parent`), 'NOT_FOUND');
    const orphan = expectRepo((await server().call('GET', `/v1/namespaces/${ns}/repos/orphan`)).json, server().url, {
      source: { kind: 'fork', id: doomed.id, namespace: ns, name: 'doomed-parent' },
    });
    expect(orphan.id).toBe(fork.id);
    expectRepo(grandchild, server().url, { source: { kind: 'fork', id: fork.id, namespace: ns, name: 'orphan' } }, { withToken: true });
    for (const repo of [fork, grandchild]) {
      const clone = join(work, `clone-${++dirs}`);
      await git(['clone', '--quiet', '--mirror', repo.remote, clone], { token: repo.token });
      await expectFsckClean(clone);
    }
    // The parent's name is free again, and the new repository is no parent of the fork.
    await server().createRepo(ns, { name: 'doomed-parent' });
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos/orphan`)).json).toMatchObject({ source: { id: doomed.id } });
  });

  it('answers 409 ALREADY_EXISTS when the fork\'s name is taken, in the parent\'s namespace or the target', async () => {
    await server().createFork(ns, 'parent', { name: 'taken-fork' });
    expect(expectError(await server().call('POST', `/v1/namespaces/${ns}/repos/parent/fork`, { json: { name: 'taken-fork' } }), 'ALREADY_EXISTS').details)
      .toMatchObject({ namespace: ns, name: 'taken-fork' });
    expectError(await server().call('POST', `/v1/namespaces/${ns}/repos/parent/fork`, { json: { name: 'parent' } }), 'ALREADY_EXISTS');
    const target = uniqueName('target');
    await server().createRepo(target, { name: 'there' });
    expectError(await server().call('POST', `/v1/namespaces/${ns}/repos/parent/fork`, { json: { name: 'there', namespace: target } }), 'ALREADY_EXISTS');
  });

  it('answers 404 NOT_FOUND for a parent that does not exist', async () => {
    const error = expectError(await server().call('POST', `/v1/namespaces/${ns}/repos/nothing/fork`, { json: { name: 'child' } }), 'NOT_FOUND');
    expect(error.details).toMatchObject({ namespace: ns, name: 'nothing' });
    expectError(await server().call('POST', `/v1/namespaces/${uniqueName('nowhere')}/repos/parent/fork`, { json: { name: 'child' } }), 'NOT_FOUND');
    expectError(await server().call('GET', `/v1/namespaces/${ns}/repos/child`), 'NOT_FOUND');
  });

  it.each(BAD_NAMES)('answers 400 BAD_REQUEST to the fork name or target namespace %j (%s)', async (name) => {
    expectError(await server().call('POST', `/v1/namespaces/${ns}/repos/parent/fork`, { json: { name } }), 'BAD_REQUEST', `name ${JSON.stringify(name)}`);
    expectError(await server().call('POST', `/v1/namespaces/${ns}/repos/parent/fork`, { json: { name: 'valid-name', namespace: name } }), 'BAD_REQUEST', `namespace ${JSON.stringify(name)}`);
    expectError(await server().call('GET', `/v1/namespaces/${ns}/repos/valid-name`), 'NOT_FOUND');
  });

  it('answers 400 BAD_REQUEST to unknown keys and wrong types, naming the field', async () => {
    const cases: [Record<string, unknown>, string | null][] = [
      [{}, 'name'],
      [{ name: 5 }, 'name'],
      [{ name: 'fork-x', default_branch_only: 'no' }, 'default_branch_only'],
      [{ name: 'fork-x', read_only: 0 }, 'read_only'],
      [{ name: 'fork-x', description: ['x'] }, 'description'],
      [{ name: 'fork-x', default_branch: 'dev' }, null],
      [{ name: 'fork-x', parent: 'x' }, null],
    ];
    for (const [json, field] of cases) {
      const error = expectError(await server().call('POST', `/v1/namespaces/${ns}/repos/parent/fork`, { json }), 'BAD_REQUEST', JSON.stringify(json));
      if (field !== null) expect(error.details).toMatchObject({ field });
    }
    expectError(await server().call('GET', `/v1/namespaces/${ns}/repos/fork-x`), 'NOT_FOUND');
  });
});
