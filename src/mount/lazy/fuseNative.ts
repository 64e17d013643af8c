/**
 * fuse-native 2.2.6 (a CommonJS module without types), loaded on demand
 * with the few types the mount uses. Its callbacks take a result first: 0 or
 * a negative errno, or for read/write the byte count.
 */
import { createRequire } from 'node:module';

export interface FuseStat {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  dev: number;
  nlink: number;
  ino: number;
  rdev: number;
  blksize: number;
  blocks: number;
  atime: number;
  mtime: number;
  ctime: number;
}

export type Cb<T = void> = (result: number, value?: T) => void;

/** The handlers the lazy mount implements (fuse-native's names and argument orders). */
export interface FuseOps {
  init(cb: Cb): void;
  getattr(path: string, cb: Cb<FuseStat>): void;
  fgetattr(path: string, fd: number, cb: Cb<FuseStat>): void;
  readdir(path: string, cb: (result: number, names?: string[], stats?: FuseStat[]) => void): void;
  access(path: string, mode: number, cb: Cb): void;
  statfs(path: string, cb: Cb<Record<string, number>>): void;
  open(path: string, flags: number, cb: Cb<number>): void;
  create(path: string, mode: number, cb: Cb<number>): void;
  read(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: (bytes: number) => void): void;
  write(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: (bytes: number) => void): void;
  release(path: string, fd: number, cb: Cb): void;
  flush(path: string, fd: number, cb: Cb): void;
  fsync(path: string, datasync: boolean, fd: number, cb: Cb): void;
  truncate(path: string, size: number, cb: Cb): void;
  ftruncate(path: string, fd: number, size: number, cb: Cb): void;
  unlink(path: string, cb: Cb): void;
  rename(src: string, dest: string, cb: Cb): void;
  mkdir(path: string, mode: number, cb: Cb): void;
  rmdir(path: string, cb: Cb): void;
  symlink(target: string, path: string, cb: Cb): void;
  readlink(path: string, cb: Cb<string>): void;
  link(src: string, dest: string, cb: Cb): void;
  mknod(path: string, mode: number, dev: number, cb: Cb): void;
  chmod(path: string, mode: number, cb: Cb): void;
  chown(path: string, uid: number, gid: number, cb: Cb): void;
  utimens(path: string, atime: number, mtime: number, cb: Cb): void;
}

export interface FuseInstance {
  mount(cb: (err: Error | null) => void): void;
  unmount(cb: (err: Error | null) => void): void;
}

export type FuseConstructor = new (mnt: string, ops: Partial<FuseOps>, opts: Record<string, unknown>) => FuseInstance;

/** The Fuse class, or an error saying why FUSE is unusable here. */
export function loadFuse(): FuseConstructor {
  const require = createRequire(import.meta.url);
  return require('fuse-native') as FuseConstructor;
}
