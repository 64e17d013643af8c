/**
 * The MountHandle of a running lazy mount (src/mount/MountHandle.ts): its
 * status, and an unmount that stops the hydration, unmounts and closes what
 * is open. A `fusermount -u` from outside ends it the same way (the mount
 * table is watched).
 */
import type { MountHandle, MountStatus } from '../MountHandle.ts';
import type { BlobFetcher } from './BlobFetcher.ts';
import type { FuseInstance } from './fuseNative.ts';
import type { HydrationQueue } from './HydrationQueue.ts';
import type { LazyFileSystem } from './LazyFileSystem.ts';
import type { MountCounters } from './MountCounters.ts';
import { mountDevice } from './mountDevice.ts';

export interface HandleParts {
  dir: string;
  source: string;
  startedAt: string;
  counters: MountCounters;
  queue: HydrationQueue;
  fetcher: BlobFetcher;
  fuse: FuseInstance;
  fs: LazyFileSystem;
  log(line: string): void;
  /** Run when the mount ends (timers). */
  cleanups: (() => void)[];
}

export function lazyMountHandle(parts: HandleParts): MountHandle {
  const { dir, counters, queue, fuse } = parts;
  let finish!: () => void;
  const closed = new Promise<void>((done) => {
    finish = done;
  });
  let closing: Promise<void> | undefined;
  const release = async (unmount: boolean): Promise<void> => {
    clearInterval(watch);
    for (const cleanup of parts.cleanups) cleanup();
    queue.close();
    await parts.fetcher.close().catch(() => {});
    if (unmount) {
      await new Promise<void>((done) => fuse.unmount((err) => {
        if (err !== null && err !== undefined) parts.log(`unmount: ${err.message}`);
        done();
      }));
    }
    parts.fs.closeAll();
    finish();
  };
  const watch = setInterval(() => {
    if (closing === undefined && mountDevice(dir) === undefined) closing = release(false);
  }, 1000);
  watch.unref();
  return {
    status(): MountStatus {
      return {
        kind: 'lazy', dir, source: parts.source,
        files: counters.files, hydratedFiles: counters.hydratedFiles,
        bytes: counters.bytes, hydratedBytes: counters.hydratedBytes,
        queue: queue.waiting, dirty: 0, errors: [...counters.errors], startedAt: parts.startedAt,
      };
    },
    unmount(): Promise<void> {
      closing ??= release(true);
      return closing;
    },
    closed,
  };
}
