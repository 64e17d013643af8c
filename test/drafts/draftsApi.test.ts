/**
 * Drafts through REST against a real server, on repositories pushed with
 * the real `git` (the issue's acceptance checks): edit a draft with the file
 * tools, checkpoint twice, reset, apply; then `git clone` shows exactly the
 * expected tree and history, `git fsck --strict` clean. Apply merges with a
 * branch that moved (clean, and with a conflict described path by path), and
 * a scoped draft token stays inside its globs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../src/http/errorStatus.ts';
import { uniqueName, useApiServer, type Answer } from '../api/support/apiServer.ts';
import type { RepoWithTokenJson } from '../api/support/shapes.ts';
import { expectFsckClean, git, gitOut } from '../support/git.ts';
import { useTempDir } from '../support/tempDir.ts';

const work = useTempDir('grove-drafts-api-');
const server = useApiServer();
let dirs = 0;

interface DraftJson {
  id: string;
  ref: string;
  branch: string | null;
  base: string;
  head: string;
  revision: string | null;
  state: string;
  applied: string | null;
  changed_paths: number;
}

function ok<T>(answer: Answer, status = 200, context = ''): T {
  expect(answer.status, `${context} → ${answer.status} ${answer.text.slice(0, 500)}`).toBe(status);
  return answer.json as T;
}

function expectCode(answer: Answer, code: string, context = ''): Record<string, unknown> {
  const what = `${context} → ${answer.status} ${answer.text.slice(0, 500)}`;
  expect(answer.status, what).toBe(ERROR_STATUS[code as keyof typeof ERROR_STATUS]);
  const body = answer.json as { error: { code: string; details?: Record<string, unknown> } };
  expect(body.error.code, what).toBe(code);
  return body.error.details ?? {};
}

/** A repository on the server pushed from a work tree holding `files`; the work tree to push more from. */
async function pushedRepo(files: Record<string, string>): Promise<{ repo: RepoWithTokenJson; ns: string; name: string; src: string }> {
  const ns = uniqueName('drafts');
  const name = uniqueName('repo');
  const repo = await server().createRepo(ns, { name });
  const src = join(work, `src-${dirs++}`);
  await git(['init', '--quiet', '--initial-branch=main', src]);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(src, path, '..'), { recursive: true });
    writeFileSync(join(src, path), content);
  }
  await git(['add', '-A'], { cwd: src });
  await git(['commit', '--quiet', '-m', 'first'], { cwd: src });
  await git(['push', '--quiet', repo.remote, 'main'], { cwd: src, token: repo.token });
  return { repo, ns, name, src };
}

function drafts(ns: string, name: string, rest = ''): string {
  return `/v1/namespaces/${ns}/repos/${name}/drafts${rest}`;
}

async function tool(ns: string, name: string, id: string, toolName: string, args: unknown, token: string): Promise<Answer> {
  return server().call('POST', drafts(ns, name, `/${id}/tools/${toolName}`), { json: args, token });
}

/** `path → content` of every file at `rev` of a fresh clone, checked with fsck. */
async function cloneFiles(remote: string, token: string, rev = 'main'): Promise<{ dir: string; files: Record<string, string> }> {
  const dir = join(work, `clone-${dirs++}`);
  await git(['clone', '--quiet', '--no-checkout', remote, dir], { token });
  await expectFsckClean(dir);
  const files: Record<string, string> = {};
  for (const path of (await gitOut(['ls-tree', '-r', '--name-only', rev], { cwd: dir })).split('\n').filter(Boolean)) {
    files[path] = (await git(['show', `${rev}:${path}`], { cwd: dir })).stdout;
  }
  return { dir, files };
}

const LINES = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

