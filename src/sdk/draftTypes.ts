/**
 * The drafts API's JSON on the wire (docs/API.md, "Drafts"), in snake_case
 * exactly as sent and received: drafts, their revisions, diff, apply and
 * scoped tokens, the shell, and the arguments and results of the file tools
 * (`POST …/drafts/{id}/tools/{tool}`, `POST …/tools/{tool}?ref=`).
 *
 * Past 400 lines on purpose: the wire types of one resource, kept together
 * as API.md lists them (the tool results are most of it).
 */
import type { ComparedFile, IdentInput, Sha } from './contentTypes.ts';
import type { Page, PageQuery, Timestamp } from './types.ts';

// Drafts

export interface Draft {
  id: string;
  /** `refs/drafts/<id>`: the draft's revisions, fetchable with Git. */
  ref: string;
  /** The branch apply commits onto; null for a draft made from a commit or tag. */
  branch: string | null;
  /** The commit the draft was made from: the merge base of an apply. */
  base: Sha;
  /** The revision the draft's changes sit on (the base, the last checkpoint, or a revision reset to). */
  head: Sha;
  /** The newest checkpoint (the tip of `ref`); null before the first. */
  revision: Sha | null;
  label: string | null;
  state: 'open' | 'applied';
  /** The commit apply made on the branch. */
  applied: Sha | null;
  /** Paths changed since `head`. */
  changed_paths: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** When the draft is discarded unless used again: each change pushes it back by its TTL. */
  expires_at: Timestamp;
  ttl_seconds: number;
}

export type DraftList = Page<'drafts', Draft>;

export interface CreateDraftRequest {
  /** A branch, tag or commit (default: the default branch). */
  from?: string;
  /** The branch apply commits onto (default: `from`, when it is a branch). */
  branch?: string;
  label?: string;
  /** Idle seconds after which the draft is discarded, 60 – 2,592,000 (default one day). */
  ttl_seconds?: number;
}

/** `limit` (1–200, default 50) and `cursor`. */
export type ListDraftsQuery = PageQuery;

// Revisions

export interface DraftRevision {
  sha: Sha;
  parent: Sha | null;
  message: string;
  /** The commit's committer date. */
  created_at: Timestamp;
  /** True for the revision the draft sits on now. */
  current: boolean;
}

export interface DraftRevisionList {
  /** Newest first; the last is the commit the draft was made from. */
  revisions: DraftRevision[];
}

export interface CheckpointRequest {
  message?: string;
  /** Default: the committer. */
  author?: IdentInput;
  /** Default: Grove <grove@localhost>, dated now. */
  committer?: IdentInput;
}

export interface CheckpointResult {
  revision: DraftRevision;
  /** False when the files equal the last revision: no commit was made (HTTP 200 rather than 201). */
  created: boolean;
  draft: Draft;
}

export interface ResetDraftRequest {
  /** One of the draft's revisions: a sha (or a unique prefix of 4+ hex digits), or `base`. */
  to: string;
}

// Diff and apply

export interface DraftDiffQuery {
  /** base (default): since the draft was made; head: since its last revision; branch: against the branch as it is now. */
  against?: 'base' | 'head' | 'branch';
  /** Include each file's patch (default true). */
  patch?: boolean;
}

export interface DraftDiff {
  /** The commit compared with. */
  from: Sha;
  files: ComparedFile[];
  truncated: boolean;
}

export interface ApplyDraftRequest extends CheckpointRequest {
  /** ff-only: refuse (409 REF_CONFLICT) when the branch moved since the draft's base; merge (default): merge three ways. */
  strategy?: 'ff-only' | 'merge';
  /** Overrides the draft's branch (needed for a draft made from a commit or tag). */
  branch?: string;
}

export interface ApplyDraftResult {
  /** The commit made on the branch (the branch head when the draft changed nothing). */
  sha: Sha;
  branch: string;
  created: boolean;
  /** True when the branch had moved and the draft was merged into it. */
  merged: boolean;
  draft: Draft;
}

/**
 * A path both the branch and the draft changed: in a 409 MERGE_CONFLICT's
 * `details.conflicts`, or left for the agent by `update`. Blob ids of the
 * draft's base, the branch (ours) and the draft (theirs).
 */
export interface DraftConflict {
  path: string;
  kind: 'content' | 'binary' | 'mode' | 'modify/delete' | 'add/add' | 'type' | 'directory/file' | (string & {});
  base: Sha | null;
  ours: Sha | null;
  theirs: Sha | null;
}

