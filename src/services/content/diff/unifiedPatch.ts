/**
 * One file's part of `git diff -M`, byte for byte as git 2.39 prints it
 * without colour (diff.c `builtin_diff`, `fill_metainfo`):
 *
 *     diff --git a/<old> b/<new>
 *     new file mode <mode> | deleted file mode <mode> | old mode <m>, new mode <m>
 *     similarity index <n>%, rename from <old>, rename to <new>      (renames)
 *     index <abbrev>..<abbrev>[ <mode>]                             (content differs)
 *     --- a/<old> | /dev/null
 *     +++ b/<new> | /dev/null
 *     @@ -<old range> +<new range> @@ <function>
 *
 * or `Binary files a/<old> and b/<new> differ` when either side has a NUL in
 * its first 8000 bytes. A change between a file, a symlink and a submodule is
 * printed as a deletion followed by an addition (diff.c `run_diff`: "a
 * filepair that changes between file and symlink needs to be split into
 * deletion and creation"). A submodule's content is `Subproject commit <id>`.
 *
 * `additions` and `deletions` are what `git diff --numstat` counts: the
 * lines of the diff of the old content against the new (0 for binary files,
 * where numstat prints `-`), made with the same context as the patch.
 *
 * The patch is text: git's bytes read as UTF-8, so content that is not
 * UTF-8 (Latin-1, say) shows U+FFFD where git would print the raw bytes.
 * Differs from git: object ids are abbreviated to `abbrev` chars (default 7);
 * git lengthens them in repositories of more than 16384 objects and where a
 * prefix is ambiguous. Paths are the UTF-8 of the entry names.
 */
import { ZERO_OID, type Oid } from '../../../git/objects/objectId.ts';
import { isGitlinkMode } from '../../../git/objects/tree.ts';
import { ByteSink } from './ByteSink.ts';
import type { FileChange } from './FileChange.ts';
import { isBinary } from './isBinary.ts';
import { lineDiff, type LineDiff } from './lineDiff.ts';
import { quotePath, quotePrefixed } from './quotePath.ts';
import { trimCommonTail } from './trimCommonTail.ts';
import { writeHunks } from './writeHunks.ts';

export interface PatchOptions {
  /** Lines of context around each change (default 3). */
  context?: number;
  /** Length of the abbreviated ids of the `index` line (default 7). */
  abbrev?: number;
}

export interface FilePatch {
  patch: string;
  additions: number;
  deletions: number;
  binary: boolean;
}

interface Side {
  path: string;
  mode: number;
  sha: Oid;
  bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);
const S_IFMT = 0o170000;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function mode06(mode: number): string {
  return mode.toString(8).padStart(6, '0');
}

/** What git diffs for an entry: a submodule is the line `Subproject commit <id>`. */
function contentOf(mode: number, sha: Oid, bytes: Uint8Array | null): Uint8Array {
  if (isGitlinkMode(mode)) return encoder.encode(`Subproject commit ${sha}\n`);
  return bytes ?? EMPTY;
}

function label(prefix: string, path: string): string {
  return quotePrefixed(prefix, path);
}

function fileLine(marker: string, name: string): string {
  return `${marker} ${name}${name.includes(' ') ? '\t' : ''}\n`;
}

/** The line diff git makes for a patch with `context` lines (without context, of the files' common tail trimmed). */
function diffContents(oldBytes: Uint8Array, newBytes: Uint8Array, context: number): LineDiff {
  return context === 0 ? lineDiff(...trimCommonTail(oldBytes, newBytes)) : lineDiff(oldBytes, newBytes);
}