describe('drafts over REST', () => {
  it('edit, checkpoint twice, reset to the first, apply: git clone shows exactly that', async () => {
    const { repo, ns, name } = await pushedRepo({
      'README.md': '# demo\n',
      'src/a.txt': 'alpha\nbeta\ngamma\n',
      'src/b.txt': 'to be removed\n',
      'docs/x.md': 'moved doc\n',
    });
    const token = repo.token;
    const draft = ok<DraftJson>(await server().call('POST', drafts(ns, name), { json: { label: 'agent run' }, token }), 201);
    expect(draft).toMatchObject({ branch: 'main', state: 'open', revision: null, changed_paths: 0, ref: `refs/drafts/${draft.id}` });
    const id = draft.id;

    ok(await tool(ns, name, id, 'write', { path: 'src/new.txt', content: 'fresh\n' }, token));
    const edit = ok<{ replacements: number; diff: string }>(await tool(ns, name, id, 'edit', { path: 'src/a.txt', old_string: 'beta', new_string: 'BETA' }, token));
    expect(edit.replacements).toBe(1);
    expect(edit.diff).toContain('-beta\n+BETA\n');
    ok(await tool(ns, name, id, 'mv', { from: 'docs/x.md', to: 'docs/y.md' }, token));
    ok(await tool(ns, name, id, 'rm', { path: 'src/b.txt' }, token));
    const first = ok<{ revision: { sha: string }; created: boolean }>(await server().call('POST', drafts(ns, name, `/${id}/checkpoint`), { json: { message: 'first pass' }, token }), 201);
    expect(first.created).toBe(true);

    ok(await tool(ns, name, id, 'write', { path: 'extra.txt', content: 'second pass\n' }, token));
    const second = ok<{ revision: { sha: string } }>(await server().call('POST', drafts(ns, name, `/${id}/checkpoint`), { json: { message: 'second pass' }, token }), 201);
    ok(await tool(ns, name, id, 'write', { path: 'scratch.txt', content: 'never checkpointed\n' }, token));

    const revisions = ok<{ revisions: { sha: string; message: string }[] }>(await server().call('GET', drafts(ns, name, `/${id}/revisions`), { token }));
    expect(revisions.revisions.map((r) => r.message.trim())).toEqual(['second pass', 'first pass', 'first']);

    const reset = ok<DraftJson>(await server().call('POST', drafts(ns, name, `/${id}/reset`), { json: { to: first.revision.sha.slice(0, 10) }, token }));
    expect(reset).toMatchObject({ head: first.revision.sha, revision: second.revision.sha, changed_paths: 0 });
    expectCode(await tool(ns, name, id, 'read', { path: 'extra.txt' }, token), 'ENOENT');
    expectCode(await tool(ns, name, id, 'read', { path: 'scratch.txt' }, token), 'ENOENT');

    const applied = ok<{ sha: string; created: boolean; merged: boolean; draft: DraftJson }>(
      await server().call('POST', drafts(ns, name, `/${id}/apply`), { json: { message: 'Apply the agent\'s work', strategy: 'ff-only', author: { name: 'Agent', email: 'agent@example.com' } }, token }),
    );
    expect(applied).toMatchObject({ created: true, merged: false });
    expect(applied.draft.state).toBe('applied');
    expectCode(await tool(ns, name, id, 'write', { path: 'late.txt', content: 'x' }, token), 'DRAFT_CLOSED');

    const { dir, files } = await cloneFiles(repo.remote, token);
    expect(files).toEqual({ 'README.md': '# demo\n', 'src/a.txt': 'alpha\nBETA\ngamma\n', 'src/new.txt': 'fresh\n', 'docs/y.md': 'moved doc\n' });
    expect((await gitOut(['log', '--format=%s|%an', 'main'], { cwd: dir })).split('\n')).toEqual(['Apply the agent\'s work|Agent', 'first|' + (await gitOut(['log', '-1', '--format=%an', 'main~1'], { cwd: dir }))]);
    expect(await gitOut(['rev-parse', 'main'], { cwd: dir })).toBe(applied.sha);

    // Every revision stays fetchable by Git on refs/drafts/<id>.
    await git(['fetch', '--quiet', 'origin', `+refs/drafts/${id}:refs/remotes/draft`], { cwd: dir, token });
    await expectFsckClean(dir);
    const chain = (await gitOut(['rev-list', '--first-parent', 'refs/remotes/draft'], { cwd: dir })).split('\n');
    expect(chain).toContain(first.revision.sha);
    expect(chain).toContain(second.revision.sha);
    expect(await gitOut(['rev-parse', 'refs/remotes/draft^{tree}'], { cwd: dir })).toBe(await gitOut(['rev-parse', 'main^{tree}'], { cwd: dir }));
  });

  it('merges a branch that moved on other lines, and describes a conflict on the same lines without changing the branch', async () => {
    const { repo, ns, name, src } = await pushedRepo({ 'lines.txt': LINES, 'other.txt': 'o\n' });
    const token = repo.token;
    const clean = ok<DraftJson>(await server().call('POST', drafts(ns, name), { token }), 201);
    const clash = ok<DraftJson>(await server().call('POST', drafts(ns, name), { token }), 201);
    ok(await tool(ns, name, clean.id, 'edit', { path: 'lines.txt', old_string: 'line 2\n', new_string: 'line two (draft)\n' }, token));
    ok(await tool(ns, name, clash.id, 'edit', { path: 'lines.txt', old_string: 'line 9\n', new_string: 'line nine (draft)\n' }, token));

    // The branch moves by a git push: line 9 changes.
    writeFileSync(join(src, 'lines.txt'), LINES.replace('line 9\n', 'line nine (pushed)\n'));
    await git(['commit', '--quiet', '-am', 'pushed'], { cwd: src });
    await git(['push', '--quiet', repo.remote, 'main'], { cwd: src, token });
    const pushed = await gitOut(['rev-parse', 'HEAD'], { cwd: src });

    expectCode(await server().call('POST', drafts(ns, name, `/${clean.id}/apply`), { json: { strategy: 'ff-only' }, token }), 'REF_CONFLICT');
    const merged = ok<{ sha: string; merged: boolean }>(await server().call('POST', drafts(ns, name, `/${clean.id}/apply`), { json: { message: 'merge clean' }, token }));
    expect(merged.merged).toBe(true);
    const { dir, files } = await cloneFiles(repo.remote, token);
    expect(files['lines.txt']).toBe(LINES.replace('line 2\n', 'line two (draft)\n').replace('line 9\n', 'line nine (pushed)\n'));
    expect(await gitOut(['rev-parse', 'main^'], { cwd: dir })).toBe(pushed);

    const before = (await gitOut(['ls-remote', repo.remote, 'refs/heads/main'], { token })).split('\t')[0];
    const details = expectCode(await server().call('POST', drafts(ns, name, `/${clash.id}/apply`), { json: { message: 'clash' }, token }), 'MERGE_CONFLICT');
    const blob = async (rev: string): Promise<string> => gitOut(['rev-parse', `${rev}:lines.txt`], { cwd: dir });
    const theirs = ok<{ sha: string }>(await tool(ns, name, clash.id, 'stat', { path: 'lines.txt' }, token)).sha;
    expect(details['conflicts']).toEqual([{ path: 'lines.txt', kind: 'content', base: await blob('main~2'), ours: await blob('main'), theirs }]);
    expect((await gitOut(['ls-remote', repo.remote, 'refs/heads/main'], { token })).split('\t')[0]).toBe(before);

    // The draft can then be updated from the branch, resolved, and applied again (now a fast-forward).
    const updated = ok<{ conflicts: { path: string; kind: string }[]; draft: DraftJson; revision: { sha: string } }>(
      await server().call('POST', drafts(ns, name, `/${clash.id}/update`), { json: {}, token }),
    );
    expect(updated.conflicts.map((c) => `${c.kind} ${c.path}`)).toEqual(['content lines.txt']);
    expect(updated.draft.base).toBe(merged.sha);
    const marked = ok<{ content: string }>(await tool(ns, name, clash.id, 'read', { path: 'lines.txt' }, token)).content;
    expect(marked).toBe(LINES.replace('line 2\n', 'line two (draft)\n').replace('line 9\n', `<<<<<<< main\nline nine (pushed)\n=======\nline nine (draft)\n>>>>>>> draft ${clash.id}\n`));
    ok(await tool(ns, name, clash.id, 'edit', { path: 'lines.txt', old_string: `<<<<<<< main\nline nine (pushed)\n=======\nline nine (draft)\n>>>>>>> draft ${clash.id}\n`, new_string: 'line nine (both)\n' }, token));
    const resolved = ok<{ sha: string; merged: boolean }>(await server().call('POST', drafts(ns, name, `/${clash.id}/apply`), { json: { message: 'resolved', strategy: 'ff-only' }, token }));
    expect(resolved.merged).toBe(false);
    const after = await cloneFiles(repo.remote, token);
    expect(after.files['lines.txt']).toBe(LINES.replace('line 2\n', 'line two (draft)\n').replace('line 9\n', 'line nine (both)\n'));
    expect(await gitOut(['rev-parse', 'main^'], { cwd: after.dir })).toBe(merged.sha);
  });

  it('keeps a scoped draft token inside its draft and its globs', async () => {
    const { repo, ns, name } = await pushedRepo({ 'README.md': 'r\n', 'src/a.ts': 'a\n', 'secret/key.txt': 'k\n' });
    const draft = ok<DraftJson>(await server().call('POST', drafts(ns, name), { token: repo.token }), 201);
    const other = ok<DraftJson>(await server().call('POST', drafts(ns, name), { token: repo.token }), 201);
    const scoped = ok<{ token: string }>(await server().call('POST', drafts(ns, name, `/${draft.id}/tokens`), { json: { read: ['src/**', 'README.md'], write: ['src/**'] }, token: repo.token }), 201).token;

    expect(ok<{ content: string }>(await tool(ns, name, draft.id, 'read', { path: 'src/a.ts' }, scoped)).content).toBe('a\n');
    expectCode(await tool(ns, name, draft.id, 'read', { path: 'secret/key.txt' }, scoped), 'FORBIDDEN');
    ok(await tool(ns, name, draft.id, 'write', { path: 'src/b.ts', content: 'b\n' }, scoped));
    expectCode(await tool(ns, name, draft.id, 'write', { path: 'README.md', content: 'x' }, scoped), 'FORBIDDEN');
    expectCode(await tool(ns, name, draft.id, 'write', { path: 'secret/new.txt', content: 'x' }, scoped), 'FORBIDDEN');
    expectCode(await tool(ns, name, draft.id, 'mv', { from: 'src/a.ts', to: 'secret/a.ts' }, scoped), 'FORBIDDEN');
    const listed = ok<{ entries: { path: string }[] }>(await tool(ns, name, draft.id, 'ls', { path: '', recursive: true }, scoped)).entries.map((e) => e.path);
    expect(listed).not.toContain('secret/key.txt');
    expect(listed).toContain('src/b.ts');
    const grep = ok<{ matches: { path: string }[] }>(await tool(ns, name, draft.id, 'grep', { pattern: 'k' }, scoped));
    expect(grep.matches.map((m) => m.path)).not.toContain('secret/key.txt');

    expectCode(await tool(ns, name, other.id, 'read', { path: 'src/a.ts' }, scoped), 'FORBIDDEN');
    expectCode(await server().call('POST', drafts(ns, name, `/${draft.id}/checkpoint`), { token: scoped }), 'FORBIDDEN');
    expectCode(await server().call('POST', drafts(ns, name, `/${draft.id}/apply`), { token: scoped }), 'FORBIDDEN');
    expectCode(await server().call('GET', `/v1/namespaces/${ns}/repos/${name}/refs`, { token: scoped }), 'FORBIDDEN');
    const clone = await git(['clone', '--quiet', repo.remote, join(work, `scoped-${dirs++}`)], { token: scoped, allowFailure: true });
    expect(clone.code).not.toBe(0);

    // Nothing the refusals touched changed: the draft holds exactly the one allowed write.
    const diff = ok<{ files: { path: string; status: string }[] }>(await server().call('GET', drafts(ns, name, `/${draft.id}/diff?patch=false`), { token: repo.token }));
    expect(diff.files.map((f) => `${f.status} ${f.path}`)).toEqual(['added src/b.ts']);
  });

  it('starts a draft in an empty repository, and its apply makes the branch\'s root commit', async () => {
    const ns = uniqueName('drafts');
    const name = uniqueName('empty');
    const repo = await server().createRepo(ns, { name });
    const draft = ok<DraftJson>(await server().call('POST', drafts(ns, name), { token: repo.token }), 201);
    expect(draft).toMatchObject({ branch: 'main', base: '0'.repeat(40) });
    expect(ok<{ entries: unknown[] }>(await tool(ns, name, draft.id, 'ls', {}, repo.token)).entries).toEqual([]);
    ok(await tool(ns, name, draft.id, 'write', { path: 'hello/world.txt', content: 'hi\n' }, repo.token));
    const cp = ok<{ revision: { parent: string | null } }>(await server().call('POST', drafts(ns, name, `/${draft.id}/checkpoint`), { json: { message: 'first' }, token: repo.token }), 201);
    expect(cp.revision.parent).toBeNull();
    ok(await server().call('POST', drafts(ns, name, `/${draft.id}/apply`), { json: { message: 'Initial commit' }, token: repo.token }));
    const { dir, files } = await cloneFiles(repo.remote, repo.token);
    expect(files).toEqual({ 'hello/world.txt': 'hi\n' });
    expect(await gitOut(['log', '--format=%s %P', 'main'], { cwd: dir })).toBe('Initial commit');
  });

  it('reads any revision with the read-only tools', async () => {
    const { repo, ns, name } = await pushedRepo({ 'a.txt': 'one\ntwo\n' });
    const read = ok<{ content: string; total_lines: number }>(await server().call('POST', `/v1/namespaces/${ns}/repos/${name}/tools/read?ref=main`, { json: { path: 'a.txt' }, token: repo.token }));
    expect(read).toMatchObject({ content: 'one\ntwo\n', total_lines: 2 });
    expectCode(await server().call('POST', `/v1/namespaces/${ns}/repos/${name}/tools/write`, { json: { path: 'a.txt', content: 'x' }, token: repo.token }), 'NOT_FOUND');
  });

  it('keeps 50 MiB files', async () => {
    const { repo, ns, name } = await pushedRepo({ 'a.txt': 'a\n' });
    const draft = ok<DraftJson>(await server().call('POST', drafts(ns, name), { token: repo.token }), 201);
    const big = new Uint8Array(50 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) % 251;
    const put = await fetch(`${server().url}${drafts(ns, name, `/${draft.id}/files/big/blob.bin`)}`, { method: 'PUT', body: big, headers: { authorization: `Bearer ${repo.token}` } });
    expect(put.status, await put.clone().text()).toBe(200);
    const got = await fetch(`${server().url}${drafts(ns, name, `/${draft.id}/files/big/blob.bin`)}`, { headers: { authorization: `Bearer ${repo.token}` } });
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(big))).toBe(true);
    ok(await server().call('POST', drafts(ns, name, `/${draft.id}/apply`), { json: { message: 'big' }, token: repo.token }));
    const dir = join(work, `big-${dirs++}`);
    await git(['clone', '--quiet', repo.remote, dir], { token: repo.token });
    await expectFsckClean(dir);
    expect(readFileSync(join(dir, 'big/blob.bin')).equals(Buffer.from(big))).toBe(true);
  });
});

