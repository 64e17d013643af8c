/**
 * Copy-on-write forks (docs/API.md, "Forks"), judged by the real git client:
 *
 *   Forks copy refs, not objects: the fork reads its parent's objects through,
 *   so a fork costs the same whatever the parent's size. `default_branch_only:
 *   true` copies `HEAD` and the default branch; `false` copies every ref (tags and
 *   notes included). Pushing to a fork never changes its parent. Deleting a parent
 *   keeps the objects its forks need until the last of them is deleted.
 *
 * Each server repository is checked against a local bare repository that
 * models it (the same refs pushed or fetched locally): a mirror clone must have
 * the same HEAD, refs and reachable objects, and `git fsck --strict` must be
 * clean. The database files are read straight from the data directory.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dumpRepository } from '../../src/testing.ts';
import { appendCommits } from '../support/appendCommits.ts';
import { clientState } from '../support/clientState.ts';
import { directoryBytes, sqliteColumn, sqliteCount } from '../support/diskUsage.ts';
import { expectFsckClean, git, gitOut, objectsOf, refsOf, revParse } from '../support/git.ts';
import { gitTraces } from '../support/gitTraces.ts';
import { startGroveAdmin, type ApiAnswer, type GroveAdmin, type RepoAnswer } from '../support/groveAdmin.ts';
import { listPack } from '../support/listPack.ts';
import { BIG_TEXT_PATH, makeRepo } from '../support/makeRepo.ts';
import { REF_DELTA } from '../support/packTypeCodes.ts';
import { useTempDir, withTempDir } from '../support/tempDir.ts';

type Protocol = 0 | 2;

const NS = 'forks';
const ALL_REFS = ['refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*', 'refs/notes/*:refs/notes/*'];
const work = useTempDir('grove-forks-');
/** The generated repository (bare): branches, tags, a tag of a tag, notes; a few thousand objects. */
let corpus: string;
/** The corpus with HEAD and main only: what a default fork of it holds. */
let corpusMain: string;
let admin: GroveAdmin;
let clock = 1_700_000_000;

beforeAll(async () => {
  corpus = (await makeRepo(join(work, 'corpus.git'))).dir;
  await git(['notes', 'add', '-m', 'reviewed by an agent', 'main'], { cwd: corpus });
  await git(['notes', 'add', '-m', 'release note', 'release/1.x'], { cwd: corpus });
  corpusMain = await localFork(corpus, join(work, 'corpus-main.git'), false);
  admin = await startGroveAdmin();
  return () => admin.remove();
});

/** A new server repository holding every branch, tag and note of the corpus. */
async function seed(name: string, server: GroveAdmin = admin): Promise<RepoAnswer> {
  const repo = await server.createRepo(NS, name);
  await git(['push', '--quiet', repo.remote, ...ALL_REFS], { cwd: corpus, token: repo.token });
  return repo;
}

/** A local bare repository with `from`'s refs (every one, or HEAD and main only): a fork made by git itself. */
async function localFork(from: string, dir: string, everyRef: boolean): Promise<string> {
  await git(['init', '--quiet', '--bare', '-b', 'main', dir]);
  await git(['fetch', '--quiet', '--no-tags', from, everyRef ? '+refs/*:refs/*' : '+refs/heads/main:refs/heads/main'], { cwd: dir });
  return dir;
}

/** A clone with a work tree of a server repository. */
async function cloneOf(repo: RepoAnswer, dir: string, protocol: Protocol = 2, args: string[] = []): Promise<string> {
  await git(['clone', '--quiet', ...args, repo.remote, dir], { protocol, token: repo.token });
  return dir;
}

/** Pushes `refspecs` from `from` to the server repository, then the same way to the local repository that models it. */
async function pushBoth(
  from: string,
  to: RepoAnswer,
  model: string,
  refspecs: string[],
  options: { force?: boolean; env?: Record<string, string> } = {},
): Promise<void> {
  const flags = ['--quiet', ...(options.force === true ? ['--force'] : [])];
  await git(['push', ...flags, to.remote, ...refspecs], { cwd: from, token: to.token, ...(options.env === undefined ? {} : { env: options.env }) });
  await git(['push', ...flags, model, ...refspecs], { cwd: from });
}

