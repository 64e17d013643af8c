/**
 * What is known of local files' contents, by inode (an inode survives a
 * rename, so nothing here moves when files do): a placeholder's blob, or the
 * blob id a file had when it was last fetched or hashed. The second kind is
 * trusted only while the file's size and modification time are the ones
 * recorded, and is dropped before any write through the mount, so a sync
 * hashes a file only when it may have changed. Written through to the state
 * file.
 */
import type { Stats } from 'node:fs';
import type { BlobRow, StateDb } from './StateDb.ts';

/** The sticky bit: set on a placeholder file and on nothing else in the cache (chmod through the mount clears it). */
export const PLACEHOLDER_BIT = 0o1000;

export function isPlaceholder(stats: Stats): boolean {
  return stats.isFile() && (stats.mode & PLACEHOLDER_BIT) !== 0;
}

export class BlobTable {
  readonly #rows = new Map<number, BlobRow>();
  readonly #db: StateDb;
  #placeholders = 0;
  #placeholderBytes = 0;
  /** When each inode was last forgotten, for a sync that must not keep an id hashed before a write. */
  readonly #forgotten = new Map<number, number>();
  #clock = 0;

  constructor(db: StateDb) {
    this.#db = db;
    for (const row of db.blobs()) this.#keep(row);
  }

  get placeholders(): number {
    return this.#placeholders;
  }

  get placeholderBytes(): number {
    return this.#placeholderBytes;
  }

  /** The placeholder row of a placeholder file. */
  placeholder(stats: Stats): BlobRow | undefined {
    const row = this.#rows.get(stats.ino);
    return row?.placeholder === true ? row : undefined;
  }

  /** The blob id of a regular file whose size and time are those recorded (a placeholder's always). */
  known(stats: Stats): string | undefined {
    const row = this.#rows.get(stats.ino);
    if (row === undefined) return undefined;
    if (row.placeholder) return isPlaceholder(stats) ? row.sha : undefined;
    return row.size === stats.size && row.mtimeMs === stats.mtimeMs && !isPlaceholder(stats) ? row.sha : undefined;
  }

  put(row: BlobRow): void {
    this.#drop(row.ino);
    this.#keep(row);
    this.#db.putBlob(row);
  }

  /** Forgets what was known of inode `ino` (its file is about to change, or is gone). */
  forget(ino: number): void {
    this.#forgotten.set(ino, ++this.#clock);
    if (this.#drop(ino)) this.#db.deleteBlob(ino);
  }

  /** A point in time for `forgottenSince`. */
  now(): number {
    return this.#clock;
  }

  /** True when inode `ino` was forgotten after `since` (a `now()`). */
  forgottenSince(ino: number, since: number): boolean {
    return (this.#forgotten.get(ino) ?? 0) > since;
  }

  /** Drops the record of forgotten inodes (no sync is looking). */
  clearForgotten(): void {
    this.#forgotten.clear();
  }

  #keep(row: BlobRow): void {
    this.#rows.set(row.ino, row);
    if (row.placeholder) {
      this.#placeholders++;
      this.#placeholderBytes += row.size;
    }
  }

  #drop(ino: number): boolean {
    const row = this.#rows.get(ino);
    if (row === undefined) return false;
    this.#rows.delete(ino);
    if (row.placeholder) {
      this.#placeholders--;
      this.#placeholderBytes -= row.size;
    }
    return true;
  }
}
