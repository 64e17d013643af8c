/**
 * The SDK against the server's own description of itself: a real server is
 * started, its `/openapi.json` read, and
 *
 * - every `/v1` operation has an entry in OPERATIONS below, and every entry
 *   is an operation (the table is the map operation → SDK method);
 * - each entry's SDK call, run against the server through a recording
 *   `fetch`, sends that method to a path matching the operation's template,
 *   with only the query parameters the operation documents;
 * - the keys of the SDK's query, body and response types equal the property
 *   names the operation's schemas document, recursively. The samples are
 *   typed `Full<T>` — every optional key required, no extra key allowed — with
 *   `T` the type the SDK method takes or returns (`op()` ties the response
 *   samples to the method's return type), so the compiler holds the samples
 *   to the SDK's types and this test holds them to the server's schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../runtime/node/startServer.ts';
import { tempDir } from '../../test/support/tempDir.ts';
import { GroveClient } from './GroveClient.ts';
import type * as D from './draftTypes.ts';
import type * as T from './types.ts';

/** `T` with every optional key required (recursively): a sample of it names every key of the type. */
type Full<V> = V extends readonly (infer U)[] ? Full<U>[] : V extends object ? { [K in keyof V]-?: Full<Exclude<V[K], undefined>> } : V;

function sample<V>(value: Full<V>): Full<V> {
  return value;
}

interface Entry {
  run: (client: GroveClient) => Promise<unknown>;
  query: object | undefined;
  body: unknown[] | undefined;
  response: unknown[] | undefined;
}

/** One operation's SDK call, with samples of the query it sends, the body it sends and the answer it returns (type `R`). */
function op<R>(spec: { call: (client: GroveClient) => Promise<R>; query?: object; body?: unknown[]; response?: NoInfer<Full<R>>[] }): Entry {
  return { run: spec.call, query: spec.query, body: spec.body, response: spec.response };
}

const NS = 'cov';
const NAME = 'repo';
const SHA = 'a'.repeat(40);
const DATE = '2025-01-01T00:00:00.000Z';

const ident = sample<T.Ident>({ name: 'A', email: 'a@example.com', date: '2025-01-01T00:00:00+00:00' });
const identInput = sample<T.IdentInput>({ name: 'A', email: 'a@example.com', date: '2025-01-01T00:00:00+00:00' });
const commit = sample<T.Commit>({ sha: SHA, tree: SHA, parents: [SHA], author: ident, committer: ident, message: 'm\n' });
const written = sample<T.WrittenCommit>({ ...commit, branch: 'main' });
const namespace = sample<T.Namespace>({ name: NS, created_at: DATE, repo_count: 1 });
const forkSource = sample<T.ForkSource>({ kind: 'fork', id: 'x', namespace: NS, name: NAME });
const importSource = sample<T.ImportSource>({ kind: 'import', url: 'https://example.com/x.git', branch: null, depth: null });
const repo = sample<T.Repo>({
  id: 'x', name: NAME, namespace: NS, description: '', default_branch: 'main', read_only: false, status: 'ready', status_reason: null,
  created_at: DATE, updated_at: DATE, last_push_at: null, source: forkSource, remote: 'http://127.0.0.1/git/cov/repo.git',
});
const repos = [repo, { ...repo, source: importSource }];
const withToken = repos.map((r) => sample<T.RepoWithToken>({ ...r, token: 'grove_x' }));
const token = sample<T.Token>({ id: 'x', scope: 'read', label: '', state: 'active', created_at: DATE, expires_at: DATE, last_used_at: null, revoked_at: null });
const createdToken = sample<T.CreatedToken>({ id: 'x', token: 'grove_x', scope: 'write', label: '', created_at: DATE, expires_at: DATE });
const ref = sample<T.Ref>({ name: 'refs/tags/v1', sha: SHA, peeled: SHA, target: 'refs/heads/main' });
const fileStat = sample<T.CommitFileStat>({ path: 'b', old_path: 'a', status: 'renamed', additions: 1, deletions: 0, binary: false });
const noteWritten = sample<T.NoteWritten>({ object: SHA, note_sha: SHA, notes_ref: 'refs/notes/commits', notes_head: SHA, changed: true });

