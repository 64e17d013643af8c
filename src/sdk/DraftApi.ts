/**
 * `client.repo(ns, name).drafts`: working copies of a branch (docs/API.md,
 * "Drafts"). Create a draft, change its files with the file tools (`read`,
 * `write`, `edit`, `ls`, `glob`, `grep`, `stat`, `mkdir`, `rm`, `mv`) or raw
 * bytes (`readFile`, `writeFile`), run a shell over it (`exec`), checkpoint
 * revisions and `reset` to them, `diff` it, `update` it with the branch's
 * new commits, then `apply` it onto its branch or `discard` it. `revisionTool` runs the read-only tools on any revision.
 *
 * Every call names its draft by id; no request is made until one is called.
 * Reads that are GETs are retried like every GET; tool calls and the other
 * POSTs never are; `writeFile` is sent once (a stream cannot be replayed).
 * The server's codes arrive as GroveApiError codes: ENOENT, EEXIST, EISDIR,
 * ENOTDIR, ENOTEMPTY, EINVAL from the tools, DRAFT_CLOSED once applied,
 * MERGE_CONFLICT (`details.conflicts`, DraftConflict[]) from apply.
 *
 * Past 400 lines on purpose: one method per route of the drafts API, each
 * with its example, mirrors API.md's table; split, a reader would hunt for
 * half of one resource in two files.
 */
import { GroveApiError } from './GroveApiError.ts';
import type { GroveTransport, UploadBody } from './GroveTransport.ts';
import { iteratePages } from './iteratePages.ts';
import { repoPath } from './paths.ts';
import { StreamedContent } from './StreamedContent.ts';
import type {
  AppliedChanges,
  AssembleBlob,
  ApplyDraftRequest,
  ApplyDraftResult,
  CheckpointRequest,
  CheckpointResult,
  CreateDraftRequest,
  Draft,
  DraftDiff,
  DraftChange,
  DraftDiffQuery,
  DraftFileInfo,
  DraftList,
  DraftRevisionList,
  DraftToken,
  DraftTokenRequest,
  DraftToolArgs,
  DraftToolName,
  DraftToolResults,
  EditSpec,
  EditToolResult,
  ExecRequest,
  ExecResult,
  GlobToolArgs,
  GlobToolResult,
  GrepToolArgs,
  GrepToolResult,
  ListDraftsQuery,
  MissingBlobs,
  MissingChunks,
  LsToolArgs,
  LsToolResult,
  MvToolResult,
  PutDraftFileOptions,
  ReadOnlyToolName,
  ReadToolArgs,
  ReadToolResult,
  RevisionToolOptions,
  RmToolResult,
  UpdateDraftRequest,
  UpdateDraftResult,
  UploadedBlob,
  UploadedBlobs,
  UploadedChunks,
  WriteToolArgs,
  WriteToolResult,
} from './draftTypes.ts';
import type { IterateOptions } from './types.ts';

export class DraftApi {
  readonly #http: GroveTransport;
  readonly #repo: string;

  constructor(http: GroveTransport, namespace: string, name: string) {
    this.#http = http;
    this.#repo = repoPath(namespace, name);
  }

  /**
   * A new draft of a branch (default: the default branch) or of any revision.
   *
   * ```ts
   * const draft = await client.repo('team', 'notes').drafts.create({ from: 'main', label: 'fix typos', ttl_seconds: 3600 });
   * ```
   */
  create(request: CreateDraftRequest = {}): Promise<Draft> {
    return this.#http.request('POST', `${this.#repo}/drafts`, { body: request });
  }

  /**
   * One page of the repository's drafts, by id.
   *
   * ```ts
   * const { drafts, next_cursor } = await client.repo('team', 'notes').drafts.list({ limit: 20 });
   * ```
   */
  list(query: ListDraftsQuery = {}): Promise<DraftList> {
    return this.#http.request('GET', `${this.#repo}/drafts`, { query: { limit: query.limit, cursor: query.cursor } });
  }