export interface UpdateDraftRequest extends CheckpointRequest {
  /** Overrides the draft's branch. */
  branch?: string;
}

export interface UpdateDraftResult {
  draft: Draft;
  /** The merge revision; null when the branch had not moved. */
  revision: DraftRevision | null;
  /** Paths left to resolve: text files with git-style conflict markers, others with the draft's version. */
  conflicts: DraftConflict[];
}

// Scoped tokens

export interface DraftTokenRequest {
  /** Globs of the paths the token may read (git wildmatch); default `['**']`. */
  read?: string[];
  /** Globs of the paths it may change; default none. */
  write?: string[];
  /** Seconds, 60 – 2,592,000; default 3600. */
  ttl_seconds?: number;
  label?: string;
}

export interface DraftToken {
  id: string;
  /** The secret, shown this once. */
  token: string;
  draft: string;
  read: string[];
  write: string[];
  created_at: Timestamp;
  expires_at: Timestamp | null;
}

// Files and the shell

export type DraftFileKind = 'file' | 'dir' | 'symlink' | 'submodule';

/** A file or folder: what `stat`, `ls`, `mkdir` and a raw PUT answer. */
export interface DraftFileInfo {
  /** From the root (`''` for the root). */
  path: string;
  name: string;
  kind: DraftFileKind;
  /** Bytes; 0 for a folder. */
  size: number;
  /** Octal: '100644', '100755', '120000', '40000', '160000'. */
  mode: string;
  /** The blob (a submodule: commit) id; null for a folder. */
  sha: Sha | null;
}

export interface PutDraftFileOptions {
  /** Default: the replaced file's mode, else 100644. */
  mode?: '100644' | '100755' | '120000';
}

export interface ExecRequest {
  /** A bash script, run by just-bash over the draft's files (no network). */
  command: string;
  /** Working folder, relative to the draft's root (default the root). */
  cwd?: string;
  /** Default 30,000; at most 300,000. */
  timeout_ms?: number;
  env?: Record<string, string>;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exit_code: number;
  timed_out: boolean;
  /** True when stdout or stderr was cut at its cap. */
  truncated: boolean;
}

// File tools

export type DraftToolName = 'read' | 'write' | 'edit' | 'ls' | 'glob' | 'grep' | 'stat' | 'mkdir' | 'rm' | 'mv';
/** The tools that change nothing: the ones a revision (`revisionTool`) or a read token may run. */
export type ReadOnlyToolName = 'read' | 'ls' | 'glob' | 'grep' | 'stat';

export interface ReadToolArgs {
  path: string;
  /** The first line, from 1 (default 1): pass the previous answer's `next_offset` to read on. */
  offset?: number;
  /** Lines, 1 – 2000 (default 2000). */
  limit?: number;
}

export interface ReadTextResult {
  path: string;
  kind: 'text';
  media_type: string;
  size: number;
  sha: Sha;
  /** Lines `from_line` to `to_line`, each with its own line end, as in the file. */
  content: string;
  from_line: number;
  to_line: number;
  total_lines: number;
  /** The `offset` of the next page; null at the end. */
  next_offset: number | null;
  /** Lines cut at 2000 characters (ending in '… [truncated]'). */
  truncated_lines: number;
}

export interface ReadBinaryResult {
  path: string;
  kind: 'binary';
  media_type: string;
  size: number;
  sha: Sha;
  /** For an image or a PDF of at most 3.5 MiB. */
  content_base64?: string;
}

export type ReadToolResult = ReadTextResult | ReadBinaryResult;

export interface WriteToolArgs {
  path: string;
  content: string;
  /** How `content` is given: 'utf8' (default) or 'base64'. */
  encoding?: 'utf8' | 'base64';
  /** true: 100755; false: 100644; omitted: a replaced file keeps its mode, a new one is 100644. */
  executable?: boolean;
}

export interface WriteToolResult {
  path: string;
  size: number;
  sha: Sha;
  /** True when no file was there. */
  created: boolean;
}

export interface EditSpec {
  /** The text to replace, exactly once unless `replace_all`; '' in the first edit creates a new file. */
  old_string: string;
  new_string: string;
  replace_all?: boolean;
}

