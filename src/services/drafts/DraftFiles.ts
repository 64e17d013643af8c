/**
 * The files of a draft: the tree of the commit it sits on, seen through its
 * overlay (store/SqlDraftStore.ts). Nothing is copied to make a draft; a
 * change writes overlay rows for the paths it touches, so every operation
 * costs in proportion to the depth of its path and the size of the folders
 * it lists, never to the size of the tree.
 *
 * Looking up `a/b/c` reads the overlay rows at `a`, `a/b` and `a/b/c` in one
 * query and walks the commit's tree beside them: a `file` row ends the walk
 * with its blob, a `whiteout` hides the path, a `dir` row continues below it
 * in the tree its row names instead of the commit's. What the commit's tree
 * (as re-rooted) has at the path is the path's *lower* entry: removing a path
 * whose lower entry exists leaves a whiteout, otherwise just drops rows.
 *
 * The same class, without a draft, is a read-only view of any tree
 * (`TreeFiles`). Mutations are not serialized here: DraftService runs one at
 * a time per draft.
 */
import { GroveError } from '../../errors.ts';
import type { Codec } from '../../git/codec.ts';
import { hashObject } from '../../git/objects/gitObject.ts';
import { ZERO_OID, type Oid } from '../../git/objects/objectId.ts';
import { isGitlinkMode, isSymlinkMode, isTreeMode, MODE_EXECUTABLE, MODE_FILE, MODE_GITLINK, MODE_SYMLINK, MODE_TREE } from '../../git/objects/tree.ts';
import type { ObjectStore } from '../../git/ports.ts';
import type { OverlayEntry, SqlDraftStore } from '../../store/SqlDraftStore.ts';
import { readTree } from '../content/entryAt.ts';
import type { FileEditor, FileInfo, FileKind, FileView, WriteOptions } from './files.ts';

/** What a path holds once the overlay is applied. */
type Node =
  | { kind: 'absent'; lower: Lower }
  | { kind: 'file'; mode: number; oid: Oid; size: number | null; lower: Lower; row: boolean }
  /** `tree`: where the folder's contents below come from (null: only overlay rows). */
  | { kind: 'dir'; tree: Oid | null; lower: Lower; row: boolean };

/** The entry the (re-rooted) commit tree has at a path. */
type Lower = { mode: number; oid: Oid } | null;

type Walk = { node: Node } | { stop: 'absent' | 'notdir'; at: number };

export interface DraftFilesOptions {
  objects: ObjectStore;
  codec: Codec;
  /** The tree the files start from (null: an empty tree); for a draft, the tree of its head at each call. */
  tree?: Oid | null;
  /** The draft's overlay; absent for a read-only view of `tree`. */
  draft?: { store: SqlDraftStore; id: string; readOnly?: boolean; onChange?: () => void };
}

const WRITE_MODES = new Set([MODE_FILE, MODE_EXECUTABLE, MODE_SYMLINK]);

export class DraftFiles implements FileEditor {
  readonly writable: boolean;
  readonly #objects: ObjectStore;
  readonly #codec: Codec;
  readonly #tree: Oid | null;
  #headTree: { head: Oid; tree: Oid } | null = null;
  readonly #draft: DraftFilesOptions['draft'];

  constructor(options: DraftFilesOptions) {
    this.#objects = options.objects;
    this.#codec = options.codec;
    this.#tree = options.tree ?? null;
    this.#draft = options.draft;
    this.writable = options.draft !== undefined && options.draft.readOnly !== true;
  }