  /**
   * Every draft of the repository, page after page.
   *
   * ```ts
   * for await (const d of client.repo('team', 'notes').drafts.iterate()) console.log(d.id, d.label, d.changed_paths);
   * ```
   */
  iterate(query: ListDraftsQuery = {}, options: IterateOptions = {}): AsyncGenerator<Draft, void, undefined> {
    return iteratePages('drafts', query.cursor, (cursor) => this.list({ ...query, ...(cursor === undefined ? {} : { cursor }) }), options);
  }

  /**
   * One draft.
   *
   * ```ts
   * const { state, changed_paths } = await client.repo('team', 'notes').drafts.get(id);
   * ```
   */
  get(id: string): Promise<Draft> {
    return this.#http.request('GET', this.#draft(id));
  }

  /**
   * Discards a draft: its changes and its revisions' ref go; the branch is untouched.
   *
   * ```ts
   * await client.repo('team', 'notes').drafts.discard(id);
   * ```
   */
  async discard(id: string): Promise<void> {
    await this.#http.request('DELETE', this.#draft(id));
  }

  /**
   * Runs file tool `name` on a draft with the tool's JSON arguments (the
   * typed helpers below call this).
   *
   * ```ts
   * const { matches } = await client.repo('team', 'notes').drafts.tool(id, 'grep', { pattern: 'TODO', include: ['**\/*.ts'] });
   * ```
   */
  tool<N extends DraftToolName>(id: string, name: N, args: DraftToolArgs[N]): Promise<DraftToolResults[N]> {
    return this.#http.request('POST', `${this.#draft(id)}/tools/${encodeURIComponent(name)}`, { body: args });
  }

  /**
   * Runs a read-only tool (`read`, `ls`, `glob`, `grep`, `stat`) on any
   * revision (default: the default branch), no draft needed.
   *
   * ```ts
   * const readme = await client.repo('team', 'notes').drafts.revisionTool('read', { path: 'README.md' }, { ref: 'v1.0' });
   * ```
   */
  revisionTool<N extends ReadOnlyToolName>(name: N, args: DraftToolArgs[N], options: RevisionToolOptions = {}): Promise<DraftToolResults[N]> {
    return this.#http.request('POST', `${this.#repo}/tools/${encodeURIComponent(name)}`, { query: { ref: options.ref }, body: args });
  }

  /**
   * Up to 2000 lines of a text file from line `offset` (its media type, size and sha for a binary one).
   *
   * ```ts
   * let page = await drafts.read(id, 'src/app.ts');
   * while (page.kind === 'text' && page.next_offset !== null) page = await drafts.read(id, 'src/app.ts', { offset: page.next_offset });
   * ```
   */
  read(id: string, path: string, options: Omit<ReadToolArgs, 'path'> = {}): Promise<ReadToolResult> {
    return this.tool(id, 'read', { path, ...options });
  }

  /**
   * Creates or replaces a file (its folders are made); `encoding: 'base64'` for bytes.
   *
   * ```ts
   * await drafts.write(id, 'src/new.ts', 'export const x = 1;\n');
   * ```
   */
  write(id: string, path: string, content: string, options: Omit<WriteToolArgs, 'path' | 'content'> = {}): Promise<WriteToolResult> {
    return this.tool(id, 'write', { path, content, ...options });
  }

  /**
   * Replaces text in a file: each `old_string` exactly once (or every one
   * with `replace_all`), the edits in order, all or none.
   *
   * ```ts
   * const { diff } = await drafts.edit(id, 'README.md', { old_string: 'teh', new_string: 'the', replace_all: true });
   * ```
   */
  edit(id: string, path: string, edits: EditSpec | readonly EditSpec[]): Promise<EditToolResult> {
    return this.tool(id, 'edit', { path, edits: Array.isArray(edits) ? [...(edits as readonly EditSpec[])] : [edits as EditSpec] });
  }