/** New commits on `branch` of a local repository, each with a fresh time. */
function commitsOn(dir: string, branch: string, count: number, options: { from?: string; force?: boolean } = {}): Promise<string> {
  clock += 10_000;
  return appendCommits(dir, { branch, count, label: `${branch.replace(/\//g, '-')}-${clock}`, startTime: clock, ...options });
}

/** Changes one line of the big text file in the clone's work tree and commits it; the old and new blob ids. */
async function smallChangeToBigFile(clone: string, line: string): Promise<{ oldBlob: string; newBlob: string; text: string }> {
  const oldBlob = await revParse(clone, `HEAD:${BIG_TEXT_PATH}`);
  const lines = readFileSync(join(clone, BIG_TEXT_PATH), 'utf8').split('\n');
  lines[100] = line;
  const text = lines.join('\n');
  writeFileSync(join(clone, BIG_TEXT_PATH), text);
  await git(['commit', '--quiet', '-am', line], { cwd: clone });
  return { oldBlob, newBlob: await revParse(clone, `HEAD:${BIG_TEXT_PATH}`), text };
}

/**
 * Mirror-clones `repo` and checks it against `model`: same HEAD, same refs, same
 * reachable objects, `git fsck --strict` clean. `more` runs on the clone before
 * it is removed. Answers git's stderr (with progress).
 */
async function expectCloneOf(repo: RepoAnswer, model: string, protocol: Protocol, more?: (dir: string) => Promise<void>): Promise<string> {
  return withTempDir('grove-fork-clone-', async (tmp) => {
    const dir = join(tmp, 'mirror.git');
    const cloned = await git(['clone', '--mirror', '--progress', repo.remote, dir], { protocol, token: repo.token });
    expect(await gitOut(['symbolic-ref', 'HEAD'], { cwd: dir })).toBe(await gitOut(['symbolic-ref', 'HEAD'], { cwd: model }));
    expect(await refsOf(dir)).toBe(await refsOf(model));
    expect(await objectsOf(dir)).toBe(await objectsOf(model));
    await expectFsckClean(dir);
    await more?.(dir);
    return cloned.stderr;
  });
}

function lsRemote(repo: RepoAnswer, protocol: Protocol): Promise<string> {
  return gitOut(['ls-remote', '--symref', repo.remote], { protocol, token: repo.token });
}

function dumpOf(repo: RepoAnswer, server: GroveAdmin = admin): string {
  return dumpRepository(server.dataDir, repo.namespace, repo.name);
}

/** Ids in the control database's `retained` table. */
function retainedIds(server: GroveAdmin = admin): string[] {
  return sqliteColumn(join(server.dataDir, 'grove.sqlite'), 'SELECT id FROM retained ORDER BY id');
}

/** Files of the data directory's `repos/` folder that belong to repository `id` (database, -wal, -shm). */
function filesOf(id: string, server: GroveAdmin = admin): string[] {
  return readdirSync(join(server.dataDir, 'repos')).filter((name) => name.startsWith(`${id}.`));
}

function errorCode(answer: ApiAnswer): unknown {
  return (answer.body as { error?: { code?: unknown } } | null)?.error?.code;
}

/** The object ids at the start of each line, sorted. */
function oidsOf(lines: string): string[] {
  return lines.split('\n').filter((line) => line !== '').map((line) => line.slice(0, 40)).sort();
}

/** What a partial clone lacks: the `?<oid>` lines of `git rev-list --objects --all --missing=print`, sorted. */
async function missingObjects(dir: string): Promise<string[]> {
  const listed = await gitOut(['rev-list', '--objects', '--all', '--missing=print'], { cwd: dir, env: { GIT_NO_LAZY_FETCH: '1' } });
  return listed.split('\n').filter((line) => line.startsWith('?')).map((line) => line.slice(1)).sort();
}

