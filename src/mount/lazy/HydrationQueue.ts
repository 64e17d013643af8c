/**
 * Which blobs to fetch next, and who waits for them.
 *
 * In the background, blobs go in the order of hydrationClass.ts, in batches
 * that grow (256 blobs or 4 MiB first, then eight times as many each time,
 * up to 8,192 blobs or 128 MiB; a bigger file alone), `parallel` batches in
 * flight:
 * the first batches bring what matters most soon, the later ones spread the
 * cost of a request (a process or three on a C Git server) over many blobs. A read that needs a blob
 * not yet here calls `require`: the blob jumps the queue in a small batch of
 * its own (even when a background batch carries it too: a big batch takes
 * a while), and the read waits — however
 * long it takes: a failed transfer is retried with a growing delay
 * (0.5 s doubling to 30 s) and reported through `onError`, and the waiters
 * are released with the error only after `maxAttempts` failures.
 */
import type { Oid } from '../../git/objects/objectId.ts';
import type { BlobFetcher } from './BlobFetcher.ts';
import type { HydrationClass } from './hydrationClass.ts';

export interface QueuedBlob {
  oid: Oid;
  /** -1 when unknown. */
  size: number;
  cls: HydrationClass;
  /** One path of the blob (for the order within a class). */
  path: string;
}

export interface HydrationOptions {
  fetcher: BlobFetcher;
  /** Fetch everything in the background (else only what reads need). */
  background: boolean;
  onHydrated(oid: Oid, size: number): void;
  onError(message: string): void;
  /** The first background batch's most blobs and bytes; each next one may be GROWTH times as big, up to `batchBlobs`/`batchBytes`. */
  firstBatchBlobs?: number;
  firstBatchBytes?: number;
  batchBlobs?: number;
  batchBytes?: number;
  parallel?: number;
  urgentBatch?: number;
  maxAttempts?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

const UNKNOWN_SIZE_GUESS = 64 * 1024;
/**
 * How much bigger each background batch may be than the one before: the
 * first brings what matters most soon; then few, big requests (eight times
 * rather than twice: against C Git's http-backend, where each request costs
 * processes and a fresh pack, the medium corpus hydrated in 1.2× a clone's
 * time instead of 1.5×, the large one in 0.8× instead of 0.9–1.05×).
 */
const GROWTH = 8;

export class HydrationQueue {
  readonly #present: Set<Oid>;
  readonly #options: Required<Omit<HydrationOptions, 'fetcher' | 'onHydrated' | 'onError' | 'background'>> & HydrationOptions;
  #order: QueuedBlob[] = [];
  #cursor = 0;
  readonly #sizes = new Map<Oid, number>();
  readonly #inFlight = new Set<Oid>();
  /** In flight in a batch of its own (a read asked for it), as opposed to a background batch. */
  readonly #urgentInFlight = new Set<Oid>();
  readonly #waiters = new Map<Oid, Waiter[]>();
  readonly #urgent = new Set<Oid>();
  readonly #attempts = new Map<Oid, number>();
  /** Blobs whose last transfer failed, with when to try again. */
  readonly #retry = new Map<Oid, number>();
  #backgroundBatches = 0;
  /** The next background batch's limits (they grow: the first batches carry what matters most, the later ones amortise a request). */
  #limitBlobs: number;
  #limitBytes: number;
  #urgentScheduled = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #lastActivity = Date.now();

  constructor(present: Set<Oid>, options: HydrationOptions) {
    this.#present = present;
    this.#options = { firstBatchBlobs: 256, firstBatchBytes: 4 * 1024 * 1024, batchBlobs: 8192, batchBytes: 128 * 1024 * 1024, parallel: 2, urgentBatch: 64, maxAttempts: 8, ...options };
    this.#limitBlobs = this.#options.firstBatchBlobs;
    this.#limitBytes = this.#options.firstBatchBytes;
  }

