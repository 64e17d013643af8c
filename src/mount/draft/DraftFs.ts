/**
 * The FUSE operations of a draft mount, each a real file operation on the
 * local cache tree: an open gets a real file descriptor of the cache file,
 * reads and writes go to it at their positions, rename, unlink, mkdir,
 * chmod, symlink and the rest act on the cache's files. What the server
 * holds comes in before an operation needs it — the folders above a path are
 * listed first (FolderLister), a placeholder's bytes are fetched when it is
 * opened (Hydrator) — and every change marks its path dirty for the next
 * sync, before the change is made. Nothing is hashed or sent here.
 *
 * Git keeps a file's executable bit only: a chmod that flips it marks the
 * file dirty, other bits stay local. Git has no hard links: link is EPERM.
 * A name that is not UTF-8 cannot be made (EILSEQ: lostName.ts).
 * Times come from the cache files (ctime and atime show mtime, so they stay
 * put when a placeholder is filled). There is no flush: writes are in the
 * cache file when they are answered, and without the operation the kernel
 * stops asking at every close (one round trip less per file written).
 *
 * Past 300 lines because it is the one list of operations FUSE calls, each
 * short; the answering helpers are in fuseReply.ts.
 */
import {
  chmodSync, closeSync, constants, fchmodSync, fdatasync, fstatSync, ftruncateSync, lstatSync, lutimesSync, mkdirSync, openSync,
  readdirSync, readlinkSync, readSync, renameSync, rmdirSync, statfsSync, symlinkSync, truncateSync, unlinkSync, writeSync, type Stats,
} from 'node:fs';
import { type BlobTable, isPlaceholder, PLACEHOLDER_BIT } from './BlobTable.ts';
import type { DirtyPaths } from './DirtyPaths.ts';
import { errno, errnoOf, fsError } from './errno.ts';
import type { FolderLister } from './FolderLister.ts';
import type { FuseOperations, FuseStat, FuseStatfs } from './fuseBinding.ts';
import { answer, count, fuseStat, type Answer } from './fuseReply.ts';
import type { Hydrator } from './Hydrator.ts';
import { lostName } from '../lostName.ts';
import { localPath, type MountCache } from './MountCache.ts';
import { parentOf } from './ServerIndex.ts';

interface Handle {
  fd: number;
  /** Where the file is now (kept up to date across renames). */
  key: string;
  /** The cache file's inode, once known (-1 until the first write). */
  ino: number;
  /** The dirty epoch this handle last marked its file in (-1: not yet). */
  epoch: number;
}

const { O_APPEND, O_CREAT, O_DIRECT, O_EXCL, O_NOCTTY, O_RDWR, O_TRUNC, O_ACCMODE } = constants as typeof constants & { O_DIRECT: number; O_ACCMODE?: number };
const ACCESS = O_ACCMODE ?? 3;
const NOT_PASSED_ON = O_CREAT | O_EXCL | O_NOCTTY | O_APPEND | (O_DIRECT ?? 0);
const UINT32 = 0xffffffff;
const ENOENT = errno('ENOENT');
const EILSEQ = errno('EILSEQ');

function keyOf(path: string): string {
  return path === '/' ? '' : path.slice(1);
}

export class DraftFs implements FuseOperations {
  readonly #cache: MountCache;
  readonly #lister: FolderLister;
  readonly #hydrator: Hydrator;
  readonly #dirty: DirtyPaths;
  readonly #handles = new Map<number, Handle>();
  readonly #umask = process.umask();

  constructor(cache: MountCache, lister: FolderLister, hydrator: Hydrator, dirty: DirtyPaths) {
    this.#cache = cache;
    this.#lister = lister;
    this.#hydrator = hydrator;
    this.#dirty = dirty;
  }

  /** Paths (and what is below them) whose changes are not the user's: merges from the server. */
  readonly #quiet = new Set<string>();

  /** Changes to `keys` (and below) are not marked dirty until the returned function is called. */
  quiet(keys: readonly string[]): () => void {
    for (const key of keys) this.#quiet.add(key);
    return () => {
      for (const key of keys) this.#quiet.delete(key);
    };
  }

  #mark(key: string): void {
    if (this.#quiet.size > 0) {
      if (this.#quiet.has(key)) return;
      for (let i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) if (this.#quiet.has(key.slice(0, i))) return;
    }
    this.#dirty.mark(key);
  }

  /** Open file descriptors. */
  get openFiles(): number {
    return this.#handles.size;
  }

  /** Runs `work` once folder `key` and those above it are listed. */
  #after<T>(key: string, work: () => T | Promise<T>): T | Promise<T> {
    return this.#lister.needs(key) ? this.#lister.ensure(key).then(work) : work();
  }

  #local(key: string): string {
    return localPath(this.#cache, key);
  }

  #stat(key: string): Stats {
    const stats = lstatSync(this.#local(key), { throwIfNoEntry: false });
    if (stats === undefined) throw fsError('ENOENT', key);
    return stats;
  }

