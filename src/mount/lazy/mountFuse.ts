/**
 * Mounts the lazy file system with fuse-native: no per-call timeout (a read
 * waits for its blob as long as it takes), stale mounts at the same place
 * cleared first, the kernel caching names and attributes for 30 s (every
 * change goes through the mount, so the kernel sees it), 128 KiB reads and
 * writes, and the mount's own inode numbers (`use_ino`), which the index
 * records.
 */
import { existsSync } from 'node:fs';
import { GroveError } from '../../errors.ts';
import { loadFuse, type FuseInstance, type FuseOps } from './fuseNative.ts';

export async function mountFuse(dir: string, fs: { ops(): Partial<FuseOps> }): Promise<FuseInstance> {
  let Fuse;
  try {
    Fuse = loadFuse();
  } catch (err) {
    throw new GroveError('INTERNAL', `FUSE is not available here (fuse-native did not load: ${(err as Error).message})`);
  }
  if (!existsSync('/dev/fuse')) throw new GroveError('INTERNAL', 'FUSE is not available here: /dev/fuse does not exist');
  const fuse = new Fuse(dir, fs.ops(), {
    force: true,
    mkdir: true,
    timeout: false,
    // libfuse options fuse-native has no name for ride on fsname: our inode numbers, 128 KiB writes.
    fsname: 'grove-lazy,use_ino,big_writes,max_write=131072',
    subtype: 'grove',
    maxRead: 131072,
    attrTimeout: 30,
    entryTimeout: 30,
    autoCache: true,
  });
  await new Promise<void>((done, fail) => fuse.mount((err) => (err === null || err === undefined ? done() : fail(new GroveError('INTERNAL', `mount on ${dir} failed: ${err.message}`)))));
  return fuse;
}