const pageQuery = sample<T.ListNamespacesQuery>({ limit: 1, cursor: 'c' });
const tokensQuery = sample<T.ListTokensQuery>({ limit: 1, cursor: 'c', state: 'all' });
const reposQuery = sample<T.ListReposQuery>({ limit: 1, cursor: 'c', search: 's', sort: 'name', direction: 'asc' });
const logQuery = sample<T.LogQuery>({ ref: 'main', path: 'README.md', limit: 1, cursor: 'c', first_parent: true, since: 0, until: '2030-01-01' });
const commitQuery = sample<T.CommitQuery>({ stat: true, patch: true });
const treeQuery = sample<T.TreeQuery>({ path: 'src', recursive: true });
const compareOptions = sample<T.CompareOptions>({ patch: false });
const refsQuery = sample<T.ListRefsQuery>({ prefix: 'refs/heads/' });
const deleteRef = sample<T.DeleteRefOptions>({ expected_sha: SHA });
const putFile = sample<T.PutFileOptions>({ message: 'm', expected_head: SHA, start_from: 'main', mode: '100644', author_name: 'A', author_email: 'a@example.com', author_date: '2025-01-01T00:00:00Z' });
const notesRef = sample<T.NotesRefOptions>({ ref: 'refs/notes/commits' });
const deleteNote = sample<T.DeleteNoteOptions>({ ref: 'refs/notes/commits', expected_notes_head: SHA });
const notesQuery = sample<T.ListNotesQuery>({ ref: 'refs/notes/commits', limit: 1, cursor: 'c' });
const grepQuery = sample<T.GrepQuery>({ pattern: 'x', ref: 'main', regex: true, ignore_case: true, paths: ['src'], context: 1, limit: 1, cursor: 'c' });
const deleteNamespace = sample<T.DeleteNamespaceOptions>({ force: true });

const commitFiles = sample<T.CommitFilesRequest>({
  branch: 'main', message: 'm', expected_head: SHA, start_from: 'main', author: identInput, committer: identInput,
  changes: [
    { op: 'put', path: 'a', content: 'x', content_base64: 'eA==', mode: '100644' },
    { op: 'delete', path: 'b' },
    { op: 'move', from: 'c', to: 'd' },
  ],
});
const revert = sample<T.RevertRequest>({ branch: 'main', commit: 'HEAD', mainline: 1, message: 'm', expected_head: SHA, author: identInput, committer: identInput });
const restore = sample<T.RestoreRequest>({ branch: 'main', to: 'HEAD~1', message: 'm', expected_head: SHA, author: identInput, committer: identInput });
const putNote = sample<T.PutNoteRequest>({ text: 'n', content_base64: 'bg==', expected_notes_head: SHA, message: 'm', author: identInput, committer: identInput });
const createRepo = sample<T.CreateRepoRequest>({ name: 'made', description: '', default_branch: 'main', read_only: false });
const updateRepo = sample<T.UpdateRepoRequest>({ description: 'd', default_branch: 'main', read_only: false });
const forkRepo = sample<T.ForkRepoRequest>({ name: 'forked', namespace: NS, description: '', read_only: false, default_branch_only: true });
const importRepo = sample<T.ImportRepoRequest>({ url: 'https://example.com/x.git', branch: 'main', depth: 1, headers: { Authorization: 'x' }, description: '', read_only: false, wait: false });
const createToken = sample<T.CreateTokenRequest>({ scope: 'read', ttl: 3600, label: 'l' });
const createAdminToken = sample<T.CreateAdminTokenRequest>({ ttl: 3600, label: 'l' });
const createRef = sample<T.CreateRefRequest>({ name: 'refs/heads/cov', sha: SHA });
const updateRef = sample<T.UpdateRefRequest>({ sha: SHA, expected_sha: SHA, force: true });

