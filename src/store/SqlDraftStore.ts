/**
 * The draft tables of a repository database (docs/STORAGE.md "Drafts"):
 * drafts, their overlays of changed paths, and the contents written to them
 * that no commit holds yet. The tables are made with the repository's first
 * draft, so a repository that never has one (most forks) pays no page for
 * them.
 *
 * A draft's overlay is a set of rows keyed by path, read over the tree of the
 * commit the draft sits on: a `file` row puts a blob at its path, a
 * `whiteout` row hides what the tree has there, and a `dir` row is a folder
 * whose contents below come from the tree `oid` (null: an empty folder)
 * instead of from the commit's tree at that path.
 *
 * Past 400 lines because it is the one place the draft tables are read and
 * written: STORAGE.md rules 20–24 hold across all of them.
 */
import { bytesToHex, hexToBytes, type Oid } from '../git/objects/objectId.ts';
import { CHUNK_BYTES } from './repoSchema.ts';
import type { SqlPort } from './sqlPort.ts';

export const DRAFT_SCHEMA = `
  CREATE TABLE IF NOT EXISTS drafts (
    id          TEXT PRIMARY KEY,
    branch      TEXT,
    origin      BLOB NOT NULL,
    base        BLOB NOT NULL,
    head        BLOB NOT NULL,
    label       TEXT,
    state       TEXT NOT NULL CHECK (state IN ('open', 'applied')),
    applied     BLOB,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    ttl_ms      INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS drafts_by_expiry ON drafts (expires_at);

  CREATE TABLE IF NOT EXISTS draft_entries (
    draft_id TEXT NOT NULL,
    path     TEXT NOT NULL,
    parent   TEXT NOT NULL,
    kind     INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),
    mode     INTEGER,
    oid      BLOB,
    size     INTEGER,
    PRIMARY KEY (draft_id, path)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS draft_entries_parent ON draft_entries (draft_id, parent);
  CREATE INDEX IF NOT EXISTS draft_entries_oid ON draft_entries (oid) WHERE kind = 1;

  CREATE TABLE IF NOT EXISTS draft_blobs (
    oid      BLOB PRIMARY KEY,
    size     INTEGER NOT NULL,
    chunks   INTEGER NOT NULL CHECK (chunks >= 1),
    added_at INTEGER NOT NULL,
    data     BLOB NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS draft_blob_chunks (
    oid  BLOB NOT NULL,
    seq  INTEGER NOT NULL CHECK (seq >= 1),
    data BLOB NOT NULL,
    PRIMARY KEY (oid, seq)
  ) WITHOUT ROWID;
`;

export type DraftState = 'open' | 'applied';

export interface DraftRecord {
  id: string;
  /** The branch the draft applies to (`refs/heads/…`); null when made from a commit or tag. */
  branch: string | null;
  /** The commit the draft was made from. */
  origin: Oid;
  /** The branch commit the draft's files build on: the origin, or the branch head of its last update. The merge base of an apply. */
  base: Oid;
  /** The commit whose tree the overlay sits on: the base, the last checkpoint, or a revision reset to. */
  head: Oid;
  label: string | null;
  state: DraftState;
  /** The commit an apply made on the branch. */
  applied: Oid | null;
  createdAt: number;
  updatedAt: number;
  ttlMs: number;
  expiresAt: number;
}

export const KIND_WHITEOUT = 0;
export const KIND_FILE = 1;
export const KIND_DIR = 2;

export type OverlayEntry =
  | { path: string; kind: 'whiteout' }
  | { path: string; kind: 'file'; mode: number; oid: Oid; size: number }
  /** A folder whose contents below come from tree `oid` (null: none) and the rows under it. */
  | { path: string; kind: 'dir'; oid: Oid | null };

interface DraftRow {
  id: string;
  branch: string | null;
  origin: Uint8Array;
  base: Uint8Array;
  head: Uint8Array;
  label: string | null;
  state: DraftState;
  applied: Uint8Array | null;
  created_at: number;
  updated_at: number;
  ttl_ms: number;
  expires_at: number;
}

interface EntryRow {
  path: string;
  kind: number;
  mode: number | null;
  oid: Uint8Array | null;
  size: number | null;
}

export class SqlDraftStore {
  readonly #sql: SqlPort;
  #ready = false;

  constructor(sql: SqlPort) {
    this.#sql = sql;
  }

  /** Runs `fn` in one transaction of the repository database. */
  transaction<T>(fn: () => T): T {
    return this.#sql.transaction(fn);
  }