  /**
   * One page of a folder's entries (with `recursive`, everything below it).
   *
   * ```ts
   * const { entries, next_cursor } = await drafts.ls(id, 'src', { recursive: true });
   * ```
   */
  ls(id: string, path = '', options: Omit<LsToolArgs, 'path'> = {}): Promise<LsToolResult> {
    return this.tool(id, 'ls', { path, ...options });
  }

  /**
   * Every entry `ls` lists, page after page.
   *
   * ```ts
   * for await (const e of drafts.iterateLs(id, '', { recursive: true })) if (e.kind === 'file') console.log(e.path, e.size);
   * ```
   */
  iterateLs(id: string, path = '', options: Omit<LsToolArgs, 'path'> = {}, iterate: IterateOptions = {}): AsyncGenerator<DraftFileInfo, void, undefined> {
    return iteratePages('entries', options.cursor, (cursor) => this.ls(id, path, { ...options, ...(cursor === undefined ? {} : { cursor }) }), iterate);
  }

  /**
   * The files whose paths match a git wildmatch glob.
   *
   * ```ts
   * const { paths } = await drafts.glob(id, '**\/*.md', { exclude: ['node_modules'] });
   * ```
   */
  glob(id: string, pattern: string, options: Omit<GlobToolArgs, 'pattern'> = {}): Promise<GlobToolResult> {
    return this.tool(id, 'glob', { pattern, ...options });
  }

  /**
   * Lines matching a literal string (or with `regex`, a POSIX ERE), as `git grep -n`.
   *
   * ```ts
   * const { matches } = await drafts.grep(id, 'todo', { ignore_case: true, context: 2, include: ['src/**'] });
   * ```
   */
  grep(id: string, pattern: string, options: Omit<GrepToolArgs, 'pattern'> = {}): Promise<GrepToolResult> {
    return this.tool(id, 'grep', { pattern, ...options });
  }

  /**
   * One file or folder (ENOENT when nothing is there).
   *
   * ```ts
   * const { kind, size, mode } = await drafts.stat(id, 'bin/run.sh');
   * ```
   */
  stat(id: string, path: string): Promise<DraftFileInfo> {
    return this.tool(id, 'stat', { path });
  }

  /**
   * Makes a folder (and its parents, unless `parents: false`).
   *
   * ```ts
   * await drafts.mkdir(id, 'docs/notes');
   * ```
   */
  mkdir(id: string, path: string, options: { parents?: boolean } = {}): Promise<DraftFileInfo> {
    return this.tool(id, 'mkdir', { path, ...options });
  }

  /**
   * Removes a file or an empty folder (with `recursive`, a folder and everything in it).
   *
   * ```ts
   * const { removed } = await drafts.rm(id, 'build', { recursive: true });
   * ```
   */
  rm(id: string, path: string, options: { recursive?: boolean } = {}): Promise<RmToolResult> {
    return this.tool(id, 'rm', { path, ...options });
  }

  /**
   * Moves or renames a file or folder, as rename(2).
   *
   * ```ts
   * await drafts.mv(id, 'docs/guide.md', 'docs/manual.md');
   * ```
   */
  mv(id: string, from: string, to: string): Promise<MvToolResult> {
    return this.tool(id, 'mv', { from, to });
  }

