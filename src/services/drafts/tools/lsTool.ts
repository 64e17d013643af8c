/**
 * `ls {path?, recursive?, limit?, cursor?}`: a folder's entries by name —
 * or, recursively, everything below it depth first (walkTree.ts: a folder
 * right before its contents) — a page at a time. `next_cursor` is null on
 * the last page. ENOENT, ENOTDIR (a file).
 */
import type { FileView } from '../files.ts';
import { joinPath, toolPath } from '../toolPath.ts';
import { folderAt } from './folderAt.ts';
import { decodeLsCursor, encodeLsCursor } from './lsCursor.ts';
import { boolArg, intArg, optionalStringArg, stringArg } from './toolArgs.ts';
import { toolEntry, type ToolEntry } from './toolEntry.ts';
import { walkTree } from './walkTree.ts';

export const LS_MAX_LIMIT = 1000;
export const LS_DEFAULT_LIMIT = 200;

export interface LsArgs {
  /** The folder (default: the root). */
  path?: string;
  recursive?: boolean;
  limit?: number;
  cursor?: string;
}

export interface LsResult {
  path: string;
  entries: ToolEntry[];
  next_cursor: string | null;
}

export async function lsTool(files: FileView, args: LsArgs): Promise<LsResult> {
  const parts = toolPath(optionalStringArg(args.path, 'path', ''));
  const recursive = boolArg(args.recursive, 'recursive', false);
  const limit = intArg(args.limit, 'limit', 1, LS_MAX_LIMIT, LS_DEFAULT_LIMIT);
  const path = joinPath(parts);
  const after = args.cursor === undefined ? undefined : decodeLsCursor(stringArg(args.cursor, 'cursor'), path, recursive).last.split('/');
  await folderAt(files, parts);
  const entries: ToolEntry[] = [];
  let more = false;
  const walk = walkTree(files, parts, { descend: () => recursive, after });
  for await (const entry of walk) {
    if (entries.length === limit) {
      more = true;
      break;
    }
    entries.push(toolEntry(entry));
  }
  const last = entries[entries.length - 1];
  return { path, entries, next_cursor: more && last !== undefined ? encodeLsCursor({ path, recursive, last: last.path }) : null };
}
