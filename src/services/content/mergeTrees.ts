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
 *
 * With `markers` (a draft's update), a conflict still gives a tree, as git
 * leaves a work tree after a conflicted merge: text that conflicts gets
 * conflict markers (mergeText.ts), an add/add of text merges against an
 * empty base; otherwise the version of `theirs` is kept (for a
 * modify/delete, the side that kept the file; for a directory/file, the
 * folder). Each such path is still listed in `conflicts`.
 */
import { GroveError } from '../../errors.ts';
import type { ObjectType } from '../../git/objects/gitObject.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import { isFileMode, isGitlinkMode, isSymlinkMode, isTreeMode, serializeTree, type TreeEntry } from '../../git/objects/tree.ts';
import type { ObjectStore } from '../../git/ports.ts';
import { readTrees } from './entryAt.ts';
import { mergeText, mergeTextWithMarkers } from './mergeText.ts';

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

export interface MergeTreesOptions {
  /** Resolve conflicts in the tree, text ones with conflict markers labelled so. */
  markers?: { ours: string; theirs: string };
}

/** Merges the changes base → ours and base → theirs (null: no tree, as for a root commit's parent). */
export async function mergeTrees(objects: ObjectStore, base: Oid | null, ours: Oid | null, theirs: Oid | null, write: Write, options: MergeTreesOptions = {}): Promise<TreeMerge> {
  const merge = new TreeMerger(objects, write, options.markers ?? null);
  const tree = (await merge.folder('', base, ours, theirs)) ?? write('tree', serializeTree([]));
  return { tree, conflicts: merge.conflicts };
}

class TreeMerger {
  readonly conflicts: MergeConflict[] = [];
  readonly #objects: ObjectStore;
  readonly #write: Write;
  readonly #markers: { ours: string; theirs: string } | null;

  constructor(objects: ObjectStore, write: Write, markers: { ours: string; theirs: string } | null) {
    this.#objects = objects;
    this.#write = write;
    this.#markers = markers;
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
        if (this.#markers === null) continue;
        entries.push({ ...(some.rawName === undefined ? { name: some.name } : { name: some.name, rawName: some.rawName }), mode: 0o40000, oid: folder });
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
    if (ours === undefined || theirs === undefined) return this.#conflict(path, 'modify/delete', ours ?? theirs);
    if (base === undefined) return this.#addAdd(path, ours, theirs);
    const mode = ours.mode === base.mode ? theirs.mode : theirs.mode === base.mode ? ours.mode : ours.mode === theirs.mode ? ours.mode : undefined;
    if (mode === undefined) return this.#conflict(path, kind(ours.mode) === kind(theirs.mode) ? 'mode' : 'type', theirs);
    if (ours.oid === theirs.oid || base.oid === ours.oid) return { mode, oid: theirs.oid };
    if (base.oid === theirs.oid) return { mode, oid: ours.oid };
    if (!isFileMode(base.mode) || !isFileMode(ours.mode) || !isFileMode(theirs.mode)) return this.#conflict(path, 'type', theirs);
    const data = await this.#contents(path, [base.oid, ours.oid, theirs.oid]);
    if (data.some(isBinary)) return this.#conflict(path, 'binary', theirs);
    return this.#mergeText(path, mode, data[0]!, data[1]!, data[2]!, theirs);
  }

  /** Added on both sides with different versions: with markers, text merges against an empty base. */
  async #addAdd(path: string, ours: Version, theirs: Version): Promise<Version | null> {
    if (this.#markers === null || !isFileMode(ours.mode) || !isFileMode(theirs.mode)) return this.#conflict(path, 'add/add', theirs);
    const [o, t] = await this.#contents(path, [ours.oid, theirs.oid]);
    if (isBinary(o!) || isBinary(t!)) return this.#conflict(path, 'add/add', theirs);
    this.conflicts.push({ path, reason: 'add/add' });
    const { merged } = mergeTextWithMarkers(new Uint8Array(0), o!, t!, this.#markers);
    return { mode: theirs.mode, oid: this.#write('blob', merged) };
  }

  async #mergeText(path: string, mode: number, base: Uint8Array, ours: Uint8Array, theirs: Uint8Array, fallback: Version): Promise<Version | null> {
    if (this.#markers === null) {
      const merged = mergeText(base, ours, theirs);
      if (merged === null) return this.#conflict(path, 'content', fallback);
      return { mode, oid: this.#write('blob', merged) };
    }
    const { merged, conflicts } = mergeTextWithMarkers(base, ours, theirs, this.#markers);
    if (conflicts > 0) this.conflicts.push({ path, reason: 'content' });
    return { mode, oid: this.#write('blob', merged) };
  }

  async #contents(path: string, oids: Oid[]): Promise<Uint8Array[]> {
    const blobs = await this.#objects.readObjects(oids);
    return oids.map((oid) => {
      const blob = blobs.get(oid);
      if (blob === undefined) throw new GroveError('MISSING_OBJECT', `blob ${oid} at ${path} is missing`, { sha: oid, path });
      return blob.data;
    });
  }

  /** Records a conflict; the path is left out, or (with markers) keeps `kept`. */
  #conflict(path: string, reason: MergeConflict['reason'], kept: Version | undefined): Version | null {
    this.conflicts.push({ path, reason });
    return this.#markers === null ? null : kept ?? null;
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
