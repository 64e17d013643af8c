/**
 * A file or folder as the tools show it (stat, ls, mkdir): the FileInfo of
 * files.ts with its Git mode as an octal string, as `git ls-tree` prints it
 * ('100644', '100755', '120000', '40000', '160000').
 */
import type { Oid } from '../../../git/objects/objectId.ts';
import type { FileInfo, FileKind } from '../files.ts';

export interface ToolEntry {
  /** The normalized path from the root (`''` for the root). */
  path: string;
  name: string;
  kind: FileKind;
  size: number;
  mode: string;
  /** The blob (a submodule: commit) id; null for a folder. */
  sha: Oid | null;
}

export function modeString(mode: number): string {
  return mode.toString(8);
}

export function toolEntry(info: FileInfo): ToolEntry {
  return { path: info.path, name: info.name, kind: info.kind, size: info.size, mode: modeString(info.mode), sha: info.sha };
}