  get #blobs(): BlobTable {
    return this.#cache.blobs;
  }

  getattr(path: string, cb: Answer<FuseStat>): void {
    const key = keyOf(path);
    const look = (): void => {
      // Looking up a name that is not there is the common case of every create: answered without an Error.
      const stats = lstatSync(this.#local(key), { throwIfNoEntry: false });
      if (stats === undefined) cb(ENOENT);
      else cb(0, fuseStat(stats));
    };
    if (!this.#lister.needs(parentOf(key))) {
      try {
        look();
      } catch (err) {
        cb(errnoOf(err));
      }
      return;
    }
    this.#lister.ensure(parentOf(key)).then(look).catch((err: unknown) => cb(errnoOf(err)));
  }

  fgetattr(path: string, _fd: number, cb: Answer<FuseStat>): void {
    this.getattr(path, cb);
  }

  readdir(path: string, cb: Answer<string[]>): void {
    const key = keyOf(path);
    answer(cb, () => this.#after(key, () => ['.', '..', ...readdirSync(this.#local(key))]));
  }

  statfs(_path: string, cb: Answer<FuseStatfs>): void {
    answer(cb, () => {
      const fs = statfsSync(this.#cache.upper);
      let { bsize, blocks, bfree, bavail } = fs;
      while (blocks > UINT32) {
        bsize *= 2;
        blocks = Math.floor(blocks / 2);
        bfree = Math.floor(bfree / 2);
        bavail = Math.floor(bavail / 2);
      }
      const files = Math.min(fs.files, UINT32);
      const ffree = Math.min(fs.ffree, UINT32);
      return { bsize, frsize: bsize, blocks, bfree, bavail, files, ffree, favail: ffree, fsid: 0, flag: 0, namemax: 255 };
    });
  }

  open(path: string, flags: number, cb: Answer<number>): void {
    const key = keyOf(path);
    answer(cb, () => this.#after(parentOf(key), () => {
      const stats = this.#stat(key);
      const truncating = (flags & ACCESS) !== 0 && (flags & O_TRUNC) !== 0;
      if (isPlaceholder(stats)) {
        if (!truncating) return this.#hydrator.hydrate(key).then(() => this.#open(key, flags));
        this.#mark(key);
        this.#emptyPlaceholder(key, stats);
      }
      return this.#open(key, flags);
    }));
  }

  #open(key: string, flags: number): number {
    const truncating = (flags & ACCESS) !== 0 && (flags & O_TRUNC) !== 0;
    if (truncating) this.#mark(key);
    const fd = openSync(this.#local(key), flags & ~NOT_PASSED_ON & ~O_TRUNC);
    const handle: Handle = { fd, key, ino: -1, epoch: -1 };
    this.#handles.set(fd, handle);
    if (truncating) {
      this.#touch(handle);
      ftruncateSync(fd, 0);
    }
    return fd;
  }

  create(path: string, mode: number, cb: Answer<number>): void {
    if (lostName(path)) return cb(EILSEQ);
    const key = keyOf(path);
    answer(cb, () => this.#after(parentOf(key), () => {
      const there = lstatSync(this.#local(key), { throwIfNoEntry: false });
      if (there !== undefined) {
        if (isPlaceholder(there)) return this.#hydrator.hydrate(key).then(() => this.#open(key, O_RDWR));
        return this.#open(key, O_RDWR);
      }
      this.#mark(key);
      const fd = openSync(this.#local(key), O_CREAT | O_EXCL | O_RDWR, mode & 0o777);
      if ((mode & 0o777 & this.#umask) !== 0) fchmodSync(fd, mode & 0o777);
      this.#handles.set(fd, { fd, key, ino: -1, epoch: this.#dirty.epoch });
      return fd;
    }));
  }

  read(_path: string, fd: number, buffer: Buffer, length: number, position: number, cb: (code: number) => void): void {
    count(cb, () => readSync(fd, buffer, 0, length, position));
  }

  write(_path: string, fd: number, buffer: Buffer, length: number, position: number, cb: (code: number) => void): void {
    count(cb, () => {
      const handle = this.#handles.get(fd);
      if (handle === undefined) throw fsError('EBADF', String(fd));
      if (handle.epoch !== this.#dirty.epoch) this.#touch(handle);
      return writeSync(fd, buffer, 0, length, position);
    });
  }

  /** The handle's file is about to change: dirty, and what was known of its bytes forgotten. */
  #touch(handle: Handle): void {
    this.#mark(handle.key);
    if (handle.ino < 0) handle.ino = fstatSync(handle.fd).ino;
    this.#blobs.forget(handle.ino);
    handle.epoch = this.#dirty.epoch;
  }

  fsync(_path: string, _datasync: number, fd: number, cb: (code: number) => void): void {
    if (!this.#handles.has(fd)) return cb(0);
    fdatasync(fd, (err) => cb(err === null ? 0 : errnoOf(err)));
  }

  release(_path: string, fd: number, cb: (code: number) => void): void {
    answer(cb, () => {
      if (!this.#handles.delete(fd)) return;
      closeSync(fd);
    });
  }

  truncate(path: string, size: number, cb: (code: number) => void): void {
    const key = keyOf(path);
    answer(cb, () => this.#after(parentOf(key), () => {
      const stats = this.#stat(key);
      if (isPlaceholder(stats)) {
        if (size === 0) {
          this.#mark(key);
          this.#emptyPlaceholder(key, stats);
          return undefined;
        }
        return this.#hydrator.hydrate(key).then(() => this.#truncate(key, size));
      }
      return this.#truncate(key, size);
    }));
  }

  #truncate(key: string, size: number): void {
    this.#mark(key);
    this.#blobs.forget(this.#stat(key).ino);
    truncateSync(this.#local(key), size);
  }

  /** A placeholder about to be truncated to nothing becomes an empty file, its bytes never fetched. */
  #emptyPlaceholder(key: string, stats: Stats): void {
    const local = this.#local(key);
    truncateSync(local, 0);
    chmodSync(local, stats.mode & 0o777);
    this.#blobs.forget(stats.ino);
  }

  ftruncate(_path: string, fd: number, size: number, cb: (code: number) => void): void {
    answer(cb, () => {
      const handle = this.#handles.get(fd);
      if (handle === undefined) throw fsError('EBADF', String(fd));
      this.#touch(handle);
      ftruncateSync(fd, size);
    });
  }

  unlink(path: string, cb: (code: number) => void): void {
    const key = keyOf(path);
    answer(cb, () => this.#after(parentOf(key), () => {
      const stats = this.#stat(key);
      if (stats.isDirectory()) throw fsError('EISDIR', key);
      this.#mark(key);
      this.#blobs.forget(stats.ino);
      unlinkSync(this.#local(key));
    }));
  }

  mkdir(path: string, mode: number, cb: (code: number) => void): void {
    if (lostName(path)) return cb(EILSEQ);
    const key = keyOf(path);
    answer(cb, () => this.#after(parentOf(key), () => {
      this.#mark(key);
      mkdirSync(this.#local(key), mode & 0o7777);
      if ((mode & 0o777 & this.#umask) !== 0) chmodSync(this.#local(key), mode & 0o7777);
    }));
  }

  rmdir(path: string, cb: (code: number) => void): void {
    const key = keyOf(path);
    answer(cb, () => this.#after(key, () => {
      this.#mark(key);
      rmdirSync(this.#local(key));
    }));
  }

  rename(from: string, to: string, cb: (code: number) => void): void {
    if (lostName(to)) return cb(EILSEQ);
    answer(cb, () => this.#rename(keyOf(from), keyOf(to)));
  }

  async #rename(from: string, to: string): Promise<void> {
    await this.#lister.ensure(parentOf(from));
    await this.#lister.ensure(parentOf(to));
    // A folder's unlisted folders stand for their server paths: list them all before they move.
    if (this.#stat(from).isDirectory()) await this.#lister.ensureTree(from);
    const target = lstatSync(this.#local(to), { throwIfNoEntry: false });
    if (target?.isDirectory() === true) await this.#lister.ensure(to);
    this.#stat(from);
    this.#mark(from);
    this.#mark(to);
    const replaced = lstatSync(this.#local(to), { throwIfNoEntry: false });
    renameSync(this.#local(from), this.#local(to));
    if (replaced !== undefined && !replaced.isDirectory()) this.#blobs.forget(replaced.ino);
    for (const handle of this.#handles.values()) {
      if (handle.key === from) handle.key = to;
      else if (handle.key.startsWith(`${from}/`)) handle.key = to + handle.key.slice(from.length);
    }
  }

  link(_from: string, _to: string, cb: (code: number) => void): void {
    cb(errno('EPERM'));
  }

  symlink(target: string, path: string, cb: (code: number) => void): void {
    if (lostName(path)) return cb(EILSEQ);
    const key = keyOf(path);
    answer(cb, () => this.#after(parentOf(key), () => {
      this.#mark(key);
      symlinkSync(target, this.#local(key));
    }));
  }

  readlink(path: string, cb: Answer<string>): void {
    const key = keyOf(path);
    answer(cb, () => this.#after(parentOf(key), () => readlinkSync(this.#local(key))));
  }

  chmod(path: string, mode: number, cb: (code: number) => void): void {
    const key = keyOf(path);
    answer(cb, () => this.#after(parentOf(key), () => {
      const stats = this.#stat(key);
      if (!stats.isFile()) {
        chmodSync(this.#local(key), mode & 0o7777);
        return;
      }
      if (((stats.mode ^ mode) & 0o100) !== 0) this.#mark(key);
      chmodSync(this.#local(key), (mode & 0o777) | (isPlaceholder(stats) ? PLACEHOLDER_BIT : 0));
    }));
  }

  chown(_path: string, _uid: number, _gid: number, cb: (code: number) => void): void {
    cb(0);
  }

  utimens(path: string, _atime: number, mtime: number, cb: (code: number) => void): void {
    const key = keyOf(path);
    answer(cb, () => this.#after(parentOf(key), () => {
      lutimesSync(this.#local(key), mtime / 1000, mtime / 1000);
    }));
  }
}
