/**
 * Looking a path up in a tree: the entry at `a/b/c` is entry `c` of the tree
 * that is entry `b` of the tree that is entry `a` of the root. The root
 * itself is a tree entry with no name.
 */
import { GroveError } from '../../errors.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import { isTreeMode, MODE_TREE, parseTree, type TreeEntry } from '../../git/objects/tree.ts';
import type { ObjectStore } from '../../git/ports.ts';

export interface PathEntry {
  mode: number;
  oid: Oid;
}

/** The entry at `parts` below the tree `root`; null when no such path exists. */
export async function entryAt(objects: ObjectStore, root: Oid, parts: readonly string[]): Promise<PathEntry | null> {
  let entry: PathEntry = { mode: MODE_TREE, oid: root };
  for (const part of parts) {
    if (!isTreeMode(entry.mode)) return null;
    const found = (await readTree(objects, entry.oid)).find((e) => e.name === part && e.rawName === undefined);
    if (found === undefined) return null;
    entry = { mode: found.mode, oid: found.oid };
  }
  return entry;
}

/** The entries of tree `oid`; MISSING_OBJECT when it is absent, BAD_OBJECT when it is not a tree. */
export async function readTree(objects: ObjectStore, oid: Oid): Promise<TreeEntry[]> {
  return (await readTrees(objects, [oid])).get(oid)!;
}

/** The entries of each tree of `oids`, read in one batch. */
export async function readTrees(objects: ObjectStore, oids: readonly Oid[]): Promise<Map<Oid, TreeEntry[]>> {
  const unique = [...new Set(oids)];
  const found = await objects.readObjects(unique);
  const out = new Map<Oid, TreeEntry[]>();
  for (const oid of unique) {
    const object = found.get(oid);
    if (object === undefined) throw new GroveError('MISSING_OBJECT', `tree ${oid} is missing`, { sha: oid });
    if (object.type !== 'tree') throw new GroveError('BAD_OBJECT', `object ${oid} is a ${object.type}, expected a tree`, { sha: oid });
    out.set(oid, parseTree(object.data));
  }
  return out;
}
