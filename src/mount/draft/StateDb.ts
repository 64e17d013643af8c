/**
 * The small SQLite file beside a draft mount's cache tree (`state.db`):
 *
 *   meta(k, v)                      which draft, when the server last changed, clean shutdown
 *   server(path, kind, mode, sha, size)  what the server holds, for every folder listed so far
 *   unlisted(path)                  local folders standing for server folders not listed yet
 *   blobs(ino, sha, size, mtime_ms, source, placeholder)
 *                                   what is known of a local file's content, by inode: a
 *                                   placeholder's blob (and where to fetch it), or the id a
 *                                   file had when last hashed or fetched (valid while its size
 *                                   and time are unchanged)
 *   dirty(path)                     paths changed and not synced, saved at unmount
 *
 * WAL with synchronous=NORMAL: a commit is in the file (not necessarily on
 * the platter) when the call returns, so a killed process loses nothing it
 * committed.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';

export type ServerKind = 'file' | 'dir' | 'symlink' | 'submodule';

export interface ServerEntry {
  kind: ServerKind;
  /** Octal, as the API shows it: '100644', '100755', '120000', '40000', '160000'. */
  mode: string;
  sha: string | null;
  size: number;
}

export interface BlobRow {
  ino: number;
  sha: string;
  size: number;
  mtimeMs: number;
  /** The draft path it was listed at (where a placeholder's bytes are fetched from). */
  source: string | null;
  /** True for a placeholder: the local file has the size but not the bytes. */
  placeholder: boolean;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS server (path TEXT PRIMARY KEY, kind TEXT NOT NULL, mode TEXT NOT NULL, sha TEXT, size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS unlisted (path TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS blobs (ino INTEGER PRIMARY KEY, sha TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL, source TEXT, placeholder INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS dirty (path TEXT PRIMARY KEY);
`;

export class StateDb {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(file: string) {
    this.#db = new DatabaseSync(file);
    this.#db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;');
    this.#db.exec(SCHEMA);
  }

  #run(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  transaction<T>(fn: () => T): T {
    this.#db.exec('BEGIN');
    try {
      const out = fn();
      this.#db.exec('COMMIT');
      return out;
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  meta(key: string): string | null {
    const row = this.#run('SELECT v FROM meta WHERE k = ?').get(key) as { v: string } | undefined;
    return row?.v ?? null;
  }

  setMeta(key: string, value: string): void {
    this.#run('INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)').run(key, value);
  }

  serverEntries(): [string, ServerEntry][] {
    const rows = this.#run('SELECT path, kind, mode, sha, size FROM server').all() as unknown as ({ path: string } & ServerEntry)[];
    return rows.map((r) => [r.path, { kind: r.kind, mode: r.mode, sha: r.sha, size: r.size }]);
  }

  putServer(path: string, entry: ServerEntry): void {
    this.#run('INSERT OR REPLACE INTO server (path, kind, mode, sha, size) VALUES (?, ?, ?, ?, ?)').run(path, entry.kind, entry.mode, entry.sha, entry.size);
  }

  /** Removes `path` and everything below it. */
  removeServerTree(path: string): void {
    if (path === '') {
      this.#run('DELETE FROM server').run();
      return;
    }
    this.#run("DELETE FROM server WHERE path = ? OR (path >= ? || '/' AND path < ? || '0')").run(path, path, path);
  }

  unlisted(): string[] {
    return (this.#run('SELECT path FROM unlisted').all() as { path: string }[]).map((r) => r.path);
  }

  setUnlisted(path: string, unlisted: boolean): void {
    if (unlisted) this.#run('INSERT OR IGNORE INTO unlisted (path) VALUES (?)').run(path);
    else this.#run('DELETE FROM unlisted WHERE path = ?').run(path);
  }

  blobs(): BlobRow[] {
    const rows = this.#run('SELECT ino, sha, size, mtime_ms, source, placeholder FROM blobs').all() as {
      ino: number; sha: string; size: number; mtime_ms: number; source: string | null; placeholder: number;
    }[];
    return rows.map((r) => ({ ino: r.ino, sha: r.sha, size: r.size, mtimeMs: r.mtime_ms, source: r.source, placeholder: r.placeholder === 1 }));
  }

  putBlob(row: BlobRow): void {
    this.#run('INSERT OR REPLACE INTO blobs (ino, sha, size, mtime_ms, source, placeholder) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.ino, row.sha, row.size, row.mtimeMs, row.source, row.placeholder ? 1 : 0);
  }

  deleteBlob(ino: number): void {
    this.#run('DELETE FROM blobs WHERE ino = ?').run(ino);
  }

  dirty(): string[] {
    return (this.#run('SELECT path FROM dirty').all() as { path: string }[]).map((r) => r.path);
  }

  /** Replaces the saved dirty paths with `paths`. */
  saveDirty(paths: Iterable<string>): void {
    this.transaction(() => {
      this.#run('DELETE FROM dirty').run();
      for (const path of paths) this.#run('INSERT OR IGNORE INTO dirty (path) VALUES (?)').run(path);
    });
  }

  close(): void {
    this.#db.close();
  }
}
