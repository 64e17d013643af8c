/**
 * Fetches a placeholder's bytes, once: from the draft path it was listed at
 * (checked against its blob id as it streams in), else by blob id from the
 * repository. The bytes go to a scratch file that takes the placeholder's
 * mode and times and is then renamed over it — so a file is either a
 * placeholder or whole, even if the process is killed half way, and the
 * times `stat` shows do not move. Opens of the same file while it downloads
 * wait for the one download.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, renameSync, rmSync, utimesSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { isGroveApiError } from '../../sdk/GroveApiError.ts';
import type { StreamedContent } from '../../sdk/StreamedContent.ts';
import { isPlaceholder } from './BlobTable.ts';
import { fsError } from './errno.ts';
import { localPath, type MountCache } from './MountCache.ts';
import type { BlobRow } from './StateDb.ts';

export class Hydrator {
  readonly #cache: MountCache;
  readonly #running = new Map<number, Promise<void>>();
  #fetched = 0;
  #fetchedBytes = 0;

  constructor(cache: MountCache) {
    this.#cache = cache;
  }

  get inFlight(): number {
    return this.#running.size;
  }

  /** Files and bytes fetched since the mount started. */
  get fetched(): { files: number; bytes: number } {
    return { files: this.#fetched, bytes: this.#fetchedBytes };
  }

  /**
   * Makes the file at draft path `key` whole if it is a placeholder. It may
   * move while its bytes come (a rename through the mount): then the file
   * now at `key` is looked at again.
   */
  async hydrate(key: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const stats = lstatSync(localPath(this.#cache, key), { throwIfNoEntry: false });
      if (stats === undefined) throw fsError('ENOENT', key);
      if (!isPlaceholder(stats)) return;
      let running = this.#running.get(stats.ino);
      if (running === undefined) {
        running = this.#fetch(key, stats).finally(() => this.#running.delete(stats.ino));
        this.#running.set(stats.ino, running);
      }
      await running;
    }
    throw fsError('EIO', `${key} kept moving while its bytes were fetched`);
  }

  async #fetch(key: string, stats: Stats): Promise<void> {
    const cache = this.#cache;
    const row = cache.blobs.placeholder(stats);
    if (row === undefined) throw fsError('EIO', `${key} is a placeholder the state file does not know`);
    const scratch = join(cache.tmp, `${row.sha}.${randomBytes(4).toString('hex')}`);
    try {
      await this.#download(row, key, scratch);
      // Synchronous from here on: no operation of the mount runs in between.
      const path = localPath(cache, key);
      const now = lstatSync(path, { throwIfNoEntry: false });
      if (now === undefined || now.ino !== stats.ino) return; // moved or removed meanwhile: hydrate() looks again
      chmodSync(scratch, now.mode & 0o777);
      utimesSync(scratch, now.atime, now.mtime);
      renameSync(scratch, path);
      const whole = lstatSync(path);
      cache.db.transaction(() => {
        cache.blobs.forget(stats.ino);
        cache.blobs.put({ ino: whole.ino, sha: row.sha, size: whole.size, mtimeMs: whole.mtimeMs, source: row.source, placeholder: false });
      });
      this.#fetched++;
      this.#fetchedBytes += row.size;
    } finally {
      rmSync(scratch, { force: true });
    }
  }

  /** Writes the blob's bytes to `scratch`: from the draft path first, else by id. */
  async #download(row: BlobRow, key: string, scratch: string): Promise<void> {
    const { drafts, draftId, content } = this.#cache;
    const sources: [string, () => Promise<StreamedContent>][] = [];
    if (row.source !== null) sources.push([`draft path ${row.source}`, () => drafts.file(draftId, row.source!)]);
    sources.push([`blob ${row.sha}`, () => content.blob(row.sha)]);
    const failures: string[] = [];
    for (const [what, get] of sources) {
      try {
        const sha = await writeStream(await get(), scratch, row.size);
        if (sha === row.sha) return;
        failures.push(`${what} holds ${sha}`);
      } catch (err) {
        if (!isGroveApiError(err) || (err.status !== 404 && err.code !== 'ENOENT')) throw err;
        failures.push(`${what}: ${err.message}`);
      }
    }
    throw fsError('EIO', `the bytes of ${key} (blob ${row.sha}) are nowhere on the server: ${failures.join('; ')}`);
  }
}

/**
 * Streams `content` into `file`, hashing it as a blob of `size` bytes on the
 * way; the id, or a note of how many bytes came when they were not `size`.
 */
async function writeStream(content: StreamedContent, file: string, size: number): Promise<string> {
  const handle = await open(file, 'w', 0o600);
  const hash = createHash('sha1').update(`blob ${size}\0`);
  let written = 0;
  try {
    for await (const chunk of content.body) {
      await handle.write(chunk);
      hash.update(chunk);
      written += chunk.length;
    }
  } finally {
    await handle.close();
  }
  return written === size ? hash.digest('hex') : `${written} bytes`;
}
