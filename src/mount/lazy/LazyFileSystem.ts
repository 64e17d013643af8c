/**
 * The FUSE calls of a lazy mount, over the in-memory tree (FileTree.ts):
 *
 *   - metadata (getattr, readdir, readlink of a known target) is answered
 *     from memory: sizes are known before contents (in the first moments,
 *     while they are still being asked, a getattr waits for them or for the
 *     blob itself, whichever comes first);
 *   - opening a file whose blob is not here yet waits for it — the blob jumps
 *     the hydration queue, and the call stays pending (no FUSE timeout);
 *   - the first write to a committed file copies it up into the upper layer
 *     (a truncation to zero copies nothing); creations, removals, renames,
 *     modes and times change the tree and are journaled (OverlayJournal.ts)
 *     before the call returns;
 *   - `/.git` is a read-only gitfile, `gitdir: <cache>/git`.
 *
 * File contents are read and written with synchronous calls on local files
 * (the blob store, the upper layer), never on the mount itself.
 *
 * Longer than most modules: it is the one table of FUSE handlers, and the
 * handlers share the open-file table and the copy-up logic.
 */
import { closeSync, constants, copyFileSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, rmSync, statfsSync, truncateSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Oid } from '../../git/objects/objectId.ts';
import { blobPath } from './blobStore.ts';
import type { CacheLayout } from './cacheLayout.ts';
import type { FileNode, FileTree, Node } from './FileTree.ts';
import { ERRNO, FsError } from './FsError.ts';
import { lostName } from '../lostName.ts';
import type { Cb, FuseOps, FuseStat } from './fuseNative.ts';
import { applyOp, type JournalOp, type OverlayJournal } from './OverlayJournal.ts';

export interface LazyFsContext {
  tree: FileTree;
  layout: CacheLayout;
  journal: OverlayJournal;
  /** Resolves once the blob is in the blob store (HydrationQueue.require). */
  hydrate(oid: Oid): Promise<void>;
  /** Resolves once the sizes asked of the remote are in the tree (a getattr of an unsized file waits for it). */
  sizesReady: Promise<void>;
  /** Contents of the virtual `/.git` file. */
  gitfile: Uint8Array;
  uid: number;
  gid: number;
  log(line: string): void;
}

interface Handle {
  fd: number;
  node: Node | 'gitfile';
  writable: boolean;
  append: boolean;
}

const GITFILE = '/.git';
const O_ACCMODE = 3;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

export class LazyFileSystem {
  readonly #c: LazyFsContext;
  readonly #handles = new Map<number, Handle>();
  #nextHandle = 1;

  constructor(context: LazyFsContext) {
    this.#c = context;
  }

  /** Open handles (closed by `closeAll` at unmount). */
  get openHandles(): number {
    return this.#handles.size;
  }

