/**
 * The write routes of the content API against a real server, on
 * repositories pushed with the real `git`:
 *
 *   POST /v1/namespaces/:ns/repos/:name/commits  {branch, expected_head?, start_from?, message, author?, committer?, changes[]}
 *   POST /v1/namespaces/:ns/repos/:name/revert   {branch, commit, mainline?, expected_head?, message?, author?, committer?}
 *   POST /v1/namespaces/:ns/repos/:name/restore  {branch, to, expected_head?, message?, author?, committer?}
 *   PUT  /v1/namespaces/:ns/repos/:name/files/:branch/:path  (the body is the file)
 *
 * Every commit made here is fetched by `git` and checked with
 * `git fsck --strict`; its tree is compared with what the changes specify
 * (`git ls-tree -r`), a revert with `git revert --no-edit`, a restore with
 * the tree of its target. Every refused request leaves the repository's
 * database exactly as it was (dumpRepository).
 */
import { randomBytes, createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../src/http/errorStatus.ts';
import { dumpRepository } from '../../src/testing.ts';
import { uniqueName, useApiServer, type Answer, type ApiServer } from '../api/support/apiServer.ts';
import type { RepoWithTokenJson } from '../api/support/shapes.ts';
import { expectFsckClean, git, gitOut } from '../support/git.ts';
import { useTempDir } from '../support/tempDir.ts';

const work = useTempDir('grove-content-write-');
let dirs = 0;

interface IdentJson {
  name: string;
  email: string;
  date: string;
}

interface WrittenJson {
  sha: string;
  tree: string;
  parents: string[];
  author: IdentJson;
  committer: IdentJson;
  message: string;
  branch: string;
}

/** `path → "mode sha"` of every file of a tree, as `git ls-tree -r` lists it. */
type Listing = Record<string, string>;

function expectCode(answer: Answer, code: string, context = ''): Record<string, unknown> {
  const what = `${context} → ${answer.status} ${answer.text.slice(0, 400)}`;
  expect(answer.status, what).toBe(ERROR_STATUS[code as keyof typeof ERROR_STATUS]);
  const body = answer.json as { error: { code: string; message: string; details?: Record<string, unknown> } };
  expect(body.error.code, what).toBe(code);
  expect(body.error.message.length, what).toBeGreaterThan(0);
  return body.error.details ?? {};
}

function expectWritten(answer: Answer, context = ''): WrittenJson {
  expect(answer.status, `${context} → ${answer.text.slice(0, 400)}`).toBe(201);
  const json = answer.json as WrittenJson;
  expect(Object.keys(json).sort()).toEqual(['author', 'branch', 'committer', 'message', 'parents', 'sha', 'tree']);
  return json;
}

async function listing(dir: string, rev: string): Promise<Listing> {
  const out = await gitOut(['ls-tree', '-r', '--full-tree', '-z', '--format=%(objectmode) %(objectname)%x09%(path)', rev], { cwd: dir });
  const files: Listing = {};
  for (const line of out.split('\0')) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    files[line.slice(tab + 1)] = line.slice(0, tab);
  }
  return files;
}

async function blobId(dir: string, content: string | Uint8Array): Promise<string> {
  return gitOut(['hash-object', '--stdin'], { cwd: dir, input: content });
}