  /**
   * A file's bytes, streamed (any size, text or binary).
   *
   * ```ts
   * const file = await drafts.file(id, 'data/big.csv');
   * for await (const chunk of file.body) process.stdout.write(chunk);
   * ```
   */
  async file(id: string, path: string): Promise<StreamedContent> {
    return new StreamedContent(await this.#http.raw(`${this.#draft(id)}/files/${draftFilePath(path)}`));
  }

  /**
   * A file's bytes, read whole.
   *
   * ```ts
   * const png = await drafts.readFile(id, 'assets/logo.png');
   * ```
   */
  async readFile(id: string, path: string): Promise<Uint8Array> {
    return (await this.file(id, path)).bytes();
  }

  /**
   * Writes a file from bytes, text or a stream (big files: no JSON, no
   * base64); its folders are made. Sent once, never retried.
   *
   * ```ts
   * await drafts.writeFile(id, 'bin/run.sh', '#!/bin/sh\necho hi\n', { mode: '100755' });
   * await drafts.writeFile(id, 'data/dump.bin', Readable.toWeb(createReadStream('dump.bin')) as ReadableStream<Uint8Array>);
   * ```
   */
  writeFile(id: string, path: string, body: UploadBody, options: PutDraftFileOptions = {}): Promise<DraftFileInfo> {
    return this.#http.upload('PUT', `${this.#draft(id)}/files/${draftFilePath(path)}`, body, { query: { mode: options.mode } });
  }

  /**
   * Of these blob ids, those the server lacks: what a client that keeps
   * files locally must upload before naming them in `changes`.
   */
  missingBlobs(id: string, shas: readonly string[]): Promise<MissingBlobs> {
    return this.#http.request('POST', `${this.#draft(id)}/blobs/missing`, { body: { shas } });
  }

  /** Uploads a blob by its id (the server checks the bytes hash to it); `stored` is false when the repository had it. */
  uploadBlob(id: string, sha: string, body: UploadBody): Promise<UploadedBlob> {
    return this.#http.upload('PUT', `${this.#draft(id)}/blobs/${encodeURIComponent(sha)}`, body, {});
  }

  /**
   * Uploads many blobs in one request. The body is the blobs one after the
   * other, each behind its length as 4 bytes, big-endian (`frameHeader` in
   * src/chunking/frames.ts); the server names each by hashing it.
   */
  uploadBlobs(id: string, body: UploadBody): Promise<UploadedBlobs> {
    return this.#http.upload('POST', `${this.#draft(id)}/blobs`, body, {});
  }

  /**
   * Of `chunks` (SHA-1s of pieces cut as src/chunking/ContentChunker.ts
   * cuts), those the server lacks. `from` names blobs the server holds that
   * the files were before: what a file shares with one does not travel.
   */
  missingChunks(id: string, chunks: readonly string[], from: readonly string[] = []): Promise<MissingChunks> {
    return this.#http.request('POST', `${this.#draft(id)}/chunks/missing`, { body: from.length === 0 ? { chunks } : { chunks, from } });
  }

  /** Uploads chunks, framed as in `uploadBlobs`; their ids in order. */
  uploadChunks(id: string, body: UploadBody): Promise<UploadedChunks> {
    return this.#http.upload('POST', `${this.#draft(id)}/chunks`, body, {});
  }

  /** Joins uploaded chunks into blobs the draft's changes can name. */
  assembleBlobs(id: string, blobs: readonly AssembleBlob[]): Promise<UploadedBlobs> {
    return this.#http.request('POST', `${this.#draft(id)}/blobs/assemble`, { body: { blobs } });
  }

  /**
   * Applies changes by blob id, in order (`put` names a blob the server
   * has). Each change is a state, so a batch that failed part way
   * (`details.index`) can be sent again.
   *
   * ```ts
   * await drafts.changes(id, [{ op: 'put', path: 'a.txt', sha }, { op: 'rm', path: 'old', recursive: true }]);
   * ```
   */
  changes(id: string, changes: readonly DraftChange[]): Promise<AppliedChanges> {
    return this.#http.request('POST', `${this.#draft(id)}/changes`, { body: { changes } });
  }

  /**
   * Runs a bash script with just-bash over the draft's files (no network,
   * bounded time and output); files it changes land in the draft.
   *
   * ```ts
   * const { stdout, exit_code } = await drafts.exec(id, 'grep -rn TODO src | wc -l', { timeout_ms: 5000 });
   * ```
   */
  exec(id: string, command: string, options: Omit<ExecRequest, 'command'> = {}): Promise<ExecResult> {
    return this.#http.request('POST', `${this.#draft(id)}/exec`, { body: { command, ...options } });
  }

  /**
   * Commits the draft's files as a revision on `refs/drafts/<id>` (`created`
   * false, and no commit, when nothing changed since the last one).
   *
   * ```ts
   * const { revision } = await drafts.checkpoint(id, { message: 'tests pass' });
   * ```
   */
  checkpoint(id: string, request: CheckpointRequest = {}): Promise<CheckpointResult> {
    return this.#http.request('POST', `${this.#draft(id)}/checkpoint`, { body: request });
  }

  /**
   * The draft's revisions, newest first; the last is the commit it was made from.
   *
   * ```ts
   * const { revisions } = await drafts.revisions(id);
   * ```
   */
  revisions(id: string): Promise<DraftRevisionList> {
    return this.#http.request('GET', `${this.#draft(id)}/revisions`);
  }

  /**
   * Moves the draft onto one of its revisions (a sha, a 4+ digit prefix, or
   * `base`), dropping what was not checkpointed.
   *
   * ```ts
   * await drafts.reset(id, revisions[1].sha);
   * ```
   */
  reset(id: string, to: string): Promise<Draft> {
    return this.#http.request('POST', `${this.#draft(id)}/reset`, { body: { to } });
  }

  /**
   * What the draft changes (against its base by default), as `git diff -M` with patches.
   *
   * ```ts
   * const { files } = await drafts.diff(id, { against: 'branch' });
   * console.log(files.map((f) => f.patch).join(''));
   * ```
   */
  diff(id: string, query: DraftDiffQuery = {}): Promise<DraftDiff> {
    return this.#http.request('GET', `${this.#draft(id)}/diff`, { query: { against: query.against, patch: query.patch } });
  }

  /**
   * Merges the branch's new commits into the draft as a revision, so that the
   * next apply is a fast-forward. Conflicts do not stop it: they are listed
   * (text files get conflict markers) for the agent to resolve.
   *
   * ```ts
   * const { conflicts } = await drafts.update(id);
   * for (const c of conflicts) console.log('resolve', c.path, c.kind);
   * ```
   */
  update(id: string, request: UpdateDraftRequest = {}): Promise<UpdateDraftResult> {
    return this.#http.request('POST', `${this.#draft(id)}/update`, { body: request });
  }

  /**
   * Commits the draft onto its branch (fast-forward, or a three-way merge
   * when the branch moved) and closes it. 409 MERGE_CONFLICT (nothing
   * changed; `details.conflicts`) or, with `ff-only`, REF_CONFLICT.
   *
   * ```ts
   * const { sha, merged } = await drafts.apply(id, { message: 'Fix typos', strategy: 'merge' });
   * ```
   */
  apply(id: string, request: ApplyDraftRequest = {}): Promise<ApplyDraftResult> {
    return this.#http.request('POST', `${this.#draft(id)}/apply`, { body: request });
  }

  /**
   * A token that opens only this draft's files, tools and shell, limited to
   * path globs: for code you do not trust. Its secret is shown this once.
   *
   * ```ts
   * const { token } = await drafts.mintToken(id, { read: ['**'], write: ['src/**'], ttl_seconds: 600 });
   * const agent = new GroveClient({ url, token });
   * ```
   */
  mintToken(id: string, request: DraftTokenRequest = {}): Promise<DraftToken> {
    return this.#http.request('POST', `${this.#draft(id)}/tokens`, { body: request });
  }

  #draft(id: string): string {
    return `${this.#repo}/drafts/${encodeURIComponent(id)}`;
  }
}

/**
 * A draft path in a URL, normalized as the tools normalize it (`/a`, `./a`
 * and `a//b/../` fold; `..` may not climb above the root) and each component
 * percent-encoded: a URL parser would otherwise fold `.` and `..` itself.
 */
export function draftFilePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw invalidPath(path, "goes above the root with '..'");
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  if (parts.length === 0) throw invalidPath(path, 'names the root folder, not a file');
  try {
    return parts.map((part) => encodeURIComponent(part)).join('/');
  } catch {
    throw invalidPath(path, 'is not valid Unicode');
  }
}

function invalidPath(path: string, why: string): GroveApiError {
  return new GroveApiError({ status: 0, code: 'EINVAL', message: `invalid path '${path}': ${why}`, details: { field: 'path', path } });
}
