/**
 * The content API's JSON on the wire (docs/API.md, "Content"), in snake_case
 * exactly as sent and received. The control plane's shapes are in types.ts.
 */
import type { Page } from './types.ts';

// Content: refs

/** A full object id: 40 lowercase hex digits. */
export type Sha = string;

export interface Ref {
  /** `refs/heads/main`, `refs/tags/v1`, `HEAD`. */
  name: string;
  /** What the ref points at; null for HEAD while its branch does not exist. */
  sha: Sha | null;
  /** For a ref to an annotated tag: the object at the end of the tag chain. */
  peeled?: Sha;
  /** For HEAD, a symbolic ref: the ref it points at. */
  target?: string;
}

export interface RefList {
  refs: Ref[];
}

export interface ListRefsQuery {
  /** Only refs whose name starts with this, e.g. `refs/heads/`. */
  prefix?: string;
}

export interface CreateRefRequest {
  /** A full ref name, e.g. `refs/heads/feature`. */
  name: string;
  sha: Sha;
}

export interface UpdateRefRequest {
  sha: Sha;
  /** Compare-and-swap: 409 `REF_CONFLICT` unless the ref is at this id. */
  expected_sha?: Sha;
  /** Let a branch move to a commit that does not descend from its current one. */
  force?: boolean;
}

export interface DeleteRefOptions {
  /** Compare-and-swap: delete only if the ref is at this id. */
  expected_sha?: Sha;
}

// Content: commits and history

export interface Ident {
  name: string;
  email: string;
  /** ISO 8601 with the offset git recorded, e.g. `2005-04-07T15:13:13-07:00`. */
  date: string;
}

export interface Commit {
  sha: Sha;
  tree: Sha;
  parents: Sha[];
  author: Ident;
  committer: Ident;
  message: string;
}

export type FileStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'type_changed';

export interface CommitFileStat {
  path: string;
  /** The path before: a rename's source, null for an added file. */
  old_path: string | null;
  status: FileStatus;
  /** Lines added, as `git diff --numstat` (0 for a binary file). */
  additions: number;
  deletions: number;
  binary: boolean;
}

export interface CommitStats {
  files: number;
  additions: number;
  deletions: number;
}

/** A commit, with `files` and `stats` when asked for `stat`, `patch` and `patch_truncated` when asked for `patch`. */
export interface CommitDetail extends Commit {
  files?: CommitFileStat[];
  stats?: CommitStats;
  /** The unified diff from the first parent (`git show -p`). */
  patch?: string;
  /** True when the patch stopped at 8 MiB. */
  patch_truncated?: boolean;
}

export interface CommitQuery {
  /** Add `files` and `stats` (`git show --numstat`). */
  stat?: boolean;
  /** Add the unified `patch` (`git show -p`). */
  patch?: boolean;
}

export interface LogQuery {
  /** Branch, tag, full ref or commit id (default HEAD). */
  ref?: string;
  /** Only commits that change this file or folder (`git log -- <path>`). */
  path?: string;
  /** Page size, 1–1000 (default 50). */
  limit?: number;
  cursor?: string;
  /** Follow only the first parent of merges. */
  first_parent?: boolean;
  /** ISO 8601 date or seconds since the epoch: no older commits. */
  since?: string | number;
  /** ISO 8601 date or seconds since the epoch: no newer commits. */
  until?: string | number;
}

export type LogPage = Page<'commits', Commit>;

// Content: trees and files

export interface TreeEntry {
  name: string;
  /** From the root of the repository. */
  path: string;
  type: 'blob' | 'tree' | 'commit';
  /** `100644`, `100755`, `120000`, `040000`, `160000`. */
  mode: string;
  sha: Sha;
  /** Blobs only. */
  size?: number;
}

export interface Tree {
  /** The listed tree. */
  sha: Sha;
  path: string;
  entries: TreeEntry[];
  /** True when the listing stopped at 100,000 entries. */
  truncated: boolean;
}

export interface TreeQuery {
  /** The folder to list (default: the root). */
  path?: string;
  /** Every file below, as `git ls-tree -r`. */
  recursive?: boolean;
}

/** One byte range: `{start, end?}` (inclusive, end defaults to the last byte) or the last `suffix` bytes. */
export type ByteRange = { start: number; end?: number } | { suffix: number };

export interface ReadFileOptions {
  /** Ask for one byte range (206); past the end is 416 `RANGE_NOT_SATISFIABLE`. */
  range?: ByteRange;
  /** An ETag seen before (`"<blob id>"` or the bare id): a match answers `notModified` with no body. */
  ifNoneMatch?: string;
}

export type ArchiveFormat = 'tar.gz' | 'zip';

// Content: compare

export interface ComparedFile extends CommitFileStat {
  /** The file's part of `git diff -M`; null once the patches reached 1 MiB in all; absent with `patch: false`. */
  patch?: string | null;
}

export interface Comparison {
  base_sha: Sha;
  head_sha: Sha;
  /** `git merge-base base head`; null when they share no history. */
  merge_base_sha: Sha | null;
  ahead_by: number;
  behind_by: number;
  total_commits: number;
  /** The commits of head that base lacks, oldest first, at most 250. */
  commits: Commit[];
  /** `git diff -M base...head`. */
  files: ComparedFile[];
  /** True when some patches were left out (null) to stay under 1 MiB. */
  truncated: boolean;
}

