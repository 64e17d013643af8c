/**
 * `grove mount --draft`: a draft mounted read-write with FUSE, local first.
 *
 * The draft's files live in a cache folder on local disk (openDraftCache.ts),
 * listed from the server a folder at a time as they are first needed and
 * fetched a file at a time as they are first opened; every operation of the
 * mount is a real file operation on that cache (DraftFs.ts), so creating,
 * stating and removing many small files, or writing a big one, runs at the
 * speed of the local disk plus FUSE. Changes are written back by content
 * address (DraftSync.ts) on `sync()`, every `syncIntervalMs`, and at
 * unmount; a failed sync is retried and shown in `status().errors`, and
 * nothing local is dropped before the server has it.
 *
 * ```ts
 * const handle = await draftMount({ url, token, namespace: 'team', name: 'app', draftId, dir: '/mnt/app' });
 * await writeFile('/mnt/app/notes.md', 'hi\n'); // from another process
 * await handle.sync();
 * await handle.unmount();
 * ```
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GroveError } from '../../errors.ts';
import { GroveClient } from '../../sdk/GroveClient.ts';
import { isServedMount } from '../isMounted.ts';
import type { MountHandle } from '../MountHandle.ts';
import { DraftFs } from './DraftFs.ts';
import { DraftSync } from './DraftSync.ts';
import { FolderLister } from './FolderLister.ts';
import { createFuse } from './fuseBinding.ts';
import { Hydrator } from './Hydrator.ts';
import { closeDraftCache, openDraftCache } from './openDraftCache.ts';
import { RemoteChanges } from './RemoteChanges.ts';
import { RunningDraftMount } from './RunningDraftMount.ts';

/** How long the kernel keeps attributes and names. */
const CACHE_SECONDS = 60;

export interface DraftMountOptions {
  /** The Grove server, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** A token that can write the repository (or a draft token of this draft). */
  token: string;
  namespace: string;
  name: string;
  draftId: string;
  /** The folder to mount on (made when missing). */
  dir: string;
  /** Where the draft's files and state are kept (default: under mountHome(), one folder per draft). */
  cacheDir?: string;
  /** Milliseconds between automatic syncs (default 30,000; 0: only on demand and at unmount). */
  syncIntervalMs?: number;
  log?: (line: string) => void;
}

export async function draftMount(options: DraftMountOptions): Promise<MountHandle> {
  const log = options.log ?? ((): void => {});
  const dir = resolve(options.dir);
  if (await isServedMount(dir)) throw new GroveError('ALREADY_EXISTS', `${dir} is mounted already: grove unmount ${dir} first`, { dir });
  const repo = new GroveClient({ url: options.url, token: options.token }).repo(options.namespace, options.name);
  const opened = openDraftCache({
    url: options.url, namespace: options.namespace, name: options.name, draftId: options.draftId, repo, drafts: repo.drafts, log,
    ...(options.cacheDir === undefined ? {} : { cacheDir: resolve(options.cacheDir) }),
  });
  try {
    const { cache, dirty } = opened;
    const draft = await repo.drafts.get(options.draftId);
    if (draft.state !== 'open') throw new GroveError('DRAFT_CLOSED', `draft ${options.draftId} is ${draft.state}: only an open draft can be mounted`);
    const lister = new FolderLister(cache);
    const hydrator = new Hydrator(cache);
    const remote = new RemoteChanges(cache, lister);
    const errors: { at: string; message: string }[] = [];
    const report = (message: string): void => {
      log(message);
      errors.push({ at: new Date().toISOString(), message });
      if (errors.length > 20) errors.shift();
    };
    await lister.listRoot();
    if (opened.fresh) {
      cache.db.setMeta('updated_at', draft.updated_at);
    } else if (opened.recovered) {
      log(`the last mount of this cache ended without unmounting: the next sync compares the whole cache with the draft`);
    }
    const sync = new DraftSync({ cache, dirty, hydrator, remote, report });
    const ops = new DraftFs(cache, lister, hydrator, dirty);
    const fuse = createFuse(dir, ops, {
      force: true, mkdir: true, timeout: false, defaultPermissions: true, fsname: 'grove', subtype: 'grove-draft',
      // Every change reaches the cache through the kernel (merges from the server too: RemoteChanges), so
      // the kernel may keep pages and attributes: reads of a file just written come from memory.
      kernelCache: true, attrTimeout: CACHE_SECONDS, entryTimeout: CACHE_SECONDS,
    });
    await new Promise<void>((done, fail) => fuse.mount((err) => (err === null || err === undefined ? done() : fail(err))));
    // The kernel keeps the root's attributes for a while after this: a synchronous stat of `dir` made by
    // this process right after (serveControl's realpath) is then answered without asking this process,
    // which could not answer while it waits on the stat itself.
    await stat(dir);
    remote.attach({ dir, quiet: (keys) => ops.quiet(keys) });
    log(`mounted ${options.namespace}/${options.name}#${options.draftId} on ${dir} (cache ${opened.dir})`);
    return new RunningDraftMount({
      dir, source: `${options.namespace}/${options.name}#${options.draftId}`, cacheDir: opened.dir,
      fuse, sync, dirty, cache, lister, hydrator, remote, errors, report, log,
      syncIntervalMs: options.syncIntervalMs ?? 30_000,
      close: () => closeDraftCache(opened),
    });
  } catch (err) {
    closeDraftCache(opened);
    throw err;
  }
}