/** A server repository holding one commit. */
async function tinyRepo(server: GroveAdmin, name: string): Promise<RepoAnswer> {
  const dir = join(work, `${name}-local`);
  await git(['init', '--quiet', '-b', 'main', dir]);
  writeFileSync(join(dir, 'README.md'), 'tiny\n');
  await git(['add', 'README.md'], { cwd: dir });
  await git(['commit', '--quiet', '-m', 'the only commit'], { cwd: dir });
  const repo = await server.createRepo(NS, name);
  await git(['push', '--quiet', repo.remote, 'main'], { cwd: dir, token: repo.token });
  return repo;
}

describe.each([0, 2] as const)('a fork clones like its parent, protocol v%i', (protocol) => {
  let parent: RepoAnswer;
  let everyRef: RepoAnswer;
  let mainOnly: RepoAnswer;

  beforeAll(async () => {
    parent = await seed(`clone-v${protocol}`);
    everyRef = await admin.fork(NS, parent.name, { name: `clone-v${protocol}-all`, default_branch_only: false });
    mainOnly = await admin.fork(NS, parent.name, { name: `clone-v${protocol}-main` });
  });

  it('with default_branch_only: false, every ref (tags, notes) and every object; served from the parent\'s pack cache', async () => {
    const parentClone = await expectCloneOf(parent, corpus, protocol);
    expect(parentClone).not.toContain('from a cached pack');
    const forkClone = await expectCloneOf(everyRef, corpus, protocol, async (dir) => {
      const refs = (await refsOf(dir)).split('\n').map((line) => line.split(' ')[2]);
      expect(refs).toEqual(expect.arrayContaining(['refs/notes/commits', 'refs/tags/nested-outer', 'refs/tags/v1.0.0', 'refs/tags/light/75', 'refs/heads/release/1.x']));
    });
    // The fork holds no objects of its own, so it answers the same clone with the pack its parent stored.
    expect(forkClone).toContain('from a cached pack');
    expect(await lsRemote(everyRef, protocol)).toBe(await lsRemote(parent, protocol));
  });

  it('by default, HEAD and the default branch only', async () => {
    const main = await revParse(corpus, 'refs/heads/main');
    expect(await lsRemote(mainOnly, protocol)).toBe(`ref: refs/heads/main\tHEAD\n${main}\tHEAD\n${main}\trefs/heads/main`);
    await expectCloneOf(mainOnly, corpusMain, protocol);
  });

  it('a partial clone (--filter=blob:none) and the blobs its checkout fetches lazily are the parent\'s', async () => {
    const states = [];
    for (const repo of [parent, everyRef]) {
      states.push(
        await withTempDir('grove-fork-partial-', async (tmp) => {
          const dir = await cloneOf(repo, join(tmp, 'partial'), protocol, ['--filter=blob:none']);
          await expectFsckClean(dir);
          expect(await revParse(dir, 'HEAD')).toBe(await revParse(corpus, 'main'));
          expect(await gitOut(['status', '--porcelain'], { cwd: dir })).toBe('');
          return { ...(await clientState(dir)), missing: await missingObjects(dir) };
        }),
      );
    }
    expect(states[0]?.missing.length).toBeGreaterThan(0);
    expect(states[1]).toEqual(states[0]);
  });

  it('a shallow clone (--depth 1) is the parent\'s', async () => {
    const states = [];
    for (const repo of [parent, everyRef]) {
      states.push(
        await withTempDir('grove-fork-shallow-', async (tmp) => {
          const dir = await cloneOf(repo, join(tmp, 'shallow'), protocol, ['--depth', '1', '--no-single-branch']);
          await expectFsckClean(dir);
          return clientState(dir);
        }),
      );
    }
    expect(states[0]?.shallow).not.toBe('');
    expect(states[1]).toEqual(states[0]);
  });

  it('a clone of the fork fetches 10 new commits once the fork is re-pointed to them', async () => {
    const local = await localFork(corpus, join(work, `ten-v${protocol}.git`), false);
    const forkClient = await cloneOf(mainOnly, join(work, `ten-v${protocol}-fork-client`), protocol, ['--no-tags']);
    const parentClient = await cloneOf(parent, join(work, `ten-v${protocol}-parent-client`), protocol, ['--no-tags', '--single-branch']);
    const tip = await commitsOn(local, 'main', 10);
    // The commits reach the parent first, then the fork is re-pointed to them.
    await git(['push', '--quiet', parent.remote, 'main'], { cwd: local, token: parent.token });
    await git(['push', '--quiet', mainOnly.remote, 'main'], { cwd: local, token: mainOnly.token });

    for (const [client, repo] of [[forkClient, mainOnly], [parentClient, parent]] as const) {
      await git(['fetch', '--quiet', 'origin'], { cwd: client, protocol, token: repo.token });
      expect(await revParse(client, 'refs/remotes/origin/main')).toBe(tip);
      expect(await objectsOf(client, ['refs/remotes/origin/main'])).toBe(await objectsOf(local, ['refs/heads/main']));
      await expectFsckClean(client);
    }
    // Same refs as the parent's client; and the fork sent nothing the client does not reach.
    const forkState = await clientState(forkClient);
    expect(forkState.refs).toBe((await clientState(parentClient)).refs);
    expect(oidsOf(forkState.objects)).toEqual(oidsOf(await objectsOf(forkClient)));
  });
});

