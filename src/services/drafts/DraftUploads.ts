/**
 * Content-addressed uploads to a draft, for clients that keep files locally
 * and sync them (the draft mount): they ask which blobs the server lacks,
 * and send only those — small ones many to a request, large ones whole or
 * as content-defined chunks (src/chunking) of which only those the server
 * lacks travel. A file the client had before (`from`: the blob its path
 * held) is cut into chunks here, so an edit to a large file of the
 * repository sends only the chunks around the edit.
 *
 * What is uploaded is kept as draft content (`draft_blobs`) for `changes`
 * to name, and collected an hour after upload if none does; chunks are kept
 * an hour after their last use (`draft_upload_chunks`).
 */
import { chunkRanges, CHUNKED_FROM } from '../../chunking/ContentChunker.ts';
import { readFrames } from '../../chunking/frames.ts';
import { GroveError } from '../../errors.ts';
import { concatBytes } from '../../git/bytes.ts';
import type { Codec } from '../../git/codec.ts';
import { hashObject } from '../../git/objects/gitObject.ts';
import { bytesToHex, type Oid } from '../../git/objects/objectId.ts';
import type { DraftRecord } from '../../store/SqlDraftStore.ts';
import type { OpenRepository } from '../RepoService.ts';
import type { DraftSweeps } from './DraftSweeps.ts';

/** How long an uploaded content no file names is kept (a client links it right after uploading), and an unused chunk. */
export const ORPHAN_BLOB_MS = 3600 * 1000;
/** Most blobs a `from` list may name (each is read and cut). */
export const MAX_FROM = 64;

const HEX40 = /^[0-9a-f]{40}$/;

export interface UploadedBlob {
  sha: Oid;
  size: number;
  /** False when the repository holds it already. */
  stored: boolean;
}

export interface DraftUploadsOptions {
  now: () => number;
  sweeps: DraftSweeps | null;
  /** The draft, which must be open (DRAFT_CLOSED otherwise). */
  open(repo: OpenRepository, id: string): DraftRecord;
  /** The draft, in any state. */
  get(repo: OpenRepository, id: string): DraftRecord;
}

export class DraftUploads {
  readonly #codec: Codec;
  readonly #options: DraftUploadsOptions;

  constructor(codec: Codec, options: DraftUploadsOptions) {
    this.#codec = codec;
    this.#options = options;
  }

  /** Of `shas`, the blobs neither the repository nor the drafts' contents hold (what a client must upload). */
  async missingBlobs(repo: OpenRepository, id: string, shas: readonly string[]): Promise<Oid[]> {
    this.#options.get(repo, id);
    const wanted = ids(shas, 'shas', 'a blob id');
    const held = repo.repo.drafts.heldBlobs(wanted);
    const rest = wanted.filter((s) => !held.has(s));
    const present = await repo.objects.has(rest);
    return rest.filter((s) => !present.has(s));
  }

