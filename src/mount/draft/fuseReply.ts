/**
 * How the draft mount answers fuse-native: `answer` runs an operation that
 * may finish now or later and answers with its value or the errno it failed
 * with, `count` does the same for reads and writes (answered with a byte
 * count), and `fuseStat` turns a cache file's stats into what the mount
 * shows (a placeholder without its marker bit, with the blocks of its
 * size; times all the modification time; a folder with one link).
 */
import type { Stats } from 'node:fs';
import { isPlaceholder, PLACEHOLDER_BIT } from './BlobTable.ts';
import { errnoOf } from './errno.ts';
import type { FuseStat } from './fuseBinding.ts';

export type Answer<T> = (code: number, value?: T) => void;

/** Runs `work` (synchronous or not) and answers `cb` with its value, or with the errno it failed with. */
export function answer<T>(cb: Answer<T>, work: () => T | Promise<T>): void {
  let out: T | Promise<T>;
  try {
    out = work();
  } catch (err) {
    cb(errnoOf(err));
    return;
  }
  if (out instanceof Promise) out.then((value) => cb(0, value), (err: unknown) => cb(errnoOf(err)));
  else cb(0, out);
}

/** As answer, for operations whose answer is a count (read, write). */
export function count(cb: (code: number) => void, work: () => number): void {
  try {
    cb(work());
  } catch (err) {
    cb(errnoOf(err));
  }
}

export function fuseStat(stats: Stats): FuseStat {
  const placeholder = isPlaceholder(stats);
  const ms = Math.trunc(stats.mtimeMs);
  return {
    mode: placeholder ? stats.mode & ~PLACEHOLDER_BIT : stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    size: stats.size,
    // 1 for a folder: tools that count subfolders by links (find's leaf optimization) must not.
    nlink: stats.isDirectory() ? 1 : stats.nlink,
    blksize: 4096,
    blocks: placeholder ? Math.ceil(stats.size / 512) : stats.blocks,
    mtime: ms,
    atime: ms,
    ctime: ms,
  };
}

