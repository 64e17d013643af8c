/**
 * `client.repo(ns, name).drafts` against a real Grove server started in this
 * process on 127.0.0.1, on a repository pushed with the real `git` CLI: a
 * full round trip (create → write, edit, mv, rm → checkpoint twice → reset →
 * apply) whose result is read back with the content API and with `git
 * fetch` (tree and history as git shows them, `git fsck --strict` clean);
 * revisions fetched from `refs/drafts/<id>` and diffed by git; raw file
 * bytes through odd names; the read-only tools on revisions compared with
 * `git show`; apply's merge and conflicts, and update; scoped tokens; the
 * shell; and the server's error codes arriving as GroveApiError codes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../runtime/node/startServer.ts';
import { expectFsckClean, git, gitOut } from '../../test/support/git.ts';
import { tempDir, useTempDir } from '../../test/support/tempDir.ts';
import { draftFilePath, type DraftApi } from './DraftApi.ts';
import type { DraftConflict } from './draftTypes.ts';
import { GroveApiError } from './GroveApiError.ts';
import { GroveClient } from './GroveClient.ts';
import type { RepoContentApi } from './RepoContentApi.ts';
import type { RepoWithToken } from './types.ts';

const ADMIN = 'sdk-drafts-admin-token';
const BINARY = new Uint8Array(randomBytes(4000));
BINARY[7] = 0;

let server: RunningServer;
let client: GroveClient;
let created: RepoWithToken;
let repo: RepoContentApi;
let drafts: DraftApi;
const data = tempDir('grove-sdk-drafts-');
const work = useTempDir('grove-sdk-drafts-work-');
const local = join(work, 'local');

function write(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(join(local, path)), { recursive: true });
  writeFileSync(join(local, path), content);
}

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, dataDir: data.dir, adminToken: ADMIN });
  client = new GroveClient({ url: server.url, token: ADMIN });
  created = await client.repos.create('sdk', { name: 'drafts' });
  await git(['init', '--quiet', '-b', 'main', local]);
  write('README.md', 'hello\nworld\n');
  write('src/a.ts', 'export const a = 1;\n// TODO: remove a\n');
  write('src/b.ts', 'export const b = 2;\n');
  write('docs/guide.md', '# Guide\n\none\ntwo\nthree\n');
  write('bin/logo.png', BINARY);
  await git(['add', '-A'], { cwd: local });
  await git(['commit', '--quiet', '-m', 'Initial files'], { cwd: local });
  await git(['tag', 'v1'], { cwd: local });
  write('README.md', 'hello\nbrave new\nworld\n');
  await git(['commit', '--quiet', '-am', 'Edit README'], { cwd: local });
  await git(['push', '--quiet', created.remote, 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*'], { cwd: local, token: created.token });
  repo = client.repo('sdk', 'drafts');
  drafts = repo.drafts;
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

/** Fetches `ref` of the server into the local clone as `into`, and returns its id. */
async function fetchRef(ref: string, into: string): Promise<string> {
  await git(['fetch', '--quiet', created.remote, `+${ref}:${into}`], { cwd: local, token: created.token });
  return gitOut(['rev-parse', into], { cwd: local });
}

/** `git ls-tree -r` of a revision, as `<mode> <sha> <path>` lines. */
async function gitTree(rev: string): Promise<string[]> {
  const out = await gitOut(['ls-tree', '-r', '--format=%(objectmode) %(objectname) %(path)', rev], { cwd: local });
  return out === '' ? [] : out.split('\n');
}

