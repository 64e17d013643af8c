/**
 * The on-disk cache of hydrated blobs, content-addressed like git's loose
 * objects but uncompressed (a FUSE read is then a plain positioned read):
 * `<dir>/<first two hex digits>/<other 38>`.
 *
 * A blob is written straight to its place (a temporary file and a rename
 * cost seven times as much on ext4), so a process killed in the middle of
 * a write can leave a short file: at start, every blob whose size is known
 * is checked against it (`dropShortBlobs`), and when sizes are not known
 * blobs go through a temporary file and a rename after all.
 */
import { readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Oid } from '../../git/objects/objectId.ts';

export function blobPath(dir: string, oid: Oid): string {
  return join(dir, oid.slice(0, 2), oid.slice(2));
}

/**
 * Makes the 256 fan-out folders and the temporary folder (emptied), on
 * libuv's threads: a fresh cache's folders take ~40 ms of disk time, spent
 * while the mount waits for the remote.
 */
export async function prepareBlobStore(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await Promise.all(Array.from({ length: 256 }, (_, i) => mkdir(join(dir, i.toString(16).padStart(2, '0')), { recursive: true })));
  await rm(join(dir, 'tmp'), { recursive: true, force: true });
  await mkdir(join(dir, 'tmp'), { recursive: true });
}

/** The ids of every blob in the store. */
export function storedBlobs(dir: string): Set<Oid> {
  const present = new Set<Oid>();
  for (let i = 0; i < 256; i++) {
    const fan = i.toString(16).padStart(2, '0');
    let names: string[];
    try {
      names = readdirSync(join(dir, fan));
    } catch {
      continue;
    }
    for (const name of names) if (name.length === 38) present.add(fan + name);
  }
  return present;
}

let counter = 0;

/**
 * Writes a blob's content under its id (the caller has checked the id);
 * `atomic`: through a temporary file. A blob already there (two batches
 * carried it: a read jumped the queue) is never truncated under a reader:
 * the file is made exclusively, and one found with another size (a write
 * still under way) is replaced by a rename, which open files do not see.
 */
export function storeBlob(dir: string, oid: Oid, data: Uint8Array, atomic: boolean): void {
  if (!atomic) {
    try {
      writeFileSync(blobPath(dir, oid), data, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
    if (statSync(blobPath(dir, oid)).size === data.length) return; // the same bytes, written already
  }
  const temp = join(dir, 'tmp', `${process.pid}-${threadId}-${++counter}`);
  writeFileSync(temp, data);
  renameSync(temp, blobPath(dir, oid));
}

/** Removes from the store (and from `present`) every blob shorter or longer than its known size. */
export function dropShortBlobs(dir: string, present: Set<Oid>, sizes: ReadonlyMap<Oid, number>): number {
  let dropped = 0;
  for (const [oid, size] of sizes) {
    if (size < 0 || !present.has(oid)) continue;
    let actual: number;
    try {
      actual = statSync(blobPath(dir, oid)).size;
    } catch {
      actual = -1;
    }
    if (actual === size) continue;
    rmSync(blobPath(dir, oid), { force: true });
    present.delete(oid);
    dropped++;
  }
  return dropped;
}

