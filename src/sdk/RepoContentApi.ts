/**
 * `client.repo(ns, name)`: one repository's content without a Git client
 * (docs/API.md, "Content"): refs, history, commits, trees, files, archives,
 * comparisons, atomic commits, reverts, restores, notes and grep.
 *
 * Reads are retried like every GET; the JSON writes (POST) never are; the
 * streamed upload of `putFile` is sent once (its body cannot be replayed).
 */
import { DraftApi } from './DraftApi.ts';
import type { GroveTransport, UploadBody } from './GroveTransport.ts';
import { iteratePages } from './iteratePages.ts';
import { NotesApi } from './NotesApi.ts';
import { archivePath, comparePath, filePath, repoPath } from './paths.ts';
import { RefsApi } from './RefsApi.ts';
import { StreamedContent } from './StreamedContent.ts';
import type {
  ArchiveFormat,
  ByteRange,
  Commit,
  CommitDetail,
  CommitFilesRequest,
  CommitQuery,
  CompareOptions,
  Comparison,
  GrepMatch,
  GrepQuery,
  GrepResult,
  IterateOptions,
  LogPage,
  LogQuery,
  PutFileOptions,
  ReadFileOptions,
  RestoreRequest,
  RevertRequest,
  Tree,
  TreeQuery,
  WrittenCommit,
} from './types.ts';

export class RepoContentApi {
  /** The repository's namespace. */
  readonly namespace: string;
  /** The repository's name. */
  readonly name: string;
  /** List, get, create, move (compare-and-swap) and delete refs. */
  readonly refs: RefsApi;
  /** Read, write, remove and list git notes. */
  readonly notes: NotesApi;
  /** Drafts: working copies of a branch, changed with file tools, checkpointed, then applied or discarded. */
  readonly drafts: DraftApi;
  readonly #http: GroveTransport;
  readonly #base: string;

  constructor(http: GroveTransport, namespace: string, name: string) {
    this.#http = http;
    this.namespace = namespace;
    this.name = name;
    this.#base = repoPath(namespace, name);
    this.refs = new RefsApi(http, namespace, name);
    this.notes = new NotesApi(http, namespace, name);
    this.drafts = new DraftApi(http, namespace, name);
  }

  /**
   * One page of history, newest first, as `git log [ref] [-- path]` lists it.
   *
   * ```ts
   * const { commits, next_cursor } = await client.repo('team', 'notes').log({ ref: 'main', path: 'docs/', limit: 20 });
   * ```
   */
  log(query: LogQuery = {}): Promise<LogPage> {
    const { ref, path, limit, cursor, first_parent, since, until } = query;
    return this.#http.request('GET', `${this.#base}/log`, { query: { ref, path, limit, cursor, first_parent, since, until } });
  }

  /**
   * Every commit `log(query)` would list, page after page.
   *
   * ```ts
   * for await (const c of client.repo('team', 'notes').iterateLog({ ref: 'main' })) console.log(c.sha, c.message);
   * ```
   */
  iterateLog(query: LogQuery = {}, options: IterateOptions = {}): AsyncGenerator<Commit, void, undefined> {
    return iteratePages('commits', query.cursor, (cursor) => this.log({ ...query, ...(cursor === undefined ? {} : { cursor }) }), options);
  }

  /**
   * One commit (any revision), with `stat` its files and totals (`git show --numstat`), with `patch` its diff (`git show -p`).
   *
   * ```ts
   * const { message, files, patch } = await client.repo('team', 'notes').commit('main~1', { stat: true, patch: true });
   * ```
   */
  commit(rev: string, query: CommitQuery = {}): Promise<CommitDetail> {
    return this.#http.request('GET', `${this.#base}/commits/${encodeURIComponent(rev)}`, { query: { stat: query.stat, patch: query.patch } });
  }

  /**
   * A folder at a revision, as `git ls-tree -l` (with `recursive`, `-r`).
   *
   * ```ts
   * const { entries } = await client.repo('team', 'notes').tree('main', { path: 'src', recursive: true });
   * ```
   */
  tree(ref: string, query: TreeQuery = {}): Promise<Tree> {
    return this.#http.request('GET', `${this.#base}/tree/${encodeURIComponent(ref)}`, { query: { path: query.path, recursive: query.recursive } });
  }