describe.each([0, 2] as const)('pushing to a fork never changes its parent, protocol v%i', (protocol) => {
  it('new commits (a thin pack), a force-push and deleted refs land in the fork only', async () => {
    const parent = await seed(`iso-v${protocol}`);
    const fork = await admin.fork(NS, parent.name, { name: `iso-v${protocol}-fork`, default_branch_only: false });
    const parentBefore = dumpOf(parent);
    const model = await localFork(corpus, join(work, `iso-v${protocol}-model.git`), true);
    const clone = await cloneOf(fork, join(work, `iso-v${protocol}-work`), protocol);

    // A one-line change to a big file: git sends the new blob as a REF_DELTA on the old one, which only the parent stores.
    const change = await smallChangeToBigFile(clone, `a one-line change pushed to the v${protocol} fork`);
    const traces = gitTraces(work);
    await pushBoth(clone, fork, model, ['main'], { env: traces.env });
    const pack = listPack(traces.packfile());
    expect(pack.checksumOk).toBe(true);
    expect(pack.entries).toContainEqual(expect.objectContaining({ type: REF_DELTA, baseOid: change.oldBlob }));
    expect(parentBefore).toContain(`object ${change.oldBlob} `);
    expect(dumpOf(fork)).not.toContain(`object ${change.oldBlob} `);
    expect(dumpOf(fork)).toContain(`object ${change.newBlob} `);

    // New commits on a new branch, a rewritten branch (force-push), a deleted branch and tag.
    await commitsOn(clone, 'feature/new', 3, { from: 'main' });
    await pushBoth(clone, fork, model, ['feature/new']);
    await commitsOn(clone, 'release/1.x', 2, { from: 'refs/remotes/origin/release/1.x~3', force: true });
    await pushBoth(clone, fork, model, ['release/1.x'], { force: true });
    await pushBoth(clone, fork, model, [':refs/heads/feature/alpha', ':refs/tags/v0.1']);

    expect(dumpOf(parent)).toBe(parentBefore);
    await expectCloneOf(parent, corpus, protocol);
    await expectCloneOf(fork, model, protocol, async (dir) => {
      const refs = await refsOf(dir);
      expect(refs).not.toContain('refs/heads/feature/alpha');
      expect(refs.split('\n')).not.toContainEqual(expect.stringMatching(/ refs\/tags\/v0\.1$/));
      // The blob sent as a delta on a parent's object reads in full.
      expect((await git(['cat-file', '-p', change.newBlob], { cwd: dir })).stdout).toBe(change.text);
      expect((await git(['cat-file', '-p', `main:${BIG_TEXT_PATH}`], { cwd: dir })).stdout).toBe(change.text);
    });
    expect(dumpOf(parent)).toBe(parentBefore);
  });
});

