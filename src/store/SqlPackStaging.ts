/**
 * Staging of one push in the `incoming` tables (docs/STORAGE.md, rules on
 * quarantine). Rows are buffered and written in batches; `commit` moves them
 * into `objects` together with the ref updates in a single transaction.
 *
 * Entry `seq` of push `push_id` is the `incoming` row with id
 * push_id × 2^32 + seq, so one push's rows are one id range (computed in
 * SQL: an id may pass 2^53, beyond what a JavaScript number holds exactly).
 * The pieces of a stream after its first are the consecutive `incoming_chunks`
 * rows from `first_chunk`, allocated past the highest id in use.
 */
import type { PackStaging, RefUpdate, RefUpdateResult, Resolution, StagedCommit, StagedEntry } from '../git/staging.ts';
import { TYPE_CODE } from '../git/objects/gitObject.ts';
import { ZERO_OID, hexToBytes, bytesToHex } from '../git/objects/objectId.ts';
import { concatBytes } from '../git/bytes.ts';
import { GroveError } from '../errors.ts';
import type { SqlPort, SqlValue } from './sqlPort.ts';
import { CHUNK_BYTES } from './repoSchema.ts';
import { OIDS_PARAM } from './oidQuery.ts';
import { bumpRefsVersion } from './refsVersion.ts';

const FLUSH_ROWS = 512;
const FLUSH_BYTES = 8 * 1024 * 1024;
/** The `incoming.id` of an entry; binds the push id, then the entry index. */
const ENTRY_ID = '(? * 4294967296 + ?)';
/** The `incoming.id`s of one push; binds the push id twice. */
const PUSH_IDS = 'BETWEEN ? * 4294967296 AND ? * 4294967296 + 4294967295';

interface StoredStream {
  chunks: number;
  /** The `incoming_chunks.id` of the second piece, or null when the stream is one piece. */
  firstChunk: number | null;
}

export class SqlPackStaging implements PackStaging {
  readonly #sql: SqlPort;
  readonly #pushId: number;
  readonly #onDone: () => void;
  #buffer = new Map<number, StagedEntry>();
  #bufferBytes = 0;
  #done = false;

  constructor(sql: SqlPort, pushId: number, onDone: () => void) {
    if (!Number.isInteger(pushId) || pushId < 0 || pushId >= 2 ** 31) throw new GroveError('INTERNAL', `push id ${pushId} is out of range`);
    this.#sql = sql;
    this.#pushId = pushId;
    this.#onDone = onDone;
  }