  /** Blobs to fetch in the background, in the order they should come. */
  enqueue(blobs: readonly QueuedBlob[]): void {
    const order = blobs.filter((b) => !this.#present.has(b.oid));
    order.sort((a, b) => a.cls - b.cls || (a.cls === 3 ? a.size - b.size : 0) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const blob of order) if (!this.#sizes.has(blob.oid)) this.#sizes.set(blob.oid, blob.size);
    this.#order = order;
    this.#cursor = 0;
    this.#pump();
  }

  /** Resolves once `oid` is in the blob store, fetching it ahead of the queue if need be. */
  require(oid: Oid): Promise<void> {
    if (this.#present.has(oid)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const list = this.#waiters.get(oid) ?? [];
      list.push({ resolve, reject });
      this.#waiters.set(oid, list);
      // A blob in a background batch is asked for again on its own: a big batch can take a while to bring it.
      if (this.#urgentInFlight.has(oid) || this.#urgent.has(oid)) return;
      const due = this.#retry.get(oid);
      if (due !== undefined && due > Date.now()) return; // the retry timer sends it, as urgent
      this.#retry.delete(oid);
      this.#urgent.add(oid);
      if (!this.#urgentScheduled) {
        this.#urgentScheduled = true;
        setImmediate(() => this.#sendUrgent());
      }
    });
  }

  /** Blobs not yet here that the queue will fetch (waiting, in flight or to retry). */
  get waiting(): number {
    let count = this.#inFlight.size + this.#urgent.size + this.#retry.size;
    if (!this.#options.background) return count;
    for (let i = this.#cursor; i < this.#order.length; i++) {
      const oid = this.#order[i]!.oid;
      if (!this.#present.has(oid) && !this.#inFlight.has(oid) && !this.#retry.has(oid) && !this.#urgent.has(oid)) count++;
    }
    return count;
  }

  /** Milliseconds since the last transfer ended, 0 while one runs. */
  get idleMs(): number {
    return this.#inFlight.size > 0 || this.#urgent.size > 0 ? 0 : Date.now() - this.#lastActivity;
  }

  close(): void {
    this.#closed = true;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    const err = new Error('the mount is closing');
    for (const list of this.#waiters.values()) for (const waiter of list) waiter.reject(err);
    this.#waiters.clear();
  }

  #sendUrgent(): void {
    this.#urgentScheduled = false;
    if (this.#closed) return;
    const oids = [...this.#urgent].filter((oid) => !this.#present.has(oid) && !this.#urgentInFlight.has(oid));
    this.#urgent.clear();
    for (let i = 0; i < oids.length; i += this.#options.urgentBatch) this.#send(oids.slice(i, i + this.#options.urgentBatch), false);
  }

  #pump(): void {
    if (this.#closed) return;
    while (this.#backgroundBatches < this.#options.parallel) {
      const batch = this.#nextBatch();
      if (batch.length === 0) break;
      this.#send(batch, true);
    }
  }

  #nextBatch(): Oid[] {
    const batch: Oid[] = [];
    const taken = new Set<Oid>();
    let bytes = 0;
    const take = (oid: Oid): boolean => {
      const size = this.#sizes.get(oid) ?? -1;
      const cost = size < 0 ? UNKNOWN_SIZE_GUESS : size;
      if (batch.length > 0 && (batch.length >= this.#limitBlobs || bytes + cost > this.#limitBytes)) return false;
      batch.push(oid);
      taken.add(oid);
      bytes += cost;
      return true;
    };
    const now = Date.now();
    for (const [oid, at] of this.#retry) {
      if (at > now || this.#inFlight.has(oid)) continue;
      if (this.#present.has(oid)) {
        this.#retry.delete(oid);
        continue;
      }
      if (!take(oid)) return batch;
      this.#retry.delete(oid);
    }
    if (!this.#options.background) return batch;
    for (; this.#cursor < this.#order.length; this.#cursor++) {
      const { oid } = this.#order[this.#cursor]!;
      if (this.#present.has(oid) || this.#inFlight.has(oid) || this.#retry.has(oid) || taken.has(oid)) continue;
      if (!take(oid)) break;
    }
    return batch;
  }

  #send(oids: Oid[], background: boolean): void {
    if (oids.length === 0) return;
    if (background) {
      this.#limitBlobs = Math.min(this.#options.batchBlobs, this.#limitBlobs * GROWTH);
      this.#limitBytes = Math.min(this.#options.batchBytes, this.#limitBytes * GROWTH);
    }
    for (const oid of oids) {
      this.#inFlight.add(oid);
      if (!background) this.#urgentInFlight.add(oid);
    }
    if (background) this.#backgroundBatches++;
    const landed = (oid: Oid, size: number): void => {
      if (!this.#inFlight.delete(oid) && this.#present.has(oid)) return;
      this.#present.add(oid);
      this.#attempts.delete(oid);
      this.#options.onHydrated(oid, size);
      const list = this.#waiters.get(oid);
      this.#waiters.delete(oid);
      for (const waiter of list ?? []) waiter.resolve();
    };
    this.#options.fetcher.fetch(oids, landed).then(
      (result) => {
        if (result.keepError !== undefined) this.#options.onError(`the copy of a pack into the git directory failed: ${result.keepError}`);
        if (result.missing.length > 0) this.#failed(result.missing, `the remote did not send ${result.missing.length} blob(s) asked for, e.g. ${result.missing[0]}`);
      },
      (err: Error) => this.#failed(oids.filter((oid) => !this.#present.has(oid)), err.message),
    ).finally(() => {
      this.#lastActivity = Date.now();
      for (const oid of oids) {
        this.#inFlight.delete(oid);
        if (!background) this.#urgentInFlight.delete(oid);
      }
      if (background) this.#backgroundBatches--;
      this.#pump();
    });
  }

  #failed(oids: Oid[], message: string): void {
    if (this.#closed || oids.length === 0) return;
    this.#options.onError(message);
    let soonest = Number.POSITIVE_INFINITY;
    for (const oid of oids) {
      const attempts = (this.#attempts.get(oid) ?? 0) + 1;
      this.#attempts.set(oid, attempts);
      const at = Date.now() + Math.min(30_000, 500 * 2 ** (attempts - 1));
      this.#retry.set(oid, at);
      soonest = Math.min(soonest, at);
      if (attempts >= this.#options.maxAttempts) {
        const list = this.#waiters.get(oid);
        this.#waiters.delete(oid);
        const err = new Error(`blob ${oid} could not be fetched after ${attempts} attempts: ${message}`);
        for (const waiter of list ?? []) waiter.reject(err);
      }
    }
    this.#armRetry(soonest);
  }

  #armRetry(at: number): void {
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      // Due retries go out as urgent batches when someone waits for them, else with the background.
      for (const [oid, due] of this.#retry) {
        if (due <= Date.now() && this.#waiters.has(oid)) {
          this.#retry.delete(oid);
          this.#urgent.add(oid);
        }
      }
      this.#sendUrgent();
      this.#pump();
      const next = Math.min(...this.#retry.values());
      if (Number.isFinite(next)) this.#armRetry(next);
    }, Math.max(0, at - Date.now()));
    this.#retryTimer.unref?.();
  }
}