describe('a fork\'s own database', () => {
  it('holds no objects right after forking, and is the same size whatever the parent\'s size', async () => {
    const tiny = await tinyRepo(admin, 'size-tiny');
    const large = await seed('size-large');
    expect(sqliteCount(admin.dbPath(large.id), 'SELECT count(*) AS n FROM objects')).toBeGreaterThan(2000);
    const tinyFork = await admin.fork(NS, tiny.name, { name: 'size-tiny-fork' });
    const largeFork = await admin.fork(NS, large.name, { name: 'size-large-fork' });

    for (const fork of [tinyFork, largeFork]) {
      const path = admin.dbPath(fork.id);
      for (const table of ['objects', 'object_chunks', 'commits', 'commit_objects']) {
        expect(sqliteCount(path, `SELECT count(*) AS n FROM ${table}`), `${fork.name}: rows in ${table}`).toBe(0);
      }
      expect(sqliteCount(path, 'SELECT count(*) AS n FROM refs')).toBe(2);
    }
    const bytes = (id: string): number => filesOf(id).reduce((sum, name) => sum + statSync(join(admin.dataDir, 'repos', name)).size, 0);
    expect(bytes(largeFork.id)).toBe(bytes(tinyFork.id));
    expect(bytes(largeFork.id)).toBeLessThan(bytes(large.id) / 10);
  });
});