describe('drafts: the round trip', () => {
  it('create → write, edit, mv, rm → checkpoint twice → reset → apply lands on the branch as git sees it', async () => {
    const main = await gitOut(['rev-parse', 'main'], { cwd: local });
    const draft = await drafts.create({ label: 'round trip' });
    expect(draft).toMatchObject({
      ref: `refs/drafts/${draft.id}`, branch: 'main', base: main, head: main, revision: null, label: 'round trip', state: 'open', applied: null, changed_paths: 0,
    });
    expect(await drafts.get(draft.id)).toEqual(draft);

    // Changes with the tools.
    expect(await drafts.write(draft.id, 'notes/today.md', '# Today\nbuy milk\n')).toMatchObject({ path: 'notes/today.md', size: 17, created: true });
    const edited = await drafts.edit(draft.id, 'README.md', { old_string: 'brave new', new_string: 'wide' });
    expect(edited.replacements).toBe(1);
    expect(edited.diff).toContain('-brave new\n+wide\n');
    expect(edited.diff.startsWith('diff --git a/README.md b/README.md\n')).toBe(true);
    expect(await drafts.mv(draft.id, 'docs/guide.md', 'docs/manual.md')).toEqual({ from: 'docs/guide.md', to: 'docs/manual.md' });
    expect(await drafts.rm(draft.id, 'src/b.ts')).toEqual({ path: 'src/b.ts', removed: 1 });
    const first = await drafts.checkpoint(draft.id, { message: 'First pass' });
    expect(first.created).toBe(true);
    expect(first.revision).toMatchObject({ parent: main, message: 'First pass\n', current: true });
    expect(first.draft).toMatchObject({ head: first.revision.sha, revision: first.revision.sha, changed_paths: 0 });
    expect((await drafts.checkpoint(draft.id, { message: 'nothing' })).created).toBe(false);

    // A second pass, then back to the first.
    await drafts.write(draft.id, 'README.md', 'replaced\n');
    await drafts.rm(draft.id, 'notes', { recursive: true });
    const second = await drafts.checkpoint(draft.id, { message: 'Second pass' });
    expect(second.revision.parent).toBe(first.revision.sha);
    const { revisions } = await drafts.revisions(draft.id);
    expect(revisions.map((r) => [r.sha, r.current])).toEqual([[second.revision.sha, true], [first.revision.sha, false], [main, false]]);

    // The revisions are real commits on refs/drafts/<id>: git fetches and diffs them.
    const fetched = await fetchRef(`refs/drafts/${draft.id}`, 'refs/remotes/grove/draft');
    expect(fetched).toBe(second.revision.sha);
    expect(await gitOut(['log', '--format=%s', 'refs/remotes/grove/draft'], { cwd: local })).toBe('Second pass\nFirst pass\nEdit README\nInitial files');
    expect(await gitOut(['diff', '--name-status', '-M', main, first.revision.sha], { cwd: local }))
      .toBe(['M\tREADME.md', 'R100\tdocs/guide.md\tdocs/manual.md', 'A\tnotes/today.md', 'D\tsrc/b.ts'].join('\n'));
    await expectFsckClean(local);

    const reset = await drafts.reset(draft.id, first.revision.sha.slice(0, 8));
    expect(reset.head).toBe(first.revision.sha);
    expect((await drafts.read(draft.id, 'README.md')).kind).toBe('text');
    expect(await drafts.read(draft.id, 'README.md')).toMatchObject({ content: 'hello\nwide\nworld\n', total_lines: 3 });
    expect((await drafts.revisions(draft.id)).revisions.find((r) => r.current)?.sha).toBe(first.revision.sha);

    // The diff is what git says between the base and the first revision.
    const diff = await drafts.diff(draft.id);
    expect(diff.from).toBe(main);
    const gitPatch = (await git(['diff', '-M', main, first.revision.sha], { cwd: local })).stdout;
    expect(diff.files.map((f) => f.patch ?? '').join('')).toBe(gitPatch);
    expect((await drafts.diff(draft.id, { against: 'head', patch: false })).files).toEqual([]);

    const applied = await drafts.apply(draft.id, { message: 'Apply the first pass' });
    expect(applied).toMatchObject({ branch: 'main', created: true, merged: false });
    expect(applied.draft).toMatchObject({ state: 'applied', applied: applied.sha });

    // The branch, through the content API and through git.
    const { commits } = await repo.log({ ref: 'main', limit: 1 });
    expect(commits[0]).toMatchObject({ sha: applied.sha, parents: [main], message: 'Apply the first pass\n' });
    expect(await (await repo.file('main', 'README.md')).text()).toBe('hello\nwide\nworld\n');
    const tree = await repo.tree('main', { recursive: true });
    expect(tree.entries.filter((e) => e.type === 'blob').map((e) => e.path).sort()).toEqual(['README.md', 'bin/logo.png', 'docs/manual.md', 'notes/today.md', 'src/a.ts']);
    expect(await fetchRef('refs/heads/main', 'refs/remotes/grove/main')).toBe(applied.sha);
    expect(await gitTree('refs/remotes/grove/main')).toEqual(await gitTree(first.revision.sha));
    await expectFsckClean(local);

    const closed = await caught(drafts.write(draft.id, 'late.txt', 'too late'));
    expect([closed.status, closed.code]).toEqual([409, 'DRAFT_CLOSED']);
  });
});

