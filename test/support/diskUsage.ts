/**
 * What a data directory holds on disk, for storage-cost tests: the total size
 * of every file under a directory (recursively; SQLite's -wal and -shm files
 * included), and row counts read from a SQLite database opened read-only.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** Sum of the sizes of every regular file under `dir`, in bytes. */
export function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(path);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}

/** Runs `sql` (a query returning one row with a column `n`) on the database at `path`, opened read-only. */
export function sqliteCount(path: string, sql: string, ...params: string[]): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const row = db.prepare(sql).get(...params) as { n: number } | undefined;
    return row?.n ?? 0;
  } finally {
    db.close();
  }
}

/** The values of the first column of every row `sql` gives, on the database at `path` opened read-only. */
export function sqliteColumn(path: string, sql: string): string[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).all().map((row) => String(Object.values(row)[0]));
  } finally {
    db.close();
  }
}
