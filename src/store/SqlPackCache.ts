/**
 * Whole packs cached in the repository database (docs/STORAGE.md,
 * `pack_cache`). A pack is written in 1 MiB chunks under a fresh chunk key
 * while it streams out to its first client, then becomes the entry for its
 * request key (which names everything the pack depends on). Readers stream an
 * entry a few chunks at a time; chunks that an entry no longer uses are
 * deleted once no reader is streaming them. At most `maxEntries` entries are
 * kept (the newest). `refs_version` records the refs' state the pack was built
 * in, for diagnosis.
 */
import type { PackCache, PackCacheWriter } from '../git/packCache.ts';
import type { SqlPort } from './sqlPort.ts';
import { CHUNK_BYTES } from './repoSchema.ts';
import { readRefsVersion } from './refsVersion.ts';

const READ_CHUNKS = 8;

export class SqlPackCache implements PackCache {
  readonly #sql: SqlPort;
  readonly #maxEntries: number;
  readonly #building = new Set<string>();
  readonly #readers = new Map<string, number>();
  #nextBuild = 0;
  #lastStamp = 0;

  constructor(sql: SqlPort, options: { maxEntries?: number } = {}) {
    this.#sql = sql;
    this.#maxEntries = options.maxEntries ?? 2;
    // Chunks no entry points at: a build or a deletion cut short by a stopped process.
    // Looked for first, so that opening a repository writes nothing.
    const orphans = `FROM pack_cache_chunks WHERE chunk_key NOT IN (SELECT chunk_key FROM pack_cache)`;
    if (sql.query(`SELECT 1 ${orphans} LIMIT 1`).length > 0) sql.run(`DELETE ${orphans}`);
  }

  open(key: string): AsyncIterable<Uint8Array> | undefined {
    const row = this.#sql.query<{ chunk_key: string; chunks: number }>(
      `SELECT chunk_key, chunks FROM pack_cache WHERE key = ?`, key,
    )[0];
    if (row === undefined) return undefined;
    return this.#stream(row.chunk_key, row.chunks);
  }

  begin(key: string): PackCacheWriter | undefined {
    if (this.#building.has(key)) return undefined;
    this.#building.add(key);
    const sql = this.#sql;
    const version = readRefsVersion(sql);
    const chunkKey = `${key}@${version}.${Date.now()}.${this.#nextBuild++}`;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let seq = 0;
    let bytes = 0;
    let done = false;
    const flush = (): void => {
      if (pendingBytes === 0) return;
      const chunk = new Uint8Array(pendingBytes);
      let at = 0;
      for (const part of pending) {
        chunk.set(part, at);
        at += part.length;
      }
      sql.run(`INSERT INTO pack_cache_chunks (chunk_key, seq, data) VALUES (?, ?, ?)`, chunkKey, seq++, chunk);
      pending = [];
      pendingBytes = 0;
    };
    const end = (): void => {
      done = true;
      this.#building.delete(key);
    };
    return {
      write: (chunk) => {
        if (done) return;
        bytes += chunk.length;
        for (let start = 0; start < chunk.length; ) {
          const take = Math.min(chunk.length - start, CHUNK_BYTES - pendingBytes);
          pending.push(chunk.slice(start, start + take));
          pendingBytes += take;
          start += take;
          if (pendingBytes === CHUNK_BYTES) flush();
        }
      },
      commit: () => {
        if (done) return;
        flush();
        end();
        const dropped: string[] = [];
        sql.transaction(() => {
          const previous = sql.query<{ chunk_key: string }>(`SELECT chunk_key FROM pack_cache WHERE key = ?`, key)[0];
          if (previous !== undefined) dropped.push(previous.chunk_key);
          sql.run(
            `INSERT OR REPLACE INTO pack_cache (key, chunk_key, refs_version, bytes, chunks, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
            key, chunkKey, version, bytes, seq, this.#stamp(),
          );
          const evicted = sql.query<{ key: string; chunk_key: string }>(
            `SELECT key, chunk_key FROM pack_cache ORDER BY created_at DESC LIMIT -1 OFFSET ?`, this.#maxEntries,
          );
          for (const entry of evicted) {
            sql.run(`DELETE FROM pack_cache WHERE key = ?`, entry.key);
            dropped.push(entry.chunk_key);
          }
        });
        for (const old of dropped) this.#deleteChunksWhenUnread(old);
      },
      abort: () => {
        if (done) return;
        pending = [];
        end();
        this.#deleteChunksWhenUnread(chunkKey);
      },
    };
  }

  async *#stream(chunkKey: string, chunks: number): AsyncGenerator<Uint8Array> {
    this.#readers.set(chunkKey, (this.#readers.get(chunkKey) ?? 0) + 1);
    try {
      for (let seq = 0; seq < chunks; seq += READ_CHUNKS) {
        const rows = this.#sql.query<{ data: Uint8Array }>(
          `SELECT data FROM pack_cache_chunks WHERE chunk_key = ? AND seq >= ? AND seq < ? ORDER BY seq`, chunkKey, seq, seq + READ_CHUNKS,
        );
        for (const row of rows) yield row.data;
      }
    } finally {
      const left = (this.#readers.get(chunkKey) ?? 1) - 1;
      if (left > 0) this.#readers.set(chunkKey, left);
      else {
        this.#readers.delete(chunkKey);
        if (!this.#inUse(chunkKey)) this.#sql.run(`DELETE FROM pack_cache_chunks WHERE chunk_key = ?`, chunkKey);
      }
    }
  }

  /** Milliseconds since the epoch, strictly increasing (entries made in the same millisecond keep their order). */
  #stamp(): number {
    this.#lastStamp = Math.max(Date.now(), this.#lastStamp + 1);
    return this.#lastStamp;
  }

  /** Deletes a chunk set now, or when its last reader finishes. */
  #deleteChunksWhenUnread(chunkKey: string): void {
    if (!this.#readers.has(chunkKey) && !this.#inUse(chunkKey)) {
      this.#sql.run(`DELETE FROM pack_cache_chunks WHERE chunk_key = ?`, chunkKey);
    }
  }

  #inUse(chunkKey: string): boolean {
    return this.#sql.query(`SELECT 1 FROM pack_cache WHERE chunk_key = ?`, chunkKey).length > 0;
  }
}