describe('forks of forks', () => {
  it('three levels, each with its own pushes, clone correctly over v0 and v2', async () => {
    const root = await seed('chain-root');
    const rootBefore = dumpOf(root);
    const one = await admin.fork(NS, root.name, { name: 'chain-1', default_branch_only: false });
    const model1 = await localFork(corpus, join(work, 'chain-1.git'), true);
    const work1 = await cloneOf(one, join(work, 'chain-1-work'));
    await commitsOn(work1, 'main', 2);
    await pushBoth(work1, one, model1, ['main']);

    const two = await admin.fork(NS, one.name, { name: 'chain-2' });
    const model2 = await localFork(model1, join(work, 'chain-2.git'), false);
    const work2 = await cloneOf(two, join(work, 'chain-2-work'));
    await commitsOn(work2, 'main', 2);
    await commitsOn(work2, 'leaf-2', 1, { from: 'main~1' });
    await pushBoth(work2, two, model2, ['main', 'leaf-2']);
    // The middle level moves on after it was forked: its fork does not follow.
    await commitsOn(work1, 'main', 1);
    await pushBoth(work1, one, model1, ['main']);

    const three = await admin.fork(NS, two.name, { name: 'chain-3', default_branch_only: false });
    expect(three.source).toEqual({ kind: 'fork', id: two.id, namespace: NS, name: 'chain-2' });
    expect(two.source).toEqual({ kind: 'fork', id: one.id, namespace: NS, name: 'chain-1' });
    const model3 = await localFork(model2, join(work, 'chain-3.git'), true);
    const work3 = await cloneOf(three, join(work, 'chain-3-work'));
    // A thin push at the third level: its delta base is stored in the root only.
    const change = await smallChangeToBigFile(work3, 'a one-line change pushed to the third level');
    const traces = gitTraces(work);
    await pushBoth(work3, three, model3, ['main'], { env: traces.env });
    expect(listPack(traces.packfile()).entries).toContainEqual(expect.objectContaining({ type: REF_DELTA, baseOid: change.oldBlob }));
    expect(rootBefore).toContain(`object ${change.oldBlob} `);
    for (const repo of [one, two, three]) expect(dumpOf(repo)).not.toContain(`object ${change.oldBlob} `);

    for (const protocol of [0, 2] as const) {
      await expectCloneOf(root, corpus, protocol);
      await expectCloneOf(one, model1, protocol);
      await expectCloneOf(two, model2, protocol);
      await expectCloneOf(three, model3, protocol, async (dir) => {
        expect((await git(['cat-file', '-p', change.newBlob], { cwd: dir })).stdout).toBe(change.text);
      });
    }
    expect(dumpOf(root)).toBe(rootBefore);
  });

  it('forks into another namespace; `source` names the parent', async () => {
    const parent = await seed('ns-parent');
    const fork = await admin.fork(NS, parent.name, { name: 'ns-fork', namespace: 'forks-elsewhere', description: 'in another namespace' });
    expect(fork).toMatchObject({
      namespace: 'forks-elsewhere',
      name: 'ns-fork',
      description: 'in another namespace',
      default_branch: 'main',
      read_only: false,
      status: 'ready',
      source: { kind: 'fork', id: parent.id, namespace: NS, name: 'ns-parent' },
      remote: `${admin.url()}/git/forks-elsewhere/ns-fork.git`,
    });
    expect(fork.token).toEqual(expect.any(String));
    const got = await admin.request('GET', '/namespaces/forks-elsewhere/repos/ns-fork');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: fork.id, source: fork.source });
    expect((await admin.request('GET', `/namespaces/${NS}/repos/ns-fork`)).status).toBe(404);
    for (const protocol of [0, 2] as const) await expectCloneOf(fork, corpusMain, protocol);
  });

  it('refuses to fork a missing repository (404) or onto a taken name (409), and changes nothing', async () => {
    const parent = await seed('taken-parent');
    const fork = await admin.fork(NS, parent.name, { name: 'taken-fork' });
    const other = await admin.createRepo('forks-taken', 'occupied');
    const before = [parent, fork, other].map((repo) => dumpOf(repo));

    for (const path of [`/namespaces/${NS}/repos/no-such-repo/fork`, '/namespaces/no-such-namespace/repos/taken-parent/fork']) {
      const missing = await admin.request('POST', path, { name: 'never-made' });
      expect(missing.status, path).toBe(404);
      expect(errorCode(missing)).toBe('NOT_FOUND');
    }
    expect((await admin.request('GET', `/namespaces/${NS}/repos/never-made`)).status).toBe(404);

    for (const body of [{ name: 'taken-fork' }, { name: 'taken-parent' }, { name: 'occupied', namespace: 'forks-taken' }]) {
      const taken = await admin.request('POST', `/namespaces/${NS}/repos/taken-parent/fork`, body);
      expect(taken.status, JSON.stringify(body)).toBe(409);
      expect(errorCode(taken)).toBe('ALREADY_EXISTS');
    }
    expect([parent, fork, other].map((repo) => dumpOf(repo))).toEqual(before);
    expect((await admin.request('GET', `/namespaces/${NS}/repos/taken-fork`)).body).toMatchObject({ id: fork.id });
  });
});