describe('drafts: the collection', () => {
  it('lists a page, iterates every page, and discards', async () => {
    const made = [await drafts.create({ label: 'a' }), await drafts.create({ label: 'b', ttl_seconds: 600 }), await drafts.create({ from: 'v1' })];
    expect(made[1]!.ttl_seconds).toBe(600);
    expect(made[2]!.branch).toBeNull();
    const page = await drafts.list({ limit: 1 });
    expect(page.drafts).toHaveLength(1);
    expect(page.next_cursor).toEqual(expect.any(String));
    const all = await collect(drafts.iterate({ limit: 1 }));
    const ids = all.map((d) => d.id);
    expect(ids).toEqual([...ids].sort());
    for (const d of made) expect(ids).toContain(d.id);
    expect(ids).toEqual((await drafts.list({ limit: 200 })).drafts.map((d) => d.id));

    await drafts.discard(made[0]!.id);
    expect((await caught(drafts.get(made[0]!.id))).code).toBe('NOT_FOUND');
    expect((await collect(drafts.iterate())).map((d) => d.id)).not.toContain(made[0]!.id);
  });
});

describe('drafts: the file tools', () => {
  let id: string;
  beforeAll(async () => {
    // At the tag: the round trip has changed main by now.
    id = (await drafts.create({ from: 'v1' })).id;
  });

  it('read pages lines; ls, iterateLs, glob, grep, stat and mkdir describe the draft', async () => {
    await drafts.write(id, 'long.txt', Array.from({ length: 5 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    const head = await drafts.read(id, 'long.txt', { limit: 2 });
    expect(head).toMatchObject({ kind: 'text', content: 'line 1\nline 2\n', from_line: 1, to_line: 2, total_lines: 5, next_offset: 3 });
    expect(await drafts.read(id, 'long.txt', { offset: 5 })).toMatchObject({ content: 'line 5\n', next_offset: null });
    const logo = await drafts.read(id, 'bin/logo.png');
    expect(logo).toMatchObject({ kind: 'binary', media_type: 'image/png', size: BINARY.length, sha: await gitOut(['rev-parse', 'v1:bin/logo.png'], { cwd: local }) });

    const root = await drafts.ls(id);
    expect(root.entries.map((e) => [e.name, e.kind])).toEqual([['README.md', 'file'], ['bin', 'dir'], ['docs', 'dir'], ['long.txt', 'file'], ['src', 'dir']]);
    const recursive = await drafts.ls(id, '', { recursive: true, limit: 1000 });
    expect(await collect(drafts.iterateLs(id, '', { recursive: true, limit: 2 }))).toEqual(recursive.entries);
    expect(recursive.entries.find((e) => e.path === 'src/a.ts')).toEqual({
      path: 'src/a.ts', name: 'a.ts', kind: 'file', size: Number(await gitOut(['cat-file', '-s', 'v1:src/a.ts'], { cwd: local })), mode: '100644', sha: await gitOut(['rev-parse', 'v1:src/a.ts'], { cwd: local }),
    });

    expect(await drafts.glob(id, '**/*.ts')).toEqual({ paths: ['src/a.ts', 'src/b.ts'], truncated: false });
    expect((await drafts.glob(id, '*', { path: 'src', exclude: ['b.*'] })).paths).toEqual(['src/a.ts']);
    const grep = await drafts.grep(id, 'todo', { ignore_case: true, context: 1 });
    expect(grep.matches).toEqual([{ path: 'src/a.ts', line: 2, text: '// TODO: remove a', before: ['export const a = 1;'], after: [] }]);
    expect(grep.files_with_matches).toBe(1);
    expect((await drafts.grep(id, 'l[a-z]+e [0-9]$', { regex: true, include: ['*.txt'] })).matches.map((m) => m.line)).toEqual([1, 2, 3, 4, 5]);

    expect(await drafts.mkdir(id, 'empty/deep')).toMatchObject({ path: 'empty/deep', kind: 'dir', mode: '40000', sha: null });
    expect(await drafts.stat(id, 'empty')).toMatchObject({ kind: 'dir' });
    expect((await drafts.tool(id, 'stat', { path: '/src//./a.ts' })).path).toBe('src/a.ts');
  });

  it('writes and reads raw bytes through names that need percent-encoding', async () => {
    const names = ['data/a b.bin', 'data/100%.bin', 'data/q?x#y.bin', 'data/é+ü&=.bin'];
    for (const [i, name] of names.entries()) {
      const bytes = BINARY.subarray(i * 100);
      const info = await drafts.writeFile(id, name, bytes);
      expect(info).toMatchObject({ path: name, kind: 'file', size: bytes.length, mode: '100644' });
      expect(await drafts.readFile(id, name)).toEqual(bytes);
    }
    expect((await drafts.ls(id, 'data')).entries.map((e) => e.path).sort()).toEqual([...names].sort());
    const script = await drafts.writeFile(id, './bin/../bin/run.sh', '#!/bin/sh\necho hi\n', { mode: '100755' });
    expect(script).toMatchObject({ path: 'bin/run.sh', mode: '100755', size: 18 });
    expect(new TextDecoder().decode(await drafts.readFile(id, 'bin/run.sh'))).toBe('#!/bin/sh\necho hi\n');
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('one,'));
        controller.enqueue(new TextEncoder().encode('two\n'));
        controller.close();
      },
    });
    expect((await drafts.writeFile(id, 'stream.csv', streamed)).size).toBe(8);
    expect(await (await drafts.file(id, 'stream.csv')).text()).toBe('one,two\n');
  });

  it('encodes each path component and refuses paths above the root before sending', () => {
    expect(draftFilePath('/a b/./c%d//e?f/')).toBe('a%20b/c%25d/e%3Ff');
    expect(draftFilePath('x/../y')).toBe('y');
    for (const bad of ['', '/', '..', 'a/../..']) {
      let code: unknown;
      try {
        draftFilePath(bad);
      } catch (err) {
        code = err instanceof GroveApiError ? err.code : err;
      }
      expect(code, bad).toBe('EINVAL');
    }
  });

  it('surfaces the tools\' POSIX codes as GroveApiError codes', async () => {
    const expectCode = async (promise: Promise<unknown>, status: number, code: string) => {
      const err = await caught(promise);
      expect([err.status, err.code], err.message).toEqual([status, code]);
      return err;
    };
    await expectCode(drafts.read(id, 'missing.txt'), 404, 'ENOENT');
    await expectCode(drafts.readFile(id, 'missing.txt'), 404, 'ENOENT');
    await expectCode(drafts.read(id, 'src'), 400, 'EISDIR');
    await expectCode(drafts.stat(id, 'README.md/inner'), 400, 'ENOTDIR');
    await expectCode(drafts.edit(id, 'README.md', { old_string: '', new_string: 'x' }), 409, 'EEXIST');
    await expectCode(drafts.rm(id, 'src'), 409, 'ENOTEMPTY');
    const missing = await expectCode(drafts.edit(id, 'README.md', [{ old_string: 'hello', new_string: 'hi' }, { old_string: 'not there', new_string: 'x' }]), 400, 'EINVAL');
    expect(missing.details?.['edit']).toBe(1);
    await expectCode(drafts.write(id, '../escape.txt', 'x'), 400, 'EINVAL');
    // All or nothing: the first edit of the failed call did not land.
    expect(await drafts.read(id, 'README.md')).toMatchObject({ content: 'hello\nworld\n' });
    await expectCode(drafts.tool(id, 'read', { path: 'README.md', limit: 0 }), 400, 'BAD_REQUEST');
    await expectCode(drafts.get('nosuchdraft'), 404, 'NOT_FOUND');
  });
});

