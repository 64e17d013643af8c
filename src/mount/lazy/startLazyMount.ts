/**
 * The work of lazyMount.ts, in order: the folder checked (not served by
 * another process) and the cache locked; FUSE mounted at once, its calls
 * held (DeferredOps.ts) while the checkout is prepared (prepareCheckout.ts),
 * the tree built from it and the journal replayed over it, the blob store
 * checked, the hydration queue and its worker set up — the mount lists from
 * here — then, once the sizes have come and git has stored the trees, the
 * index written, the background hydration started, and the rest of the
 * history fetched when the contents are in. A failure before that takes
 * the mount down and releases the cache.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { GroveError } from '../../errors.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import type { MountHandle } from '../MountHandle.ts';
import type { LazyMountOptions } from './lazyMount.ts';
import { applySizes, saveListing } from './baseListing.ts';
import type { BlobFetcher } from './BlobFetcher.ts';
import { dropShortBlobs, prepareBlobStore, storedBlobs } from './blobStore.ts';
import { cacheLayout, defaultCacheDir, type CacheLayout } from './cacheLayout.ts';
import { lockCache } from '../cacheLock.ts';
import { isServedMount } from '../isMounted.ts';
import { writeCheckoutIndex } from './checkoutIndex.ts';
import { completeHistory, isShallow } from './fetchTreePack.ts';
import { FileTree } from './FileTree.ts';
import { HydrationQueue } from './HydrationQueue.ts';
import { writeConfig } from './initGitDir.ts';
import { LazyFileSystem } from './LazyFileSystem.ts';
import { lazyMountHandle } from './lazyMountHandle.ts';
import { backgroundOrder, knownSizes, setNodeSizes, SizeLearner } from './listingBlobs.ts';
import { MountCounters } from './MountCounters.ts';
import { mountDevice } from './mountDevice.ts';
import { mountFuse } from './mountFuse.ts';
import { DeferredOps } from './DeferredOps.ts';
import { writeState } from './mountState.ts';
import { applyOp, OverlayJournal, syncUpperFiles } from './OverlayJournal.ts';
import { prepareCheckout } from './prepareCheckout.ts';
import { WorkerBlobFetcher } from './WorkerBlobFetcher.ts';

export async function startLazyMount(options: LazyMountOptions): Promise<MountHandle> {
  const dir = resolve(options.dir);
  const layout = cacheLayout(resolve(options.cacheDir ?? defaultCacheDir(options.remote, dir)));
  if (layout.root === dir || layout.root.startsWith(dir + sep)) {
    throw new GroveError('BAD_REQUEST', `the cache (${layout.root}) cannot live inside the mount (${dir})`);
  }
  if (await isServedMount(dir)) throw new GroveError('ALREADY_EXISTS', `${dir} is mounted already: grove unmount ${dir} first`, { dir });
  for (const path of [layout.root, layout.upper, layout.base]) mkdirSync(path, { recursive: true, mode: 0o700 });
  const unlock = lockCache(layout.root); // one mount process per cache
  try {
    return await mountLocked(options, dir, layout, unlock);
  } catch (err) {
    unlock();
    throw err;
  }
}

async function mountLocked(options: LazyMountOptions, dir: string, layout: CacheLayout, unlock: () => void): Promise<MountHandle> {
  const log = options.log ?? (() => {});
  const hydrate = options.hydrate ?? (process.env['GROVE_MOUNT_HYDRATE'] === 'on-demand' ? 'on-demand' : 'background');
  const storeReady = prepareBlobStore(layout.blobs);
  storeReady.catch(() => {}); // awaited below; a failure must not go unhandled while the remote answers
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const warnings: string[] = [];
  const headers: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };

  const journal = new OverlayJournal(layout.journal);
  // FUSE goes up while the remote is asked for the tree; calls that come first wait for the file system.
  const deferred = new DeferredOps();
  const mounting = mountFuse(dir, deferred);
  mounting.catch(() => {}); // awaited below

  const mountWhenReady = async (): Promise<MountHandle> => {
    const checkout = await prepareCheckout({
      layout, remote: options.remote, headers, log, hasChanges: journal.length > 0,
      ...(options.ref === undefined ? {} : { ref: options.ref }),
      warn: (message) => {
        warnings.push(message);
        log(message);
      },
    });
    const { listing, state } = checkout;
    writeConfig(layout.gitDir, { remote: options.remote, ref: state.ref, ...(options.token === undefined ? {} : { token: options.token }) });

    const baseTime = Math.min(listing.commitTime * 1000, Math.floor((Date.now() - 2000) / 1000) * 1000);
    const tree = FileTree.fromBase(listing.entries, baseTime);
    if (checkout.writeIndex && journal.length > 0) rmSync(layout.journal, { force: true }); // a new base: old changes were on another commit
    const replay = new OverlayJournal(layout.journal);
    const ops = replay.read();
    for (const op of ops) applyOp(tree, op);
    const usedUpper = ops.length === 0 ? new Set<string>() : syncUpperFiles(tree, layout.upper);
    for (const name of readdirSync(layout.upper)) if (!usedUpper.has(name)) rmSync(`${layout.upper}/${name}`, { force: true });

    await storeReady;
    const present = storedBlobs(layout.blobs);
    const dropped = dropShortBlobs(layout.blobs, present, knownSizes(listing));
    if (dropped > 0) log(`${dropped} blob(s) of the cache were cut short (the mount was killed while writing them): fetching them again`);
    const counters = new MountCounters(listing.entries, present);
    for (const warning of warnings) counters.error(warning);
    const worker = checkout.remote === undefined ? undefined : new WorkerBlobFetcher({
      url: checkout.remote.transport.base.href,
      headers,
      capabilities: [...checkout.remote.capabilities],
      blobDir: layout.blobs,
      gitDir: layout.gitDir,
      // Without sizes, a short blob could not be told at the next start: write through a rename.
      atomicWrites: !listing.sizesKnown && checkout.sizes === undefined,
    });
    const fetcher: BlobFetcher = worker ?? {
      fetch: async () => Promise.reject(new Error('the remote could not be reached when the mount started')),
      close: async () => {},
    };
    let sizeless: SizeLearner | undefined;
    let afterHydration: (() => void) | undefined;
    const cleanups: (() => void)[] = [unlock];
    const queue = new HydrationQueue(present, {
      fetcher,
      background: hydrate === 'background',
      onHydrated: (oid, size) => {
        counters.hydrated(oid, size);
        sizeless?.learn(oid, size);
        if (counters.complete) {
          log(`all ${counters.files} files (${counters.bytes} bytes) are local, ${Math.round(performance.now() - t0)} ms after the start`);
          afterHydration?.();
          afterHydration = undefined;
        }
      },
      onError: (message) => {
        counters.error(message);
        log(message);
      },
    });

    const sizesReady = (checkout.sizes ?? Promise.resolve(new Map<Oid, number>())).then(
      (sizes) => {
        applySizes(listing, sizes);
        dropShortBlobs(layout.blobs, present, sizes);
        setNodeSizes(tree, listing);
        for (const [oid, size] of sizes) counters.sized(oid, size);
        saveListing(layout.base, listing);
      },
      (err: Error) => {
        const message = `object-info failed, so file sizes are learnt by fetching each file: ${err.message}`;
        counters.error(message);
        log(message);
      },
    );
    const fs = new LazyFileSystem({
      tree, layout, journal: replay,
      hydrate: (oid) => queue.require(oid),
      sizesReady,
      gitfile: new TextEncoder().encode(`gitdir: ${layout.gitDir}\n`),
      uid: process.getuid?.() ?? 0,
      gid: process.getgid?.() ?? 0,
      log,
    });
    const fuse = await mounting;
    deferred.ready(fs.ops());
    worker?.start(); // it loads while the sizes are asked
    try {
      log(`mounted ${options.remote} (${state.ref.name} at ${state.commit}) on ${dir} after ${Math.round(performance.now() - t0)} ms`);

      await Promise.all([sizesReady, checkout.gitReady]);
      if (!listing.sizesKnown) sizeless = new SizeLearner(tree, listing, layout.base);
      if (checkout.writeIndex) {
        writeCheckoutIndex(layout.gitDir, listing, tree, { dev: mountDevice(dir) ?? 0, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 });
      }
      writeState(layout.state, { ...state, indexed: state.commit });
      queue.enqueue(backgroundOrder(listing, present));
      if (checkout.remote !== undefined && isShallow(layout.gitDir)) {
        // The rest of the history comes once the contents are here (or, on demand, when reads pause).
        const source = { transport: checkout.remote.transport, capabilities: checkout.remote.capabilities };
        const fetchHistory = (): void => {
          const started = performance.now();
          completeHistory(source, layout.gitDir, state.commit).then(
            () => log(`fetched the whole history (commits and trees) in ${Math.round(performance.now() - started)} ms`),
            (err: Error) => counters.error(`the history could not be fetched (the clone stays shallow): ${err.message}`),
          );
        };
        if (counters.complete) fetchHistory();
        else if (hydrate === 'background') afterHydration = fetchHistory;
        else {
          // On demand: once reads leave the network alone for a second.
          const idle = setInterval(() => {
            if (queue.idleMs < 1000) return;
            clearInterval(idle);
            fetchHistory();
          }, 250);
          idle.unref();
          cleanups.push(() => clearInterval(idle));
        }
      }
    } catch (err) {
      // Mounted but not ready: stop fetching; the mount is taken down below.
      queue.close();
      await fetcher.close().catch(() => {});
      throw err;
    }

    return lazyMountHandle({ dir, source: options.remote, startedAt, counters, queue, fetcher, fuse, fs, log, cleanups });
  };
  try {
    return await mountWhenReady();
  } catch (err) {
    deferred.fail();
    const fuse = await mounting.catch(() => null);
    if (fuse !== null) await new Promise<void>((done) => fuse.unmount(() => done()));
    throw err;
  }
}
