/**
 * The worker thread that fetches blob batches (fetchBlobBatch.ts) for the
 * mount's main thread, which stays free to answer FUSE calls. It is started
 * first thing, so that it has loaded by the time the first read needs it;
 * what it needs to know of the remote comes later, in the first message.
 *
 * Messages in: `{ settings }` once, then `{ id, oids }`; out: `{ ready }`
 * once loaded and set, `{ id, blobs }` as blobs are stored (grouped), then
 * `{ id, done, missing, keepError? }` or `{ id, failed }`.
 */
import { parentPort } from 'node:worker_threads';
import { SmartHttpTransport } from '../../git/client/SmartHttpTransport.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import { fetchBlobBatch, type BlobBatchContext } from './fetchBlobBatch.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';

export interface HydrateSettings {
  url: string;
  headers: Record<string, string>;
  capabilities: [string, string][];
  blobDir: string;
  gitDir?: string;
  atomicWrites: boolean;
}

export type WorkerRequest = { settings: HydrateSettings } | { id: number; oids: Oid[] };
export type WorkerReply =
  | { id: 0; kind: 'ready' }
  | { id: number; kind: 'blobs'; oids: Oid[]; sizes: number[] }
  | { id: number; kind: 'done'; missing: Oid[]; keepError?: string }
  | { id: number; kind: 'failed'; message: string };

const port = parentPort;
if (port !== null) {
  let context: BlobBatchContext | undefined;
  const reply = (message: WorkerReply): void => port.postMessage(message);
  port.on('message', (request: WorkerRequest) => {
    if ('settings' in request) {
      const data = request.settings;
      context = {
        source: {
          transport: new SmartHttpTransport({ url: data.url, fetch: globalThis.fetch, headers: data.headers }),
          capabilities: new Map(data.capabilities),
        },
        codec: nodeCodec,
        blobDir: data.blobDir,
        atomicWrites: data.atomicWrites,
        ...(data.gitDir === undefined ? {} : { gitDir: data.gitDir }),
      };
      reply({ id: 0, kind: 'ready' });
      return;
    }
    if (context === undefined) return reply({ id: request.id, kind: 'failed', message: 'the hydration worker has no settings' });
    // Stored blobs are announced a few at a time (one message per blob costs more than the blob).
    let oids: Oid[] = [];
    let sizes: number[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (oids.length === 0) return;
      reply({ id: request.id, kind: 'blobs', oids, sizes });
      oids = [];
      sizes = [];
    };
    const stored = (oid: Oid, size: number): void => {
      oids.push(oid);
      sizes.push(size);
      if (oids.length >= 64) flush();
      else timer ??= setTimeout(flush, 2);
    };
    fetchBlobBatch(context, request.oids, stored).then(
      (result) => {
        flush();
        reply({ id: request.id, kind: 'done', ...result });
      },
      (err: unknown) => {
        flush();
        reply({ id: request.id, kind: 'failed', message: err instanceof Error ? err.message : String(err) });
      },
    );
  });
}
