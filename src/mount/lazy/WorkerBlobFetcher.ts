/**
 * The BlobFetcher of a running mount: requests go to hydrateWorker.ts in a
 * worker thread, answers come back as messages. The thread is started by
 * `start` (or the first fetch): it takes a while to load (~75 ms), so the
 * mount starts it right after the tree lists, and until it says it is
 * ready, a read's few blobs are fetched on the main thread instead — the
 * first file opened does not wait for the thread.
 */
import { Worker } from 'node:worker_threads';
import { SmartHttpTransport } from '../../git/client/SmartHttpTransport.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { fetchBlobBatch, type BlobBatchContext } from './fetchBlobBatch.ts';
import type { BlobFetcher } from './BlobFetcher.ts';
import type { HydrateSettings, WorkerReply, WorkerRequest } from './hydrateWorker.ts';

/** Most blobs a fetch may ask for to be fetched on the main thread while the worker loads (a read's few). */
const MAIN_THREAD_MAX = 16;

interface Pending {
  onBlob: (oid: Oid, size: number) => void;
  resolve: (result: { missing: Oid[]; keepError?: string }) => void;
  reject: (err: Error) => void;
}

export class WorkerBlobFetcher implements BlobFetcher {
  readonly #settings: HydrateSettings;
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #dead: Error | undefined;
  #ready = false;
  #here: BlobBatchContext | undefined;

  constructor(settings: HydrateSettings) {
    this.#settings = settings;
  }

  start(): void {
    if (this.#worker !== undefined || this.#dead !== undefined) return;
    const worker = new Worker(new URL('./hydrateWorkerBoot.ts', import.meta.url));
    this.#worker = worker;
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'ready') {
        this.#ready = true;
        return;
      }
      const pending = this.#pending.get(reply.id);
      if (pending === undefined) return;
      if (reply.kind === 'blobs') {
        reply.oids.forEach((oid, i) => pending.onBlob(oid, reply.sizes[i]!));
        return;
      }
      this.#pending.delete(reply.id);
      if (reply.kind === 'done') pending.resolve(reply.keepError === undefined ? { missing: reply.missing } : { missing: reply.missing, keepError: reply.keepError });
      else pending.reject(new Error(reply.message));
    });
    const fail = (err: Error): void => {
      this.#dead = err;
      for (const pending of this.#pending.values()) pending.reject(err);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the hydration worker stopped (exit ${code})`)));
    const settings: WorkerRequest = { settings: this.#settings };
    worker.postMessage(settings);
  }

  fetch(oids: readonly Oid[], onBlob: (oid: Oid, size: number) => void): Promise<{ missing: Oid[]; keepError?: string }> {
    this.start();
    if (this.#dead !== undefined) return Promise.reject(this.#dead);
    if (!this.#ready && oids.length <= MAIN_THREAD_MAX) return fetchBlobBatch(this.#context(), oids, onBlob);
    const id = ++this.#next;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { onBlob, resolve, reject });
      const request: WorkerRequest = { id, oids: [...oids] };
      this.#worker!.postMessage(request);
    });
  }

  /** What fetching on the main thread needs (the worker builds the same from the settings). */
  #context(): BlobBatchContext {
    const settings = this.#settings;
    this.#here ??= {
      source: { transport: new SmartHttpTransport({ url: settings.url, fetch: globalThis.fetch, headers: settings.headers }), capabilities: new Map(settings.capabilities) },
      codec: nodeCodec,
      blobDir: settings.blobDir,
      atomicWrites: settings.atomicWrites,
      ...(settings.gitDir === undefined ? {} : { gitDir: settings.gitDir }),
    };
    return this.#here;
  }

  async close(): Promise<void> {
    this.#dead ??= new Error('the mount is closing');
    await this.#worker?.terminate();
  }
}