const draft = sample<D.Draft>({
  id: 'd', ref: 'refs/drafts/d', branch: 'main', base: SHA, head: SHA, revision: null, label: null, state: 'open', applied: null, changed_paths: 0,
  created_at: DATE, updated_at: DATE, expires_at: DATE, ttl_seconds: 3600,
});
const createDraft = sample<D.CreateDraftRequest>({ from: 'main', branch: 'main', label: 'l', ttl_seconds: 3600 });
const draftsQuery = sample<D.ListDraftsQuery>({ limit: 1, cursor: 'c' });
const revision = sample<D.DraftRevision>({ sha: SHA, parent: SHA, message: 'm\n', created_at: DATE, current: true });
const checkpoint = sample<D.CheckpointRequest>({ message: 'm', author: identInput, committer: identInput });
const updateDraft = sample<D.UpdateDraftRequest>({ message: 'm', author: identInput, committer: identInput, branch: 'main' });
const conflict = sample<D.DraftConflict>({ path: 'a', kind: 'content', base: SHA, ours: SHA, theirs: null });
const draftChanges: D.DraftChange[] = [
  { op: 'put', path: 'a.txt', sha: SHA, mode: '100644' },
  { op: 'rm', path: 'b', recursive: true },
  { op: 'mkdir', path: 'c' },
  { op: 'mv', from: 'd', to: 'e' },
];
const applyDraft = sample<D.ApplyDraftRequest>({ message: 'm', author: identInput, committer: identInput, strategy: 'merge', branch: 'main' });
const draftDiffQuery = sample<D.DraftDiffQuery>({ against: 'head', patch: false });
const draftToken = sample<D.DraftTokenRequest>({ read: ['**'], write: ['src/**'], ttl_seconds: 600, label: 'l' });
const exec = sample<D.ExecRequest>({ command: 'ls', cwd: 'src', timeout_ms: 1000, env: { A: 'b' } });
const putDraftFile = sample<D.PutDraftFileOptions>({ mode: '100644' });
const fileInfo = sample<D.DraftFileInfo>({ path: 'a', name: 'a', kind: 'file', size: 1, mode: '100644', sha: SHA });
const revisionToolQuery = sample<D.RevisionToolOptions>({ ref: 'main' });
const toolArgs = {
  read: sample<D.ReadToolArgs>({ path: 'a', offset: 1, limit: 1 }),
  write: sample<D.WriteToolArgs>({ path: 'a', content: 'x', encoding: 'utf8', executable: false }),
  edit: sample<D.EditToolArgs>({ path: 'a', edits: [{ old_string: 'x', new_string: 'y', replace_all: false }], old_string: 'x', new_string: 'y', replace_all: false }),
  ls: sample<D.LsToolArgs>({ path: '', recursive: true, limit: 1, cursor: 'c' }),
  glob: sample<D.GlobToolArgs>({ pattern: '*', exclude: ['b'], path: '', limit: 1 }),
  grep: sample<D.GrepToolArgs>({ pattern: 'x', regex: true, ignore_case: true, context: 1, include: ['*'], exclude: ['b'], path: '', limit: 1, max_file_bytes: 1 }),
  stat: sample<D.StatToolArgs>({ path: 'a' }),
  mkdir: sample<D.MkdirToolArgs>({ path: 'a', parents: true }),
  rm: sample<D.RmToolArgs>({ path: 'a', recursive: true }),
  mv: sample<D.MvToolArgs>({ from: 'a', to: 'b' }),
};
const toolResults = {
  read: [
    sample<D.ReadToolResult>({ path: 'a', kind: 'text', media_type: 'text/plain', size: 1, sha: SHA, content: 'x', from_line: 1, to_line: 1, total_lines: 1, next_offset: null, truncated_lines: 0 }),
    sample<D.ReadToolResult>({ path: 'a', kind: 'binary', media_type: 'image/png', size: 1, sha: SHA, content_base64: 'eA==' }),
  ],
  write: [sample<D.WriteToolResult>({ path: 'a', size: 1, sha: SHA, created: true })],
  edit: [sample<D.EditToolResult>({ path: 'a', replacements: 1, diff: '', sha: SHA, size: 1 })],
  ls: [sample<D.LsToolResult>({ path: '', entries: [fileInfo], next_cursor: null })],
  glob: [sample<D.GlobToolResult>({ paths: ['a'], truncated: false })],
  grep: [sample<D.GrepToolResult>({
    matches: [{ path: 'a', line: 1, text: 'x', before: [], after: [] }], files_searched: 1, files_with_matches: 1, skipped: [{ path: 'b', reason: 'binary' }], truncated: false,
  })],
  stat: [fileInfo],
  mkdir: [fileInfo],
  rm: [sample<D.RmToolResult>({ path: 'a', removed: 1 })],
  mv: [sample<D.MvToolResult>({ from: 'a', to: 'b' })],
};

const R = (c: GroveClient) => c.repo(NS, NAME);
const DR = (c: GroveClient) => c.repo(NS, NAME).drafts;
/** `…/drafts/{id}` of the table: a draft that does not exist (the calls answer 404, which is enough to see where they went). */
const ID = 'cov-draft';
const DRAFT = 'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}';
const TOOLS = '/v1/namespaces/{ns}/repos/{name}/tools';

