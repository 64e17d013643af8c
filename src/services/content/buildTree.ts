/**
 * Applies path changes to a tree and writes the trees that change: put a
 * blob at a path (creating the folders above it), delete a file or a whole
 * folder, move a file or folder. Only the folders on the changed paths are
 * read and rewritten; every other subtree keeps its id. A folder left empty
 * disappears, as Git keeps no empty trees (the root becomes the empty tree).
 *
 * Trees are written in git's entry order (serializeTree) and checked as
 * `git fsck --strict` checks them: a name that Windows or macOS would read as
 * `.git` is refused there (BAD_REQUEST, with the folder's path).
 *
 * Rules, checked before anything is read: every path is valid for a write
 * (parseWritePath.ts); no path is named twice, nor inside another one the
 * changes name (`a` and `a/b`) — so the order of the changes does not matter.
 * Then: deleting or moving a path that does not exist is NOT_FOUND
 * (`details.path`); a put or move onto a folder, onto an existing move
 * destination, or below a file is ALREADY_EXISTS (`details.path`,
 * `details.conflict`: the path in the way).
 */
import { GroveError, isGroveError } from '../../errors.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import { canonicalMode, isBlobMode, isTreeMode, MODE_FILE, MODE_TREE, parseTree, serializeTree, type TreeEntry } from '../../git/objects/tree.ts';
import type { ObjectStore } from '../../git/ports.ts';
import { parseWritePath } from './parseWritePath.ts';

export type PathChange =
  /** `mode` absent: the mode of the file it replaces, or 100644 for a new file. */
  | { op: 'put'; path: string; oid: Oid; mode?: number }
  | { op: 'delete'; path: string }
  | { op: 'move'; from: string; to: string };

/** Writes one tree's content and returns its id (ObjectWriter.add). */
export type WriteTree = (data: Uint8Array) => Oid;

interface Entry {
  mode: number;
  oid: Oid;
  /** For a name that is not valid UTF-8: its lossy reading, and its bytes (`rawName`, what is written back). */
  name?: string;
  rawName?: Uint8Array;
  /** The folder's contents, once read or changed. */
  folder?: Folder;
}

interface Folder {
  /** Entries by name (a name that is not valid UTF-8 is keyed by its bytes, so no path can name it). */
  entries: Map<string, Entry>;
  changed: boolean;
}

/** The id of `base` (null: no tree yet) with `changes` applied, every changed tree written with `write`. */
export async function buildTree(objects: ObjectStore, base: Oid | null, changes: readonly PathChange[], write: WriteTree): Promise<Oid> {
  const parsed = parseChanges(changes);
  const root: Folder = base === null ? { entries: new Map(), changed: true } : await readFolder(objects, base);
  const editor = new TreeEditor(objects, root);
  for (const change of parsed) {
    if (change.op === 'put') await editor.put(change.path, { mode: change.mode, oid: change.oid });
    else if (change.op === 'delete') await editor.remove(change.path);
    else await editor.insert(change.to, await editor.remove(change.from), 'move');
  }
  if (!root.changed && base !== null) return base;
  return writeFolder(root, [], write) ?? write(serializeTree([]));
}

type Parsed =
  | { op: 'put'; path: string[]; oid: Oid; mode: number | undefined }
  | { op: 'delete'; path: string[] }
  | { op: 'move'; from: string[]; to: string[] };

/** Checks `changes` as `buildTree` will (BAD_REQUEST), before any content is read or written. */
export function checkPathChanges(changes: readonly PathChange[]): void {
  parseChanges(changes);
}

/** Every path valid, none named twice or inside another. */
function parseChanges(changes: readonly PathChange[]): Parsed[] {
  const claims: { key: string; index: number; field: string }[] = [];
  const claim = (path: string, index: number, field: string): string[] => {
    const parts = parseWritePath(path, field);
    claims.push({ key: parts.join('\0'), index, field });
    return parts;
  };
  const parsed = changes.map((change, index): Parsed => {
    const at = `changes[${index}]`;
    if (change.op === 'move') return { op: 'move', from: claim(change.from, index, `${at}.from`), to: claim(change.to, index, `${at}.to`) };
    const path = claim(change.path, index, `${at}.path`);
    return change.op === 'put' ? { op: 'put', path, oid: change.oid, mode: change.mode } : { op: 'delete', path };
  });
  // With '/' read as NUL, whatever lies inside a path sorts right after it.
  claims.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
  for (let i = 1; i < claims.length; i++) {
    const [a, b] = [claims[i - 1]!, claims[i]!];
    if (b.key !== a.key && !b.key.startsWith(`${a.key}\0`)) continue;
    const path = (claim: { key: string }): string => claim.key.replaceAll('\0', '/');
    const how = a.key === b.key ? ' too' : ', a folder above it';
    throw new GroveError('BAD_REQUEST', `${b.field} names '${path(b)}' and ${a.field} names '${path(a)}'${how}: a change may touch each path once`, {
      field: b.field,
      path: path(b),
    });
  }
  return parsed;
}

class TreeEditor {
  readonly #objects: ObjectStore;
  readonly #root: Folder;

