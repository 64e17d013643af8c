/**
 * `edit {path, edits: [{old_string, new_string, replace_all?}]}` (or one
 * edit as top-level `old_string`, `new_string`, `replace_all`): replaces
 * text in a text file (applyEdits.ts), all edits or none, and answers with
 * the change as `git diff` prints it (unifiedPatch.ts). A first edit with
 * an empty `old_string` creates the file with `new_string` as its content
 * (EEXIST when it exists). ENOENT for a missing file, EISDIR for a folder,
 * EINVAL for a binary file, a symbolic link, or an edit that does not apply.
 */
import { GroveError } from '../../../errors.ts';
import type { Oid } from '../../../git/objects/objectId.ts';
import type { FileChange } from '../../content/diff/FileChange.ts';
import { unifiedPatch } from '../../content/diff/unifiedPatch.ts';
import type { FileEditor, FileInfo } from '../files.ts';
import { joinPath, toolWritePath } from '../toolPath.ts';
import { applyEdits, type EditSpec } from './applyEdits.ts';
import { isTextFile } from './isTextFile.ts';
import { boolArg, invalidArg, stringArg } from './toolArgs.ts';

export const MAX_EDITS = 100;

export interface EditArgs {
  path: string;
  edits?: EditSpec[];
  old_string?: string;
  new_string?: string;
  replace_all?: boolean;
}

export interface EditResult {
  path: string;
  /** Occurrences replaced, over all edits (1 for a file created). */
  replacements: number;
  /** The change as `git diff` prints it (a/ and b/ prefixes, 3 lines of context). */
  diff: string;
  sha: Oid;
  size: number;
}

export type { EditSpec } from './applyEdits.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

export async function editTool(files: FileEditor, args: EditArgs): Promise<EditResult> {
  const parts = toolWritePath(stringArg(args.path, 'path'));
  const path = joinPath(parts);
  const { edits, topLevel } = editsOf(args);
  const fieldOf = (i: number): string => (topLevel ? 'old_string' : `edits[${i}].old_string`);
  const before = await files.stat(parts);
  const creates = edits[0]!.old_string === '';
  if (before === null && !creates) throw new GroveError('ENOENT', `no such file: '${path}' (to create it, use write, or an edit with an empty old_string)`, { path });
  if (before?.kind === 'dir' || before?.kind === 'submodule') throw new GroveError('EISDIR', `'${path}' is a ${before.kind === 'dir' ? 'folder' : 'submodule'}, not a file`, { path });
  if (before !== null && creates) throw new GroveError('EEXIST', `'${path}' exists: an empty old_string only creates a new file`, { path, field: fieldOf(0) });
  if (before?.kind === 'symlink') throw invalidArg('path', `'${path}' is a symbolic link; edit the file it points to`, { path });

  let oldBytes: Uint8Array | null = null;
  let text = '';
  if (before !== null) {
    oldBytes = await files.read(parts);
    if (!isTextFile(oldBytes)) throw invalidArg('path', `'${path}' is a binary file (or not UTF-8); replace it with write`, { path });
    text = decoder.decode(oldBytes);
  }
  const rest = creates ? edits.slice(1) : edits;
  const edited = applyEdits(creates ? edits[0]!.new_string : text, rest, path, (i) => fieldOf(creates ? i + 1 : i));
  const newBytes = encoder.encode(edited.text);
  const info = await files.write(parts, newBytes);
  return {
    path,
    replacements: edited.replacements + (creates ? 1 : 0),
    diff: diffOf(path, before, info, oldBytes, newBytes),
    sha: info.sha!,
    size: info.size,
  };
}

/** The edits of either form; EINVAL when both or neither are given, or one is malformed. */
function editsOf(args: EditArgs): { edits: EditSpec[]; topLevel: boolean } {
  const single = args.old_string !== undefined || args.new_string !== undefined || args.replace_all !== undefined;
  if (args.edits !== undefined && single) throw invalidArg('edits', 'give either edits or old_string/new_string, not both');
  const list: unknown[] = args.edits === undefined ? [{ old_string: args.old_string, new_string: args.new_string, replace_all: args.replace_all }] : args.edits;
  if (!Array.isArray(list) || list.length === 0) throw invalidArg('edits', 'edits must be a list of 1 or more edits');
  if (list.length > MAX_EDITS) throw invalidArg('edits', `at most ${MAX_EDITS} edits per call`, { max: MAX_EDITS });
  const field = (i: number, name: string): string => (args.edits === undefined ? name : `edits[${i}].${name}`);
  const edits = list.map((raw, i): EditSpec => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidArg(args.edits === undefined ? 'old_string' : `edits[${i}]`, `edit ${i + 1} must be an object {old_string, new_string, replace_all?}`, { edit: i });
    const edit = raw as Record<string, unknown>;
    const old_string = stringArg(edit.old_string, field(i, 'old_string'));
    const new_string = stringArg(edit.new_string, field(i, 'new_string'));
    const replace_all = boolArg(edit.replace_all, field(i, 'replace_all'), false);
    if (old_string === new_string) throw invalidArg(field(i, 'new_string'), `edit ${i + 1}: new_string is the same as old_string`, { edit: i });
    if (old_string === '' && i > 0) throw invalidArg(field(i, 'old_string'), `edit ${i + 1}: old_string is empty; only the first edit may have an empty old_string (to create the file)`, { edit: i });
    return { old_string, new_string, replace_all };
  });
  return { edits, topLevel: args.edits === undefined };
}

function diffOf(path: string, before: FileInfo | null, after: FileInfo, oldBytes: Uint8Array | null, newBytes: Uint8Array): string {
  const change: FileChange = {
    path,
    old_path: before === null ? null : path,
    status: before === null ? 'added' : 'modified',
    old_mode: before?.mode ?? null,
    new_mode: after.mode,
    old_sha: before?.sha ?? null,
    new_sha: after.sha,
    similarity: null,
  };
  return unifiedPatch(change, oldBytes, newBytes).patch;
}