  /** True once the draft tables exist (they are made by the first `insert`). */
  exists(): boolean {
    if (!this.#ready) this.#ready = this.#sql.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'drafts'`).length > 0;
    return this.#ready;
  }

  insert(draft: DraftRecord): void {
    if (!this.exists()) {
      this.#sql.script(DRAFT_SCHEMA);
      this.#ready = true;
    }
    this.#sql.run(
      `INSERT INTO drafts (id, branch, origin, base, head, label, state, applied, created_at, updated_at, ttl_ms, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      draft.id, draft.branch, hexToBytes(draft.origin), hexToBytes(draft.base), hexToBytes(draft.head), draft.label, draft.state,
      draft.applied === null ? null : hexToBytes(draft.applied), draft.createdAt, draft.updatedAt, draft.ttlMs, draft.expiresAt,
    );
  }

  get(id: string): DraftRecord | null {
    if (!this.exists()) return null;
    const row = this.#sql.query<DraftRow>(`SELECT * FROM drafts WHERE id = ?`, id)[0];
    return row === undefined ? null : toRecord(row);
  }

  /** Drafts in id order after `after` (paging), at most `limit`. */
  list(options: { after?: string; limit: number }): DraftRecord[] {
    if (!this.exists()) return [];
    return this.#sql
      .query<DraftRow>(`SELECT * FROM drafts WHERE id > ? ORDER BY id LIMIT ?`, options.after ?? '', options.limit)
      .map(toRecord);
  }

  /** The earliest `expires_at` of the repository's drafts; null when it has none. */
  nextExpiry(): number | null {
    if (!this.exists()) return null;
    return this.#sql.query<{ t: number | null }>(`SELECT min(expires_at) AS t FROM drafts`)[0]?.t ?? null;
  }

  /** Ids of drafts whose `expires_at` is at or before `now`. */
  expired(now: number, limit: number): string[] {
    if (!this.exists()) return [];
    return this.#sql.query<{ id: string }>(`SELECT id FROM drafts WHERE expires_at <= ? ORDER BY expires_at LIMIT ?`, now, limit).map((r) => r.id);
  }

  /** Sets the given fields of a draft. */
  update(id: string, fields: Partial<Pick<DraftRecord, 'base' | 'head' | 'state' | 'applied' | 'updatedAt' | 'expiresAt'>>): void {
    const sets: string[] = [];
    const values: (string | number | Uint8Array | null)[] = [];
    const put = (column: string, value: string | number | Uint8Array | null): void => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (fields.base !== undefined) put('base', hexToBytes(fields.base));
    if (fields.head !== undefined) put('head', hexToBytes(fields.head));
    if (fields.state !== undefined) put('state', fields.state);
    if (fields.applied !== undefined) put('applied', fields.applied === null ? null : hexToBytes(fields.applied));
    if (fields.updatedAt !== undefined) put('updated_at', fields.updatedAt);
    if (fields.expiresAt !== undefined) put('expires_at', fields.expiresAt);
    if (sets.length > 0) this.#sql.run(`UPDATE drafts SET ${sets.join(', ')} WHERE id = ?`, ...values, id);
  }

  /** Deletes a draft, its overlay and the contents only it held. */
  delete(id: string): void {
    this.#sql.transaction(() => {
      const oids = this.#fileOids(id, null);
      this.#sql.run(`DELETE FROM draft_entries WHERE draft_id = ?`, id);
      this.#sql.run(`DELETE FROM drafts WHERE id = ?`, id);
      this.collectBlobs(oids);
    });
  }

  // ---- overlay ----

  /** The overlay rows at the given paths. */
  entriesAt(id: string, paths: readonly string[]): Map<string, OverlayEntry> {
    const out = new Map<string, OverlayEntry>();
    if (paths.length === 0 || !this.exists()) return out;
    const marks = paths.map(() => '?').join(', ');
    for (const row of this.#sql.query<EntryRow>(`SELECT path, kind, mode, oid, size FROM draft_entries WHERE draft_id = ? AND path IN (${marks})`, id, ...paths)) {
      out.set(row.path, toEntry(row));
    }
    return out;
  }

  /** The overlay rows whose parent folder is `parent`. */
  children(id: string, parent: string): OverlayEntry[] {
    if (!this.exists()) return [];
    return this.#sql.query<EntryRow>(`SELECT path, kind, mode, oid, size FROM draft_entries WHERE draft_id = ? AND parent = ?`, id, parent).map(toEntry);
  }

  /** The overlay rows strictly below folder `path` (`''`: every row). */
  below(id: string, path: string): OverlayEntry[] {
    if (!this.exists()) return [];
    if (path === '') return this.#sql.query<EntryRow>(`SELECT path, kind, mode, oid, size FROM draft_entries WHERE draft_id = ? ORDER BY path`, id).map(toEntry);
    return this.#sql
      .query<EntryRow>(`SELECT path, kind, mode, oid, size FROM draft_entries WHERE draft_id = ? AND path > ? AND path < ? ORDER BY path`, id, `${path}/`, `${path}0`)
      .map(toEntry);
  }

  /** The number of overlay rows of a draft. */
  countEntries(id: string): number {
    if (!this.exists()) return 0;
    return this.#sql.query<{ n: number }>(`SELECT count(*) AS n FROM draft_entries WHERE draft_id = ?`, id)[0]!.n;
  }

  /** Sets (replaces) the row at `entry.path`. */
  put(id: string, entry: OverlayEntry): void {
    const old = this.#fileOids(id, entry.path, true);
    const parent = parentOf(entry.path);
    if (entry.kind === 'whiteout') {
      this.#sql.run(`INSERT OR REPLACE INTO draft_entries (draft_id, path, parent, kind, mode, oid, size) VALUES (?, ?, ?, 0, NULL, NULL, NULL)`, id, entry.path, parent);
    } else if (entry.kind === 'file') {
      this.#sql.run(
        `INSERT OR REPLACE INTO draft_entries (draft_id, path, parent, kind, mode, oid, size) VALUES (?, ?, ?, 1, ?, ?, ?)`,
        id, entry.path, parent, entry.mode, hexToBytes(entry.oid), entry.size,
      );
    } else {
      this.#sql.run(
        `INSERT OR REPLACE INTO draft_entries (draft_id, path, parent, kind, mode, oid, size) VALUES (?, ?, ?, 2, NULL, ?, NULL)`,
        id, entry.path, parent, entry.oid === null ? null : hexToBytes(entry.oid),
      );
    }
    this.collectBlobs(old);
  }

  /** Deletes the row at `path` and, with `subtree`, every row below it. */
  remove(id: string, path: string, subtree: boolean): void {
    const oids = [...this.#fileOids(id, path, true), ...(subtree ? this.#fileOids(id, path, false) : [])];
    this.#sql.run(`DELETE FROM draft_entries WHERE draft_id = ? AND path = ?`, id, path);
    if (subtree) this.#sql.run(`DELETE FROM draft_entries WHERE draft_id = ? AND path > ? AND path < ?`, id, `${path}/`, `${path}0`);
    this.collectBlobs(oids);
  }

  /** Moves the rows strictly below folder `from` to below `to` (the row at `from` itself is the caller's). */
  moveBelow(id: string, from: string, to: string): void {
    const rows = this.below(id, from);
    this.#sql.run(`DELETE FROM draft_entries WHERE draft_id = ? AND path > ? AND path < ?`, id, `${from}/`, `${from}0`);
    for (const row of rows) {
      const moved = { ...row, path: `${to}${row.path.slice(from.length)}` };
      this.put(id, moved);
    }
  }

  /** Deletes every overlay row of a draft (its contents go once nothing names them). */
  clear(id: string): void {
    const oids = this.#fileOids(id, null);
    this.#sql.run(`DELETE FROM draft_entries WHERE draft_id = ?`, id);
    this.collectBlobs(oids);
  }

  // ---- contents ----

  /** Of `oids`, those held as draft contents. */
  heldBlobs(oids: readonly Oid[]): Set<Oid> {
    const out = new Set<Oid>();
    if (!this.exists()) return out;
    for (const oid of new Set(oids)) {
      if (this.#sql.query(`SELECT 1 FROM draft_blobs WHERE oid = ?`, hexToBytes(oid)).length > 0) out.add(oid);
    }
    return out;
  }

  /** Keeps `data` as the content `oid` (a no-op when it is kept already); `now` dates an upload no row names yet. */
  putBlob(oid: Oid, data: Uint8Array, now = 0): void {
    if (!this.exists()) {
      this.#sql.script(DRAFT_SCHEMA);
      this.#ready = true;
    }
    const key = hexToBytes(oid);
    if (this.#sql.query(`SELECT 1 FROM draft_blobs WHERE oid = ?`, key).length > 0) return;
    const chunks = Math.max(1, Math.ceil(data.length / CHUNK_BYTES));
    this.#sql.run(`INSERT INTO draft_blobs (oid, size, chunks, added_at, data) VALUES (?, ?, ?, ?, ?)`, key, data.length, chunks, now, data.subarray(0, CHUNK_BYTES));
    for (let seq = 1; seq < chunks; seq++) {
      this.#sql.run(`INSERT INTO draft_blob_chunks (oid, seq, data) VALUES (?, ?, ?)`, key, seq, data.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES));
    }
  }

  /** The size of draft content `oid`; null when it is not kept. */
  blobSize(oid: Oid): number | null {
    if (!this.exists()) return null;
    return this.#sql.query<{ size: number }>(`SELECT size FROM draft_blobs WHERE oid = ?`, hexToBytes(oid))[0]?.size ?? null;
  }

  /** Deletes uploaded contents that no row names and that were added before `before` (ms). */
  collectOrphanBlobs(before: number): number {
    if (!this.exists()) return 0;
    return this.#sql.transaction(() => {
      const orphans = `SELECT oid FROM draft_blobs WHERE added_at < ? AND NOT EXISTS (SELECT 1 FROM draft_entries e WHERE e.oid = draft_blobs.oid AND e.kind = 1)`;
      this.#sql.run(`DELETE FROM draft_blob_chunks WHERE oid IN (${orphans})`, before);
      return this.#sql.run(`DELETE FROM draft_blobs WHERE oid IN (${orphans})`, before);
    });
  }

  /** When the oldest upload no file row names was added (ms); null when there is none. */
  oldestOrphanUpload(): number | null {
    if (!this.exists()) return null;
    const orphan = `added_at > 0 AND NOT EXISTS (SELECT 1 FROM draft_entries e WHERE e.oid = draft_blobs.oid AND e.kind = 1)`;
    return this.#sql.query<{ t: number | null }>(`SELECT min(added_at) AS t FROM draft_blobs WHERE ${orphan}`)[0]?.t ?? null;
  }

  /** The content `oid` if it is kept as a draft content. */
  readBlob(oid: Oid): Uint8Array | null {
    if (!this.exists()) return null;
    const key = hexToBytes(oid);
    const head = this.#sql.query<{ size: number; chunks: number; data: Uint8Array }>(`SELECT size, chunks, data FROM draft_blobs WHERE oid = ?`, key)[0];
    if (head === undefined) return null;
    if (head.chunks === 1) return head.data;
    const out = new Uint8Array(head.size);
    out.set(head.data, 0);
    let at = head.data.length;
    for (const row of this.#sql.query<{ data: Uint8Array }>(`SELECT data FROM draft_blob_chunks WHERE oid = ? ORDER BY seq`, key)) {
      out.set(row.data, at);
      at += row.data.length;
    }
    return out;
  }

  /** Deletes the draft contents among `oids` that no overlay row names any more. */
  collectBlobs(oids: Iterable<Oid>): void {
    for (const oid of new Set(oids)) {
      const key = hexToBytes(oid);
      if (this.#sql.query(`SELECT 1 FROM draft_entries WHERE oid = ? AND kind = 1 LIMIT 1`, key).length > 0) continue;
      if (this.#sql.run(`DELETE FROM draft_blobs WHERE oid = ?`, key) > 0) this.#sql.run(`DELETE FROM draft_blob_chunks WHERE oid = ?`, key);
    }
  }

  /** Row counts of the draft tables (for tests and usage). */
  rowCounts(): { drafts: number; entries: number; blobs: number; blobChunks: number } {
    if (!this.exists()) return { drafts: 0, entries: 0, blobs: 0, blobChunks: 0 };
    const n = (table: string): number => this.#sql.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n;
    return { drafts: n('drafts'), entries: n('draft_entries'), blobs: n('draft_blobs'), blobChunks: n('draft_blob_chunks') };
  }

  /** The blob ids of file rows: at `path` (`exact`), strictly below it, or (null) of the whole draft. */
  #fileOids(id: string, path: string | null, exact = false): Oid[] {
    if (!this.exists()) return [];
    const rows = path === null
      ? this.#sql.query<{ oid: Uint8Array }>(`SELECT oid FROM draft_entries WHERE draft_id = ? AND kind = 1`, id)
      : exact
        ? this.#sql.query<{ oid: Uint8Array }>(`SELECT oid FROM draft_entries WHERE draft_id = ? AND path = ? AND kind = 1`, id, path)
        : this.#sql.query<{ oid: Uint8Array }>(`SELECT oid FROM draft_entries WHERE draft_id = ? AND path > ? AND path < ? AND kind = 1`, id, `${path}/`, `${path}0`);
    return rows.map((r) => bytesToHex(r.oid));
  }
}

/** `a/b/c` → `a/b`; `a` → `''`. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function toRecord(row: DraftRow): DraftRecord {
  return {
    id: row.id,
    branch: row.branch,
    origin: bytesToHex(row.origin),
    base: bytesToHex(row.base),
    head: bytesToHex(row.head),
    label: row.label,
    state: row.state,
    applied: row.applied === null ? null : bytesToHex(row.applied),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ttlMs: row.ttl_ms,
    expiresAt: row.expires_at,
  };
}

function toEntry(row: EntryRow): OverlayEntry {
  if (row.kind === KIND_WHITEOUT) return { path: row.path, kind: 'whiteout' };
  if (row.kind === KIND_FILE) return { path: row.path, kind: 'file', mode: row.mode!, oid: bytesToHex(row.oid!), size: row.size! };
  return { path: row.path, kind: 'dir', oid: row.oid === null ? null : bytesToHex(row.oid) };
}