describe('deleting a repository that forks read through', () => {
  it('keeps the parent\'s database until its last fork (and fork of a fork) is gone; the forks clone and fetch as before', async () => {
    const root = await seed('doomed');
    const a = await admin.fork(NS, root.name, { name: 'doomed-a', default_branch_only: false });
    const b = await admin.fork(NS, root.name, { name: 'doomed-b' });
    const aa = await admin.fork(NS, a.name, { name: 'doomed-aa', default_branch_only: false });
    const modelA = await localFork(corpus, join(work, 'doomed-a.git'), true);
    const writer = await cloneOf(a, join(work, 'doomed-a-writer'));
    const reader = await cloneOf(a, join(work, 'doomed-a-reader'));

    await admin.deleteRepo(NS, root.name);
    const gone = await admin.request('GET', `/namespaces/${NS}/repos/doomed`);
    expect(gone.status).toBe(404);
    expect(errorCode(gone)).toBe('NOT_FOUND');
    expect((await git(['ls-remote', root.remote], { token: root.token, allowFailure: true })).code).not.toBe(0);
    expect(filesOf(root.id)).toContain(`${root.id}.sqlite`);
    expect(retainedIds()).toContain(root.id);
    // The name is free again: a new, empty repository takes it.
    const again = await admin.createRepo(NS, root.name);
    expect(again.id).not.toBe(root.id);
    expect(await gitOut(['ls-remote', again.remote], { token: again.token })).toBe('');
    expect((await admin.request('GET', `/namespaces/${NS}/repos/doomed-a`)).body).toMatchObject({
      source: { kind: 'fork', id: root.id, namespace: NS, name: 'doomed' },
    });

    for (const protocol of [0, 2] as const) {
      await expectCloneOf(a, modelA, protocol);
      await expectCloneOf(b, corpusMain, protocol);
      await expectCloneOf(aa, corpus, protocol);
      // A clone made before the deletion fetches what is pushed to the fork after it.
      const tip = await commitsOn(writer, 'main', 3);
      await pushBoth(writer, a, modelA, ['main']);
      await git(['fetch', '--quiet', 'origin'], { cwd: reader, protocol, token: a.token });
      expect(await revParse(reader, 'refs/remotes/origin/main')).toBe(tip);
      expect(await objectsOf(reader)).toBe(await objectsOf(modelA, ['--branches', '--tags']));
      await expectFsckClean(reader);
    }

    // Deleting the middle of the chain: its database stays for its fork.
    await admin.deleteRepo(NS, a.name);
    expect((await admin.request('GET', `/namespaces/${NS}/repos/doomed-a`)).status).toBe(404);
    expect(filesOf(a.id)).toContain(`${a.id}.sqlite`);
    expect(retainedIds()).toEqual(expect.arrayContaining([root.id, a.id]));
    for (const protocol of [0, 2] as const) {
      await expectCloneOf(aa, corpus, protocol);
      await expectCloneOf(b, corpusMain, protocol);
    }

    // b goes; the root's database still serves aa (through a).
    await admin.deleteRepo(NS, b.name);
    expect(filesOf(b.id)).toEqual([]);
    expect(filesOf(root.id)).toContain(`${root.id}.sqlite`);
    await expectCloneOf(aa, corpus, 2);

    // The last one goes: the whole chain goes with it.
    await admin.deleteRepo(NS, aa.name);
    for (const repo of [root, a, b, aa]) expect(filesOf(repo.id), repo.name).toEqual([]);
    expect(retainedIds()).not.toContain(root.id);
    expect(retainedIds()).not.toContain(a.id);
    // The repository that took the name is untouched.
    expect(filesOf(again.id)).toContain(`${again.id}.sqlite`);
    expect(await gitOut(['ls-remote', again.remote], { token: again.token })).toBe('');
  });

  it('deleting the middle fork of a chain keeps the chain working for the leaf', async () => {
    const root = await seed('middle-root');
    const rootBefore = dumpOf(root);
    const middle = await admin.fork(NS, root.name, { name: 'middle', default_branch_only: false });
    const modelM = await localFork(corpus, join(work, 'middle.git'), true);
    const workM = await cloneOf(middle, join(work, 'middle-work'));
    await commitsOn(workM, 'main', 2);
    await pushBoth(workM, middle, modelM, ['main']);
    const leaf = await admin.fork(NS, middle.name, { name: 'middle-leaf', default_branch_only: false });
    const modelL = await localFork(modelM, join(work, 'middle-leaf.git'), true);
    const workL = await cloneOf(leaf, join(work, 'middle-leaf-work'));
    await commitsOn(workL, 'leaf', 2, { from: 'main~1' });
    await pushBoth(workL, leaf, modelL, ['leaf']);

    await admin.deleteRepo(NS, middle.name);
    expect((await admin.request('GET', `/namespaces/${NS}/repos/middle`)).status).toBe(404);
    expect(filesOf(middle.id)).toContain(`${middle.id}.sqlite`);
    expect(retainedIds()).toContain(middle.id);
    for (const protocol of [0, 2] as const) {
      await expectCloneOf(leaf, modelL, protocol);
      await expectCloneOf(root, corpus, protocol);
    }
    // The leaf still takes pushes, including a thin one whose base only the root stores.
    await git(['checkout', '--quiet', 'main'], { cwd: workL });
    const change = await smallChangeToBigFile(workL, 'a change pushed to the leaf of a broken chain');
    await pushBoth(workL, leaf, modelL, ['main']);
    for (const protocol of [0, 2] as const) {
      await expectCloneOf(leaf, modelL, protocol, async (dir) => {
        expect((await git(['cat-file', '-p', change.newBlob], { cwd: dir })).stdout).toBe(change.text);
      });
    }

    await admin.deleteRepo(NS, leaf.name);
    expect(filesOf(leaf.id)).toEqual([]);
    expect(filesOf(middle.id)).toEqual([]);
    expect(retainedIds()).not.toContain(middle.id);
    expect(filesOf(root.id)).toContain(`${root.id}.sqlite`);
    expect(dumpOf(root)).toBe(rootBefore);
    await expectCloneOf(root, corpus, 2);
  });
});