  /** Keeps `data` as draft content, to be named by id (`FileEditor.link`); BAD_REQUEST unless it hashes to `sha`. */
  async uploadBlob(repo: OpenRepository, id: string, sha: string, data: Uint8Array): Promise<UploadedBlob> {
    this.#options.open(repo, id);
    const oid = hashObject(this.#codec, 'blob', data);
    if (oid !== sha.toLowerCase()) throw new GroveError('BAD_REQUEST', `the content hashes to blob ${oid}, not ${sha.slice(0, 40)}`, { field: 'sha', sha: oid });
    return this.#keep(repo, oid, data);
  }

  /** Keeps each framed piece of `body` (src/chunking/frames.ts) as draft content; their ids, in order. */
  async uploadBlobs(repo: OpenRepository, id: string, body: Uint8Array, maxBlobBytes: number): Promise<UploadedBlob[]> {
    this.#options.open(repo, id);
    const pieces = framed(body);
    const out: UploadedBlob[] = [];
    for (const data of pieces) {
      if (data.length > maxBlobBytes) throw new GroveError('PAYLOAD_TOO_LARGE', `a blob of ${data.length} bytes exceeds the limit of ${maxBlobBytes} bytes`, { max: maxBlobBytes });
    }
    const oids = pieces.map((data) => hashObject(this.#codec, 'blob', data));
    const inRepo = await repo.objects.has(oids);
    const now = this.#options.now();
    repo.repo.transaction(() => {
      for (const [i, data] of pieces.entries()) {
        const oid = oids[i]!;
        const stored = !inRepo.has(oid);
        if (stored) repo.repo.drafts.putBlob(oid, data, now);
        out.push({ sha: oid, size: data.length, stored });
      }
    });
    if (out.some((b) => b.stored)) this.#collectLater(repo);
    return out;
  }

  /**
   * Of `chunks` (SHA-1s of their bytes), those the server lacks. The blobs
   * named in `from` are cut into chunks first, so what a client's file
   * shares with one of them does not travel.
   */
  async missingChunks(repo: OpenRepository, id: string, chunks: readonly string[], from: readonly string[] = []): Promise<string[]> {
    this.#options.open(repo, id);
    const wanted = ids(chunks, 'chunks', 'a chunk id');
    const bases = ids(from, 'from', 'a blob id');
    if (bases.length > MAX_FROM) throw new GroveError('BAD_REQUEST', `from names at most ${MAX_FROM} blobs`, { field: 'from' });
    const now = this.#options.now();
    let held = repo.repo.uploadChunks.held(wanted, now);
    if (held.size < wanted.length && bases.length > 0) {
      await this.#cut(repo, bases, now);
      held = repo.repo.uploadChunks.held(wanted, now);
    }
    if (held.size > 0) this.#collectLater(repo);
    return wanted.filter((c) => !held.has(c));
  }

  /** Keeps each framed piece of `body` as a chunk; their ids (SHA-1 of the bytes), in order. */
  uploadChunks(repo: OpenRepository, id: string, body: Uint8Array): string[] {
    this.#options.open(repo, id);
    const now = this.#options.now();
    const out: string[] = [];
    const store = repo.repo.uploadChunks;
    repo.repo.transaction(() => {
      for (const data of framed(body)) {
        const chunk = bytesToHex(this.#codec.sha1Digest(data));
        store.put(chunk, data, now);
        out.push(chunk);
      }
    });
    this.#collectLater(repo);
    return out;
  }

  /**
   * Joins chunks into blobs and keeps them as draft content: each blob's
   * chunks in order must hash to its `sha` (BAD_REQUEST), and each must be
   * held (MISSING_OBJECT, `details.chunk`: upload it and ask again).
   */
  async assemble(repo: OpenRepository, id: string, blobs: ReadonlyArray<{ sha: string; chunks: readonly string[] }>, maxBlobBytes: number): Promise<UploadedBlob[]> {
    this.#options.open(repo, id);
    const out: UploadedBlob[] = [];
    const store = repo.repo.uploadChunks;
    for (const [index, blob] of blobs.entries()) {
      const sha = ids([blob.sha], 'sha', 'a blob id')[0]!;
      const parts: Uint8Array[] = [];
      let size = 0;
      for (const chunk of blob.chunks) {
        const data = HEX40.test(chunk) ? store.read(chunk) : null;
        if (data === null) throw new GroveError('MISSING_OBJECT', `blobs[${index}]: chunk ${chunk.slice(0, 40)} is not held: upload it`, { index, chunk: chunk.slice(0, 40) });
        size += data.length;
        if (size > maxBlobBytes) throw new GroveError('PAYLOAD_TOO_LARGE', `blobs[${index}] exceeds the limit of ${maxBlobBytes} bytes`, { index, max: maxBlobBytes });
        parts.push(data);
      }
      const data = concatBytes(parts);
      const oid = hashObject(this.#codec, 'blob', data);
      if (oid !== sha) throw new GroveError('BAD_REQUEST', `blobs[${index}]: the chunks join into blob ${oid}, not ${sha}`, { index, field: 'sha', sha: oid });
      store.held(blob.chunks, this.#options.now());
      out.push(await this.#keep(repo, oid, data));
    }
    return out;
  }

  /** Deletes uploads no file names and chunks unused for ORPHAN_BLOB_MS; when the next falls due (null: none left). */
  collect(repo: OpenRepository): number | null {
    const before = this.#options.now() - ORPHAN_BLOB_MS;
    repo.repo.drafts.collectOrphanBlobs(before);
    repo.repo.uploadChunks.collect(before);
    const times = [repo.repo.drafts.oldestOrphanUpload(), repo.repo.uploadChunks.oldestUse()].filter((t) => t !== null);
    return times.length === 0 ? null : Math.min(...times) + ORPHAN_BLOB_MS;
  }

  async #keep(repo: OpenRepository, oid: Oid, data: Uint8Array): Promise<UploadedBlob> {
    if ((await repo.objects.has([oid])).has(oid)) return { sha: oid, size: data.length, stored: false };
    repo.repo.drafts.putBlob(oid, data, this.#options.now());
    this.#collectLater(repo);
    return { sha: oid, size: data.length, stored: true };
  }

  /** Cuts the blobs `oids` the server holds (large enough to travel in chunks) into chunks it keeps. */
  async #cut(repo: OpenRepository, oids: readonly Oid[], now: number): Promise<void> {
    const store = repo.repo.uploadChunks;
    const fromRepo: Oid[] = [];
    const cut = (data: Uint8Array): void => {
      if (data.length < CHUNKED_FROM) return;
      repo.repo.transaction(() => {
        for (const [start, end] of chunkRanges(data)) {
          const piece = data.subarray(start, end);
          store.put(bytesToHex(this.#codec.sha1Digest(piece)), piece, now);
        }
      });
    };
    for (const oid of oids) {
      const held = repo.repo.drafts.readBlob(oid);
      if (held === null) fromRepo.push(oid);
      else cut(held);
    }
    if (fromRepo.length === 0) return;
    const sizes = await repo.objects.info(fromRepo);
    const large = fromRepo.filter((oid) => (sizes.get(oid)?.size ?? 0) >= CHUNKED_FROM);
    for (const oid of large) {
      const object = (await repo.objects.readObjects([oid])).get(oid);
      if (object?.type === 'blob') cut(object.data);
    }
  }

  #collectLater(repo: OpenRepository): void {
    this.#options.sweeps?.schedule(repo.record.id, this.#options.now() + ORPHAN_BLOB_MS);
  }
}

function ids(values: readonly string[], field: string, what: string): string[] {
  const out = [...new Set(values.map((s) => s.toLowerCase()))];
  const bad = out.find((s) => !HEX40.test(s));
  if (bad !== undefined) throw new GroveError('BAD_REQUEST', `'${bad.slice(0, 80)}' is not ${what} (40 hex digits)`, { field });
  return out;
}

function framed(body: Uint8Array): Uint8Array[] {
  const pieces = readFrames(body);
  if (pieces === null) throw new GroveError('BAD_REQUEST', 'the body is not a sequence of frames (a 4-byte big-endian length, then that many bytes)', { field: 'body' });
  return pieces;
}
