/**
 * A mounted draft, as MountHandle: its status, `sync()`, the timer that
 * syncs every interval (and retries a failed sync sooner, backing off up to
 * a minute), and the unmount — sync, unmount the kernel's mount, sync what
 * came in meanwhile, save what is still dirty, release the cache. A mount
 * removed from outside (`fusermount -u`) is noticed within a second and
 * closed the same way, minus the unmount.
 */
import type { MountHandle, MountStatus, SyncReport } from '../MountHandle.ts';
import type { DirtyPaths } from './DirtyPaths.ts';
import type { DraftSync } from './DraftSync.ts';
import { errorMessage } from './errorMessage.ts';
import type { FolderLister } from './FolderLister.ts';
import { releaseUnmounted, type FuseMount } from './fuseBinding.ts';
import type { Hydrator } from './Hydrator.ts';
import { isMounted } from '../isMounted.ts';
import type { MountCache } from './MountCache.ts';
import type { RemoteChanges } from './RemoteChanges.ts';

export interface RunningDraftMountParts {
  dir: string;
  source: string;
  cacheDir: string;
  fuse: FuseMount;
  sync: DraftSync;
  dirty: DirtyPaths;
  cache: MountCache;
  lister: FolderLister;
  hydrator: Hydrator;
  remote: RemoteChanges;
  errors: { at: string; message: string }[];
  report(message: string): void;
  log(line: string): void;
  syncIntervalMs: number;
  /** Saves the state and releases the cache. */
  close(): void;
}

const WATCH_MS = 1000;
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 60_000;

export class RunningDraftMount implements MountHandle {
  readonly closed: Promise<void>;
  readonly #parts: RunningDraftMountParts;
  readonly #startedAt = new Date().toISOString();
  readonly #timers: NodeJS.Timeout[] = [];
  #retry: NodeJS.Timeout | null = null;
  #retryMs = RETRY_FIRST_MS;
  #closing: Promise<void> | null = null;
  #ended!: () => void;

  constructor(parts: RunningDraftMountParts) {
    this.#parts = parts;
    this.closed = new Promise((done) => {
      this.#ended = done;
    });
    if (parts.syncIntervalMs > 0) {
      this.#timers.push(setInterval(() => {
        if (parts.dirty.size > 0 && !parts.sync.running && this.#retry === null) void this.sync().catch(() => {});
      }, parts.syncIntervalMs));
    }
    this.#timers.push(setInterval(() => void this.#watch(), WATCH_MS));
    for (const timer of this.#timers) timer.unref();
  }

  status(): MountStatus {
    const { cache, dirty, lister, hydrator, errors, dir, source } = this.#parts;
    const files = cache.server.files;
    const bytes = cache.server.bytes;
    return {
      kind: 'draft', dir, source, files, bytes,
      hydratedFiles: Math.max(0, files - cache.blobs.placeholders),
      hydratedBytes: Math.max(0, bytes - cache.blobs.placeholderBytes),
      queue: lister.inFlight + hydrator.inFlight,
      dirty: dirty.size,
      errors: [...errors],
      startedAt: this.#startedAt,
    };
  }

  async sync(): Promise<SyncReport> {
    try {
      const report = await this.#parts.sync.sync();
      this.#retryMs = RETRY_FIRST_MS;
      return report;
    } catch (err) {
      const closed = (err as { code?: unknown }).code === 'DRAFT_CLOSED';
      this.#parts.report(`sync failed${closed ? '' : ' (retried)'}: ${errorMessage(err)}`);
      if (!closed) this.#scheduleRetry();
      throw err;
    }
  }

  #scheduleRetry(): void {
    if (this.#retry !== null || this.#closing !== null) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      if (this.#parts.dirty.size > 0) void this.sync().catch(() => {});
    }, this.#retryMs);
    this.#retry.unref();
    this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
  }

  unmount(): Promise<void> {
    this.#closing ??= this.#close(true);
    return this.#closing;
  }

  async #watch(): Promise<void> {
    if (this.#closing !== null || (await isMounted(this.#parts.dir))) return;
    this.#parts.log(`${this.#parts.dir} was unmounted from outside`);
    this.#parts.remote.attach(null);
    releaseUnmounted(this.#parts.fuse);
    this.#closing ??= this.#close(false);
    await this.#closing.catch(() => {});
  }

  async #close(unmount: boolean): Promise<void> {
    const { fuse, dirty, dir, log, cacheDir } = this.#parts;
    for (const timer of this.#timers) clearInterval(timer);
    if (this.#retry !== null) clearTimeout(this.#retry);
    let failure: unknown = null;
    try {
      if (unmount) {
        try {
          await this.#parts.sync.sync();
        } catch (err) {
          failure = err;
        }
        this.#parts.remote.attach(null); // from here merges go straight into the cache
        await new Promise<void>((done, fail) => fuse.unmount((err) => (err === null || err === undefined ? done() : fail(err))));
        for (let i = 0; i < 50 && (await isMounted(dir)); i++) await new Promise((r) => setTimeout(r, 100));
      }
      // Changes that came in while the first sync ran (or all of them, unmounted from outside).
      if (failure === null && dirty.size > 0) {
        try {
          await this.#parts.sync.sync();
        } catch (err) {
          failure = err;
        }
      }
    } finally {
      this.#parts.close();
      log(`unmounted ${dir}`);
      this.#ended();
    }
    if (failure !== null) {
      throw new Error(`unmounted, but the last sync failed (${errorMessage(failure)}): ${dirty.size} change(s) stay in ${cacheDir} and are sent by the next mount of this draft`);
    }
  }
}
