/**
 * Uploads the blobs a sync found missing on the server, in as few requests
 * and as few bytes as it can:
 *
 *   - files under CHUNKED_FROM (2 MiB) go many to a request (`POST
 *     …/blobs`, at most BATCH_BYTES of frames each, BATCHES_AT_ONCE in
 *     flight);
 *   - a larger file whose path held a large blob on the server (an edit)
 *     is cut into content-defined chunks (src/chunking) as it is read; the
 *     server is asked which it lacks, naming that blob (`from`: the server
 *     cuts it the same way), so only the chunks around the edit travel, in
 *     batches, before the server joins them (`…/blobs/assemble`);
 *   - any other larger file (a new one) is streamed whole in one request
 *     (`PUT …/blobs/{sha}`): it has nothing on the server to share chunks
 *     with, and once there it is what its next version is cut against.
 *
 * The bytes are checked against the id the sync hashed: a file that
 * changed since is left out (its path stays dirty for the next sync), as is
 * one the server refuses, which is reported.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { CHUNKED_FROM, ContentChunker } from '../../chunking/ContentChunker.ts';
import { frameHeader } from '../../chunking/frames.ts';
import { isGroveApiError } from '../../sdk/GroveApiError.ts';
import type { Hydrator } from './Hydrator.ts';
import type { MountCache } from './MountCache.ts';
import type { PlannedPut } from './planSync.ts';

const BATCH_BYTES = 8 * 1024 * 1024;
const BATCH_BLOBS = 2000;
const BATCHES_AT_ONCE = 4;
const READ_BYTES = 1024 * 1024;

export interface UploaderDeps {
  cache: MountCache;
  hydrator: Hydrator;
  report(message: string): void;
}

export interface Uploaded {
  /** Blobs the server now holds. */
  blobs: number;
  /** Bytes sent (frames' contents). */
  bytes: number;
  /** Puts whose bytes did not go (changed since hashed, or refused). */
  failed: PlannedPut[];
}

interface Chunk {
  id: string;
  start: number;
  end: number;
}

export class BlobUploader {
  readonly #deps: UploaderDeps;

  constructor(deps: UploaderDeps) {
    this.#deps = deps;
  }

  /** Uploads each put's blob (one put per blob id; its `sha` and `size` known). */
  async upload(puts: readonly PlannedPut[]): Promise<Uploaded> {
    const out: Uploaded = { blobs: 0, bytes: 0, failed: [] };
    for (const put of puts) if (put.placeholder) await this.#deps.hydrator.hydrate(put.path);
    const small: PlannedPut[] = [];
    const large: PlannedPut[] = [];
    for (const put of puts) (put.bytes !== undefined || (put.size ?? 0) < CHUNKED_FROM ? small : large).push(put);
    const batches = batch(small);
    const worker = async (): Promise<void> => {
      for (let next = batches.shift(); next !== undefined; next = batches.shift()) await this.#sendBatch(next, out);
    };
    await Promise.all(Array.from({ length: Math.min(BATCHES_AT_ONCE, batches.length) }, worker));
    for (const put of large) {
      const before = this.#deps.cache.server.get(put.path);
      if (before?.kind === 'file' && before.sha !== null && before.size >= CHUNKED_FROM) await this.#sendChunked(put, before.sha, out);
      else await this.#sendWhole(put, out);
    }
    return out;
  }