describe('concurrent forks', () => {
  it('20 forks made at once from one parent all succeed, and each clones', async () => {
    const parent = await seed('crowd');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => admin.request('POST', `/namespaces/${NS}/repos/${parent.name}/fork`, { name: `crowd-${i}` })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    const forks = answers.map((answer) => answer.body as RepoAnswer);
    expect(new Set(forks.map((fork) => fork.id)).size).toBe(20);
    expect(forks.map((fork) => fork.name).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `crowd-${i}`).sort());
    await Promise.all(forks.map((fork, i) => expectCloneOf(fork, corpusMain, i % 2 === 0 ? 0 : 2)));
  });
});

describe('a thousand forks', () => {
  it('of a repository with thousands of objects add less than 64 MiB on disk, each as much as a fork of a one-commit repository', async () => {
    const server = await startGroveAdmin();
    try {
      const parent = await seed('medium', server);
      expect(sqliteCount(server.dbPath(parent.id), 'SELECT count(*) AS n FROM objects')).toBeGreaterThan(2000);
      const tiny = await tinyRepo(server, 'tiny');
      const tinyFork = await server.fork(NS, tiny.name, { name: 'tiny-fork' });
      await server.close();
      const before = directoryBytes(server.dataDir);

      await server.start();
      const ids: string[] = [];
      for (let i = 0; i < 1000; i += 20) {
        const batch = await Promise.all(Array.from({ length: 20 }, (_, j) => server.fork(NS, parent.name, { name: `medium-${i + j}` })));
        ids.push(...batch.map((fork) => fork.id));
      }
      await server.close();
      const after = directoryBytes(server.dataDir);
      const added = after - before;
      console.info(`1000 forks added ${added} bytes on disk: ${Math.round(added / 1000)} bytes per fork`);
      expect(added).toBeLessThan(64 * 1024 * 1024);
      // Closed, every fork's database is exactly as big as the fork of the one-commit repository.
      const tinySize = statSync(server.dbPath(tinyFork.id)).size;
      expect(new Set(ids.map((id) => statSync(server.dbPath(id)).size))).toEqual(new Set([tinySize]));

      // Started again, forks made then clone like their parent.
      await server.start();
      for (const name of ['medium-0', 'medium-999']) {
        const got = await server.request('GET', `/namespaces/${NS}/repos/${name}`);
        const token = await server.request('POST', `/namespaces/${NS}/repos/${name}/tokens`, { scope: 'read' });
        expect(token.status).toBe(201);
        const fork = { ...(got.body as RepoAnswer), token: (token.body as { token: string }).token };
        expect(existsSync(server.dbPath(fork.id))).toBe(true);
        await expectCloneOf(fork, corpusMain, 2);
      }
    } finally {
      await server.remove();
    }
  });
});
