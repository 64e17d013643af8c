/**
 * The tree a draft's files make: the commit's tree with the overlay applied,
 * as Git objects. Only the folders on the paths the overlay touches are read
 * and rewritten; every other subtree keeps its id. Folders left empty
 * disappear, as Git keeps no empty trees (the root becomes the empty tree).
 *
 * Nothing is written: the new trees come back by id with their contents,
 * with the ids of the blobs the tree names that only the draft holds, for
 * the caller to stage (a checkpoint, an apply) or to read (a diff).
 */
import { GroveError } from '../../errors.ts';
import type { Codec } from '../../git/codec.ts';
import { hashObject } from '../../git/objects/gitObject.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import { isTreeMode, MODE_TREE, serializeTree, type TreeEntry } from '../../git/objects/tree.ts';
import type { ObjectStore } from '../../git/ports.ts';
import { parentOf, type OverlayEntry, type SqlDraftStore } from '../../store/SqlDraftStore.ts';
import { readTree } from '../content/entryAt.ts';

export interface DraftTree {
  /** The root tree's id. */
  tree: Oid;
  /** Trees made for it, by id. */
  trees: Map<Oid, Uint8Array>;
  /** Blobs it names that are held only as draft contents. */
  draftBlobs: Set<Oid>;
  /** Whether the overlay had any row (false: `tree` is the commit's tree). */
  changed: boolean;
}

/** `tree` null: no commit yet (the empty tree). */
export async function materializeDraft(store: SqlDraftStore, objects: ObjectStore, codec: Codec, id: string, tree: Oid | null): Promise<DraftTree> {
  const rows = store.below(id, '');
  const out: DraftTree = { tree: tree ?? '', trees: new Map(), draftBlobs: new Set(), changed: rows.length > 0 };
  if (rows.length === 0 && tree !== null) return out;
  const byParent = new Map<string, OverlayEntry[]>();
  const touched = new Set<string>(['']);
  for (const row of rows) {
    const parent = parentOf(row.path);
    const siblings = byParent.get(parent);
    if (siblings === undefined) byParent.set(parent, [row]);
    else siblings.push(row);
    for (let p = parent; !touched.has(p); p = parentOf(p)) touched.add(p);
  }
  const fileOids = rows.flatMap((r) => (r.kind === 'file' ? [r.oid] : []));
  for (const oid of store.heldBlobs(fileOids)) out.draftBlobs.add(oid);

  const write = (entries: TreeEntry[], path: string): Oid => {
    let data: Uint8Array;
    try {
      data = serializeTree(entries);
    } catch (err) {
      throw new GroveError('BAD_REQUEST', `folder '${path}' cannot be written as a Git tree: ${(err as Error).message}`, { path });
    }
    const oid = hashObject(codec, 'tree', data);
    out.trees.set(oid, data);
    return oid;
  };

  const folder = async (path: string, lower: Oid | null): Promise<Oid | null> => {
    const entries = new Map<string, TreeEntry>();
    if (lower !== null) for (const e of await readTree(objects, lower)) entries.set(e.rawName === undefined ? e.name : `\0${e.rawName.join(',')}`, e);
    const own = new Set<string>();
    for (const row of byParent.get(path) ?? []) {
      const name = row.path.slice(path === '' ? 0 : path.length + 1);
      own.add(name);
      if (row.kind === 'whiteout') entries.delete(name);
      else if (row.kind === 'file') entries.set(name, { mode: row.mode, name, oid: row.oid });
      else {
        const sub = await folder(row.path, row.oid);
        if (sub === null) entries.delete(name);
        else entries.set(name, { mode: MODE_TREE, name, oid: sub });
      }
    }
    for (const [key, e] of entries) {
      const child = path === '' ? key : `${path}/${key}`;
      if (own.has(key) || !isTreeMode(e.mode) || !touched.has(child)) continue;
      const sub = await folder(child, e.oid);
      if (sub === null) entries.delete(key);
      else entries.set(key, { ...e, oid: sub });
    }
    if (entries.size === 0) return null;
    return write([...entries.values()], path);
  };

  out.tree = (await folder('', tree)) ?? write([], '');
  return out;
}

/** `objects`, plus the trees of a materialized draft and its draft-held blobs (for diffs of a draft). */
export function withDraftObjects(objects: ObjectStore, store: SqlDraftStore, made: DraftTree): ObjectStore {
  const local = (oid: Oid): { type: 'tree' | 'blob'; data: Uint8Array } | null => {
    const tree = made.trees.get(oid);
    if (tree !== undefined) return { type: 'tree', data: tree };
    if (!made.draftBlobs.has(oid)) return null;
    const data = store.readBlob(oid);
    return data === null ? null : { type: 'blob', data };
  };
  const split = (oids: readonly Oid[]): { mine: Oid[]; theirs: Oid[] } => {
    const mine = oids.filter((o) => made.trees.has(o) || made.draftBlobs.has(o));
    return { mine, theirs: oids.filter((o) => !made.trees.has(o) && !made.draftBlobs.has(o)) };
  };
  return {
    async has(oids) {
      const { mine, theirs } = split(oids);
      const found = await objects.has(theirs);
      for (const o of mine) found.add(o);
      return found;
    },
    async info(oids) {
      const { mine, theirs } = split(oids);
      const found = await objects.info(theirs);
      for (const o of mine) {
        const object = local(o);
        if (object !== null) found.set(o, { oid: o, type: object.type, size: object.data.length });
      }
      return found;
    },
    async readObjects(oids) {
      const { mine, theirs } = split(oids);
      const found = await objects.readObjects(theirs);
      for (const o of mine) {
        const object = local(o);
        if (object !== null) found.set(o, object);
      }
      return found;
    },
    readPacked: (oids) => objects.readPacked(oids),
    readCommits: (oids) => objects.readCommits(oids),
  };
}


