/**
 * fuse-native (libfuse 2.9 through N-API), typed for what the draft mount
 * uses, with the mount options fuse-native does not pass itself: `big_writes`
 * with 128 KiB `max_write` (32× fewer write requests than 4 KiB pages) and
 * `negative_timeout`. fuse-native is CommonJS without types; it is loaded
 * with `createRequire` and given the interface below.
 *
 * Its callbacks take `cb(code)` or `cb(code, value)`: 0 or a positive count
 * for success, a negative errno for failure. Known limits of the binding:
 * times are whole milliseconds, and `utimens` hands over the access time
 * twice (the modification time never reaches JavaScript).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface FuseStat {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  nlink: number;
  blocks: number;
  blksize: number;
  /** Milliseconds since the epoch, whole. */
  mtime: number;
  atime: number;
  ctime: number;
}

export interface FuseStatfs {
  bsize: number;
  frsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  favail: number;
  fsid: number;
  flag: number;
  namemax: number;
}

type Done = (code: number) => void;
type Answer<T> = (code: number, value?: T) => void;

/** The operations the draft mount implements (fuse-native's names and argument orders). */
export interface FuseOperations {
  init?(cb: Done): void;
  statfs(path: string, cb: Answer<FuseStatfs>): void;
  getattr(path: string, cb: Answer<FuseStat>): void;
  fgetattr(path: string, fd: number, cb: Answer<FuseStat>): void;
  readdir(path: string, cb: Answer<string[]>): void;
  open(path: string, flags: number, cb: Answer<number>): void;
  create(path: string, mode: number, cb: Answer<number>): void;
  read(path: string, fd: number, buffer: Buffer, length: number, position: number, cb: Done): void;
  write(path: string, fd: number, buffer: Buffer, length: number, position: number, cb: Done): void;
  fsync(path: string, datasync: number, fd: number, cb: Done): void;
  release(path: string, fd: number, cb: Done): void;
  truncate(path: string, size: number, cb: Done): void;
  ftruncate(path: string, fd: number, size: number, cb: Done): void;
  unlink(path: string, cb: Done): void;
  rename(from: string, to: string, cb: Done): void;
  link(from: string, to: string, cb: Done): void;
  symlink(target: string, path: string, cb: Done): void;
  readlink(path: string, cb: Answer<string>): void;
  mkdir(path: string, mode: number, cb: Done): void;
  rmdir(path: string, cb: Done): void;
  chmod(path: string, mode: number, cb: Done): void;
  chown(path: string, uid: number, gid: number, cb: Done): void;
  /** Milliseconds; see the note at the top: both are the access time. */
  utimens(path: string, atime: number, mtime: number, cb: Done): void;
}

export interface FuseOptions {
  force?: boolean;
  mkdir?: boolean;
  /** Milliseconds an operation may take before fuse-native answers ETIMEDOUT itself; false: no limit. */
  timeout?: number | false;
  autoCache?: boolean;
  kernelCache?: boolean;
  defaultPermissions?: boolean;
  attrTimeout?: number;
  entryTimeout?: number;
  fsname?: string;
  subtype?: string;
  debug?: boolean;
}

export interface FuseMount {
  mount(cb: (err: Error | null) => void): void;
  unmount(cb: (err: Error | null) => void): void;
}

interface FuseInstance extends FuseMount {
  mnt: string;
  _thread: Buffer | null;
  _fuseOptions(): string;
}

interface FuseClass {
  new (mnt: string, ops: FuseOperations, opts: FuseOptions): FuseInstance;
}

/** Options appended to fuse-native's own `-o` list. */
const EXTRA_OPTIONS = ['big_writes', 'max_write=131072', 'max_read=131072', 'negative_timeout=1'];

let loaded: FuseClass | null = null;

function fuseClass(): FuseClass {
  if (loaded === null) loaded = createRequire(import.meta.url)('fuse-native') as FuseClass;
  return loaded;
}

/** A FUSE mount of `ops` at `mnt` (not mounted until `mount()`); throws when fuse-native cannot load. */
export function createFuse(mnt: string, ops: FuseOperations, opts: FuseOptions): FuseMount {
  const Fuse = fuseClass();
  const fuse = new Fuse(mnt, ops, opts);
  const own = fuse._fuseOptions.bind(fuse);
  fuse._fuseOptions = (): string => {
    const options = own();
    return `${options === '' ? '-o' : `${options},`}${EXTRA_OPTIONS.join(',')}`;
  };
  return fuse;
}

/**
 * Lets go of a mount the kernel no longer has (someone ran `fusermount -u`):
 * fuse-native's own unmount would run fusermount again, fail, and keep the
 * event loop alive; this releases its native side only.
 */
export function releaseUnmounted(fuse: FuseMount): void {
  const instance = fuse as FuseInstance;
  if (instance._thread === null) return;
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('fuse-native/package.json'));
  const binding = createRequire(join(root, 'index.js'))('node-gyp-build')(root) as { fuse_native_unmount(mnt: string, thread: Buffer): void };
  binding.fuse_native_unmount(instance.mnt, instance._thread);
  instance._thread = null;
}

/** Whether FUSE can be used here: /dev/fuse, and fuse-native's binding loads. */
export function fuseAvailable(): { ok: true } | { ok: false; reason: string } {
  if (!existsSync('/dev/fuse')) return { ok: false, reason: 'no /dev/fuse' };
  try {
    fuseClass();
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `fuse-native does not load: ${(err as Error).message}` };
  }
}