  async stat(path: readonly string[]): Promise<FileInfo | null> {
    const walk = await this.#lookup(path);
    if ('stop' in walk) {
      if (walk.stop === 'notdir') throw notDir(path, walk.at);
      return null;
    }
    if (walk.node.kind === 'absent') return null;
    return (await this.#infos([{ parts: path, node: walk.node }]))[0]!;
  }

  async list(path: readonly string[]): Promise<FileInfo[]> {
    const node = await this.#existing(path);
    if (node.kind !== 'dir') throw new GroveError('ENOTDIR', `'${show(path)}' is not a folder`, { path: show(path) });
    const children = new Map<string, Exclude<Node, { kind: 'absent' }>>();
    if (node.tree !== null) {
      for (const e of await readTree(this.#objects, node.tree)) {
        if (e.rawName !== undefined) continue; // a name that is not UTF-8 cannot be named by a path
        const lower = { mode: e.mode, oid: e.oid };
        children.set(e.name, isTreeMode(e.mode) ? { kind: 'dir', tree: e.oid, lower, row: false } : { kind: 'file', mode: e.mode, oid: e.oid, size: null, lower, row: false });
      }
    }
    if (this.#draft !== undefined) {
      for (const row of this.#draft.store.children(this.#draft.id, show(path))) {
        const name = row.path.slice(row.path.lastIndexOf('/') + 1);
        const lower: Lower = children.get(name)?.lower ?? null;
        const child = fromRow(row, lower);
        if (child.kind === 'absent') children.delete(name);
        else children.set(name, child);
      }
    }
    const names = [...children.keys()].sort(compareNames);
    return this.#infos(names.map((name) => ({ parts: [...path, name], node: children.get(name)! })));
  }

  async read(path: readonly string[]): Promise<Uint8Array> {
    const node = await this.#existing(path);
    if (node.kind === 'dir') throw new GroveError('EISDIR', `'${show(path)}' is a folder`, { path: show(path) });
    if (isGitlinkMode(node.mode)) throw new GroveError('EISDIR', `'${show(path)}' is a submodule: its files are in another repository`, { path: show(path) });
    return this.#blob(node.oid, path);
  }

  async write(path: readonly string[], data: Uint8Array, options: WriteOptions = {}): Promise<FileInfo> {
    const oid = hashObject(this.#codec, 'blob', data);
    const stored = (await this.#objects.has([oid])).has(oid);
    return this.#put(path, { oid, size: data.length, data: stored ? null : data }, options);
  }

  async link(path: readonly string[], sha: Oid, options: WriteOptions = {}): Promise<FileInfo> {
    const oid = sha.toLowerCase();
    let size = this.#draft?.store.blobSize(oid) ?? null;
    if (size === null) {
      const found = (await this.#objects.info([oid])).get(oid);
      if (found?.type !== 'blob') throw new GroveError('MISSING_OBJECT', `blob ${oid.slice(0, 40)} is unknown here: upload it first`, { sha: oid.slice(0, 40) });
      size = found.size;
    }
    return this.#put(path, { oid, size, data: null }, options);
  }

  /** Puts blob `oid` at `path` (`data`: its bytes, to keep as draft content; null when it is stored already). */
  async #put(path: readonly string[], blob: { oid: Oid; size: number; data: Uint8Array | null }, options: WriteOptions): Promise<FileInfo> {
    const draft = this.#writableDraft();
    if (path.length === 0) throw new GroveError('EISDIR', 'the root is a folder', { path: '' });
    if (options.mode !== undefined && !WRITE_MODES.has(options.mode)) {
      throw new GroveError('EINVAL', `mode must be 100644, 100755 or 120000, not ${options.mode.toString(8)}`, { field: 'mode' });
    }
    const walk = await this.#lookup(path);
    let create = 0; // folders to make above the file, from path index `create`
    let node: Node | undefined;
    if ('stop' in walk) {
      if (walk.stop === 'notdir') throw notDir(path, walk.at);
      create = walk.at;
    } else {
      node = walk.node;
      create = path.length - 1;
      if (node.kind === 'dir') throw new GroveError('EISDIR', `'${show(path)}' is a folder`, { path: show(path) });
    }
    const kept = node?.kind === 'file' && !isGitlinkMode(node.mode) ? node.mode : MODE_FILE;
    const mode = options.mode ?? kept;
    const { oid, size, data } = blob;
    draft.store.transaction(() => {
      if (data !== null) draft.store.putBlob(oid, data);
      for (let i = create; i < path.length - 1; i++) draft.store.put(draft.id, { path: show(path.slice(0, i + 1)), kind: 'dir', oid: null });
      draft.store.put(draft.id, { path: show(path), kind: 'file', mode, oid, size });
    });
    draft.onChange?.();
    return info(path, { kind: 'file', mode, oid, size, lower: null, row: true });
  }

  async mkdir(path: readonly string[], options: { parents?: boolean } = {}): Promise<FileInfo> {
    const draft = this.#writableDraft();
    const walk = await this.#lookup(path);
    if ('stop' in walk) {
      if (walk.stop === 'notdir') throw notDir(path, walk.at);
      if (walk.at < path.length - 1 && options.parents !== true) {
        throw new GroveError('ENOENT', `'${show(path.slice(0, walk.at + 1))}' does not exist: make the parents first (parents: true)`, { path: show(path.slice(0, walk.at + 1)) });
      }
      draft.store.transaction(() => {
        for (let i = walk.at; i < path.length; i++) draft.store.put(draft.id, { path: show(path.slice(0, i + 1)), kind: 'dir', oid: null });
      });
      draft.onChange?.();
    } else if (walk.node.kind === 'absent') {
      draft.store.put(draft.id, { path: show(path), kind: 'dir', oid: null });
      draft.onChange?.();
    } else if (walk.node.kind !== 'dir' || options.parents !== true) {
      throw new GroveError('EEXIST', `'${show(path)}' exists already`, { path: show(path) });
    }
    return { path: show(path), name: path[path.length - 1] ?? '', kind: 'dir', size: 0, mode: MODE_TREE, sha: null };
  }

  async remove(path: readonly string[], options: { recursive?: boolean } = {}): Promise<number> {
    const draft = this.#writableDraft();
    if (path.length === 0) throw new GroveError('EINVAL', 'the root folder cannot be removed', { path: '' });
    const node = await this.#existing(path);
    let removed = 1;
    if (node.kind === 'dir') {
      const entries = await this.list(path);
      if (entries.length > 0 && options.recursive !== true) {
        throw new GroveError('ENOTEMPTY', `'${show(path)}' is a folder that is not empty: remove it with recursive`, { path: show(path) });
      }
      removed = await this.#countFiles(path, entries);
    }
    draft.store.transaction(() => {
      draft.store.remove(draft.id, show(path), true);
      if (node.lower !== null) draft.store.put(draft.id, { path: show(path), kind: 'whiteout' });
    });
    draft.onChange?.();
    return removed;
  }

  async move(from: readonly string[], to: readonly string[]): Promise<void> {
    const draft = this.#writableDraft();
    if (from.length === 0 || to.length === 0) throw new GroveError('EINVAL', 'the root folder cannot be moved, nor replaced', { path: '' });
    const [source, target] = [show(from), show(to)];
    const node = await this.#existing(from);
    if (target.startsWith(`${source}/`)) throw new GroveError('EINVAL', `cannot move '${source}' into itself ('${target}')`, { path: source, to: target });
    if (source === target) return;
    const walk = await this.#lookup(to);
    let create = to.length - 1;
    if ('stop' in walk) {
      if (walk.stop === 'notdir') throw notDir(to, walk.at);
      create = walk.at;
    } else if (walk.node.kind !== 'absent') {
      const there = walk.node;
      if (node.kind !== 'dir' && there.kind === 'dir') throw new GroveError('EISDIR', `cannot move file '${source}' onto folder '${target}'`, { path: target });
      if (node.kind === 'dir' && there.kind !== 'dir') throw new GroveError('ENOTDIR', `cannot move folder '${source}' onto file '${target}'`, { path: target });
      if (there.kind === 'dir' && (await this.list(to)).length > 0) throw new GroveError('ENOTEMPTY', `cannot move onto '${target}': it is a folder that is not empty`, { path: target });
    }
    const moved: OverlayEntry = node.kind === 'dir'
      ? { path: target, kind: 'dir', oid: node.tree }
      : { path: target, kind: 'file', mode: node.mode, oid: node.oid, size: node.size ?? (await this.#sizes([node.oid])).get(node.oid) ?? 0 };
    draft.store.transaction(() => {
      for (let i = create; i < to.length - 1; i++) draft.store.put(draft.id, { path: show(to.slice(0, i + 1)), kind: 'dir', oid: null });
      draft.store.remove(draft.id, target, true);
      if (node.kind === 'dir') draft.store.moveBelow(draft.id, source, target);
      draft.store.put(draft.id, moved);
      draft.store.remove(draft.id, source, true);
      if (node.lower !== null) draft.store.put(draft.id, { path: source, kind: 'whiteout' });
    });
    draft.onChange?.();
  }

  /** Every file below folder `path`, in Git's path order (depth first, sorted), at most `limit`. */
  async *walkFiles(path: readonly string[] = [], limit = Number.POSITIVE_INFINITY): AsyncGenerator<FileInfo> {
    const left = { n: limit };
    yield* this.#walk(path, left);
  }

  async *#walk(path: readonly string[], left: { n: number }): AsyncGenerator<FileInfo> {
    for (const entry of await this.list(path)) {
      if (left.n <= 0) return;
      if (entry.kind === 'dir') yield* this.#walk([...path, entry.name], left);
      else {
        left.n--;
        yield entry;
      }
    }
  }

  async #countFiles(path: readonly string[], entries: FileInfo[]): Promise<number> {
    let count = 0;
    for (const entry of entries) count += entry.kind === 'dir' ? await this.#countFiles([...path, entry.name], await this.list([...path, entry.name])) : 1;
    return count;
  }

  /** The node at `path`; ENOENT when there is none, ENOTDIR when a file is on the way. */
  async #existing(path: readonly string[]): Promise<Exclude<Node, { kind: 'absent' }>> {
    const walk = await this.#lookup(path);
    if ('stop' in walk) {
      if (walk.stop === 'notdir') throw notDir(path, walk.at);
      throw new GroveError('ENOENT', `'${show(path)}' does not exist`, { path: show(path) });
    }
    if (walk.node.kind === 'absent') throw new GroveError('ENOENT', `'${show(path)}' does not exist`, { path: show(path) });
    return walk.node;
  }

  /**
   * Walks to `path`. Stops early (`at`: the index of the component) when a
   * folder on the way is missing, or is a file.
   */
  async #lookup(path: readonly string[]): Promise<Walk> {
    const prefixes = path.map((_, i) => show(path.slice(0, i + 1)));
    const rows = this.#draft === undefined ? new Map<string, OverlayEntry>() : this.#draft.store.entriesAt(this.#draft.id, prefixes);
    const root = await this.#root();
    let node: Node = { kind: 'dir', tree: root, lower: root === null ? null : { mode: MODE_TREE, oid: root }, row: false };
    for (let i = 0; i < path.length; i++) {
      if (node.kind === 'absent') return { stop: 'absent', at: i - 1 };
      if (node.kind !== 'dir') return { stop: 'notdir', at: i - 1 };
      const lower: Lower = node.tree === null ? null : await this.#child(node.tree, path[i]!);
      const row = rows.get(prefixes[i]!);
      node = row !== undefined ? fromRow(row, lower) : fromLower(lower);
    }
    return { node };
  }

  /** The tree below the overlay: the given one, or the tree of the draft's head as it is now. */
  async #root(): Promise<Oid | null> {
    if (this.#draft === undefined) return this.#tree;
    const draft = this.#draft.store.get(this.#draft.id);
    if (draft === null) throw new GroveError('NOT_FOUND', `draft ${this.#draft.id} does not exist`, { draft: this.#draft.id });
    if (draft.head === ZERO_OID) return null; // a draft of a branch with no commit yet
    if (this.#headTree?.head !== draft.head) {
      const info = (await this.#objects.readCommits([draft.head])).get(draft.head);
      if (info === undefined) throw new GroveError('MISSING_OBJECT', `commit ${draft.head} is missing`, { sha: draft.head });
      this.#headTree = { head: draft.head, tree: info.tree };
    }
    return this.#headTree.tree;
  }

  async #child(tree: Oid, name: string): Promise<Lower> {
    const found = (await readTree(this.#objects, tree)).find((e) => e.name === name && e.rawName === undefined);
    return found === undefined ? null : { mode: found.mode, oid: found.oid };
  }

  async #infos(items: { parts: readonly string[]; node: Exclude<Node, { kind: 'absent' }> }[]): Promise<FileInfo[]> {
    const unknown = items.flatMap(({ node }) => (node.kind === 'file' && node.size === null && !isGitlinkMode(node.mode) ? [node.oid] : []));
    const sizes = await this.#sizes(unknown);
    return items.map(({ parts, node }) => info(parts, node.kind === 'file' && node.size === null ? { ...node, size: sizes.get(node.oid) ?? 0 } : node));
  }

  async #sizes(oids: readonly Oid[]): Promise<Map<Oid, number>> {
    const out = new Map<Oid, number>();
    if (oids.length === 0) return out;
    for (const [oid, found] of await this.#objects.info(oids)) out.set(oid, found.size);
    return out;
  }

  async #blob(oid: Oid, path: readonly string[]): Promise<Uint8Array> {
    const held = this.#draft?.store.readBlob(oid);
    if (held != null) return held;
    const object = (await this.#objects.readObjects([oid])).get(oid);
    if (object === undefined) throw new GroveError('MISSING_OBJECT', `the content of '${show(path)}' (blob ${oid}) is missing`, { sha: oid, path: show(path) });
    return object.data;
  }

  #writableDraft(): NonNullable<DraftFilesOptions['draft']> {
    if (this.#draft === undefined || !this.writable) throw new GroveError('FORBIDDEN', 'these files are read-only: only an open draft can be changed');
    return this.#draft;
  }
}

function fromRow(row: OverlayEntry, lower: Lower): Node {
  if (row.kind === 'whiteout') return { kind: 'absent', lower };
  if (row.kind === 'file') return { kind: 'file', mode: row.mode, oid: row.oid, size: row.size, lower, row: true };
  return { kind: 'dir', tree: row.oid, lower, row: true };
}

function fromLower(lower: Lower): Node {
  if (lower === null) return { kind: 'absent', lower };
  if (isTreeMode(lower.mode)) return { kind: 'dir', tree: lower.oid, lower, row: false };
  return { kind: 'file', mode: lower.mode, oid: lower.oid, size: null, lower, row: false };
}

function info(parts: readonly string[], node: Exclude<Node, { kind: 'absent' }>): FileInfo {
  const path = show(parts);
  const name = parts[parts.length - 1] ?? '';
  if (node.kind === 'dir') return { path, name, kind: 'dir', size: 0, mode: MODE_TREE, sha: null };
  const kind: FileKind = isGitlinkMode(node.mode) ? 'submodule' : isSymlinkMode(node.mode) ? 'symlink' : 'file';
  return { path, name, kind, size: kind === 'submodule' ? 0 : node.size ?? 0, mode: isGitlinkMode(node.mode) ? MODE_GITLINK : node.mode, sha: node.oid };
}

function notDir(path: readonly string[], at: number): GroveError {
  const above = show(path.slice(0, at + 1));
  return new GroveError('ENOTDIR', `'${above}' is a file, so '${show(path)}' cannot be below it`, { path: show(path), conflict: above });
}

function show(parts: readonly string[]): string {
  return parts.join('/');
}

/** Bytewise order of UTF-8 names (as Git and `ls` in the C locale sort them). */
function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  const [x, y] = [encoder.encode(a), encoder.encode(b)];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

const encoder = new TextEncoder();
