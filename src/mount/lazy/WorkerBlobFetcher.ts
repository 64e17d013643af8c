/**
 * The BlobFetcher of a running mount: requests go to hydrateWorker.ts in a
 * worker thread, answers come back as messages.
 */
import { Worker } from 'node:worker_threads';
import type { Oid } from '../../git/objects/objectId.ts';
import type { BlobFetcher } from './BlobFetcher.ts';
import type { HydrateWorkerData, WorkerReply, WorkerRequest } from './hydrateWorker.ts';

interface Pending {
  onBlob: (oid: Oid, size: number) => void;
  resolve: (result: { missing: Oid[]; keepError?: string }) => void;
  reject: (err: Error) => void;
}

export class WorkerBlobFetcher implements BlobFetcher {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #dead: Error | undefined;

  constructor(data: HydrateWorkerData) {
    this.#worker = new Worker(new URL('./hydrateWorkerBoot.ts', import.meta.url), { workerData: data });
    this.#worker.unref();
    this.#worker.on('message', (reply: WorkerReply) => {
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
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`the hydration worker stopped (exit ${code})`)));
  }

  fetch(oids: readonly Oid[], onBlob: (oid: Oid, size: number) => void): Promise<{ missing: Oid[]; keepError?: string }> {
    if (this.#dead !== undefined) return Promise.reject(this.#dead);
    const id = ++this.#next;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { onBlob, resolve, reject });
      const request: WorkerRequest = { id, oids: [...oids] };
      this.#worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