/** Writes the patch of the pair (one → two), one of which may be absent. */
function writePair(out: ByteSink, one: Side | null, two: Side | null, change: FileChange, abbrev: number, context: number, diff: LineDiff | undefined): void {
  const nameA = (one ?? two)!.path;
  const nameB = (two ?? one)!.path;
  const aOne = label('a/', nameA);
  const bTwo = label('b/', nameB);
  let header = `diff --git ${aOne} ${bTwo}\n`;
  let mustShow = false;
  if (one === null) {
    header += `new file mode ${mode06(two!.mode)}\n`;
    mustShow = true;
  } else if (two === null) {
    header += `deleted file mode ${mode06(one.mode)}\n`;
    mustShow = true;
  } else if (one.mode !== two.mode) {
    header += `old mode ${mode06(one.mode)}\nnew mode ${mode06(two.mode)}\n`;
    mustShow = true;
  }
  if (change.status === 'renamed' && one !== null && two !== null) {
    header += `similarity index ${change.similarity ?? 0}%\nrename from ${quotePath(one.path)}\nrename to ${quotePath(two.path)}\n`;
    mustShow = true;
  }
  const oneSha = one?.sha ?? ZERO_OID;
  const twoSha = two?.sha ?? ZERO_OID;
  if (oneSha !== twoSha) {
    header += `index ${oneSha.slice(0, abbrev)}..${twoSha.slice(0, abbrev)}`;
    header += (one?.mode ?? 0) === (two?.mode ?? 0) ? ` ${mode06(one!.mode)}\n` : '\n';
  }
  const lbl0 = one === null ? '/dev/null' : aOne;
  const lbl1 = two === null ? '/dev/null' : bTwo;
  const oldBytes = one?.bytes ?? EMPTY;
  const newBytes = two?.bytes ?? EMPTY;

  if (isBinary(oldBytes) || isBinary(newBytes)) {
    if (oneSha === twoSha) {
      if (mustShow) out.latin1(header);
      return;
    }
    out.latin1(`${header}Binary files ${lbl0} and ${lbl1} differ\n`);
    return;
  }
  const lines = diff ?? diffContents(oldBytes, newBytes, context);
  if (lines.changes.length === 0) {
    if (mustShow) out.latin1(header);
    return;
  }
  out.latin1(header + fileLine('---', lbl0) + fileLine('+++', lbl1));
  writeHunks(out, lines, context);
}

/**
 * The patch of one change, given the contents of its two sides (null for a
 * side the change does not have; a submodule's content is ignored).
 *
 * @example
 * const [change] = await diffTrees(repo.objects, oldTree, newTree);
 * const blobs = await repo.objects.readObjects([change.old_sha, change.new_sha].filter((s) => s !== null));
 * const { patch, additions, deletions } = unifiedPatch(change, blobs.get(change.old_sha!)?.data ?? null, blobs.get(change.new_sha!)?.data ?? null);
 */
export function unifiedPatch(change: FileChange, oldBytes: Uint8Array | null, newBytes: Uint8Array | null, options: PatchOptions = {}): FilePatch {
  const context = options.context ?? 3;
  const abbrev = options.abbrev ?? 7;
  const one: Side | null = change.old_sha === null || change.old_mode === null ? null : {
    path: change.old_path ?? change.path,
    mode: change.old_mode,
    sha: change.old_sha,
    bytes: contentOf(change.old_mode, change.old_sha, oldBytes),
  };
  const two: Side | null = change.new_sha === null || change.new_mode === null ? null : {
    path: change.path,
    mode: change.new_mode,
    sha: change.new_sha,
    bytes: contentOf(change.new_mode, change.new_sha, newBytes),
  };
  const binary = (one !== null && isBinary(one.bytes)) || (two !== null && isBinary(two.bytes));
  const sameContent = one !== null && two !== null && one.sha === two.sha;
  const counted = binary || sameContent ? undefined : diffContents(one?.bytes ?? EMPTY, two?.bytes ?? EMPTY, context);

  const out = new ByteSink();
  if (one !== null && two !== null && (one.mode & S_IFMT) !== (two.mode & S_IFMT)) {
    writePair(out, one, null, change, abbrev, context, undefined);
    writePair(out, null, two, change, abbrev, context, undefined);
  } else {
    writePair(out, one, two, change, abbrev, context, counted);
  }
  return {
    patch: decoder.decode(out.toBytes()),
    additions: counted?.additions ?? 0,
    deletions: counted?.deletions ?? 0,
    binary,
  };
}