/** Either `edits`, or one edit's `old_string`/`new_string`/`replace_all` at the top level. */
export interface EditToolArgs {
  path: string;
  edits?: EditSpec[];
  old_string?: string;
  new_string?: string;
  replace_all?: boolean;
}

export interface EditToolResult {
  path: string;
  /** Occurrences replaced, over all edits. */
  replacements: number;
  /** The change as `git diff` prints it. */
  diff: string;
  sha: Sha;
  size: number;
}

export interface LsToolArgs {
  /** The folder (default the root). */
  path?: string;
  recursive?: boolean;
  /** Entries per page, 1 – 1000 (default 200). */
  limit?: number;
  cursor?: string;
}

export interface LsToolResult {
  path: string;
  entries: DraftFileInfo[];
  next_cursor: string | null;
}

export interface GlobToolArgs {
  /** A git wildmatch glob relative to `path`: `**\/*.ts`, `src/*`. */
  pattern: string;
  exclude?: string[];
  /** The folder searched (default the root). */
  path?: string;
  /** 1 – 10,000 (default 1000). */
  limit?: number;
}

export interface GlobToolResult {
  paths: string[];
  truncated: boolean;
}

export interface GrepToolArgs {
  pattern: string;
  /** A POSIX extended regular expression instead of a literal string. */
  regex?: boolean;
  ignore_case?: boolean;
  /** Lines of context, 0 – 10. */
  context?: number;
  include?: string[];
  exclude?: string[];
  path?: string;
  /** Matches at most, 1 – 1000 (default 200). */
  limit?: number;
  /** Larger files are skipped as too_large (default 1 MiB). */
  max_file_bytes?: number;
}

export interface GrepToolMatch {
  path: string;
  /** 1-based. */
  line: number;
  text: string;
  before?: string[];
  after?: string[];
}

export interface GrepToolResult {
  matches: GrepToolMatch[];
  files_searched: number;
  files_with_matches: number;
  skipped: { path: string; reason: 'too_large' | 'binary' }[];
  truncated: boolean;
}

export interface StatToolArgs {
  path: string;
}

export interface MkdirToolArgs {
  path: string;
  /** Default true (mkdir -p). */
  parents?: boolean;
}

export interface RmToolArgs {
  path: string;
  recursive?: boolean;
}

export interface RmToolResult {
  path: string;
  /** Files removed (folders not counted). */
  removed: number;
}

export interface MvToolArgs {
  from: string;
  to: string;
}

export interface MvToolResult {
  from: string;
  to: string;
}

/** Each tool's arguments, by name. */
export interface DraftToolArgs {
  read: ReadToolArgs;
  write: WriteToolArgs;
  edit: EditToolArgs;
  ls: LsToolArgs;
  glob: GlobToolArgs;
  grep: GrepToolArgs;
  stat: StatToolArgs;
  mkdir: MkdirToolArgs;
  rm: RmToolArgs;
  mv: MvToolArgs;
}

/** Each tool's result, by name. */
export interface DraftToolResults {
  read: ReadToolResult;
  write: WriteToolResult;
  edit: EditToolResult;
  ls: LsToolResult;
  glob: GlobToolResult;
  grep: GrepToolResult;
  stat: DraftFileInfo;
  mkdir: DraftFileInfo;
  rm: RmToolResult;
  mv: MvToolResult;
}

export interface RevisionToolOptions {
  /** A branch, tag or commit (default: the default branch). */
  ref?: string;
}

/** A change by blob id (`POST …/drafts/{id}/changes`). */
export type DraftChange =
  | { op: 'put'; path: string; sha: string; mode?: '100644' | '100755' | '120000' }
  | { op: 'rm'; path: string; recursive?: boolean }
  | { op: 'mkdir'; path: string }
  | { op: 'mv'; from: string; to: string };

export interface MissingBlobs {
  missing: string[];
}

export interface UploadedBlob {
  sha: string;
  size: number;
  /** False when the repository already had the blob. */
  stored: boolean;
}

export interface UploadedBlobs {
  /** One per piece sent, in order. */
  blobs: UploadedBlob[];
}

export interface MissingChunks {
  missing: string[];
}

export interface UploadedChunks {
  /** The SHA-1 of each piece sent, in order. */
  chunks: string[];
}

export interface AssembleBlob {
  /** The blob id the chunks must join into. */
  sha: string;
  /** Chunk ids (SHA-1 of their bytes), in order. */
  chunks: string[];
}

export interface AppliedChanges {
  applied: number;
}
