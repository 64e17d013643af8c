/**
 * The mounted tree in memory: the checked-out commit's files (each naming
 * its blob; sizes known before any content arrives) with every change made
 * through the mount on top — files whose content lives in the upper layer
 * (copy-on-write), new folders and symlinks, removals, renames, modes and
 * times. The same mutations serve live FUSE calls and the replay of the
 * journal after a restart (OverlayJournal.ts), so both give the same tree.
 *
 * Paths are `/`-separated, with or without a leading slash. A git submodule
 * (gitlink) shows as an empty folder, as git leaves an uninitialised one.
 */
import type { Oid } from '../../git/objects/objectId.ts';
import { FsError } from './FsError.ts';

interface Times {
  ino: number;
  mtimeMs: number;
  ctimeMs: number;
}

export interface DirNode extends Times {
  kind: 'dir';
  perm: number;
  children: Map<string, Node>;
  /** How many children are folders (for st_nlink). */
  subdirs: number;
  /** Set for a submodule's folder: the commit it records. */
  gitlink?: Oid;
}

export interface FileNode extends Times {
  kind: 'file';
  perm: number;
  /** -1 while unknown (a remote without object-info). */
  size: number;
  /** The base blob, while the content is the commit's. */
  blob?: Oid;
  /** The upper-layer file holding the content, once written through the mount. */
  upper?: string;
}

export interface LinkNode extends Times {
  kind: 'symlink';
  size: number;
  blob?: Oid;
  target?: string;
}

export type Node = DirNode | FileNode | LinkNode;

/** One entry of the checked-out commit (blobs, symlinks and gitlinks; folders follow from the paths). */
export interface BaseEntry {
  path: string;
  mode: number;
  oid: Oid;
  size: number;
}

export class FileTree {
  readonly root: DirNode;
  #nextIno = 2;

  constructor(timeMs: number) {
    this.root = { kind: 'dir', perm: 0o755, children: new Map(), subdirs: 0, ino: 1, mtimeMs: timeMs, ctimeMs: timeMs };
  }