  closeAll(): void {
    for (const handle of this.#handles.values()) if (handle.fd >= 0) closeSync(handle.fd);
    this.#handles.clear();
  }

  ops(): Partial<FuseOps> {
    return {
      init: (cb) => cb(0),
      getattr: (path, cb) => this.#async(cb, () => this.#getattr(path)),
      fgetattr: (path, _fd, cb) => this.#async(cb, () => this.#getattr(path)),
      readdir: (path, cb) => {
        try {
          const [names, stats] = this.#readdir(path);
          cb(0, names, stats);
        } catch (err) {
          cb(this.#errno(err, 'readdir', path));
        }
      },
      access: (path, _mode, cb) => this.#sync(cb, () => {
        if (path !== GITFILE) this.#c.tree.get(path);
      }),
      statfs: (_path, cb) => this.#sync(cb, () => this.#statfs()),
      open: (path, flags, cb) => this.#async(cb, () => this.#open(path, flags)),
      create: (path, mode, cb) => (lostName(path) ? cb(-ERRNO.EILSEQ) : this.#sync(cb, () => this.#create(path, mode))),
      read: (_path, fd, buf, len, pos, cb) => cb(this.#read(fd, buf, len, pos)),
      write: (path, fd, buf, len, pos, cb) => cb(this.#write(path, fd, buf, len, pos)),
      release: (_path, fd, cb) => this.#sync(cb, () => this.#release(fd)),
      flush: (_path, _fd, cb) => cb(0),
      fsync: (_path, _datasync, fd, cb) => this.#sync(cb, () => {
        const handle = this.#handles.get(fd);
        if (handle !== undefined && handle.writable && handle.fd >= 0) fsyncSync(handle.fd);
      }),
      truncate: (path, size, cb) => this.#async(cb, () => this.#truncate(path, size)),
      ftruncate: (path, fd, size, cb) => this.#sync(cb, () => this.#ftruncate(path, fd, size)),
      unlink: (path, cb) => this.#sync(cb, () => this.#record({ op: 'unlink', path, t: Date.now() })),
      rmdir: (path, cb) => this.#sync(cb, () => this.#record({ op: 'rmdir', path, t: Date.now() })),
      mkdir: (path, mode, cb) => (lostName(path) ? cb(-ERRNO.EILSEQ) : this.#sync(cb, () => this.#record({ op: 'mkdir', path, perm: mode & 0o7777, t: Date.now() }))),
      symlink: (target, path, cb) => (lostName(path) ? cb(-ERRNO.EILSEQ) : this.#sync(cb, () => this.#record({ op: 'symlink', path, target, t: Date.now() }))),
      rename: (src, dest, cb) => (lostName(dest) ? cb(-ERRNO.EILSEQ) : this.#sync(cb, () => this.#rename(src, dest))),
      readlink: (path, cb) => this.#async(cb, () => this.#readlink(path)),
      link: (_src, _dest, cb) => cb(-ERRNO.EPERM),
      mknod: (_path, _mode, _dev, cb) => cb(-ERRNO.EPERM),
      chmod: (path, mode, cb) => this.#sync(cb, () => {
        if (this.#c.tree.get(path).kind === 'symlink') return;
        this.#record({ op: 'chmod', path, perm: mode & 0o7777, t: Date.now() });
      }),
      chown: (_path, _uid, _gid, cb) => cb(0),
      utimens: (path, _atime, mtime, cb) => this.#sync(cb, () => this.#utimens(path, mtime)),
    };
  }

  // --- metadata -----------------------------------------------------------

  async #getattr(path: string): Promise<FuseStat> {
    if (path === GITFILE) return this.#stat(0o444 | S_IFREG, this.#c.gitfile.length, 0, 1, this.#c.tree.root.mtimeMs, this.#c.tree.root.ctimeMs);
    const node = this.#c.tree.get(path);
    if (node.kind !== 'dir' && node.size < 0 && node.blob !== undefined) {
      // The size comes with the batch of sizes asked at the start, or with the blob itself, whichever is first:
      // a file stat'ed then read right after the mount went up does not wait for every size.
      const blob = node.blob;
      const hydrated = this.#c.hydrate(blob).then(() => true);
      hydrated.catch(() => {});
      const first = await Promise.race([this.#c.sizesReady.then(() => false), hydrated]);
      if (!first && node.size < 0) await hydrated;
      if (node.size < 0) node.size = fstatSize(blobPath(this.#c.layout.blobs, blob));
    }
    return this.#nodeStat(node);
  }

  #nodeStat(node: Node): FuseStat {
    if (node.kind === 'dir') return this.#stat(S_IFDIR | node.perm, 4096, node.ino, 2 + node.subdirs, node.mtimeMs, node.ctimeMs);
    if (node.kind === 'symlink') return this.#stat(S_IFLNK | 0o777, Math.max(0, node.size), node.ino, 1, node.mtimeMs, node.ctimeMs);
    return this.#stat(S_IFREG | node.perm, Math.max(0, node.size), node.ino, 1, node.mtimeMs, node.ctimeMs);
  }

  #stat(mode: number, size: number, ino: number, nlink: number, mtime: number, ctime: number): FuseStat {
    return { mode, uid: this.#c.uid, gid: this.#c.gid, size, dev: 0, nlink, ino, rdev: 0, blksize: 4096, blocks: Math.ceil(size / 512), atime: mtime, mtime, ctime };
  }

  #readdir(path: string): [string[], FuseStat[]] {
    const node = this.#c.tree.get(path);
    if (node.kind !== 'dir') throw new FsError('ENOTDIR', path);
    const names = ['.', '..'];
    const self = this.#nodeStat(node);
    const stats = [self, self];
    if (node === this.#c.tree.root) {
      names.push('.git');
      stats.push(this.#stat(0o444 | S_IFREG, this.#c.gitfile.length, 0, 1, node.mtimeMs, node.ctimeMs));
    }
    for (const [name, child] of node.children) {
      names.push(name);
      stats.push(this.#nodeStat(child));
    }
    return [names, stats];
  }

  async #readlink(path: string): Promise<string> {
    const node = this.#c.tree.get(path);
    if (node.kind !== 'symlink') throw new FsError('EINVAL', path);
    if (node.target === undefined && node.blob !== undefined) {
      await this.#c.hydrate(node.blob);
      node.target = readFileSync(blobPath(this.#c.layout.blobs, node.blob), 'utf8');
    }
    return node.target ?? '';
  }

  #statfs(): Record<string, number> {
    const s = statfsSync(this.#c.layout.root);
    return { bsize: s.bsize, frsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files, ffree: s.ffree, favail: s.ffree, fsid: 0, flag: 0, namemax: 255 };
  }

  // --- contents -----------------------------------------------------------

  async #open(path: string, flags: number): Promise<number> {
    const writable = (flags & O_ACCMODE) !== constants.O_RDONLY;
    if (path === GITFILE) {
      if (writable) throw new FsError('EROFS', path);
      return this.#addHandle({ fd: -1, node: 'gitfile', writable: false, append: false });
    }
    const node = this.#c.tree.get(path);
    if (node.kind === 'dir') throw new FsError('EISDIR', path);
    if (node.kind !== 'file') throw new FsError('EINVAL', path);
    if (writable) {
      await this.#copyUp(path, node, (flags & constants.O_TRUNC) !== 0);
      const fd = openSync(this.#upperPath(node.upper!), 'r+');
      return this.#addHandle({ fd, node, writable: true, append: (flags & constants.O_APPEND) !== 0 });
    }
    if (node.upper === undefined && node.blob !== undefined) await this.#c.hydrate(node.blob);
    if (this.#c.tree.lookup(path) !== node) throw new FsError('ENOENT', path); // removed while waiting
    return this.#addHandle({ fd: openSync(this.#contentPath(node), 'r'), node, writable: false, append: false });
  }

  #create(path: string, mode: number): number {
    if (path === GITFILE) throw new FsError('EROFS', path);
    const existing = this.#c.tree.lookup(path);
    if (existing?.kind === 'dir') throw new FsError('EISDIR', path);
    const upper = newUpperId();
    writeFileSync(this.#upperPath(upper), '');
    this.#record({ op: 'create', path, upper, perm: mode & 0o7777, t: Date.now() });
    const node = this.#c.tree.get(path) as FileNode;
    return this.#addHandle({ fd: openSync(this.#upperPath(upper), 'r+'), node, writable: true, append: false });
  }

  #read(fd: number, buf: Buffer, len: number, pos: number): number {
    const handle = this.#handles.get(fd);
    if (handle === undefined) return -ERRNO.EBADF;
    try {
      if (handle.node === 'gitfile') {
        const part = this.#c.gitfile.subarray(pos, pos + len);
        buf.set(part);
        return part.length;
      }
      return readSync(handle.fd, buf, 0, len, pos);
    } catch (err) {
      return this.#errno(err, 'read', String(fd));
    }
  }

  #write(path: string, fd: number, buf: Buffer, len: number, pos: number): number {
    const handle = this.#handles.get(fd);
    if (handle === undefined || !handle.writable || handle.node === 'gitfile') return -ERRNO.EBADF;
    try {
      const at = handle.append ? fstatSync(handle.fd).size : pos;
      const written = writeSync(handle.fd, buf, 0, len, at);
      const node = handle.node;
      if (node.kind === 'file') {
        node.size = Math.max(node.size, at + written);
        node.mtimeMs = node.ctimeMs = Date.now();
      }
      return written;
    } catch (err) {
      return this.#errno(err, 'write', path);
    }
  }

  #release(fd: number): void {
    const handle = this.#handles.get(fd);
    this.#handles.delete(fd);
    if (handle !== undefined && handle.fd >= 0) closeSync(handle.fd);
  }

  async #truncate(path: string, size: number): Promise<void> {
    if (path === GITFILE) throw new FsError('EROFS', path);
    const node = this.#c.tree.get(path);
    if (node.kind === 'dir') throw new FsError('EISDIR', path);
    if (node.kind !== 'file') throw new FsError('EINVAL', path);
    await this.#copyUp(path, node, size === 0);
    truncateSync(this.#upperPath(node.upper!), size);
    this.#resized(node, size);
  }

  #ftruncate(path: string, fd: number, size: number): void {
    const handle = this.#handles.get(fd);
    if (handle === undefined || !handle.writable || handle.node === 'gitfile' || handle.node.kind !== 'file') throw new FsError('EBADF', path);
    ftruncateSync(handle.fd, size);
    this.#resized(handle.node, size);
  }

  #resized(node: FileNode, size: number): void {
    node.size = size;
    node.mtimeMs = node.ctimeMs = Date.now();
  }

  /**
   * Gives `node` its own upper-layer file: a copy of its blob (fetched first
   * if need be), or an empty file when it is about to be truncated anyway.
   * Handles open for reading move to the copy.
   */
  async #copyUp(path: string, node: FileNode, empty: boolean): Promise<void> {
    if (node.upper !== undefined) return;
    const blob = node.blob;
    if (!empty && blob !== undefined) await this.#c.hydrate(blob);
    if (node.upper !== undefined) return; // another call copied it up meanwhile
    if (this.#c.tree.lookup(path) !== node) throw new FsError('ENOENT', path);
    const upper = newUpperId();
    if (empty || blob === undefined) writeFileSync(this.#upperPath(upper), '');
    else copyFileSync(blobPath(this.#c.layout.blobs, blob), this.#upperPath(upper));
    this.#record({ op: 'copyup', path, upper, t: Date.now() });
    if (empty) node.size = 0;
    for (const handle of this.#handles.values()) {
      if (handle.node !== node || handle.writable) continue;
      closeSync(handle.fd);
      handle.fd = openSync(this.#upperPath(upper), 'r');
    }
  }

  #rename(src: string, dest: string): void {
    if (src === GITFILE || dest === GITFILE) throw new FsError('EPERM', GITFILE);
    this.#record({ op: 'rename', from: src, to: dest, t: Date.now() });
  }

  #utimens(path: string, mtime: number): void {
    if (path === GITFILE) throw new FsError('EROFS', path);
    const node = this.#c.tree.get(path);
    if (node.kind === 'file' && node.upper !== undefined) utimesSync(this.#upperPath(node.upper), new Date(mtime), new Date(mtime));
    this.#record({ op: 'times', path, mtime, t: Date.now() });
  }

  // --- plumbing -----------------------------------------------------------

  /** Applies a change to the tree, journals it, deletes upper files it freed. */
  #record(op: JournalOp): void {
    if ('path' in op && op.path === GITFILE) throw new FsError('EROFS', GITFILE);
    const freed = applyOp(this.#c.tree, op);
    this.#c.journal.append(op);
    for (const upper of freed) rmSync(this.#upperPath(upper), { force: true });
  }

  #contentPath(node: FileNode): string {
    if (node.upper !== undefined) return this.#upperPath(node.upper);
    return blobPath(this.#c.layout.blobs, node.blob!);
  }

  #upperPath(id: string): string {
    return join(this.#c.layout.upper, id);
  }

  #addHandle(handle: Handle): number {
    const id = this.#nextHandle++;
    this.#handles.set(id, handle);
    return id;
  }

  #sync<T>(cb: Cb<T>, run: () => T): void {
    let value: T;
    try {
      value = run();
    } catch (err) {
      cb(this.#errno(err, 'call', ''));
      return;
    }
    cb(0, value);
  }

  #async<T>(cb: Cb<T>, run: () => Promise<T>): void {
    run().then((value) => cb(0, value), (err: unknown) => cb(this.#errno(err, 'call', '')));
  }

  #errno(err: unknown, what: string, path: string): number {
    if (err instanceof FsError) return -ERRNO[err.errno];
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code in ERRNO) return -ERRNO[code as keyof typeof ERRNO];
    this.#c.log(`${what} ${path}: ${err instanceof Error ? err.message : String(err)}`);
    return -ERRNO.EIO;
  }
}

function newUpperId(): string {
  return `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
}

function fstatSize(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}