  /**
   * A blob's bytes by id, streamed.
   *
   * ```ts
   * const bytes = await (await client.repo('team', 'notes').blob(entry.sha)).bytes();
   * ```
   */
  async blob(sha: string, options: ReadFileOptions = {}): Promise<StreamedContent> {
    return new StreamedContent(await this.#http.raw(`${this.#base}/blobs/${encodeURIComponent(sha)}`, { headers: readHeaders(options) }));
  }

  /**
   * A file at a revision, streamed, with its sniffed `contentType`, `etag`
   * (the blob id) and `size`; `range` asks for part of it (206).
   *
   * ```ts
   * const file = await client.repo('team', 'notes').file('main', 'data/big.csv', { range: { start: 0, end: 1023 } });
   * for await (const chunk of file.body) process.stdout.write(chunk);
   * ```
   */
  async file(ref: string, path: string, options: ReadFileOptions = {}): Promise<StreamedContent> {
    return new StreamedContent(await this.#http.raw(filePath(this.namespace, this.name, ref, path), { headers: readHeaders(options) }));
  }

  /**
   * The tree of a revision as a `.tar.gz` or `.zip` archive, streamed (files
   * under `<repo>-<short id>/`); `filename` is the server's name for it.
   *
   * ```ts
   * const archive = await client.repo('team', 'notes').archive('v1.0', 'zip');
   * await archive.body.pipeTo(Writable.toWeb(createWriteStream(archive.filename ?? 'out.zip')));
   * ```
   */
  async archive(ref: string, format: ArchiveFormat = 'tar.gz'): Promise<StreamedContent> {
    return new StreamedContent(await this.#http.raw(archivePath(this.namespace, this.name, ref, format)));
  }

  /**
   * `base...head`: merge base, ahead/behind, the commits of head that base
   * lacks, and the files of `git diff -M base...head` with their patches.
   *
   * ```ts
   * const { ahead_by, files } = await client.repo('team', 'notes').compare('main', 'feature/login');
   * console.log(files.map((f) => f.patch).join(''));
   * ```
   */
  compare(base: string, head: string, options: CompareOptions = {}): Promise<Comparison> {
    return this.#http.request('GET', comparePath(this.namespace, this.name, base, head), { query: { patch: options.patch } });
  }

  /**
   * One atomic commit of file changes (put, delete, move) on a branch. With
   * `expected_head`, only if the branch is still there (409 `REF_CONFLICT`).
   *
   * ```ts
   * const commit = await client.repo('team', 'notes').commitFiles({
   *   branch: 'main', message: 'Add notes', expected_head: head,
   *   changes: [{ op: 'put', path: 'notes/today.md', content: '# Today\n' }, { op: 'delete', path: 'old.md' }],
   * });
   * ```
   */
  commitFiles(request: CommitFilesRequest): Promise<WrittenCommit> {
    return this.#http.request('POST', `${this.#base}/commits`, { body: request });
  }

  /**
   * Commits one file whose bytes are `body`, streamed (for big files: no JSON,
   * no base64). Sent once, never retried.
   *
   * ```ts
   * const stream = Readable.toWeb(createReadStream('dump.sql')) as ReadableStream<Uint8Array>;
   * await client.repo('team', 'notes').putFile('main', 'backups/dump.sql', stream, { message: 'Nightly dump' });
   * ```
   */
  putFile(branch: string, path: string, body: UploadBody, options: PutFileOptions = {}): Promise<WrittenCommit> {
    const { message, expected_head, start_from, mode, author_name, author_email, author_date } = options;
    return this.#http.upload('PUT', filePath(this.namespace, this.name, branch, path), body, {
      query: { message, expected_head, start_from, mode, author_name, author_email, author_date },
    });
  }

  /**
   * Reverts a commit onto a branch, as `git revert` (409 `MERGE_CONFLICT`, `details.conflicts`, when later changes collide).
   *
   * ```ts
   * const undone = await client.repo('team', 'notes').revert({ branch: 'main', commit: bad.sha });
   * ```
   */
  revert(request: RevertRequest): Promise<WrittenCommit> {
    return this.#http.request('POST', `${this.#base}/revert`, { body: request });
  }

  /**
   * Gives a branch the tree of an earlier commit, as a new commit on top (time travel that keeps history).
   *
   * ```ts
   * const back = await client.repo('team', 'notes').restore({ branch: 'main', to: 'main~3', message: 'Back to Monday' });
   * ```
   */
  restore(request: RestoreRequest): Promise<WrittenCommit> {
    return this.#http.request('POST', `${this.#base}/restore`, { body: request });
  }

  /**
   * One page of `git grep` matches at a revision.
   *
   * ```ts
   * const { matches, skipped } = await client.repo('team', 'notes').grep({ pattern: 'TODO', paths: ['**\/*.ts'], context: 2 });
   * ```
   */
  grep(query: GrepQuery): Promise<GrepResult> {
    const { pattern, ref, regex, ignore_case, paths, context, limit, cursor } = query;
    return this.#http.request('GET', `${this.#base}/grep`, { query: { pattern, ref, regex, ignore_case, paths, context, limit, cursor } });
  }

  /**
   * Every match `grep(query)` finds, page after page (the files it skipped are on each page of `grep`).
   *
   * ```ts
   * for await (const m of client.repo('team', 'notes').iterateGrep({ pattern: 'fixme', ignore_case: true })) console.log(`${m.path}:${m.line_number}:${m.line}`);
   * ```
   */
  iterateGrep(query: GrepQuery, options: IterateOptions = {}): AsyncGenerator<GrepMatch, void, undefined> {
    return iteratePages('matches', query.cursor, (cursor) => this.grep({ ...query, ...(cursor === undefined ? {} : { cursor }) }), options);
  }
}

/** `Range` and `If-None-Match` for a byte read. */
function readHeaders(options: ReadFileOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.range !== undefined) headers['range'] = rangeHeader(options.range);
  if (options.ifNoneMatch !== undefined) headers['if-none-match'] = options.ifNoneMatch.startsWith('"') || options.ifNoneMatch.startsWith('W/') ? options.ifNoneMatch : `"${options.ifNoneMatch}"`;
  return headers;
}

function rangeHeader(range: ByteRange): string {
  if ('suffix' in range) return `bytes=-${range.suffix}`;
  return `bytes=${range.start}-${range.end ?? ''}`;
}
