/**
 * Grove's MCP server driven by the MCP SDK's own client, both ways in: over
 * streamable HTTP at `/mcp` of a real server on 127.0.0.1, and over stdio to
 * the real `bin/grove.js mcp` talking to that server. Each lists the tools
 * (names and JSON Schemas) and makes a full round trip — draft, write, edit,
 * read back, checkpoint, apply — checked with `git clone` and
 * `git fsck --strict`; errors come back as tool results `CODE: message`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueName, useApiServer } from '../api/support/apiServer.ts';
import type { RepoWithTokenJson } from '../api/support/shapes.ts';
import { expectFsckClean, git, gitOut } from '../support/git.ts';
import { useTempDir } from '../support/tempDir.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const TOOLS = [
  'create_repo', 'fork_repo', 'create_draft', 'list_drafts', 'apply_draft', 'discard_draft', 'checkpoint', 'reset_draft', 'update_draft',
  'read', 'write', 'edit', 'ls', 'glob', 'grep', 'stat', 'mkdir', 'rm', 'mv', 'exec', 'log', 'diff',
].sort();

const work = useTempDir('grove-mcp-');
const server = useApiServer();
let dirs = 0;

/** Calls a tool; the result as the client got it. */
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** Calls a tool that must succeed; its structured content. */
async function ok<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown>): Promise<{ text: string; json: T }> {
  const result = await call(client, name, args);
  const text = textOf(result);
  expect(result.isError ?? false, `${name}: ${text}`).toBe(false);
  return { text, json: result.structuredContent as T };
}

/** Calls a tool that must fail; its text. */
async function fails(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = await call(client, name, args);
  expect(result.isError, `${name} should fail: ${textOf(result)}`).toBe(true);
  return textOf(result);
}

function textOf(result: CallToolResult): string {
  return result.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}