  /** The tree of `entries`, every time set to `timeMs`. */
  static fromBase(entries: readonly BaseEntry[], timeMs: number): FileTree {
    const tree = new FileTree(timeMs);
    for (const entry of entries) {
      const { dir, name } = tree.#parentFor(entry.path, timeMs);
      const times = { ino: tree.#nextIno++, mtimeMs: timeMs, ctimeMs: timeMs };
      const type = entry.mode & 0o170000;
      let node: Node;
      if (type === 0o120000) node = { kind: 'symlink', size: entry.size, blob: entry.oid, ...times };
      else if (type === 0o160000) node = { kind: 'dir', perm: 0o755, children: new Map(), subdirs: 0, gitlink: entry.oid, ...times };
      else node = { kind: 'file', perm: (entry.mode & 0o111) !== 0 ? 0o755 : 0o644, size: entry.size, blob: entry.oid, ...times };
      tree.#attach(dir, name, node);
    }
    return tree;
  }

  lookup(path: string): Node | undefined {
    let node: Node = this.root;
    for (const part of split(path)) {
      if (node.kind !== 'dir') return undefined;
      const next = node.children.get(part);
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  }

  /** The node at `path`, or ENOENT. */
  get(path: string): Node {
    const node = this.lookup(path);
    if (node === undefined) throw new FsError('ENOENT', path);
    return node;
  }

  /** Every node under `path` (itself included), with its path. */
  *walk(path: string): Generator<[string, Node]> {
    const node = this.lookup(path);
    if (node !== undefined) yield* walkFrom(split(path).join('/'), node);
  }

  createFile(path: string, upper: string, perm: number, timeMs: number): FileNode {
    const { dir, name } = this.#parent(path);
    const existing = dir.children.get(name);
    if (existing?.kind === 'dir') throw new FsError('EISDIR', path);
    const node: FileNode = { kind: 'file', perm: perm & 0o7777, size: 0, upper, ino: this.#nextIno++, mtimeMs: timeMs, ctimeMs: timeMs };
    this.#attach(dir, name, node, timeMs);
    return node;
  }

  mkdir(path: string, perm: number, timeMs: number): DirNode {
    const { dir, name } = this.#parent(path);
    if (dir.children.has(name)) throw new FsError('EEXIST', path);
    const node: DirNode = { kind: 'dir', perm: perm & 0o7777, children: new Map(), subdirs: 0, ino: this.#nextIno++, mtimeMs: timeMs, ctimeMs: timeMs };
    this.#attach(dir, name, node, timeMs);
    return node;
  }

  symlink(path: string, target: string, timeMs: number): LinkNode {
    const { dir, name } = this.#parent(path);
    if (dir.children.has(name)) throw new FsError('EEXIST', path);
    const node: LinkNode = { kind: 'symlink', size: new TextEncoder().encode(target).length, target, ino: this.#nextIno++, mtimeMs: timeMs, ctimeMs: timeMs };
    this.#attach(dir, name, node, timeMs);
    return node;
  }

  /** Removes a file or symlink; returns it (its upper file is the caller's to delete). */
  unlink(path: string, timeMs: number): FileNode | LinkNode {
    const { dir, name } = this.#parent(path);
    const node = dir.children.get(name);
    if (node === undefined) throw new FsError('ENOENT', path);
    if (node.kind === 'dir') throw new FsError('EISDIR', path);
    this.#detach(dir, name, timeMs);
    return node;
  }

  rmdir(path: string, timeMs: number): void {
    const { dir, name } = this.#parent(path);
    const node = dir.children.get(name);
    if (node === undefined) throw new FsError('ENOENT', path);
    if (node.kind !== 'dir') throw new FsError('ENOTDIR', path);
    if (node.children.size > 0) throw new FsError('ENOTEMPTY', path);
    this.#detach(dir, name, timeMs);
  }

  /** rename(2): returns the node `to` held and that the move replaced, if any. */
  rename(from: string, to: string, timeMs: number): Node | undefined {
    const source = this.#parent(from);
    const node = source.dir.children.get(source.name);
    if (node === undefined) throw new FsError('ENOENT', from);
    const target = this.#parent(to);
    if (node.kind === 'dir') {
      const fromParts = split(from);
      const toParts = split(to);
      if (toParts.length > fromParts.length && fromParts.every((p, i) => toParts[i] === p)) throw new FsError('EINVAL', `${to} is inside ${from}`);
    }
    const replaced = target.dir.children.get(target.name);
    if (replaced === node) return undefined;
    if (replaced !== undefined) {
      if (replaced.kind === 'dir' && node.kind !== 'dir') throw new FsError('EISDIR', to);
      if (replaced.kind !== 'dir' && node.kind === 'dir') throw new FsError('ENOTDIR', to);
      if (replaced.kind === 'dir' && replaced.children.size > 0) throw new FsError('ENOTEMPTY', to);
      this.#detach(target.dir, target.name, timeMs);
    }
    this.#detach(source.dir, source.name, timeMs);
    node.ctimeMs = timeMs;
    this.#attach(target.dir, target.name, node, timeMs);
    return replaced;
  }

  #parent(path: string): { dir: DirNode; name: string } {
    const parts = split(path);
    const name = parts.pop();
    if (name === undefined) throw new FsError('EINVAL', 'the root');
    let dir: Node = this.root;
    for (const part of parts) {
      const next: Node | undefined = dir.kind === 'dir' ? dir.children.get(part) : undefined;
      if (next === undefined) throw new FsError('ENOENT', path);
      if (next.kind !== 'dir') throw new FsError('ENOTDIR', path);
      dir = next;
    }
    if (dir.kind !== 'dir') throw new FsError('ENOTDIR', path);
    return { dir, name };
  }

  /** Like #parent, making missing folders (building the base tree). */
  #parentFor(path: string, timeMs: number): { dir: DirNode; name: string } {
    const parts = split(path);
    const name = parts.pop() ?? '';
    let dir = this.root;
    for (const part of parts) {
      let next = dir.children.get(part);
      if (next === undefined) {
        next = { kind: 'dir', perm: 0o755, children: new Map(), subdirs: 0, ino: this.#nextIno++, mtimeMs: timeMs, ctimeMs: timeMs };
        this.#attach(dir, part, next);
      }
      if (next.kind !== 'dir') throw new FsError('ENOTDIR', path);
      dir = next;
    }
    return { dir, name };
  }

  #attach(dir: DirNode, name: string, node: Node, timeMs?: number): void {
    const old = dir.children.get(name);
    if (old?.kind === 'dir') dir.subdirs--;
    dir.children.set(name, node);
    if (node.kind === 'dir') dir.subdirs++;
    if (timeMs !== undefined) dir.mtimeMs = dir.ctimeMs = timeMs;
  }

  #detach(dir: DirNode, name: string, timeMs: number): void {
    const old = dir.children.get(name);
    if (old === undefined) return;
    if (old.kind === 'dir') dir.subdirs--;
    dir.children.delete(name);
    dir.mtimeMs = dir.ctimeMs = timeMs;
  }
}

function* walkFrom(path: string, node: Node): Generator<[string, Node]> {
  yield [path, node];
  if (node.kind !== 'dir') return;
  for (const [name, child] of node.children) yield* walkFrom(path === '' ? name : `${path}/${name}`, child);
}

function split(path: string): string[] {
  return path.split('/').filter((p) => p !== '');
}