  constructor(objects: ObjectStore, root: Folder) {
    this.#objects = objects;
    this.#root = root;
  }

  async put(path: readonly string[], blob: { mode: number | undefined; oid: Oid }): Promise<void> {
    const folder = await this.#folderAt(path, true);
    const name = path[path.length - 1]!;
    const existing = folder.entries.get(name);
    if (existing !== undefined && isTreeMode(existing.mode)) {
      throw new GroveError('ALREADY_EXISTS', `'${path.join('/')}' is a folder: delete it first to put a file there`, { path: path.join('/'), conflict: path.join('/') });
    }
    const kept = existing !== undefined && isBlobMode(existing.mode) ? canonicalMode(existing.mode) : MODE_FILE;
    folder.entries.set(name, { mode: blob.mode ?? kept, oid: blob.oid });
  }

  /** Takes the entry at `path` out of its folder; NOT_FOUND when there is none. */
  async remove(path: readonly string[]): Promise<Entry> {
    const folder = await this.#folderAt(path, false);
    const name = path[path.length - 1]!;
    const entry = folder?.entries.get(name);
    if (folder === undefined || entry === undefined) {
      throw new GroveError('NOT_FOUND', `'${path.join('/')}' does not exist`, { path: path.join('/') });
    }
    folder.entries.delete(name);
    return entry;
  }

  /** Puts `entry` at `path`, which must be free. */
  async insert(path: readonly string[], entry: Entry, why: string): Promise<void> {
    const folder = await this.#folderAt(path, true);
    const name = path[path.length - 1]!;
    if (folder.entries.has(name)) {
      throw new GroveError('ALREADY_EXISTS', `cannot ${why} onto '${path.join('/')}': it exists`, { path: path.join('/'), conflict: path.join('/') });
    }
    folder.entries.set(name, { mode: entry.mode, oid: entry.oid, ...(entry.folder === undefined ? {} : { folder: entry.folder }) });
    folder.changed = true;
  }

  /**
   * The folder that holds `path`'s last component, every folder on the way
   * marked changed. With `create`, missing folders are made, and a file on
   * the way is ALREADY_EXISTS; without, either gives undefined.
   */
  async #folderAt(path: readonly string[], create: true): Promise<Folder>;
  async #folderAt(path: readonly string[], create: false): Promise<Folder | undefined>;
  async #folderAt(path: readonly string[], create: boolean): Promise<Folder | undefined> {
    const visited: Folder[] = [this.#root];
    let folder = this.#root;
    for (let i = 0; i < path.length - 1; i++) {
      const name = path[i]!;
      let entry = folder.entries.get(name);
      if (entry === undefined) {
        if (!create) return undefined;
        entry = { mode: MODE_TREE, oid: '', folder: { entries: new Map(), changed: true } };
        folder.entries.set(name, entry);
      } else if (!isTreeMode(entry.mode)) {
        if (!create) return undefined;
        const above = path.slice(0, i + 1).join('/');
        throw new GroveError('ALREADY_EXISTS', `'${above}' is a file, so '${path.join('/')}' cannot be made below it`, { path: path.join('/'), conflict: above });
      }
      entry.folder ??= await readFolder(this.#objects, entry.oid);
      folder = entry.folder;
      visited.push(folder);
    }
    for (const f of visited) f.changed = true;
    return folder;
  }
}

async function readFolder(objects: ObjectStore, oid: Oid): Promise<Folder> {
  const object = (await objects.readObjects([oid])).get(oid);
  if (object === undefined) throw new GroveError('MISSING_OBJECT', `tree ${oid} is missing`, { sha: oid });
  if (object.type !== 'tree') throw new GroveError('BAD_OBJECT', `object ${oid} is a ${object.type}, expected a tree`, { sha: oid });
  const entries = new Map<string, Entry>();
  for (const e of parseTree(object.data)) entries.set(e.rawName === undefined ? e.name : `\0${e.rawName.join(',')}`, e);
  return { entries, changed: false };
}

/** Writes the changed folders under `folder`, deepest first; null for a folder left empty. */
function writeFolder(folder: Folder, path: readonly string[], write: WriteTree): Oid | null {
  const entries: TreeEntry[] = [];
  for (const [name, entry] of folder.entries) {
    let oid = entry.oid;
    if (entry.folder !== undefined && entry.folder.changed) {
      const written = writeFolder(entry.folder, [...path, name], write);
      if (written === null) continue;
      oid = written;
    }
    entries.push(entry.rawName === undefined ? { mode: entry.mode, name, oid } : { mode: entry.mode, name: entry.name ?? name, oid, rawName: entry.rawName });
  }
  if (entries.length === 0) return null;
  try {
    return write(serializeTree(entries));
  } catch (err) {
    if (!isGroveError(err) || err.code !== 'BAD_OBJECT') throw err;
    const where = path.length === 0 ? 'the root folder' : `'${path.join('/')}'`;
    throw new GroveError('BAD_REQUEST', `${where} would not pass git fsck: ${err.message}`, { ...err.details, path: path.join('/') });
  }
}
