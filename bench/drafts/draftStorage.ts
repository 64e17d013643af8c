/**
 * What a repository database holds for its drafts, read with SQLite itself
 * from a copy of the file (taken with the server stopped, so the WAL has
 * been checkpointed into it; the copy keeps the bench from leaving -wal or
 * -shm files in the data directory): pages in use (page_count minus the
 * free list — a file that had free pages grows by less than what was
 * written), and per draft table its rows, pages and payload bytes (SQLite's
 * `dbstat` virtual table).
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export interface TableUse {
  rows: number;
  pages: number;
  /** Bytes of the rows' content (keys and values), without page overhead. */
  payload: number;
}

export interface DraftStorage {
  pageSize: number;
  /** Pages in use: page_count − freelist_count. */
  usedPages: number;
  freePages: number;
  /** drafts, draft_entries, draft_blobs, draft_blob_chunks and their indexes (absent before the first draft). */
  tables: Record<string, TableUse>;
}

const TABLES = ['drafts', 'draft_entries', 'draft_blobs', 'draft_blob_chunks'];

export function draftStorage(dbPath: string): DraftStorage {
  if (existsSync(`${dbPath}-wal`)) throw new Error(`${dbPath} has a WAL: measure it with the server stopped`);
  const dir = mkdtempSync(join(tmpdir(), 'grove-bench-dbcopy-'));
  const copy = join(dir, 'copy.sqlite');
  copyFileSync(dbPath, copy);
  const db = new DatabaseSync(copy, { readOnly: true });
  try {
    const pragma = (name: string): number => Number(Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0]);
    const pageSize = pragma('page_size');
    const pageCount = pragma('page_count');
    const freePages = pragma('freelist_count');
    const tables: Record<string, TableUse> = {};
    const names = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    const stats = db.prepare('SELECT count(*) AS pages, coalesce(sum(payload), 0) AS payload FROM dbstat WHERE name = ? OR name IN (SELECT name FROM sqlite_schema WHERE type = \'index\' AND tbl_name = ?)');
    for (const table of TABLES) {
      if (!names.has(table)) continue;
      const rows = Number((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
      const use = stats.get(table, table) as { pages: number; payload: number };
      tables[table] = { rows, pages: Number(use.pages), payload: Number(use.payload) };
    }
    return { pageSize, usedPages: pageCount - freePages, freePages, tables };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