export interface CompareOptions {
  /** Include each file's patch (default true). */
  patch?: boolean;
}

// Content: writes

export interface IdentInput {
  name: string;
  email: string;
  /** ISO 8601 with a zone (default now). */
  date?: string;
}

export type FileMode = '100644' | '100755' | '120000';

/** Write a file: give `content` (UTF-8 text) or `content_base64` (bytes), not both. */
export interface PutFileChange {
  op: 'put';
  path: string;
  content?: string;
  content_base64?: string;
  /** Default: the mode of the file replaced, else `100644`. */
  mode?: FileMode;
}

/** Delete a file, or a whole folder. */
export interface DeleteFileChange {
  op: 'delete';
  path: string;
}

export interface MoveFileChange {
  op: 'move';
  from: string;
  to: string;
}

export type FileChange = PutFileChange | DeleteFileChange | MoveFileChange;

interface WriteCommon {
  /** Compare-and-swap: the commit the branch must be at (409 `REF_CONFLICT` otherwise); 40 zeros: it must not exist. */
  expected_head?: Sha;
  /** Default: the committer. */
  author?: IdentInput;
  /** Default: the server's identity, dated now. */
  committer?: IdentInput;
}

export interface CommitFilesRequest extends WriteCommon {
  /** `main` or `refs/heads/…`. */
  branch: string;
  message: string;
  changes: FileChange[];
  /** Create `branch` at this revision (it must not exist yet). */
  start_from?: string;
}

export interface RevertRequest extends WriteCommon {
  branch: string;
  /** The commit to revert (any revision). */
  commit: string;
  /** For a merge commit: the parent (1-based) to go back to, as `git revert -m`. */
  mainline?: number;
  message?: string;
}

export interface RestoreRequest extends WriteCommon {
  branch: string;
  /** The commit whose tree the branch gets back (any revision). */
  to: string;
  message?: string;
}

/** A commit made through the API, now the head of `branch`. */
export interface WrittenCommit extends Commit {
  branch: string;
}

/** The query of `PUT …/files/{branch}/{path}`: the commit's fields besides the file. */
export interface PutFileOptions {
  /** Default `Update <path>`. */
  message?: string;
  expected_head?: Sha;
  /** Create the branch at this revision. */
  start_from?: string;
  mode?: FileMode;
  author_name?: string;
  author_email?: string;
  author_date?: string;
}

// Content: notes

export interface NotesRefOptions {
  /** The notes ref: `refs/notes/x`, `notes/x` or `x` (default `refs/notes/commits`). */
  ref?: string;
}

export interface Note {
  object: Sha;
  note_sha: Sha;
  /** The note as UTF-8 text (bytes that are not UTF-8 read as U+FFFD). */
  text: string;
  /** The exact bytes, only when they are not valid UTF-8. */
  content_base64?: string;
  notes_ref: string;
}

export interface PutNoteRequest {
  /** The note, stored exactly as given (give `text` or `content_base64`). */
  text?: string;
  content_base64?: string;
  /** Compare-and-swap: the commit the notes ref must be at; null when it must not exist yet. */
  expected_notes_head?: Sha | null;
  message?: string;
  author?: IdentInput;
  committer?: IdentInput;
}

export interface NoteWritten {
  object: Sha;
  /** The note blob written; null after a delete. */
  note_sha: Sha | null;
  notes_ref: string;
  /** The notes ref's commit after the change. */
  notes_head: Sha;
  /** False when the notes tree was already so (no commit made). */
  changed: boolean;
}

export interface DeleteNoteOptions extends NotesRefOptions {
  expected_notes_head?: Sha;
}

export interface NoteListItem {
  object: Sha;
  note_sha: Sha;
}

export interface NoteList {
  notes_ref: string;
  /** The notes commit listed; null when the notes ref does not exist. */
  notes_head: Sha | null;
  notes: NoteListItem[];
  next_cursor: string | null;
}

export interface ListNotesQuery extends NotesRefOptions {
  /** Page size, 1–1000 (default 100). */
  limit?: number;
  cursor?: string;
}

// Content: grep

export interface GrepQuery {
  /** What to look for; newlines separate several patterns, any of which may match. */
  pattern: string;
  /** The revision to search (default HEAD). */
  ref?: string;
  /** A POSIX extended regex (`git grep -E`) instead of a fixed string. */
  regex?: boolean;
  ignore_case?: boolean;
  /** Pathspecs with git's glob rules (`src`, `*.md`, `**\/*.ts`); `:!<spec>` excludes. */
  paths?: string[];
  /** Lines of context around each match (`git grep -C`), 0–100. */
  context?: number;
  /** Matches per page, 1–1000 (default 100). */
  limit?: number;
  cursor?: string;
}

export interface GrepMatch {
  path: string;
  /** 1-based. */
  line_number: number;
  /** The line without its LF. */
  line: string;
  /** With context: the lines above not already given with the previous match. */
  before?: string[];
  /** With context: the lines below, up to the next match. */
  after?: string[];
}

export interface GrepSkipped {
  path: string;
  reason: 'binary' | 'too_large';
}

export interface GrepResult {
  /** The commit searched. */
  commit: Sha;
  matches: GrepMatch[];
  skipped: GrepSkipped[];
  next_cursor: string | null;
}

// Iteration

export interface IterateOptions {
  /** Stop with a `PAGE_LIMIT` error after this many pages (default 1,000). */
  maxPages?: number;
}
