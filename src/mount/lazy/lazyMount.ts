/**
 * `grove mount <remote> <dir>`: a lazy FUSE mount of any smart-HTTP Git
 * remote that speaks protocol v2 and allows filters (Grove; C Git with
 * uploadpack.allowFilter).
 *
 * The mount is there as soon as the commits and trees have come (a
 * `filter blob:none` fetch, the tip first) and lists at once; file sizes
 * come from batched `object-info` right after, so `ls -lR` is right before
 * any content arrives. It is a real working tree: `<dir>/.git` is a gitfile
 * pointing at a partial clone in the cache, whose index the mount writes
 * with the stat data it reports, so `git status` is clean at once; git
 * diff/add/commit/push work, writes go to a copy-on-write upper layer, and
 * nothing syncs behind the user's back. Blobs come in the background
 * (HydrationQueue.ts: manifests first, binaries last, hundreds per request),
 * and a read of a file not yet here jumps the queue and waits for it.
 * Everything lands in the cache (cacheLayout.ts), so a restart resumes where
 * the last run stopped.
 *
 * This module only turns on Node's compile cache (the mount's ~60 modules
 * then load in a third of the time on every start after the first — most of
 * what a mount of a small repository waits for) and loads the mount itself,
 * startLazyMount.ts.
 *
 * @example
 * const handle = await lazyMount({ remote: 'https://example.com/git/acme/app.git', dir: '/tmp/app', token });
 * console.log(handle.status().files);
 * await handle.unmount();
 */
import { enableCompileCache } from 'node:module';
import type { MountHandle } from '../MountHandle.ts';

export interface LazyMountOptions {
  /** The Git remote, e.g. `https://host/git/ns/repo.git` (smart HTTP, protocol v2). */
  remote: string;
  /** The folder to mount on (made if missing). */
  dir: string;
  /** Sent as `Authorization: Bearer <token>`, by the mount and by git commands run in it. */
  token?: string;
  /** Branch, tag or full ref name; default: the branch the remote's HEAD points at. */
  ref?: string;
  /** Default: under mountHome(), keyed by remote and dir. */
  cacheDir?: string;
  log?: (line: string) => void;
  /**
   * 'background': fetch every blob, most wanted first; 'on-demand': only what
   * is read. Default: $GROVE_MOUNT_HYDRATE when it is 'on-demand', else 'background'.
   */
  hydrate?: 'background' | 'on-demand';
}

export async function lazyMount(options: LazyMountOptions): Promise<MountHandle> {
  enableCompileCache();
  const { startLazyMount } = await import('./startLazyMount.ts');
  return startLazyMount(options);
}
