/**
 * A three-way merge of trees, path by path, as git's merge machinery decides
 * it for the cases it resolves without asking (merge-ort, without rename
 * detection): for each path, with `base`, `ours` and `theirs` versions,
 *
 * - both sides agree, or only one side changed it: that side's version
 *   (a deletion included);
 * - both changed a regular file: the modes merge the same way, and the
 *   contents merge line by line (mergeText.ts) unless one is binary (a NUL
 *   in its first 8000 bytes, as git's `buffer_is_binary`);
 * - anything else — deleted on one side and changed on the other, added on
 *   both with different contents, symlinks or submodules changed on both,
 *   a file on one side where the other has a folder — is a conflict.
 *
 * A path that is a file in one version and a folder in another is two paths
 * (the file `x` and the folder `x/`), merged apart; only when both survive
 * do they conflict. Subtrees that are equal on two sides are never read.
 * Merged trees and blobs are written with `write`; nothing is committed here.
 */
import { GroveError } from '../../errors.ts';
import type { ObjectType } from '../../git/objects/gitObject.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import { isFileMode, isGitlinkMode, isSymlinkMode, isTreeMode, serializeTree, type TreeEntry } from '../../git/objects/tree.ts';
import type { ObjectStore } from '../../git/ports.ts';
import { readTrees } from './entryAt.ts';
import { mergeText } from './mergeText.ts';

export interface MergeConflict {
  path: string;
  reason: 'content' | 'binary' | 'mode' | 'modify/delete' | 'add/add' | 'type' | 'directory/file';
}

export interface TreeMerge {
  tree: Oid;
  conflicts: MergeConflict[];
}

type Write = (type: ObjectType, data: Uint8Array) => Oid;

interface Version {
  mode: number;
  oid: Oid;
}

/** What a name holds in one tree: a file (blob, symlink, gitlink) and/or a folder (only one, in a valid tree). */
interface Slot {
  name: string;
  rawName?: Uint8Array;
  file?: Version;
  folder?: Oid;
}

const BINARY_PROBE = 8000;

/** Merges the changes base → ours and base → theirs (null: no tree, as for a root commit's parent). */
export async function mergeTrees(objects: ObjectStore, base: Oid | null, ours: Oid | null, theirs: Oid | null, write: Write): Promise<TreeMerge> {
  const merge = new TreeMerger(objects, write);
  const tree = (await merge.folder('', base, ours, theirs)) ?? write('tree', serializeTree([]));
  return { tree, conflicts: merge.conflicts };
}

class TreeMerger {
  readonly conflicts: MergeConflict[] = [];
  readonly #objects: ObjectStore;
  readonly #write: Write;

  constructor(objects: ObjectStore, write: Write) {
    this.#objects = objects;
    this.#write = write;
  }

  async folder(path: string, base: Oid | null, ours: Oid | null, theirs: Oid | null): Promise<Oid | null> {
    if (ours === theirs || base === ours) return theirs;
    if (base === theirs) return ours;
    const trees = await readTrees(this.#objects, [base, ours, theirs].filter((t): t is Oid => t !== null));
    const slots = (tree: Oid | null): Map<string, Slot> => slotsOf(tree === null ? [] : trees.get(tree)!);
    const [b, o, t] = [slots(base), slots(ours), slots(theirs)];
    const entries: TreeEntry[] = [];
    for (const key of new Set([...b.keys(), ...o.keys(), ...t.keys()])) {
      const [sb, so, st] = [b.get(key), o.get(key), t.get(key)];
      const some = (so ?? st ?? sb)!;
      const at = path === '' ? some.name : `${path}/${some.name}`;
      const file = await this.#file(at, sb?.file, so?.file, st?.file);
      const folder = await this.folder(at, sb?.folder ?? null, so?.folder ?? null, st?.folder ?? null);
      if (file !== null && folder !== null) {
        this.conflicts.push({ path: at, reason: 'directory/file' });
        continue;
      }
      const named = some.rawName === undefined ? { name: some.name } : { name: some.name, rawName: some.rawName };
      if (file !== null) entries.push({ ...named, mode: file.mode, oid: file.oid });
      else if (folder !== null) entries.push({ ...named, mode: 0o40000, oid: folder });
    }
    return entries.length === 0 ? null : this.#write('tree', serializeTree(entries));
  }

  async #file(path: string, base: Version | undefined, ours: Version | undefined, theirs: Version | undefined): Promise<Version | null> {
    if (same(ours, theirs) || same(base, ours)) return theirs ?? null;
    if (same(base, theirs)) return ours ?? null;
    if (ours === undefined || theirs === undefined) return this.#conflict(path, 'modify/delete');
    if (base === undefined) return this.#conflict(path, 'add/add');
    const mode = ours.mode === base.mode ? theirs.mode : theirs.mode === base.mode ? ours.mode : ours.mode === theirs.mode ? ours.mode : undefined;
    if (mode === undefined) return this.#conflict(path, kind(ours.mode) === kind(theirs.mode) ? 'mode' : 'type');
    if (ours.oid === theirs.oid || base.oid === ours.oid) return { mode, oid: theirs.oid };
    if (base.oid === theirs.oid) return { mode, oid: ours.oid };
    if (!isFileMode(base.mode) || !isFileMode(ours.mode) || !isFileMode(theirs.mode)) return this.#conflict(path, 'type');
    const blobs = await this.#objects.readObjects([base.oid, ours.oid, theirs.oid]);
    const data = [base.oid, ours.oid, theirs.oid].map((oid) => {
      const blob = blobs.get(oid);
      if (blob === undefined) throw new GroveError('MISSING_OBJECT', `blob ${oid} at ${path} is missing`, { sha: oid, path });
      return blob.data;
    }) as [Uint8Array, Uint8Array, Uint8Array];
    if (data.some(isBinary)) return this.#conflict(path, 'binary');
    const merged = mergeText(...data);
    if (merged === null) return this.#conflict(path, 'content');
    return { mode, oid: this.#write('blob', merged) };
  }

  #conflict(path: string, reason: MergeConflict['reason']): null {
    this.conflicts.push({ path, reason });
    return null;
  }
}

function slotsOf(entries: readonly TreeEntry[]): Map<string, Slot> {
  const slots = new Map<string, Slot>();
  for (const e of entries) {
    const key = e.rawName === undefined ? e.name : `\0${e.rawName.join(',')}`;
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = e.rawName === undefined ? { name: e.name } : { name: e.name, rawName: e.rawName };
      slots.set(key, slot);
    }
    if (isTreeMode(e.mode)) slot.folder = e.oid;
    else slot.file = { mode: e.mode, oid: e.oid };
  }
  return slots;
}

function same(a: Version | undefined, b: Version | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.mode === b.mode && a.oid === b.oid);
}

function kind(mode: number): string {
  return isFileMode(mode) ? 'file' : isSymlinkMode(mode) ? 'symlink' : isGitlinkMode(mode) ? 'gitlink' : 'other';
}

function isBinary(data: Uint8Array): boolean {
  const end = Math.min(data.length, BINARY_PROBE);
  for (let i = 0; i < end; i++) if (data[i] === 0) return true;
  return false;
}