/** Every /v1 operation of docs/API.md → the SDK method that calls it. */
const OPERATIONS: Record<string, Entry> = {
  'POST /v1/namespaces': op({ call: (c) => c.namespaces.create({ name: 'cov-made' }), body: [{ name: 'x' } satisfies Full<T.CreateNamespaceRequest>], response: [namespace] }),
  'GET /v1/namespaces': op({ call: (c) => c.namespaces.list(pageQuery), query: pageQuery, response: [{ namespaces: [namespace], next_cursor: null }] }),
  'GET /v1/namespaces/{ns}': op({ call: (c) => c.namespaces.get(NS), response: [namespace] }),
  'DELETE /v1/namespaces/{ns}': op({ call: (c) => c.namespaces.delete('cov-none', deleteNamespace), query: deleteNamespace }),
  'POST /v1/namespaces/{ns}/repos': op({ call: (c) => c.repos.create(NS, createRepo), body: [createRepo], response: withToken }),
  'GET /v1/namespaces/{ns}/repos': op({ call: (c) => c.repos.list(NS, reposQuery), query: reposQuery, response: [{ repos, next_cursor: 'c' }] }),
  'GET /v1/namespaces/{ns}/repos/{name}': op({ call: (c) => c.repos.get(NS, NAME), response: repos }),
  'PATCH /v1/namespaces/{ns}/repos/{name}': op({ call: (c) => c.repos.update(NS, 'made', updateRepo), body: [updateRepo], response: repos }),
  'DELETE /v1/namespaces/{ns}/repos/{name}': op({ call: (c) => c.repos.delete(NS, 'made') }),
  'POST /v1/namespaces/{ns}/repos/{name}/fork': op({ call: (c) => c.repos.fork(NS, NAME, forkRepo), body: [forkRepo], response: withToken }),
  'POST /v1/namespaces/{ns}/repos/{name}/import': op({ call: (c) => c.repos.import(NS, 'imported', importRepo), body: [importRepo], response: withToken }),
  'POST /v1/namespaces/{ns}/repos/{name}/tokens': op({ call: (c) => c.tokens.create(NS, NAME, createToken), body: [createToken], response: [createdToken] }),
  'GET /v1/namespaces/{ns}/repos/{name}/tokens': op({ call: (c) => c.tokens.list(NS, NAME, tokensQuery), query: tokensQuery, response: [{ tokens: [token], next_cursor: null }] }),
  'DELETE /v1/namespaces/{ns}/repos/{name}/tokens/{id}': op({ call: (c) => c.tokens.revoke(NS, NAME, 'x') }),
  'POST /v1/tokens': op({ call: (c) => c.adminTokens.create(createAdminToken), body: [createAdminToken], response: [createdToken] }),
  'GET /v1/tokens': op({ call: (c) => c.adminTokens.list(tokensQuery), query: tokensQuery, response: [{ tokens: [token], next_cursor: null }] }),
  'DELETE /v1/tokens/{id}': op({ call: (c) => c.adminTokens.revoke('x') }),

  'GET /v1/namespaces/{ns}/repos/{name}/refs': op({ call: (c) => R(c).refs.list(refsQuery), query: refsQuery, response: [{ refs: [ref] }] }),
  'POST /v1/namespaces/{ns}/repos/{name}/refs': op({ call: (c) => R(c).refs.create(createRef), body: [createRef], response: [ref] }),
  'GET /v1/namespaces/{ns}/repos/{name}/refs/{ref}': op({ call: (c) => R(c).refs.get('refs/heads/main'), response: [ref] }),
  'PATCH /v1/namespaces/{ns}/repos/{name}/refs/{ref}': op({ call: (c) => R(c).refs.update('refs/heads/cov', updateRef), body: [updateRef], response: [ref] }),
  'DELETE /v1/namespaces/{ns}/repos/{name}/refs/{ref}': op({ call: (c) => R(c).refs.delete('refs/heads/cov', deleteRef), query: deleteRef }),
  'GET /v1/namespaces/{ns}/repos/{name}/log': op({ call: (c) => R(c).log(logQuery), query: logQuery, response: [{ commits: [commit], next_cursor: null }] }),
  'GET /v1/namespaces/{ns}/repos/{name}/commits/{sha}': op({
    call: (c) => R(c).commit('main', commitQuery),
    query: commitQuery,
    response: [{ ...commit, files: [fileStat], stats: { files: 1, additions: 1, deletions: 0 }, patch: '', patch_truncated: false }],
  }),
  'GET /v1/namespaces/{ns}/repos/{name}/tree/{ref}': op({
    call: (c) => R(c).tree('main', treeQuery),
    query: treeQuery,
    response: [{ sha: SHA, path: '', entries: [{ name: 'a', path: 'a', type: 'blob', mode: '100644', sha: SHA, size: 1 }], truncated: false }],
  }),
  'GET /v1/namespaces/{ns}/repos/{name}/blobs/{sha}': op({ call: (c) => R(c).blob(SHA) }),
  'GET /v1/namespaces/{ns}/repos/{name}/files/{ref}/{path}': op({ call: (c) => R(c).file('main', 'src/a.txt') }),
  'GET /v1/namespaces/{ns}/repos/{name}/archive/{ref}.tar.gz': op({ call: (c) => R(c).archive('main', 'tar.gz') }),
  'GET /v1/namespaces/{ns}/repos/{name}/archive/{ref}.zip': op({ call: (c) => R(c).archive('main', 'zip') }),
  'POST /v1/namespaces/{ns}/repos/{name}/commits': op({ call: (c) => R(c).commitFiles(commitFiles), body: [commitFiles], response: [written] }),
  'POST /v1/namespaces/{ns}/repos/{name}/revert': op({ call: (c) => R(c).revert(revert), body: [revert], response: [written] }),
  'POST /v1/namespaces/{ns}/repos/{name}/restore': op({ call: (c) => R(c).restore(restore), body: [restore], response: [written] }),
  'PUT /v1/namespaces/{ns}/repos/{name}/files/{branch}/{path}': op({ call: (c) => R(c).putFile('main', 'dir/up.txt', 'x', putFile), query: putFile, response: [written] }),
  'GET /v1/namespaces/{ns}/repos/{name}/notes': op({
    call: (c) => R(c).notes.list(notesQuery),
    query: notesQuery,
    response: [{ notes_ref: 'refs/notes/commits', notes_head: SHA, notes: [{ object: SHA, note_sha: SHA }], next_cursor: null }],
  }),
  'GET /v1/namespaces/{ns}/repos/{name}/notes/{object}': op({
    call: (c) => R(c).notes.get('main', notesRef),
    query: notesRef,
    response: [{ object: SHA, note_sha: SHA, text: 'n', content_base64: 'bg==', notes_ref: 'refs/notes/commits' }],
  }),
  'PUT /v1/namespaces/{ns}/repos/{name}/notes/{object}': op({ call: (c) => R(c).notes.put('main', putNote, notesRef), query: notesRef, body: [putNote], response: [noteWritten] }),
  'DELETE /v1/namespaces/{ns}/repos/{name}/notes/{object}': op({ call: (c) => R(c).notes.delete('main', deleteNote), query: deleteNote, response: [{ ...noteWritten, note_sha: null }] }),
  'GET /v1/namespaces/{ns}/repos/{name}/grep': op({
    call: (c) => R(c).grep(grepQuery),
    query: grepQuery,
    response: [{ commit: SHA, matches: [{ path: 'a', line_number: 1, line: 'x', before: [], after: [] }], skipped: [{ path: 'b', reason: 'binary' }], next_cursor: null }],
  }),
  'GET /v1/namespaces/{ns}/repos/{name}/compare/{basehead}': op({
    call: (c) => R(c).compare('main', 'feature/x', compareOptions),
    query: compareOptions,
    response: [{
      base_sha: SHA, head_sha: SHA, merge_base_sha: null, ahead_by: 1, behind_by: 0, total_commits: 1, commits: [commit],
      files: [{ ...fileStat, patch: null }], truncated: false,
    }],
  }),
  'POST /v1/namespaces/{ns}/repos/{name}/drafts': op({ call: (c) => DR(c).create(createDraft), body: [createDraft], response: [draft] }),
  'GET /v1/namespaces/{ns}/repos/{name}/drafts': op({ call: (c) => DR(c).list(draftsQuery), query: draftsQuery, response: [{ drafts: [draft], next_cursor: null }] }),
  'GET /v1/namespaces/{ns}/repos/{name}/drafts/{id}': op({ call: (c) => DR(c).get(ID), response: [draft] }),
  'DELETE /v1/namespaces/{ns}/repos/{name}/drafts/{id}': op({ call: (c) => DR(c).discard(ID) }),
  [`${DRAFT}/tools/read`]: op({ call: (c) => DR(c).read(ID, 'a', { offset: 1 }), body: [toolArgs.read], response: toolResults.read }),
  [`${DRAFT}/tools/write`]: op({ call: (c) => DR(c).write(ID, 'a', 'x'), body: [toolArgs.write], response: toolResults.write }),
  [`${DRAFT}/tools/edit`]: op({ call: (c) => DR(c).edit(ID, 'a', { old_string: 'x', new_string: 'y' }), body: [toolArgs.edit], response: toolResults.edit }),
  [`${DRAFT}/tools/ls`]: op({ call: (c) => DR(c).ls(ID), body: [toolArgs.ls], response: toolResults.ls }),
  [`${DRAFT}/tools/glob`]: op({ call: (c) => DR(c).glob(ID, '*'), body: [toolArgs.glob], response: toolResults.glob }),
  [`${DRAFT}/tools/grep`]: op({ call: (c) => DR(c).grep(ID, 'x'), body: [toolArgs.grep], response: toolResults.grep }),
  [`${DRAFT}/tools/stat`]: op({ call: (c) => DR(c).stat(ID, 'a'), body: [toolArgs.stat], response: toolResults.stat }),
  [`${DRAFT}/tools/mkdir`]: op({ call: (c) => DR(c).mkdir(ID, 'a'), body: [toolArgs.mkdir], response: toolResults.mkdir }),
  [`${DRAFT}/tools/rm`]: op({ call: (c) => DR(c).rm(ID, 'a'), body: [toolArgs.rm], response: toolResults.rm }),
  [`${DRAFT}/tools/mv`]: op({ call: (c) => DR(c).tool(ID, 'mv', toolArgs.mv), body: [toolArgs.mv], response: toolResults.mv }),
  [`POST ${TOOLS}/read`]: op({ call: (c) => DR(c).revisionTool('read', toolArgs.read, revisionToolQuery), query: revisionToolQuery, body: [toolArgs.read], response: toolResults.read }),
  [`POST ${TOOLS}/ls`]: op({ call: (c) => DR(c).revisionTool('ls', toolArgs.ls, revisionToolQuery), query: revisionToolQuery, body: [toolArgs.ls], response: toolResults.ls }),
  [`POST ${TOOLS}/glob`]: op({ call: (c) => DR(c).revisionTool('glob', toolArgs.glob, revisionToolQuery), query: revisionToolQuery, body: [toolArgs.glob], response: toolResults.glob }),
  [`POST ${TOOLS}/grep`]: op({ call: (c) => DR(c).revisionTool('grep', toolArgs.grep, revisionToolQuery), query: revisionToolQuery, body: [toolArgs.grep], response: toolResults.grep }),
  [`POST ${TOOLS}/stat`]: op({ call: (c) => DR(c).revisionTool('stat', toolArgs.stat, revisionToolQuery), query: revisionToolQuery, body: [toolArgs.stat], response: toolResults.stat }),
  'GET /v1/namespaces/{ns}/repos/{name}/drafts/{id}/files/{path}': op({ call: (c) => DR(c).file(ID, 'src/a.txt') }),
  'PUT /v1/namespaces/{ns}/repos/{name}/drafts/{id}/files/{path}': op({ call: (c) => DR(c).writeFile(ID, 'dir/up.txt', 'x', putDraftFile), query: putDraftFile, response: [fileInfo] }),
  [`${DRAFT}/exec`]: op({
    call: (c) => DR(c).exec(ID, 'ls'), body: [exec], response: [{ stdout: '', stderr: '', exit_code: 0, timed_out: false, truncated: false } satisfies Full<D.ExecResult>],
  }),
  [`${DRAFT}/blobs/missing`]: op({ call: (c) => DR(c).missingBlobs(ID, [SHA]), body: [{ shas: [SHA] }], response: [{ missing: [SHA] } satisfies Full<D.MissingBlobs>] }),
  'PUT /v1/namespaces/{ns}/repos/{name}/drafts/{id}/blobs/{sha}': op({
    call: (c) => DR(c).uploadBlob(ID, 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391', new Uint8Array(0)),
    response: [{ sha: SHA, size: 0, stored: true } satisfies Full<D.UploadedBlob>],
  }),
  [`${DRAFT}/blobs`]: op({
    call: (c) => DR(c).uploadBlobs(ID, new Uint8Array(4)),
    response: [{ blobs: [{ sha: SHA, size: 0, stored: true }] } satisfies Full<D.UploadedBlobs>],
  }),
  [`${DRAFT}/chunks/missing`]: op({
    call: (c) => DR(c).missingChunks(ID, [SHA], [SHA]), body: [{ chunks: [SHA], from: [SHA] }], response: [{ missing: [SHA] } satisfies Full<D.MissingChunks>],
  }),
  [`${DRAFT}/chunks`]: op({ call: (c) => DR(c).uploadChunks(ID, new Uint8Array(4)), response: [{ chunks: [SHA] } satisfies Full<D.UploadedChunks>] }),
  [`${DRAFT}/blobs/assemble`]: op({
    call: (c) => DR(c).assembleBlobs(ID, [{ sha: SHA, chunks: [SHA] }]),
    body: [{ blobs: [{ sha: SHA, chunks: [SHA] } satisfies Full<D.AssembleBlob>] }],
    response: [{ blobs: [{ sha: SHA, size: 1, stored: true }] } satisfies Full<D.UploadedBlobs>],
  }),
  [`${DRAFT}/changes`]: op({
    call: (c) => DR(c).changes(ID, draftChanges),
    body: [{ changes: draftChanges }],
    response: [{ applied: 1 } satisfies Full<D.AppliedChanges>],
  }),
  [`${DRAFT}/checkpoint`]: op({ call: (c) => DR(c).checkpoint(ID, checkpoint), body: [checkpoint], response: [{ revision, created: true, draft }] }),
  'GET /v1/namespaces/{ns}/repos/{name}/drafts/{id}/revisions': op({ call: (c) => DR(c).revisions(ID), response: [{ revisions: [revision] }] }),
  [`${DRAFT}/reset`]: op({ call: (c) => DR(c).reset(ID, 'base'), body: [{ to: 'base' } satisfies Full<D.ResetDraftRequest>], response: [draft] }),
  'GET /v1/namespaces/{ns}/repos/{name}/drafts/{id}/diff': op({
    call: (c) => DR(c).diff(ID, draftDiffQuery), query: draftDiffQuery, response: [{ from: SHA, files: [{ ...fileStat, patch: null }], truncated: false }],
  }),
  [`${DRAFT}/update`]: op({
    call: (c) => DR(c).update(ID, updateDraft), body: [updateDraft], response: [{ draft, revision, conflicts: [conflict] }, { draft, revision: null, conflicts: [] }],
  }),
  [`${DRAFT}/apply`]: op({ call: (c) => DR(c).apply(ID, applyDraft), body: [applyDraft], response: [{ sha: SHA, branch: 'main', created: true, merged: false, draft }] }),
  [`${DRAFT}/tokens`]: op({
    call: (c) => DR(c).mintToken(ID, draftToken),
    body: [draftToken],
    response: [{ id: 'x', token: 'grove_x', draft: ID, read: ['**'], write: [], created_at: DATE, expires_at: DATE }],
  }),
};

// The OpenAPI document, as much of it as this test reads.
interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}
interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