  put(entry: StagedEntry): void {
    this.#assertOpen();
    if (!Number.isInteger(entry.index) || entry.index < 0 || entry.index >= 2 ** 32) {
      throw new GroveError('INTERNAL', `pack entry index ${entry.index} is out of range`);
    }
    this.#buffer.set(entry.index, entry);
    this.#bufferBytes += entry.compressed.length;
    if (this.#buffer.size >= FLUSH_ROWS || this.#bufferBytes >= FLUSH_BYTES) this.#flush();
  }

  resolve(index: number, resolution: Resolution, replacement?: { storedSize: number; compressed: Uint8Array }): void {
    this.#assertOpen();
    const buffered = this.#buffer.get(index);
    if (buffered !== undefined) {
      buffered.resolution = resolution;
      if (replacement !== undefined) {
        this.#bufferBytes += replacement.compressed.length - buffered.compressed.length;
        buffered.storedSize = replacement.storedSize;
        buffered.compressed = replacement.compressed;
      }
      return;
    }
    const r = resolution;
    const base = r.base === null ? null : hexToBytes(r.base);
    this.#sql.transaction(() => {
      this.#sql.run(
        `UPDATE incoming SET oid = ?, type = ?, size = ?, base_oid = ?, depth = ? WHERE id = ${ENTRY_ID}`,
        hexToBytes(r.oid), TYPE_CODE[r.type], r.size, base, r.depth, this.#pushId, index,
      );
      if (replacement !== undefined) {
        this.#deleteChunks(index);
        const stream = this.#writeChunks(replacement.compressed);
        this.#sql.run(
          `UPDATE incoming SET stored_size = ?, chunks = ?, first_chunk = ?, data = ? WHERE id = ${ENTRY_ID}`,
          replacement.storedSize, stream.chunks, stream.firstChunk, replacement.compressed.subarray(0, CHUNK_BYTES), this.#pushId, index,
        );
      }
    });
  }

  drop(index: number): void {
    this.#assertOpen();
    const buffered = this.#buffer.get(index);
    if (buffered !== undefined) {
      this.#buffer.delete(index);
      this.#bufferBytes -= buffered.compressed.length;
      return;
    }
    this.#sql.transaction(() => {
      this.#deleteChunks(index);
      this.#sql.run(`DELETE FROM incoming WHERE id = ${ENTRY_ID}`, this.#pushId, index);
    });
  }

  read(index: number): { storedSize: number; compressed: Uint8Array } {
    this.#assertOpen();
    const buffered = this.#buffer.get(index);
    if (buffered !== undefined) return { storedSize: buffered.storedSize, compressed: buffered.compressed };
    const row = this.#sql.query<{ stored_size: number; chunks: number; first_chunk: number | null; data: Uint8Array }>(
      `SELECT stored_size, chunks, first_chunk, data FROM incoming WHERE id = ${ENTRY_ID}`, this.#pushId, index,
    )[0];
    if (row === undefined) throw new GroveError('INTERNAL', `staged entry ${index} is missing`);
    if (row.first_chunk === null) return { storedSize: row.stored_size, compressed: row.data };
    const rest = this.#sql.query<{ data: Uint8Array }>(
      `SELECT data FROM incoming_chunks WHERE id BETWEEN ? AND ? ORDER BY id`, row.first_chunk, row.first_chunk + row.chunks - 2,
    );
    return { storedSize: row.stored_size, compressed: concatBytes([row.data, ...rest.map((r) => r.data)]) };
  }

  commit(updates: readonly RefUpdate[], commits: readonly StagedCommit[], options: { atomic: boolean }): RefUpdateResult[] {
    this.#assertOpen();
    this.#flush();
    const sql = this.#sql;
    try {
      return sql.transaction(() => {
        const unresolved = sql.query(`SELECT 1 FROM incoming WHERE id ${PUSH_IDS} AND oid IS NULL LIMIT 1`, this.#pushId, this.#pushId);
        if (unresolved.length > 0) throw new GroveError('INTERNAL', 'commit of a push with unresolved objects');
        const results = updates.map((u) => checkRefUpdate(sql, u));
        const failed = results.some((r) => !r.ok);
        if (options.atomic && failed) {
          return results.map((r): RefUpdateResult => (r.ok ? { name: r.name, ok: false, reason: 'atomic push failure' } : r));
        }
        if (!results.some((r) => r.ok)) return results;
        this.#moveObjects(commits);
        updates.forEach((u, i) => {
          if (results[i]!.ok) writeRef(sql, u);
        });
        return results;
      });
    } finally {
      this.discard();
    }
  }

  discardObjects(): void {
    this.#assertOpen();
    this.#buffer.clear();
    this.#bufferBytes = 0;
    this.#sql.transaction(() => {
      this.#sql.run(
        `DELETE FROM incoming_chunks WHERE id IN (
           SELECT c.id FROM incoming i JOIN incoming_chunks c ON c.id BETWEEN i.first_chunk AND i.first_chunk + i.chunks - 2
           WHERE i.id ${PUSH_IDS} AND i.first_chunk IS NOT NULL)`,
        this.#pushId, this.#pushId,
      );
      this.#sql.run(`DELETE FROM incoming WHERE id ${PUSH_IDS}`, this.#pushId, this.#pushId);
    });
  }

  discard(): void {
    if (this.#done) return;
    this.discardObjects();
    this.#done = true;
    this.#onDone();
  }

  #moveObjects(commits: readonly StagedCommit[]): void {
    const sql = this.#sql;
    const lastId = sql.query<{ id: number }>(`SELECT coalesce(max(id), 0) AS id FROM objects`)[0]!.id;
    const staged = sql.query<{ n: number }>(`SELECT count(*) AS n FROM incoming WHERE id ${PUSH_IDS}`, this.#pushId, this.#pushId)[0]!.n;
    // Chunks first, and only for objects the repository lacks, so an existing object keeps its own chunks.
    sql.run(
      `INSERT OR IGNORE INTO object_chunks (oid, seq, data)
       SELECT i.oid, c.id - i.first_chunk + 1, c.data FROM incoming i
       JOIN incoming_chunks c ON c.id BETWEEN i.first_chunk AND i.first_chunk + i.chunks - 2
       WHERE i.id ${PUSH_IDS} AND i.first_chunk IS NOT NULL AND i.oid NOT IN (SELECT oid FROM objects)`,
      this.#pushId, this.#pushId,
    );
    const inserted = sql.run(
      `INSERT OR IGNORE INTO objects (oid, type, size, base_oid, depth, stored_size, chunks, data)
       SELECT oid, type, size, base_oid, depth, stored_size, chunks, data FROM incoming WHERE id ${PUSH_IDS} ORDER BY id`,
      this.#pushId, this.#pushId,
    );
    // Objects the repository already had keep their own stored form; deltas on them get their depth from it.
    if (inserted < staged) this.#fixDepths(lastId);
    for (const c of commits) {
      const oid = hexToBytes(c.oid);
      const parents = new Uint8Array(20 * c.parents.length);
      c.parents.forEach((p, i) => parents.set(hexToBytes(p), 20 * i));
      const fresh = sql.run(
        `INSERT OR IGNORE INTO commits (oid, tree, parents, time, generation, indexed) VALUES (?, ?, ?, ?, ?, ?)`,
        oid, hexToBytes(c.tree), parents, c.time, c.generation, c.introduced == null ? 0 : 1,
      );
      if (c.introduced == null) continue;
      // A fork may bring back objects only its parent stores: then this database cannot index the commit whole.
      const introduced = JSON.stringify(c.introduced);
      const held = sql.query<{ n: number }>(`SELECT count(*) AS n FROM objects WHERE oid IN ${OIDS_PARAM}`, introduced)[0]!.n;
      if (held < new Set(c.introduced).size) {
        if (fresh !== 0) sql.run(`UPDATE commits SET indexed = 0 WHERE oid = ?`, oid);
        continue;
      }
      if (fresh === 0 && sql.run(`UPDATE commits SET indexed = 1 WHERE oid = ? AND indexed = 0`, oid) === 0) continue;
      sql.run(
        `INSERT OR IGNORE INTO commit_objects (commit_id, object_id)
         SELECT (SELECT id FROM objects WHERE oid = ?), o.id FROM objects o WHERE o.oid IN ${OIDS_PARAM}`,
        oid, introduced,
      );
    }
  }

  /** Sets depth = 1 + the base's depth on the rows after `lastId`, a chain level per pass. */
  #fixDepths(lastId: number): void {
    for (let pass = 0; pass < 4096; pass++) {
      const changed = this.#sql.run(
        `UPDATE objects SET depth = (SELECT b.depth + 1 FROM objects b WHERE b.oid = objects.base_oid)
         WHERE id > ? AND base_oid IS NOT NULL
           AND depth IS NOT (SELECT b.depth + 1 FROM objects b WHERE b.oid = objects.base_oid)
           AND EXISTS (SELECT 1 FROM objects b WHERE b.oid = objects.base_oid)`,
        lastId,
      );
      if (changed === 0) return;
    }
  }

  #flush(): void {
    if (this.#buffer.size === 0) return;
    const entries = [...this.#buffer.values()];
    this.#buffer.clear();
    this.#bufferBytes = 0;
    this.#sql.transaction(() => {
      for (const e of entries) {
        const r = e.resolution;
        const stream = this.#writeChunks(e.compressed);
        const row: SqlValue[] = [
          this.#pushId, e.index, e.offset,
          r === null ? null : hexToBytes(r.oid),
          r === null ? null : TYPE_CODE[r.type],
          r === null ? null : r.size,
          r === null || r.base === null ? null : hexToBytes(r.base),
          r === null ? null : r.depth,
          e.storedSize, stream.chunks, stream.firstChunk, e.compressed.subarray(0, CHUNK_BYTES),
        ];
        this.#sql.run(
          `INSERT INTO incoming (id, pack_offset, oid, type, size, base_oid, depth, stored_size, chunks, first_chunk, data)
           VALUES (${ENTRY_ID}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ...row,
        );
      }
    });
  }

  /**
   * Writes the pieces after the first as consecutive `incoming_chunks` rows past
   * the highest id; called inside the transaction that writes the entry's row.
   */
  #writeChunks(compressed: Uint8Array): StoredStream {
    if (compressed.length <= CHUNK_BYTES) return { chunks: 1, firstChunk: null };
    const first = this.#sql.query<{ id: number }>(`SELECT coalesce(max(id), 0) + 1 AS id FROM incoming_chunks`)[0]!.id;
    let id = first;
    for (let start = CHUNK_BYTES; start < compressed.length; start += CHUNK_BYTES) {
      this.#sql.run(`INSERT INTO incoming_chunks (id, data) VALUES (?, ?)`, id++, compressed.subarray(start, start + CHUNK_BYTES));
    }
    return { chunks: 1 + id - first, firstChunk: first };
  }

  /** Deletes the pieces after the first of a staged entry's stream. */
  #deleteChunks(index: number): void {
    const row = this.#sql.query<{ chunks: number; first_chunk: number | null }>(
      `SELECT chunks, first_chunk FROM incoming WHERE id = ${ENTRY_ID}`, this.#pushId, index,
    )[0];
    if (row === undefined || row.first_chunk === null) return;
    this.#sql.run(`DELETE FROM incoming_chunks WHERE id BETWEEN ? AND ?`, row.first_chunk, row.first_chunk + row.chunks - 2);
  }

  #assertOpen(): void {
    if (this.#done) throw new GroveError('INTERNAL', 'push staging used after commit or discard');
  }
}

function currentRef(sql: SqlPort, name: string): { oid: Uint8Array | null; target: string | null } | undefined {
  return sql.query<{ oid: Uint8Array | null; target: string | null }>(`SELECT oid, target FROM refs WHERE name = ?`, name)[0];
}

function checkRefUpdate(sql: SqlPort, update: RefUpdate): RefUpdateResult {
  const current = currentRef(sql, update.name);
  if (current !== undefined && current.target !== null) return { name: update.name, ok: false, reason: 'refusing to update a symbolic ref' };
  const currentOid = current?.oid == null ? ZERO_OID : bytesToHex(current.oid);
  if (currentOid !== update.old) {
    // Deleting a ref that is already gone is what the pusher wanted.
    if (update.new === ZERO_OID && currentOid === ZERO_OID) return { name: update.name, ok: true };
    return { name: update.name, ok: false, reason: update.old === ZERO_OID ? 'reference already exists' : 'failed to update ref: stale old value' };
  }
  return { name: update.name, ok: true };
}

function writeRef(sql: SqlPort, update: RefUpdate): void {
  bumpRefsVersion(sql);
  if (update.new === ZERO_OID) {
    sql.run(`DELETE FROM refs WHERE name = ?`, update.name);
    return;
  }
  sql.run(
    `INSERT OR REPLACE INTO refs (name, oid, target, peeled) VALUES (?, ?, NULL, ?)`,
    update.name, hexToBytes(update.new), update.peeled === undefined ? null : hexToBytes(update.peeled),
  );
}