/** A repository on the server, pushed from a work tree with a few files; a clone to fetch REST commits into. */
async function pushedRepo(server: ApiServer, ns: string, options: { readOnly?: boolean } = {}): Promise<{
  repo: RepoWithTokenJson; name: string; src: string; clone: string; head: string;
}> {
  const name = `repo-${++dirs}`;
  const repo = await server.createRepo(ns, { name });
  const src = join(work, `src-${dirs}`);
  await git(['init', '--quiet', '--initial-branch=main', src]);
  mkdirSync(join(src, 'lib/deep'), { recursive: true });
  mkdirSync(join(src, 'bin'));
  writeFileSync(join(src, 'README.md'), '# readme\n');
  writeFileSync(join(src, 'lib/a.txt'), Array.from({ length: 12 }, (_, i) => `line ${i}\n`).join(''));
  writeFileSync(join(src, 'lib/deep/b.txt'), 'b\n');
  writeFileSync(join(src, 'bin/run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  await git(['add', '-A'], { cwd: src });
  await git(['commit', '--quiet', '-m', 'first'], { cwd: src });
  await git(['push', '--quiet', repo.remote, 'main'], { cwd: src, token: repo.token });
  const clone = join(work, `clone-${dirs}`);
  await git(['clone', '--quiet', repo.remote, clone], { token: repo.token });
  if (options.readOnly === true) {
    const patched = await server.call('PATCH', `/v1/namespaces/${ns}/repos/${name}`, { json: { read_only: true } });
    expect(patched.status).toBe(200);
  }
  return { repo, name, src, clone, head: await gitOut(['rev-parse', 'HEAD'], { cwd: src }) };
}

/** Fetches into `clone`, checks it with `git fsck --strict`, and returns `origin/<branch>`. */
async function fetched(clone: string, token: string, branch = 'main'): Promise<string> {
  await git(['fetch', '--quiet', 'origin', '+refs/heads/*:refs/remotes/origin/*'], { cwd: clone, token });
  await expectFsckClean(clone);
  return gitOut(['rev-parse', `origin/${branch}`], { cwd: clone });
}

describe('POST /v1/namespaces/:ns/repos/:name/commits', () => {
  const server = useApiServer();
  const ns = uniqueName('write');
  const path = (name: string, route: string): string => `/v1/namespaces/${ns}/repos/${name}/${route}`;

  it('puts, deletes and moves files in one commit that git fetches, fsck-clean, with exactly the specified tree', async () => {
    const { repo, name, clone, head } = await pushedRepo(server(), ns);
    const binary = randomBytes(3000);
    const before = await listing(clone, 'HEAD');
    const answer = await server().call('POST', path(name, 'commits'), {
      json: {
        branch: 'main',
        message: 'Edit through REST',
        changes: [
          { op: 'put', path: 'README.md', content: '# changed\n' },
          { op: 'put', path: 'new/dir/notes.md', content: 'notes ✓\n' },
          { op: 'put', path: 'data/blob.bin', content_base64: binary.toString('base64') },
          { op: 'put', path: 'tool.sh', content: 'echo hi\n', mode: '100755' },
          { op: 'put', path: 'latest', content: 'README.md', mode: '120000' },
          { op: 'delete', path: 'lib/deep' },
          { op: 'move', from: 'lib/a.txt', to: 'src/a.txt' },
          { op: 'move', from: 'bin', to: 'tools/bin' },
        ],
      },
    });
    const written = expectWritten(answer);
    expect(written.parents).toEqual([head]);
    expect(written.branch).toBe('main');
    expect(written.message).toBe('Edit through REST\n');
    expect(written.committer).toMatchObject({ name: 'Grove', email: 'grove@localhost' });
    expect(written.author).toEqual(written.committer);
    expect(written.committer.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);

    expect(await fetched(clone, repo.token)).toBe(written.sha);
    const expected: Listing = { ...before };
    delete expected['lib/deep/b.txt'];
    expected['README.md'] = `100644 ${await blobId(clone, '# changed\n')}`;
    expected['new/dir/notes.md'] = `100644 ${await blobId(clone, 'notes ✓\n')}`;
    expected['data/blob.bin'] = `100644 ${await blobId(clone, binary)}`;
    expected['tool.sh'] = `100755 ${await blobId(clone, 'echo hi\n')}`;
    expected['latest'] = `120000 ${await blobId(clone, 'README.md')}`;
    expected['src/a.txt'] = before['lib/a.txt']!;
    delete expected['lib/a.txt'];
    expected['tools/bin/run.sh'] = before['bin/run.sh']!;
    delete expected['bin/run.sh'];
    expect(await listing(clone, 'origin/main')).toEqual(expected);
    expect(await gitOut(['rev-parse', 'origin/main^{tree}'], { cwd: clone })).toBe(written.tree);
    const shown = await gitOut(['show', '-s', '--format=%P%n%an <%ae> %aI%n%cn <%ce> %cI%n%B', 'origin/main'], { cwd: clone });
    expect(shown).toBe(`${head}\nGrove <grove@localhost> ${written.author.date}\nGrove <grove@localhost> ${written.committer.date}\nEdit through REST`);
    // What git says changed, path by path.
    const stat = await gitOut(['diff', '--no-renames', '--name-status', head, 'origin/main'], { cwd: clone });
    expect(stat.split('\n').sort()).toEqual([
      'A\tdata/blob.bin', 'A\tlatest', 'A\tnew/dir/notes.md', 'A\tsrc/a.txt', 'A\ttool.sh', 'A\ttools/bin/run.sh',
      'D\tbin/run.sh', 'D\tlib/a.txt', 'D\tlib/deep/b.txt', 'M\tREADME.md',
    ]);
  });

  it('keeps the author and committer given, with their dates and zones', async () => {
    const { repo, name, clone } = await pushedRepo(server(), ns);
    const answer = await server().call('POST', path(name, 'commits'), {
      json: {
        branch: 'main',
        message: 'Subject\n\nBody line.\n',
        author: { name: 'Ada Lovelace', email: 'ada@example.com', date: '2005-04-07T15:13:13-07:00' },
        committer: { name: 'Agent 7', email: 'agent7@example.com', date: '2021-01-02T03:04:05+05:30' },
        changes: [{ op: 'put', path: 'x.txt', content: 'x\n' }],
      },
    });
    const written = expectWritten(answer);
    expect(written.author).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com', date: '2005-04-07T15:13:13-07:00' });
    expect(written.committer).toEqual({ name: 'Agent 7', email: 'agent7@example.com', date: '2021-01-02T03:04:05+05:30' });
    await fetched(clone, repo.token);
    expect(await gitOut(['log', '-1', '--format=%an|%ae|%aI|%ad|%cn|%ce|%cI|%B', '--date=raw', 'origin/main'], { cwd: clone }))
      .toBe('Ada Lovelace|ada@example.com|2005-04-07T15:13:13-07:00|1112911993 -0700|Agent 7|agent7@example.com|2021-01-02T03:04:05+05:30|Subject\n\nBody line.');
  });

  it('compares and swaps with expected_head: a stale one is 409 REF_CONFLICT and changes nothing', async () => {
    const { repo, name, clone, head } = await pushedRepo(server(), ns);
    const put = (expected: string, content: string): Promise<Answer> => server().call('POST', path(name, 'commits'), {
      json: { branch: 'main', expected_head: expected, message: content, changes: [{ op: 'put', path: 'f.txt', content }] },
    });
    const first = expectWritten(await put(head, 'one\n'));
    const dump = dumpRepository(server().dataDir, ns, name);
    const details = expectCode(await put(head, 'two\n'), 'REF_CONFLICT');
    expect(details).toMatchObject({ ref: 'refs/heads/main', expected: head, current: first.sha });
    expect(dumpRepository(server().dataDir, ns, name)).toBe(dump);
    expect(await fetched(clone, repo.token)).toBe(first.sha);
  });

  it('lets exactly one of two parallel commits with the same expected_head land', async () => {
    const { repo, name, clone, head } = await pushedRepo(server(), ns);
    const answers = await Promise.all(['left', 'right'].map((side) => server().call('POST', path(name, 'commits'), {
      json: { branch: 'main', expected_head: head, message: side, changes: [{ op: 'put', path: `${side}.txt`, content: `${side}\n` }] },
    })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 409]);
    const won = answers.find((a) => a.status === 201)!.json as WrittenJson;
    expectCode(answers.find((a) => a.status === 409)!, 'REF_CONFLICT');
    expect(await fetched(clone, repo.token)).toBe(won.sha);
    const files = Object.keys(await listing(clone, 'origin/main'));
    expect(files.filter((f) => f === 'left.txt' || f === 'right.txt')).toEqual([`${won.message.trim()}.txt`]);
  });

  it('creates a branch with start_from, and refuses to create it twice', async () => {
    const { repo, name, clone, head } = await pushedRepo(server(), ns);
    const create = (extra: Record<string, unknown>): Promise<Answer> => server().call('POST', path(name, 'commits'), {
      json: { branch: 'feature/x', message: 'start', changes: [{ op: 'put', path: 'feature.txt', content: 'f\n' }], ...extra },
    });
    const written = expectWritten(await create({ start_from: 'main' }));
    expect(written.parents).toEqual([head]);
    expect(written.branch).toBe('feature/x');
    expect(await fetched(clone, repo.token, 'feature/x')).toBe(written.sha);
    const dump = dumpRepository(server().dataDir, ns, name);
    expect(expectCode(await create({ start_from: 'main' }), 'REF_CONFLICT')).toMatchObject({ current: written.sha });
    expectCode(await create({ start_from: 'main', expected_head: head }), 'BAD_REQUEST');
    expectCode(await create({ branch: 'feature/y', start_from: 'no-such-branch' }), 'NOT_FOUND');
    expect(expectCode(await server().call('POST', path(name, 'commits'), {
      json: { branch: 'typo', message: 'x', changes: [{ op: 'put', path: 'x', content: '' }] },
    }), 'NOT_FOUND')).toMatchObject({ ref: 'refs/heads/typo' });
    expectCode(await create({ branch: 'bad..name', start_from: 'main' }), 'BAD_REF_NAME');
    expect(dumpRepository(server().dataDir, ns, name)).toBe(dump);
  });

  it('makes the first commit of an empty repository, which git clones', async () => {
    const name = `empty-${++dirs}`;
    const repo = await server().createRepo(ns, { name });
    const written = expectWritten(await server().call('POST', path(name, 'commits'), {
      json: { branch: 'main', message: 'Initial commit', changes: [{ op: 'put', path: 'hello/world.txt', content: 'hello\n' }] },
    }));
    expect(written.parents).toEqual([]);
    const clone = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', repo.remote, clone], { token: repo.token });
    await expectFsckClean(clone);
    expect(await gitOut(['rev-parse', 'HEAD'], { cwd: clone })).toBe(written.sha);
    expect(await gitOut(['show', 'HEAD:hello/world.txt'], { cwd: clone })).toBe('hello');
  });

  const refused: [string, unknown[], string, Record<string, unknown>][] = [
    ['a delete of a missing path', [{ op: 'delete', path: 'lib/missing.txt' }], 'NOT_FOUND', { path: 'lib/missing.txt' }],
    ['a move of a missing path', [{ op: 'move', from: 'nope', to: 'x' }], 'NOT_FOUND', { path: 'nope' }],
    ['a put below a file', [{ op: 'put', path: 'README.md/x', content: '' }], 'ALREADY_EXISTS', { path: 'README.md/x', conflict: 'README.md' }],
    ['a put onto a folder', [{ op: 'put', path: 'lib', content: '' }], 'ALREADY_EXISTS', { path: 'lib' }],
    ['two changes of one path', [{ op: 'put', path: 'a', content: '' }, { op: 'delete', path: 'a' }], 'BAD_REQUEST', { path: 'a' }],
    ['a change inside a folder another one deletes', [{ op: 'delete', path: 'lib' }, { op: 'put', path: 'lib/x', content: '' }], 'BAD_REQUEST', { path: 'lib/x' }],
    ['a put with no content', [{ op: 'put', path: 'x' }], 'BAD_REQUEST', { field: 'changes[0].content' }],
    ['invalid base64', [{ op: 'put', path: 'x', content_base64: '@@@' }], 'BAD_REQUEST', { field: 'changes[0].content_base64' }],
    ['a .gitmodules git fsck refuses', [{ op: 'put', path: '.gitmodules', content: '[submodule "x"]\n\tpath = x\n\turl = --upload-pack=evil\n' }], 'BAD_OBJECT', { check: 'gitmodulesUrl' }],
    ['a name Windows reads as .git', [{ op: 'put', path: 'GIT~1/config', content: '' }], 'BAD_REQUEST', { check: 'hasDotgit' }],
  ];
  const badPaths = ['../x', 'a//b', '.git/config', 'sub/.GiT/hooks/x', 'nul\0byte', 'y'.repeat(4097), '/absolute', 'trailing/', './x', ''];
  for (const bad of badPaths) refused.push([`the path ${JSON.stringify(bad.length > 30 ? `${bad.slice(0, 10)}…(${bad.length})` : bad)}`, [{ op: 'put', path: bad, content: 'x' }], 'BAD_REQUEST', { field: 'changes[0].path' }]);

  describe('refuses bad changes, changing nothing', () => {
    let name: string;
    beforeAll(async () => {
      name = (await pushedRepo(server(), ns)).name;
    });
    it.each(refused)('%s', async (_, changes, code, details) => {
      const dump = dumpRepository(server().dataDir, ns, name);
      const answer = await server().call('POST', path(name, 'commits'), { json: { branch: 'main', message: 'bad', changes } });
      expect(expectCode(answer, code)).toMatchObject(details);
      expect(dumpRepository(server().dataDir, ns, name)).toBe(dump);
    });
  });

  it('needs a write token and a writable repository', async () => {
    const { name } = await pushedRepo(server(), ns);
    const readOnly = await pushedRepo(server(), ns, { readOnly: true });
    const read = await server().mintToken(ns, name, { scope: 'read' });
    const write = await server().mintToken(ns, name, { scope: 'write' });
    const body = { branch: 'main', message: 'x', changes: [{ op: 'put', path: 'x.txt', content: 'x' }] };
    const dump = dumpRepository(server().dataDir, ns, name);
    expectCode(await server().call('POST', path(name, 'commits'), { json: body, token: read.token }), 'FORBIDDEN');
    expectCode(await server().call('POST', path(name, 'commits'), { json: body, token: null }), 'UNAUTHORIZED');
    expectCode(await server().call('POST', path(readOnly.name, 'commits'), { json: body }), 'FORBIDDEN');
    expectCode(await server().call('POST', path(readOnly.name, 'commits'), { json: body, token: readOnly.repo.token }), 'FORBIDDEN');
    expect(dumpRepository(server().dataDir, ns, name)).toBe(dump);
    expectWritten(await server().call('POST', path(name, 'commits'), { json: body, token: write.token }));
    for (const [route, json] of [['revert', { branch: 'main', commit: 'main' }], ['restore', { branch: 'main', to: 'main~1' }]] as const) {
      expectCode(await server().call('POST', path(name, route), { json, token: read.token }), 'FORBIDDEN');
      expectCode(await server().call('POST', path(readOnly.name, route), { json }), 'FORBIDDEN');
    }
  });

  it('commits on a fork without touching its parent', async () => {
    const { name, repo: parentRepo } = await pushedRepo(server(), ns);
    const forkName = `fork-${++dirs}`;
    const fork = await server().createFork(ns, name, { name: forkName });
    const parentDump = dumpRepository(server().dataDir, ns, name);
    const written = expectWritten(await server().call('POST', path(forkName, 'commits'), {
      json: { branch: 'main', message: 'on the fork', changes: [{ op: 'put', path: 'lib/deep/c.txt', content: 'c\n' }, { op: 'move', from: 'README.md', to: 'docs/README.md' }] },
    }));
    expect(dumpRepository(server().dataDir, ns, name)).toBe(parentDump);
    const clone = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', fork.remote, clone], { token: fork.token });
    await expectFsckClean(clone);
    expect(await gitOut(['rev-parse', 'HEAD'], { cwd: clone })).toBe(written.sha);
    expect(await gitOut(['ls-remote', parentRepo.remote, 'refs/heads/main'], { token: parentRepo.token })).not.toContain(written.sha);
  });
});

describe('POST /v1/namespaces/:ns/repos/:name/revert and /restore', () => {
  const server = useApiServer();
  const ns = uniqueName('revert');
  const path = (name: string, route: string): string => `/v1/namespaces/${ns}/repos/${name}/${route}`;
  const lines = (change: Record<number, string> = {}): string => Array.from({ length: 12 }, (_, i) => `${change[i] ?? `line ${i}`}\n`).join('');

  /** A history of three commits on main after the first: c1 edits line 1 and adds c1.txt, c2 edits line 9 and deletes deep/b.txt, c3 edits line 1 again. */
  async function history(): Promise<{ repo: RepoWithTokenJson; name: string; src: string; clone: string; commits: string[] }> {
    const pushed = await pushedRepo(server(), ns);
    const { src } = pushed;
    const commits = [pushed.head];
    const step = async (edit: () => void, message: string): Promise<void> => {
      edit();
      await git(['add', '-A'], { cwd: src });
      await git(['commit', '--quiet', '-m', message], { cwd: src });
      commits.push(await gitOut(['rev-parse', 'HEAD'], { cwd: src }));
    };
    await step(() => {
      writeFileSync(join(src, 'lib/a.txt'), lines({ 1: 'one' }));
      writeFileSync(join(src, 'c1.txt'), 'c1\n');
    }, 'c1: edit line 1');
    await step(() => {
      writeFileSync(join(src, 'lib/a.txt'), lines({ 1: 'one', 9: 'nine' }));
      writeFileSync(join(src, 'lib/deep/b.txt'), 'b2\n');
    }, 'c2: edit line 9');
    await step(() => writeFileSync(join(src, 'lib/a.txt'), lines({ 1: 'ONE', 9: 'nine' })), 'c3: edit line 1 again');
    await git(['push', '--quiet', pushed.repo.remote, 'main'], { cwd: src, token: pushed.repo.token });
    return { ...pushed, commits };
  }

  /** `git revert --no-edit <sha>` in `src` (reset afterwards): the tree and message, or null when git stops on a conflict. */
  async function gitRevert(src: string, sha: string): Promise<{ tree: string; message: string } | null> {
    const result = await git(['revert', '--no-edit', sha], { cwd: src, allowFailure: true });
    if (result.code !== 0) {
      await git(['revert', '--abort'], { cwd: src });
      return null;
    }
    const out = { tree: await gitOut(['rev-parse', 'HEAD^{tree}'], { cwd: src }), message: await gitOut(['log', '-1', '--format=%B'], { cwd: src }) };
    await git(['reset', '--quiet', '--hard', 'HEAD~1'], { cwd: src });
    return out;
  }

  it('reverts as git revert --no-edit does, and git fetches it fsck-clean', async () => {
    const { repo, name, src, clone, commits } = await history();
    const expected = await gitRevert(src, commits[2]!);
    expect(expected).not.toBeNull();
    const written = expectWritten(await server().call('POST', path(name, 'revert'), { json: { branch: 'main', commit: commits[2] } }));
    expect(written.tree).toBe(expected!.tree);
    expect(written.message).toBe(`${expected!.message}\n`);
    expect(written.parents).toEqual([commits[3]]);
    expect(await fetched(clone, repo.token)).toBe(written.sha);
    expect(await gitOut(['rev-parse', 'origin/main^{tree}'], { cwd: clone })).toBe(expected!.tree);
  });

  it('answers 409 MERGE_CONFLICT for a revert git cannot make, changing nothing', async () => {
    const { name, src, commits } = await history();
    expect(await gitRevert(src, commits[1]!)).toBeNull();
    const dump = dumpRepository(server().dataDir, ns, name);
    const details = expectCode(await server().call('POST', path(name, 'revert'), { json: { branch: 'main', commit: commits[1] } }), 'MERGE_CONFLICT');
    expect(details).toMatchObject({ commit: commits[1], conflicts: [{ path: 'lib/a.txt', reason: 'content' }] });
    expect(dumpRepository(server().dataDir, ns, name)).toBe(dump);
    expectCode(await server().call('POST', path(name, 'revert'), { json: { branch: 'main', commit: 'f'.repeat(40) } }), 'NOT_FOUND');
    expectCode(await server().call('POST', path(name, 'revert'), { json: { branch: 'main', commit: commits[2], expected_head: commits[2] } }), 'REF_CONFLICT');
    expectCode(await server().call('POST', path(name, 'revert'), { json: { branch: 'nope', commit: commits[2] } }), 'NOT_FOUND');
    expectCode(await server().call('POST', path(name, 'revert'), { json: { branch: 'main', commit: commits[2], mainline: 1 } }), 'BAD_REQUEST');
    expect(dumpRepository(server().dataDir, ns, name)).toBe(dump);
  });

  it('restores the exact tree of an earlier commit as a new commit', async () => {
    const { repo, name, clone, commits } = await history();
    const written = expectWritten(await server().call('POST', path(name, 'restore'), {
      json: { branch: 'main', to: commits[0], expected_head: commits[3], author: { name: 'Time Traveller', email: 'tt@example.com' } },
    }));
    expect(written.parents).toEqual([commits[3]]);
    expect(written.message).toBe(`Restore ${commits[0]!.slice(0, 7)}\n`);
    expect(written.author).toMatchObject({ name: 'Time Traveller', email: 'tt@example.com' });
    expect(await fetched(clone, repo.token)).toBe(written.sha);
    expect(await gitOut(['rev-parse', 'origin/main^{tree}'], { cwd: clone })).toBe(await gitOut(['rev-parse', `${commits[0]}^{tree}`], { cwd: clone }));
    expect(await listing(clone, 'origin/main')).toEqual(await listing(clone, commits[0]!));
    // History is kept: the restored-over commits are still reachable.
    expect(await gitOut(['rev-list', '--count', 'origin/main'], { cwd: clone })).toBe('5');
    expectCode(await server().call('POST', path(name, 'restore'), { json: { branch: 'main', to: 'no-such-ref' } }), 'NOT_FOUND');
  });
});

describe('PUT /v1/namespaces/:ns/repos/:name/files/:branch/:path', () => {
  // Default limits: the upload streams under its own limit, not the 1 MiB /v1 JSON body limit.
  const server = useApiServer();
  const ns = uniqueName('files');
  const url = (name: string, branch: string, file: string, query = ''): string =>
    `/v1/namespaces/${ns}/repos/${name}/files/${encodeURIComponent(branch)}/${file.split('/').map(encodeURIComponent).join('/')}${query}`;

  it('commits the body as one file, on a new branch named with a slash, gzip accepted', async () => {
    const { repo, name, clone, head } = await pushedRepo(server(), ns);
    const content = 'streamed ✓\n'.repeat(1000);
    const written = expectWritten(await server().call('PUT', url(name, 'topic/one', 'deep/dir/file name.txt', '?start_from=main&message=Upload&mode=100755'), {
      body: content, headers: { 'content-type': 'application/octet-stream' },
    }));
    expect(written).toMatchObject({ branch: 'topic/one', parents: [head], message: 'Upload\n' });
    expect(await fetched(clone, repo.token, 'topic/one')).toBe(written.sha);
    expect((await listing(clone, 'origin/topic/one'))['deep/dir/file name.txt']).toBe(`100755 ${await blobId(clone, content)}`);

    const zipped = await fetch(`${server().url}${url(name, 'topic/one', 'z.txt', `?expected_head=${written.sha}&author_name=Zed&author_email=z@example.com`)}`, {
      method: 'PUT', body: gzipSync(Buffer.from('zipped\n')), headers: { authorization: `Bearer ${server().admin}`, 'content-encoding': 'gzip' },
    });
    const zippedText = await zipped.text();
    const second = expectWritten({ status: zipped.status, headers: zipped.headers, text: zippedText, json: JSON.parse(zippedText) });
    expect(second.author).toMatchObject({ name: 'Zed', email: 'z@example.com' });
    await fetched(clone, repo.token, 'topic/one');
    expect(await gitOut(['show', 'origin/topic/one:z.txt'], { cwd: clone })).toBe('zipped');
  });

  it('refuses bad requests before reading the body, changing nothing', async () => {
    const { name, repo, head } = await pushedRepo(server(), ns);
    const read = await server().mintToken(ns, name, { scope: 'read' });
    const dump = dumpRepository(server().dataDir, ns, name);
    expectCode(await server().call('PUT', url(name, 'main', 'x.txt'), { body: 'x', token: read.token }), 'FORBIDDEN');
    expectCode(await server().call('PUT', url(name, 'main', 'x.txt', '?expected_head=' + 'a'.repeat(40)), { body: 'x', token: repo.token }), 'REF_CONFLICT');
    expectCode(await server().call('PUT', url(name, 'main', 'x.txt', '?colour=red'), { body: 'x' }), 'BAD_REQUEST');
    expectCode(await server().call('PUT', url(name, 'main', 'README.md/x')), 'ALREADY_EXISTS');
    // A literal `..` segment is resolved by URL parsing before routing (…/a/../b is …/b); an encoded one reaches the path check.
    expectCode(await server().rawCall('PUT', `/v1/namespaces/${ns}/repos/${name}/files/main/a%2F..%2Fb`, { body: 'x' }), 'BAD_REQUEST');
    expectCode(await server().call('PUT', url(name, 'main', '.git/hooks/post-checkout'), { body: 'x' }), 'BAD_REQUEST');
    expect(dumpRepository(server().dataDir, ns, name)).toBe(dump);
    expectWritten(await server().call('PUT', url(name, 'main', 'ok.txt', `?expected_head=${head}`), { body: 'ok\n' }));
  });

  it('streams a 50 MiB file into a commit that git fetches whole', async () => {
    const { repo, name, clone } = await pushedRepo(server(), ns);
    const size = 50 * 1024 * 1024;
    const chunk = randomBytes(1024 * 1024);
    const hash = createHash('sha1').update(`blob ${size}\0`);
    for (let i = 0; i < 50; i++) hash.update(chunk);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 50; i++) controller.enqueue(new Uint8Array(chunk));
        controller.close();
      },
    });
    const response = await fetch(`${server().url}${url(name, 'main', 'big/random.bin')}`, {
      method: 'PUT', body, duplex: 'half', headers: { authorization: `Bearer ${server().admin}` },
    } as RequestInit);
    const answer: Answer = { status: response.status, headers: response.headers, text: '', json: undefined };
    answer.text = await response.text();
    answer.json = JSON.parse(answer.text);
    const written = expectWritten(answer);
    expect(await fetched(clone, repo.token)).toBe(written.sha);
    expect((await listing(clone, 'origin/main'))['big/random.bin']).toBe(`100644 ${hash.digest('hex')}`);
  });
});