describe('drafts: revisions, apply conflicts, scoped tokens', () => {
  it('runs the read-only tools on any revision, as git shows it', async () => {
    const atTag = await drafts.revisionTool('read', { path: 'README.md' }, { ref: 'v1' });
    expect(atTag).toMatchObject({ kind: 'text', content: (await git(['show', 'v1:README.md'], { cwd: local })).stdout });
    const onDefault = await drafts.revisionTool('ls', { path: 'src' });
    await fetchRef('refs/heads/main', 'refs/remotes/grove/main');
    expect(onDefault.entries.map((e) => `${e.mode} ${e.sha} ${e.path}`)).toEqual(await gitTree('refs/remotes/grove/main').then((lines) => lines.filter((l) => l.includes(' src/'))));
    expect((await drafts.revisionTool('grep', { pattern: 'brave' }, { ref: 'v1' })).matches).toEqual([]);
    expect((await caught(drafts.revisionTool('stat', { path: 'nope' }, { ref: 'v1' }))).code).toBe('ENOENT');
  });

  it('merges onto a branch that moved, and answers MERGE_CONFLICT when the same lines changed', async () => {
    const base = (await repo.refs.get('refs/heads/main')).sha!;
    const clean = await drafts.create();
    const clashing = await drafts.create();
    await drafts.edit(clean.id, 'src/a.ts', { old_string: 'export const a = 1;', new_string: 'export const a = 10;' });
    await drafts.edit(clashing.id, 'docs/manual.md', { old_string: 'one', new_string: 'ONE' });
    // The branch moves under both drafts.
    const moved = await repo.commitFiles({
      branch: 'main', message: 'Move on', changes: [{ op: 'put', path: 'docs/manual.md', content: '# Guide\n\nuno\ntwo\nthree\n' }, { op: 'put', path: 'src/a.ts', content: 'export const a = 1;\n// TODO: remove a\n// more\n' }],
    });
    expect(moved.parents).toEqual([base]);

    const ffOnly = await caught(drafts.apply(clean.id, { strategy: 'ff-only' }));
    expect([ffOnly.status, ffOnly.code]).toEqual([409, 'REF_CONFLICT']);
    const merged = await drafts.apply(clean.id, { message: 'Merge a' });
    expect(merged).toMatchObject({ created: true, merged: true });
    expect(await (await repo.file('main', 'src/a.ts')).text()).toBe('export const a = 10;\n// TODO: remove a\n// more\n');

    const conflict = await caught(drafts.apply(clashing.id));
    expect([conflict.status, conflict.code]).toEqual([409, 'MERGE_CONFLICT']);
    const conflicts = conflict.details?.['conflicts'] as DraftConflict[];
    expect(conflicts.map((c) => c.path)).toEqual(['docs/manual.md']);
    expect(conflicts[0]!.ours).toBe(await gitOut(['hash-object', '--stdin'], { cwd: local, input: '# Guide\n\nuno\ntwo\nthree\n' }));
    expect((await repo.refs.get('refs/heads/main')).sha).toBe(merged.sha);
    expect((await drafts.get(clashing.id)).state).toBe('open');

    // update brings the branch into the draft, markers and all; resolved, it applies as a fast-forward.
    const updated = await drafts.update(clashing.id, { message: 'Catch up' });
    expect(updated.conflicts.map((c) => [c.path, c.kind])).toEqual([['docs/manual.md', 'content']]);
    expect(updated.draft.base).toBe(merged.sha);
    const marked = await drafts.read(clashing.id, 'docs/manual.md');
    expect(marked.kind === 'text' ? marked.content : '').toMatch(/^<<<<<<< /m);
    await drafts.write(clashing.id, 'docs/manual.md', '# Guide\n\nONE\ntwo\nthree\n');
    const resolved = await drafts.apply(clashing.id, { strategy: 'ff-only', message: 'Resolve' });
    expect(resolved).toMatchObject({ created: true, merged: false });
    expect(await (await repo.file('main', 'docs/manual.md')).text()).toBe('# Guide\n\nONE\ntwo\nthree\n');
    expect(await (await repo.file('main', 'src/a.ts')).text()).toBe('export const a = 10;\n// TODO: remove a\n// more\n');
  });

  it('mints a token held to its draft and globs', async () => {
    const draft = await drafts.create();
    const minted = await drafts.mintToken(draft.id, { read: ['src/**', 'README.md'], write: ['src/**'], ttl_seconds: 600, label: 'agent' });
    expect(minted).toMatchObject({ draft: draft.id, read: ['src/**', 'README.md'], write: ['src/**'] });
    const agent = new GroveClient({ url: server.url, token: minted.token }).repo('sdk', 'drafts').drafts;
    expect(await agent.write(draft.id, 'src/new.ts', 'x\n')).toMatchObject({ created: true });
    expect((await agent.read(draft.id, 'README.md')).kind).toBe('text');
    expect((await caught(agent.write(draft.id, 'README.md', 'no'))).code).toBe('FORBIDDEN');
    expect((await caught(agent.readFile(draft.id, 'docs/manual.md'))).code).toBe('FORBIDDEN');
    expect((await caught(agent.checkpoint(draft.id))).code).toBe('FORBIDDEN');
    const other = await drafts.create();
    expect((await caught(agent.read(other.id, 'README.md'))).status).toBe(403);
    expect((await drafts.read(draft.id, 'src/new.ts'))).toMatchObject({ content: 'x\n' });
  });
});

describe('drafts: the shell', () => {
  it('runs a command over the draft\'s files; its changes land in the draft', async () => {
    const draft = await drafts.create();
    const ran = await drafts.exec(draft.id, 'cat README.md | wc -l; echo made > made.txt; echo oops >&2; exit 3');
    expect(ran).toMatchObject({ stdout: expect.stringMatching(/^\s*3\n$/), stderr: 'oops\n', exit_code: 3, timed_out: false, truncated: false });
    expect(await drafts.read(draft.id, 'made.txt')).toMatchObject({ content: 'made\n' });
    expect((await drafts.exec(draft.id, 'pwd; ls', { cwd: 'src' })).stdout).toContain('a.ts');
  });
});
