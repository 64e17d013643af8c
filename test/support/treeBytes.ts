/**
 * Raw tree objects made by hand, right or deliberately wrong. gitformat-tree:
 * one entry is `<octal mode> SP <name> NUL <20-byte id>`, entries back to
 * back; git sorts them by name, comparing a directory as if its name ended in
 * "/". Nothing here sorts or checks: entries are written in the order given
 * and modes as given, so unsorted trees, duplicate names and zero-padded
 * modes ('040000') can be made.
 */
import { bytesOf, type Part } from './bytesOf.ts';
import { oidBytes } from './rawObject.ts';

export interface TreeEntry {
  mode: string;
  name: string;
  oid: string;
}

/** One tree entry; `name` may be bytes (for names that are not UTF-8). */
export function treeEntry(mode: string, name: Part, oid: string): Uint8Array {
  return bytesOf(`${mode} `, name, '\0', oidBytes(oid));
}

/** The tree with these entries, in the order given. */
export function treeBytes(entries: readonly TreeEntry[]): Uint8Array {
  return bytesOf(...entries.map((e) => treeEntry(e.mode, e.name, e.oid)));
}