  async #sendWhole(put: PlannedPut, out: Uploaded): Promise<void> {
    const { cache } = this.#deps;
    const body = Readable.toWeb(createReadStream(put.local)) as ReadableStream<Uint8Array>;
    const answer = await this.#refusable([put], out, () => cache.drafts.uploadBlob(cache.draftId, put.sha!, body));
    if (answer === null) return;
    out.blobs++;
    out.bytes += answer.size;
  }

  async #sendBatch(puts: PlannedPut[], out: Uploaded): Promise<void> {
    const { cache } = this.#deps;
    const pieces: Array<Uint8Array | null> = await Promise.all(puts.map((p) => (p.bytes !== undefined ? p.bytes : readFile(p.local).catch(() => null))));
    const sent = puts.filter((_, i) => pieces[i] !== null);
    for (const [i, put] of puts.entries()) if (pieces[i] === null) out.failed.push(put);
    const body = pieces.filter((p) => p !== null).flatMap((p) => [frameHeader(p.length), p]);
    if (sent.length === 0) return;
    let tooLarge = false;
    const answer = await this.#refusable(sent, out, async () => {
      try {
        return await cache.drafts.uploadBlobs(cache.draftId, concat(body));
      } catch (err) {
        if (!isGroveApiError(err) || err.status !== 413 || sent.length === 1) throw err;
        tooLarge = true;
        return null;
      }
    });
    if (tooLarge) {
      // One file over the server's limit refuses the whole batch: one by one, only that file stays local.
      for (const put of sent) await this.#sendWhole(put, out);
      return;
    }
    if (answer === null) return;
    for (const [i, put] of sent.entries()) {
      const blob = answer.blobs[i];
      if (blob?.sha !== put.sha) {
        out.failed.push(put); // changed since it was hashed: the next sync sends it
        continue;
      }
      out.blobs++;
      out.bytes += blob.size;
    }
  }

  async #sendChunked(put: PlannedPut, before: string, out: Uploaded): Promise<void> {
    const { cache } = this.#deps;
    const cut = await chunkFile(put.local);
    if (cut === null || cut.sha !== put.sha) {
      out.failed.push(put);
      return;
    }
    const ids = cut.chunks.map((c) => c.id);
    const missing = await this.#refusable([put], out, () => cache.drafts.missingChunks(cache.draftId, ids, [before]));
    if (missing === null) return;
    const lacking = new Set(missing.missing);
    const toSend = dedupe(cut.chunks.filter((c) => lacking.has(c.id)));
    const handle = await open(put.local, 'r').catch(() => null);
    if (handle === null) {
      out.failed.push(put);
      return;
    }
    try {
      for (let i = 0; i < toSend.length;) {
        const group: Chunk[] = [];
        let bytes = 0;
        while (i < toSend.length && (group.length === 0 || bytes + (toSend[i]!.end - toSend[i]!.start) <= BATCH_BYTES)) {
          bytes += toSend[i]!.end - toSend[i]!.start;
          group.push(toSend[i++]!);
        }
        const parts: Uint8Array[] = [];
        for (const chunk of group) {
          const data = Buffer.allocUnsafe(chunk.end - chunk.start);
          const { bytesRead } = await handle.read(data, 0, data.length, chunk.start);
          parts.push(frameHeader(bytesRead), data.subarray(0, bytesRead));
        }
        if ((await this.#refusable([put], out, () => cache.drafts.uploadChunks(cache.draftId, concat(parts)))) === null) return;
        out.bytes += bytes;
      }
    } finally {
      await handle.close();
    }
    const joined = await this.#refusable([put], out, () => cache.drafts.assembleBlobs(cache.draftId, [{ sha: put.sha!, chunks: ids }]));
    if (joined === null) return;
    out.blobs++;
  }

  /** Runs `send`; a refusal (4xx) marks `puts` failed and answers null, with a report unless the bytes merely changed (400). */
  async #refusable<T>(puts: PlannedPut[], out: Uploaded, send: () => Promise<T>): Promise<T | null> {
    try {
      return await send();
    } catch (err) {
      if (!isGroveApiError(err) || err.status >= 500 || err.status === 0 || err.code === 'DRAFT_CLOSED' || err.code === 'NOT_FOUND') throw err;
      out.failed.push(...puts);
      if (err.status !== 400 && err.code !== 'MISSING_OBJECT') {
        this.#deps.report(`${puts.map((p) => p.path).join(', ').slice(0, 200)}: the server refused the bytes (${err.message}); kept local until changed`);
      }
      return null;
    }
  }
}

/** Small puts in groups of at most BATCH_BYTES and BATCH_BLOBS. */
function batch(puts: PlannedPut[]): PlannedPut[][] {
  const out: PlannedPut[][] = [];
  let group: PlannedPut[] = [];
  let bytes = 0;
  for (const put of puts) {
    const size = put.bytes?.length ?? put.size ?? 0;
    if (group.length > 0 && (bytes + size > BATCH_BYTES || group.length >= BATCH_BLOBS)) {
      out.push(group);
      group = [];
      bytes = 0;
    }
    group.push(put);
    bytes += size;
  }
  if (group.length > 0) out.push(group);
  return out;
}

function dedupe(chunks: Chunk[]): Chunk[] {
  const seen = new Set<string>();
  return chunks.filter((c) => !seen.has(c.id) && seen.add(c.id));
}

function concat(parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

/** The file's blob id and its chunks, read once; null when it cannot be read or changed while read. */
async function chunkFile(path: string): Promise<{ sha: string; chunks: Chunk[] } | null> {
  const handle = await open(path, 'r').catch(() => null);
  if (handle === null) return null;
  try {
    const before = await handle.stat();
    const blob = createHash('sha1').update(`blob ${before.size}\0`);
    const chunker = new ContentChunker();
    const chunks: Chunk[] = [];
    let piece = createHash('sha1');
    let start = 0;
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      const block = buffer.subarray(0, bytesRead);
      blob.update(block);
      let from = 0;
      for (const end of chunker.push(block)) {
        piece.update(block.subarray(from, end - position));
        chunks.push({ id: piece.digest('hex'), start, end });
        piece = createHash('sha1');
        from = end - position;
        start = end;
      }
      piece.update(block.subarray(from));
      position += bytesRead;
    }
    const last = chunker.end();
    if (last !== null) chunks.push({ id: piece.digest('hex'), start, end: last });
    const after = await handle.stat();
    if (position !== before.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs) return null;
    return { sha: blob.digest('hex'), chunks };
  } finally {
    await handle.close();
  }
}
