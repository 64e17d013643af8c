/**
 * Chunks uploaded to a repository's drafts (docs/STORAGE.md "Drafts",
 * `draft_upload_chunks`): pieces of large files a client sends once, keyed
 * by the SHA-1 of their bytes, so that the next version of the same file
 * sends only the pieces that changed. The server also cuts blobs it holds
 * into chunks when a client names them as what its file was before. A chunk
 * is kept an hour after it was last used, then collected; the blob a set of
 * chunks assembles into is a `draft_blobs` row of its own.
 *
 * The table is made with the first chunk, like the draft tables.
 */
import { hexToBytes } from '../git/objects/objectId.ts';
import type { SqlPort } from './sqlPort.ts';

export const UPLOAD_CHUNK_SCHEMA = `
  CREATE TABLE IF NOT EXISTS draft_upload_chunks (
    id      BLOB PRIMARY KEY,
    used_at INTEGER NOT NULL,
    data    BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS draft_upload_chunks_used ON draft_upload_chunks (used_at);
`;

export class SqlUploadChunks {
  readonly #sql: SqlPort;
  #ready = false;

  constructor(sql: SqlPort) {
    this.#sql = sql;
  }

  exists(): boolean {
    if (!this.#ready) this.#ready = this.#sql.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'draft_upload_chunks'`).length > 0;
    return this.#ready;
  }

  /** Of `ids` (hex), those kept; each is marked used at `now`. */
  held(ids: readonly string[], now: number): Set<string> {
    const out = new Set<string>();
    if (!this.exists()) return out;
    this.#sql.transaction(() => {
      for (const id of new Set(ids)) {
        if (this.#sql.run(`UPDATE draft_upload_chunks SET used_at = ? WHERE id = ?`, now, hexToBytes(id)) > 0) out.add(id);
      }
    });
    return out;
  }

  /** Keeps `data` as chunk `id` (the SHA-1 of `data`, hex), or marks it used when kept already. */
  put(id: string, data: Uint8Array, now: number): void {
    if (!this.exists()) {
      this.#sql.script(UPLOAD_CHUNK_SCHEMA);
      this.#ready = true;
    }
    this.#sql.run(`INSERT INTO draft_upload_chunks (id, used_at, data) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET used_at = excluded.used_at`, hexToBytes(id), now, data);
  }

  /** The bytes of chunk `id`; null when it is not kept. */
  read(id: string): Uint8Array | null {
    if (!this.exists()) return null;
    return this.#sql.query<{ data: Uint8Array }>(`SELECT data FROM draft_upload_chunks WHERE id = ?`, hexToBytes(id))[0]?.data ?? null;
  }

  /** Deletes the chunks last used before `before` (ms); how many. */
  collect(before: number): number {
    if (!this.exists()) return 0;
    return this.#sql.run(`DELETE FROM draft_upload_chunks WHERE used_at < ?`, before);
  }

  /** When the least recently used chunk was last used (ms); null when there is none. */
  oldestUse(): number | null {
    if (!this.exists()) return null;
    return this.#sql.query<{ t: number | null }>(`SELECT min(used_at) AS t FROM draft_upload_chunks`)[0]?.t ?? null;
  }

  count(): number {
    return this.exists() ? this.#sql.query<{ n: number }>(`SELECT count(*) AS n FROM draft_upload_chunks`)[0]!.n : 0;
  }
}
