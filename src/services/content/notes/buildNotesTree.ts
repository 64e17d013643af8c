/**
 * Turns the entries a NotesTree writes (paths such as `ab/cdef…`) into
 * tree objects, deepest first, each handed to `addTree`, which stores it
 * and returns its id. Returns the root tree's id.
 */
import type { Oid } from '../../../git/objects/objectId.ts';
import { MODE_TREE, serializeTree, type TreeEntry } from '../../../git/objects/tree.ts';
import type { WrittenEntry } from './NotesTree.ts';

interface Dir {
  entries: TreeEntry[];
  dirs: Map<string, Dir>;
}

export function buildNotesTree(entries: readonly WrittenEntry[], addTree: (data: Uint8Array) => Oid): Oid {
  const root: Dir = { entries: [], dirs: new Map() };
  for (const entry of entries) {
    const parts = entry.path.split('/');
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let sub = dir.dirs.get(part);
      if (sub === undefined) {
        sub = { entries: [], dirs: new Map() };
        dir.dirs.set(part, sub);
      }
      dir = sub;
    }
    const name = parts[parts.length - 1]!;
    dir.entries.push({ mode: entry.mode, name, oid: entry.oid, ...(entry.rawName === undefined ? {} : { rawName: entry.rawName }) });
  }
  const write = (dir: Dir): Oid => {
    const all = [...dir.entries];
    for (const [name, sub] of dir.dirs) all.push({ mode: MODE_TREE, name, oid: write(sub) });
    return addTree(serializeTree(all));
  };
  return write(root);
}