async function connectHttp(token: string | null): Promise<Client> {
  const client = new Client({ name: 'grove-test', version: '1.0.0' });
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server().url}/mcp`), { requestInit: { headers } }));
  return client;
}

/** `bin/grove.js mcp` as a child process, its token from the environment; what it writes on stderr is kept for failure messages. */
async function connectStdio(token: string): Promise<{ client: Client; stderr: () => string }> {
  const client = new Client({ name: 'grove-test', version: '1.0.0' });
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', GROVE_TOKEN: token };
  const transport = new StdioClientTransport({ command: process.execPath, args: [join(ROOT, 'bin', 'grove.js'), 'mcp', '--url', server().url], env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

/** A repository on the server made with `git push` from a work tree holding `files`; the work tree to push more from. */
async function pushedRepo(files: Record<string, string>): Promise<{ repo: RepoWithTokenJson; full: string; src: string }> {
  const ns = uniqueName('mcp');
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
  return { repo, full: `${ns}/${name}`, src };
}

/** A fresh clone, checked with `git fsck --strict`. */
async function cloneOf(remote: string, token: string): Promise<string> {
  const dir = join(work, `clone-${dirs++}`);
  await git(['clone', '--quiet', '--no-checkout', remote, dir], { token });
  await expectFsckClean(dir);
  return dir;
}

async function expectToolList(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
  for (const tool of tools) {
    expect(tool.description?.length ?? 0, tool.name).toBeGreaterThan(80);
    expect(tool.inputSchema.type, tool.name).toBe('object');
    expect(tool.inputSchema.properties, tool.name).toHaveProperty('repo');
    expect(tool.inputSchema.required ?? [], tool.name).toContain('repo');
  }
  const byName = new Map(tools.map((t) => [t.name, t]));
  // The file tools list REST's own arguments, with their limits, and the draft.
  const read = byName.get('read')!.inputSchema as { properties: Record<string, { type?: string; maximum?: number }>; required: string[] };
  expect(Object.keys(read.properties).sort()).toEqual(['draft', 'limit', 'offset', 'path', 'ref', 'repo']);
  expect(read.properties['limit']).toMatchObject({ type: 'integer', maximum: 2000 });
  expect(read.required.sort()).toEqual(['path', 'repo']);
  const edit = byName.get('edit')!.inputSchema as { properties: Record<string, unknown>; required: string[]; additionalProperties?: boolean };
  expect(Object.keys(edit.properties).sort()).toEqual(['draft', 'edits', 'new_string', 'old_string', 'path', 'replace_all', 'repo']);
  expect(edit.required.sort()).toEqual(['draft', 'path', 'repo']);
  expect(edit.additionalProperties).toBe(false);
  const apply = byName.get('apply_draft')!.inputSchema as { properties: Record<string, { enum?: string[] }> };
  expect(apply.properties['strategy']?.enum?.sort()).toEqual(['ff-only', 'merge']);
  expect(byName.get('read')!.annotations?.readOnlyHint).toBe(true);
  expect(byName.get('rm')!.annotations?.destructiveHint).toBe(true);
}

interface DraftJson {
  id: string;
  branch: string;
  base: string;
}

/** create_draft → write → edit → read → checkpoint → apply on `full`; the checkpoint and the applied commit. */
async function roundTrip(client: Client, full: string): Promise<{ draft: string; checkpoint: string; applied: string }> {
  const { json: draft } = await ok<DraftJson>(client, 'create_draft', { repo: full, label: 'mcp round trip' });
  expect(draft.branch).toBe('main');

  const written = await ok(client, 'write', { repo: full, draft: draft.id, path: '/docs//hello.txt', content: 'one\ntwo\nthree\n' });
  expect(written.json).toMatchObject({ path: 'docs/hello.txt', size: 14, created: true });

  const edited = await ok<{ replacements: number; diff: string }>(client, 'edit', { repo: full, draft: draft.id, path: 'docs/hello.txt', old_string: 'two\n', new_string: 'TWO\n' });
  expect(edited.json.replacements).toBe(1);
  expect(edited.json.diff).toContain('-two\n+TWO\n');
  expect(edited.text).toContain('+TWO');

  const read = await ok<{ content: string; total_lines: number }>(client, 'read', { repo: full, draft: draft.id, path: 'docs/hello.txt' });
  expect(read.text).toBe('     1\tone\n     2\tTWO\n     3\tthree');
  expect(read.json).toMatchObject({ content: 'one\nTWO\nthree\n', total_lines: 3, kind: 'text' });

  const paged = await ok(client, 'read', { repo: full, draft: draft.id, path: 'docs/hello.txt', offset: 2, limit: 1 });
  expect(paged.text).toBe('     2\tTWO\n(lines 2-2 of 3: call read with offset 3 for more)');

  const checkpoint = await ok<{ created: boolean; revision: { sha: string } }>(client, 'checkpoint', { repo: full, draft: draft.id, message: 'Say hello' });
  expect(checkpoint.json.created).toBe(true);

  const diff = await ok(client, 'diff', { repo: full, draft: draft.id });
  expect(diff.text).toContain('added docs/hello.txt +3 -0');
  expect(diff.text).toContain('+++ b/docs/hello.txt');

  const applied = await ok<{ sha: string; branch: string; created: boolean; merged: boolean }>(client, 'apply_draft', { repo: full, draft: draft.id, message: 'Add hello', strategy: 'ff-only' });
  expect(applied.json).toMatchObject({ branch: 'main', created: true, merged: false });

  const log = await ok<{ commits: { sha: string; message: string }[] }>(client, 'log', { repo: full, limit: 5 });
  expect(log.json.commits[0]!.sha).toBe(applied.json.sha);
  expect(log.text.split('\n')[0]).toContain('Add hello');
  return { draft: draft.id, checkpoint: checkpoint.json.revision.sha, applied: applied.json.sha };
}

/** The clone's main has the edited file, the round trip's commit on top, and the draft's revision on refs/drafts/<id>. */
async function expectCloned(remote: string, token: string, trip: { draft: string; checkpoint: string; applied: string }, firstSubject: string | null): Promise<void> {
  const dir = await cloneOf(remote, token);
  expect(await gitOut(['rev-parse', 'main'], { cwd: dir })).toBe(trip.applied);
  expect((await git(['show', 'main:docs/hello.txt'], { cwd: dir })).stdout).toBe('one\nTWO\nthree\n');
  expect(await gitOut(['log', '--format=%s', 'main'], { cwd: dir })).toBe(firstSubject === null ? 'Add hello' : `Add hello\n${firstSubject}`);
  const revisions = await gitOut(['ls-remote', remote, `refs/drafts/${trip.draft}`], { cwd: dir, token });
  expect(revisions.split('\t')[0]).not.toBe('');
  await git(['fetch', '--quiet', remote, `refs/drafts/${trip.draft}:refs/remotes/draft`], { cwd: dir, token });
  await expectFsckClean(dir);
  expect(await gitOut(['log', '--format=%H %s', 'refs/remotes/draft'], { cwd: dir })).toContain(`${trip.checkpoint} Say hello`);
}

describe('MCP over streamable HTTP at /mcp', () => {
  const clients: Client[] = [];
  afterAll(async () => {
    for (const client of clients) await client.close();
  });
  const connect = async (token: string | null): Promise<Client> => {
    const client = await connectHttp(token);
    clients.push(client);
    return client;
  };

  it('lists the tools with their input schemas', async () => {
    await expectToolList(await connect(server().admin));
  });

  it('creates a repository and makes a full round trip: draft, write, edit, read, checkpoint, apply; git clone sees it', async () => {
    const client = await connect(server().admin);
    const full = `${uniqueName('mcp')}/${uniqueName('made')}`;
    const created = await ok<{ remote: string; default_branch: string; token?: string }>(client, 'create_repo', { repo: full, description: 'made over MCP' });
    expect(created.json.default_branch).toBe('main');
    expect(created.json).not.toHaveProperty('token');
    const trip = await roundTrip(client, full);
    await expectCloned(created.json.remote, server().admin, trip, null); // an empty repository: the apply made the first commit
  });

  it('answers errors as tool results: CODE: message', async () => {
    const { full } = await pushedRepo({ 'a.txt': 'a\n' });
    const client = await connect(server().admin);
    const { json: draft } = await ok<DraftJson>(client, 'create_draft', { repo: full });
    expect(await fails(client, 'read', { repo: full, draft: draft.id, path: 'missing.txt' })).toMatch(/^ENOENT: .*'missing\.txt'/);
    expect(await fails(client, 'read', { repo: full, path: 'missing.txt' })).toMatch(/^ENOENT: /);
    expect(await fails(client, 'edit', { repo: full, draft: draft.id, path: 'a.txt', old_string: 'zzz', new_string: 'y' })).toMatch(/^EINVAL: /);
    expect(await fails(client, 'rm', { repo: full, draft: draft.id, path: 'a.txt/b' })).toMatch(/^(ENOTDIR|ENOENT): /);
    expect(await fails(client, 'read', { repo: full, draft: draft.id, ref: 'main', path: 'a.txt' })).toMatch(/^EINVAL: give draft or ref/);
    expect(await fails(client, 'create_draft', { repo: `${full}-nope` })).toMatch(/^NOT_FOUND: /);
    // Arguments the schema refuses are tool results too, worded as REST words a body it refuses.
    expect(await fails(client, 'read', { repo: full, draft: draft.id, path: 'a.txt', limit: 5000 })).toMatch(/^BAD_REQUEST: invalid arguments at "limit": /);
    expect(await fails(client, 'rm', { repo: full, draft: draft.id, path: '' })).toMatch(/^BAD_REQUEST: invalid arguments at "path": /);
    expect(await fails(client, 'write', { repo: full, draft: draft.id, path: 'b.txt', content: 'b', mode: '100755' })).toMatch(/^BAD_REQUEST: invalid arguments at "mode": /);
    expect(await fails(client, 'edit', { repo: full, draft: draft.id, path: 'a.txt' })).toMatch(/^BAD_REQUEST: invalid arguments at "old_string": give edits/);
    expect(await fails(client, 'read', { repo: 'no-slash', draft: draft.id, path: 'a.txt' })).toMatch(/^BAD_REQUEST: invalid arguments at "repo": /);
    // Nothing changed: the draft still reads the branch's file.
    expect((await ok(client, 'read', { repo: full, draft: draft.id, path: 'a.txt' })).text).toBe('     1\ta');
  });

  it('reads any revision without a draft, lists drafts, resets, discards, forks', async () => {
    const { full } = await pushedRepo({ 'a.txt': 'a\n', 'src/b.ts': 'export const b = 1;\n' });
    const client = await connect(server().admin);
    expect((await ok(client, 'read', { repo: full, path: 'src/b.ts', ref: 'main' })).text).toBe('     1\texport const b = 1;');
    expect((await ok(client, 'glob', { repo: full, pattern: '**/*.ts' })).text).toBe('src/b.ts');
    const { json: draft } = await ok<DraftJson>(client, 'create_draft', { repo: full, label: 'to reset' });
    await ok(client, 'write', { repo: full, draft: draft.id, path: 'a.txt', content: 'first\n' });
    const first = await ok<{ revision: { sha: string } }>(client, 'checkpoint', { repo: full, draft: draft.id, message: 'first' });
    await ok(client, 'mv', { repo: full, draft: draft.id, from: 'src/b.ts', to: 'lib/b.ts' });
    await ok(client, 'write', { repo: full, draft: draft.id, path: 'a.txt', content: 'second\n' });
    expect((await ok(client, 'grep', { repo: full, draft: draft.id, pattern: 'const' })).text).toBe('lib/b.ts:1:export const b = 1;\n(1 matching line in 1 of 2 files searched)');
    await ok(client, 'reset_draft', { repo: full, draft: draft.id, to: first.json.revision.sha.slice(0, 8) });
    expect((await ok(client, 'read', { repo: full, draft: draft.id, path: 'a.txt' })).text).toBe('     1\tfirst');
    expect((await ok(client, 'ls', { repo: full, draft: draft.id })).text).toMatch(/^a\.txt {2}file 6 bytes 100644 [0-9a-f]{40}\nsrc\/ {2}dir$/);
    const listed = await ok<{ drafts: { id: string }[] }>(client, 'list_drafts', { repo: full });
    expect(listed.json.drafts.map((d) => d.id)).toContain(draft.id);
    expect(listed.text).toContain('"to reset"');
    await ok(client, 'discard_draft', { repo: full, draft: draft.id });
    expect(await fails(client, 'read', { repo: full, draft: draft.id, path: 'a.txt' })).toMatch(/^NOT_FOUND: /);
    const fork = `${full.split('/')[0]}/${uniqueName('fork')}`;
    await ok(client, 'fork_repo', { repo: full, to: fork });
    expect((await ok(client, 'read', { repo: fork, path: 'a.txt' })).text).toBe('     1\ta');
  });

  it('describes a merge conflict of apply_draft path by path, changes nothing, and resolves it with update_draft', async () => {
    const { repo, full, src } = await pushedRepo({ 'notes.txt': 'one\ntwo\nthree\n' });
    const client = await connect(server().admin);
    const { json: draft } = await ok<DraftJson>(client, 'create_draft', { repo: full });
    await ok(client, 'edit', { repo: full, draft: draft.id, path: 'notes.txt', old_string: 'two', new_string: 'two (draft)' });
    writeFileSync(join(src, 'notes.txt'), 'one\ntwo (branch)\nthree\n');
    await git(['commit', '--quiet', '-am', 'branch edit'], { cwd: src });
    await git(['push', '--quiet', repo.remote, 'main'], { cwd: src, token: repo.token });
    const moved = await gitOut(['rev-parse', 'main'], { cwd: src });

    const text = await fails(client, 'apply_draft', { repo: full, draft: draft.id });
    expect(text).toMatch(/^MERGE_CONFLICT: /);
    expect(text).toMatch(/^- notes\.txt \(content\): base [0-9a-f]{12}, branch [0-9a-f]{12}, draft [0-9a-f]{12}$/m);
    expect(text).toContain(`update_draft {draft: '${draft.id}'}`);
    expect(await fails(client, 'apply_draft', { repo: full, draft: draft.id, strategy: 'ff-only' })).toMatch(/^REF_CONFLICT: /);
    const log = await ok<{ commits: { sha: string }[] }>(client, 'log', { repo: full, limit: 1 });
    expect(log.json.commits[0]!.sha).toBe(moved);

    const updated = await ok<{ conflicts: { path: string; kind: string }[] }>(client, 'update_draft', { repo: full, draft: draft.id });
    expect(updated.json.conflicts).toEqual([expect.objectContaining({ path: 'notes.txt', kind: 'content' })]);
    expect(updated.text).toContain('- notes.txt (content): conflict markers in the file');
    const marked = await ok<{ content: string }>(client, 'read', { repo: full, draft: draft.id, path: 'notes.txt' });
    expect(marked.json.content).toMatch(/^one\n<<<<<<< .*\ntwo \(branch\)\n=======\ntwo \(draft\)\n>>>>>>> .*\nthree\n$/);
    await ok(client, 'write', { repo: full, draft: draft.id, path: 'notes.txt', content: 'one\ntwo (branch and draft)\nthree\n' });
    const applied = await ok<{ sha: string; merged: boolean }>(client, 'apply_draft', { repo: full, draft: draft.id, strategy: 'ff-only', message: 'Resolve' });
    expect(applied.json.merged).toBe(false);

    const dir = await cloneOf(repo.remote, repo.token);
    expect((await git(['show', 'main:notes.txt'], { cwd: dir })).stdout).toBe('one\ntwo (branch and draft)\nthree\n');
    expect(await gitOut(['rev-parse', 'main~1'], { cwd: dir })).toBe(moved);
  });

  it('runs a shell over the draft with exec: output and exit code back, file changes in the draft', async () => {
    const { full } = await pushedRepo({ 'src/a.ts': '// TODO one\n', 'src/b.ts': '// TODO two\nok\n' });
    const client = await connect(server().admin);
    const { json: draft } = await ok<DraftJson>(client, 'create_draft', { repo: full });
    const counted = await ok<{ stdout: string; exit_code: number }>(client, 'exec', { repo: full, draft: draft.id, command: 'grep -rn TODO src | wc -l' });
    expect(counted.json).toMatchObject({ exit_code: 0 });
    expect(counted.json.stdout.trim()).toBe('2');
    expect(counted.text).toMatch(/^exit code 0\nstdout:\n\s*2$/);
    const failed = await ok<{ exit_code: number; stderr: string }>(client, 'exec', { repo: full, draft: draft.id, command: 'cat missing.txt' });
    expect(failed.json.exit_code).not.toBe(0);
    expect(failed.text).toMatch(/^exit code [1-9]/);
    await ok(client, 'exec', { repo: full, draft: draft.id, command: "sed -i 's/TODO/DONE/' a.ts && echo made > made.txt", cwd: 'src' });
    expect((await ok(client, 'read', { repo: full, draft: draft.id, path: 'src/a.ts' })).text).toBe('     1\t// DONE one');
    expect((await ok(client, 'read', { repo: full, draft: draft.id, path: 'src/made.txt' })).text).toBe('     1\tmade');
  });

  it('holds every call to the caller\'s token, as REST does', async () => {
    const answer = await server().call('POST', '/mcp', { token: null, json: { jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers: { accept: 'application/json, text/event-stream' } });
    expect(answer.status).toBe(401);
    expect((await server().call('GET', '/mcp', { headers: { accept: 'text/event-stream' } })).status).toBe(405);
    const { full } = await pushedRepo({ 'a.txt': 'a\n' });
    const other = await pushedRepo({ 'b.txt': 'b\n' });
    const client = await connect(other.repo.token);
    expect(await fails(client, 'create_draft', { repo: full })).toMatch(/^(FORBIDDEN|NOT_FOUND): /);
    expect(await fails(client, 'create_repo', { repo: `${uniqueName('mcp')}/${uniqueName('x')}` })).toMatch(/^FORBIDDEN: /);
    expect((await ok(client, 'read', { repo: other.full, path: 'b.txt' })).text).toBe('     1\tb');
    const stranger = await connect('grove_0000000000000000_0000000000000000000000000000000000000000000000000000000000000000');
    expect(await fails(stranger, 'read', { repo: other.full, path: 'b.txt' })).toMatch(/^UNAUTHORIZED: /);
  });
});

describe('grove mcp over stdio', () => {
  let client: Client | undefined;
  afterAll(async () => {
    await client?.close();
  });

  it('lists the tools and makes a full round trip on a pushed repository with its token; git clone sees it', async () => {
    const { repo, full } = await pushedRepo({ 'README.md': '# pushed\n' });
    const stdio = await connectStdio(repo.token);
    client = stdio.client;
    await expectToolList(client);
    const trip = await roundTrip(client, full);
    await expectCloned(repo.remote, repo.token, trip, 'first');
    expect(await fails(client, 'read', { repo: full, draft: trip.draft, path: 'nope/missing.txt' })).toMatch(/^ENOENT: /);
    expect(await fails(client, 'read', { repo: full, path: 'missing.txt' })).toMatch(/^ENOENT: .*'missing\.txt'/);
    expect(stdio.stderr()).toBe('');
  });
});