let server: RunningServer;
let doc: Document;
const data = tempDir('grove-sdk-openapi-');
const seen: { method: string; url: URL }[] = [];

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, dataDir: data.dir, adminToken: 'cov-admin' });
  const response = await fetch(`${server.url}/openapi.json`);
  doc = (await response.json()) as Document;
  const setup = new GroveClient({ url: server.url, token: 'cov-admin' });
  await setup.repos.create(NS, { name: NAME });
  await setup.repo(NS, NAME).commitFiles({ branch: 'main', message: 'first', changes: [{ op: 'put', path: 'src/a.txt', content: 'a\n' }] });
});

afterAll(async () => {
  await server.close();
  data.remove();
});

/** `GET /v1/...` for every operation of the document. */
function documentedOperations(): string[] {
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
}

function operation(key: string): Operation {
  const [method, path] = key.split(' ') as [string, string];
  return doc.paths[path]![method.toLowerCase()]!;
}

/** The path template as a regex: `{path}` is the rest of the URL, any other `{x}` one segment. */
function templateRegex(template: string): RegExp {
  const parts = template.split(/(\{[^}]+\})/).map((part) => {
    if (part === '{path}') return '.+';
    if (/^\{[^}]+\}$/.test(part)) return '[^/]+';
    return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${parts.join('')}$`);
}

function resolve(schema: Schema): Schema {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const found = doc.components.schemas[name];
  if (found === undefined) throw new Error(`no schema ${name}`);
  return resolve(found);
}

/** The object variants of a schema: itself (allOf merged), or each of its anyOf/oneOf members that is an object. */
function objectVariants(schema: Schema): Record<string, Schema>[] {
  const s = resolve(schema);
  if (s.allOf !== undefined) return [Object.assign({}, ...s.allOf.map((part) => objectVariants(part)[0] ?? {})) as Record<string, Schema>];
  if (s.anyOf !== undefined || s.oneOf !== undefined) return (s.anyOf ?? s.oneOf ?? []).flatMap((part) => objectVariants(part));
  return s.properties === undefined ? [] : [s.properties];
}

function arrayItems(schema: Schema): Schema | undefined {
  const s = resolve(schema);
  if (s.items !== undefined) return s.items;
  for (const part of s.anyOf ?? s.oneOf ?? []) {
    const items = arrayItems(part);
    if (items !== undefined) return items;
  }
  return undefined;
}

/** Problems found comparing the keys of `value` with the properties of `schema`, recursively ('' when none). */
function keyProblems(schema: Schema, value: unknown, at: string): string[] {
  if (Array.isArray(value)) {
    const items = arrayItems(schema);
    if (items === undefined) return [`${at}: an array where the schema has none`];
    return value.flatMap((item, i) => keyProblems(items, item, `${at}[${i}]`));
  }
  if (typeof value !== 'object' || value === null) return [];
  const variants = objectVariants(schema);
  if (variants.length === 0) {
    const s = resolve(schema);
    // A free-form object (e.g. import headers) has no properties to compare.
    return s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object')) ? [] : [`${at}: an object where the schema has none`];
  }
  const keys = Object.keys(value).sort();
  const match = variants.find((props) => JSON.stringify(Object.keys(props).sort()) === JSON.stringify(keys));
  if (match === undefined) {
    return [`${at}: SDK keys [${keys.join(', ')}] ≠ schema properties ${variants.map((v) => `[${Object.keys(v).sort().join(', ')}]`).join(' or ')}`];
  }
  return keys.flatMap((key) => keyProblems(match[key]!, (value as Record<string, unknown>)[key], `${at}.${key}`));
}

function jsonSchema(content: Record<string, { schema: Schema }> | undefined): Schema | undefined {
  return content?.['application/json']?.schema;
}

describe('the SDK against /openapi.json', () => {
  it('has one table entry per /v1 operation, and no other', () => {
    const documented = documentedOperations().sort();
    expect(documented.length).toBeGreaterThan(30);
    expect(Object.keys(OPERATIONS).sort()).toEqual(documented);
  });

  it('reaches every operation through its SDK method: method, path template and documented query names', async () => {
    const recording = (input: string, init: RequestInit): Promise<Response> => {
      seen.push({ method: init.method ?? 'GET', url: new URL(input) });
      return fetch(input, init);
    };
    const client = new GroveClient({ url: server.url, token: 'cov-admin', fetch: recording, retry: { attempts: 1 } });
    const problems: string[] = [];
    for (const [key, entry] of Object.entries(OPERATIONS)) {
      seen.length = 0;
      const outcome = await entry.run(client).catch((err: unknown) => err);
      if (outcome !== null && typeof outcome === 'object' && 'body' in outcome && outcome.body instanceof ReadableStream) await outcome.body.cancel();
      const [method, template] = key.split(' ') as [string, string];
      const pattern = templateRegex(template);
      const hit = seen.find((s) => s.method === method && pattern.test(s.url.pathname));
      if (hit === undefined) {
        problems.push(`${key}: the SDK sent ${seen.map((s) => `${s.method} ${s.url.pathname}`).join(', ') || 'nothing'}`);
        continue;
      }
      const documented = new Set((operation(key).parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
      const sent = [...new Set(hit.url.searchParams.keys())];
      const extra = sent.filter((name) => !documented.has(name));
      if (extra.length > 0) problems.push(`${key}: sent undocumented query parameters ${extra.join(', ')}`);
      if (entry.query !== undefined) {
        const expected = Object.keys(entry.query).sort();
        if (JSON.stringify(sent.sort()) !== JSON.stringify(expected)) problems.push(`${key}: sent query [${sent.join(', ')}] for the sample's [${expected.join(', ')}]`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('names the query parameters of each operation as the SDK types name them', () => {
    const problems: string[] = [];
    for (const [key, entry] of Object.entries(OPERATIONS)) {
      const documented = (operation(key).parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort();
      const typed = entry.query === undefined ? [] : Object.keys(entry.query).sort();
      if (JSON.stringify(typed) !== JSON.stringify(documented)) problems.push(`${key}: SDK query [${typed.join(', ')}] ≠ documented [${documented.join(', ')}]`);
    }
    expect(problems).toEqual([]);
  });

  it('types each JSON request body with the keys of its schema', () => {
    const problems: string[] = [];
    for (const [key, entry] of Object.entries(OPERATIONS)) {
      const schema = jsonSchema(operation(key).requestBody?.content);
      if ((schema === undefined) !== (entry.body === undefined)) {
        problems.push(`${key}: ${schema === undefined ? 'a body sample for an operation without a JSON body' : 'no body sample'}`);
        continue;
      }
      if (schema !== undefined) problems.push(...entry.body!.flatMap((body) => keyProblems(schema, body, `${key} body`)));
    }
    expect(problems).toEqual([]);
  });

  it('types each JSON response with the keys of its schema', () => {
    const problems: string[] = [];
    for (const [key, entry] of Object.entries(OPERATIONS)) {
      const success = Object.entries(operation(key).responses).filter(([status]) => status.startsWith('2'));
      const schemas = success.map(([, answer]) => jsonSchema(answer.content)).filter((s): s is Schema => s !== undefined);
      if ((schemas.length === 0) !== (entry.response === undefined)) {
        problems.push(`${key}: ${schemas.length === 0 ? 'a response sample for an operation without a JSON answer' : 'no response sample'}`);
        continue;
      }
      for (const schema of schemas) problems.push(...entry.response!.flatMap((answer) => keyProblems(schema, answer, `${key} answer`)));
    }
    expect(problems).toEqual([]);
  });

  it('finds a wrong key: the check is not a tautology', () => {
    const schema = jsonSchema(operation('GET /v1/namespaces/{ns}/repos/{name}/log').responses['200']!.content)!;
    expect(keyProblems(schema, { commits: [commit], next_cursor: null }, 'log')).toEqual([]);
    expect(keyProblems(schema, { commits: [{ ...commit, author_name: 'x' }], next_cursor: null }, 'log')).toHaveLength(1);
    const { message: _message, ...withoutMessage } = commit;
    expect(keyProblems(schema, { commits: [withoutMessage], next_cursor: null }, 'log')).toHaveLength(1);
  });
});