describe('size limits of the write routes', () => {
  const server = useApiServer({ limits: { maxObjectBytes: 64 * 1024 } });
  const ns = uniqueName('limits');

  it('refuses a file over the largest object: 413, nothing written', async () => {
    const { name } = await pushedRepo(server(), ns);
    const big = randomBytes(100 * 1024);
    const dump = dumpRepository(server().dataDir, ns, name);
    const details = expectCode(await server().call('POST', `/v1/namespaces/${ns}/repos/${name}/commits`, {
      json: { branch: 'main', message: 'big', changes: [{ op: 'put', path: 'big.bin', content_base64: big.toString('base64') }] },
    }), 'OBJECT_TOO_LARGE');
    expect(details).toMatchObject({ max: 64 * 1024 });
    const put = (body: NonNullable<RequestInit['body']>): Promise<Response> => fetch(`${server().url}/v1/namespaces/${ns}/repos/${name}/files/main/big.bin`, {
      method: 'PUT', body, duplex: 'half', headers: { authorization: `Bearer ${server().admin}` },
    } as RequestInit);
    const announced = await put(big);
    expect(announced.status).toBe(413);
    expect(((await announced.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    const streamed = await put(new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < big.length; at += 8192) controller.enqueue(new Uint8Array(big.subarray(at, at + 8192)));
        controller.close();
      },
    }));
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(dumpRepository(server().dataDir, ns, name)).toBe(dump);
  });
});
