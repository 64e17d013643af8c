/**
 * Changes made to the draft on the server while it is mounted (a REST
 * write, a reset, another mount). A sync notices them by the draft's
 * `updated_at` moving without it, then lists the whole draft and compares it
 * with what the mount believed the server held (ServerIndex), for every
 * folder the mount has listed:
 *
 * - where the mount's copy is still what the server had, the server's new
 *   state is brought into the mount (a placeholder for a new or changed
 *   file, a removal for a removed one) — merged, not lost;
 * - where the mount changed the path too, the mount's version stays and
 *   will be sent by this sync (last writer wins), and the path is reported.
 *
 * Either way the index then holds the server's state, so the sync computes
 * its changes against what the server really has.
 *
 * While mounted, merges go *through the mount* (unlink, mkdir, and a rename
 * of a placeholder made beside the file), not behind it: the kernel keeps
 * files' pages and attributes (kernel_cache, long timeouts), and only an
 * operation it sees makes it drop what it kept of the old file. Those
 * operations are not marked dirty (DraftFs.quiet).
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, readlinkSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { mkdir, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { DraftFileInfo } from '../../sdk/draftTypes.ts';
import { isPlaceholder } from './BlobTable.ts';
import { blobIdOf, hashFile } from './blobId.ts';
import type { FolderLister } from './FolderLister.ts';
import { localPath, type MountCache } from './MountCache.ts';
import { placeEntry } from './placeEntry.ts';
import { joinKey, parentOf } from './ServerIndex.ts';
import type { ServerEntry, ServerKind } from './StateDb.ts';
import { symlinkTargets } from './symlinkTargets.ts';

export interface MergedChanges {
  /** Paths the server changed that the mount now shows. */
  merged: string[];
  /** Paths both sides changed: the mount's version is kept (and sent). */
  conflicts: string[];
}

/** The mount, for merges to go through it. */
export interface MountedView {
  dir: string;
  /** Changes to these paths (and below) are not the user's until the returned function runs. */
  quiet(keys: readonly string[]): () => void;
}

/** Where a merge leaves a placeholder before renaming it into place (kept local if a crash leaves one). */
export const MERGE_PREFIX = '.grove-merge-';

const PAGE = 1000;

function sameEntry(a: ServerEntry | undefined, b: ServerEntry | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind !== b.kind) return false;
  return a.kind === 'dir' || (a.sha === b.sha && a.mode === b.mode);
}

function entryOf(info: DraftFileInfo): ServerEntry {
  return { kind: info.kind as ServerKind, mode: info.mode, sha: info.sha, size: info.kind === 'dir' ? 0 : info.size };
}

export class RemoteChanges {
  readonly #cache: MountCache;
  readonly #lister: FolderLister;
  #mounted: MountedView | null = null;

  constructor(cache: MountCache, lister: FolderLister) {
    this.#cache = cache;
    this.#lister = lister;
  }

  /** Merges go through `view` from now on (null: straight into the cache, nothing mounted). */
  attach(view: MountedView | null): void {
    this.#mounted = view;
  }

  async merge(): Promise<MergedChanges> {
    const cache = this.#cache;
    const truth = new Map<string, DraftFileInfo>();
    let cursor: string | undefined;
    do {
      const page = await cache.drafts.ls(cache.draftId, '', { recursive: true, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
      for (const entry of page.entries) truth.set(entry.path, entry);
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);

    const known = new Map(cache.server.below(''));
    const changed = [...new Set([...known.keys(), ...truth.keys()])]
      .filter((path) => !sameEntry(known.get(path), truth.has(path) ? entryOf(truth.get(path)!) : undefined))
      .sort();
    const out: MergedChanges = { merged: [], conflicts: [] };
    if (changed.length === 0) return out;
    const targets = await symlinkTargets(cache, changed.flatMap((p) => (truth.has(p) ? [truth.get(p)!] : [])));
    // Look first (hashing may take a while), and before each change check that the copy did not move since.
    const looked = new Map<string, { unchanged: boolean; stamp: string }>();
    for (const path of changed) {
      if (this.#lister.needs(parentOf(path))) continue; // never listed here: it will be listed fresh
      looked.set(path, { unchanged: await this.#unchanged(path, known.get(path)), stamp: this.#stamp(path) });
    }
    const seconds = Date.now() / 1000;
    // Removals deepest first, then additions and changes parents first.
    const gone = changed.filter((p) => !truth.has(p)).reverse();
    const rest = changed.filter((p) => truth.has(p));
    for (const path of [...gone, ...rest]) {
      if (this.#lister.needs(parentOf(path))) continue;
      const now = truth.get(path);
      const parent = lstatSync(localPath(cache, parentOf(path)), { throwIfNoEntry: false });
      if (parent?.isDirectory() === true) {
        const seen = looked.get(path);
        const unchanged = seen?.unchanged === true && seen.stamp === this.#stamp(path);
        if (unchanged && (await this.#apply(path, now, seconds, targets.get(path)))) out.merged.push(path);
        else out.conflicts.push(path);
      }
      cache.db.transaction(() => {
        if (now === undefined) cache.server.remove(path);
        else cache.server.set(path, entryOf(now));
      });
    }
    return out;
  }

  /** What identifies the cache's copy of `path` as it is now. */
  #stamp(path: string): string {
    const stats = lstatSync(localPath(this.#cache, path), { throwIfNoEntry: false });
    if (stats === undefined) return 'none';
    // A folder's own times move as its entries are merged: only what it is counts.
    return stats.isDirectory() ? `dir ${stats.ino}` : `${stats.ino}:${stats.mode}:${stats.size}:${stats.mtimeMs}`;
  }

  /** True when the mount's copy of `path` is what the server had (`old`). */
  async #unchanged(path: string, old: ServerEntry | undefined): Promise<boolean> {
    const local = localPath(this.#cache, path);
    const stats = lstatSync(local, { throwIfNoEntry: false });
    if (stats === undefined) return old === undefined;
    if (old === undefined) return false;
    if (stats.isDirectory()) return old.kind === 'dir' || old.kind === 'submodule';
    if (stats.isSymbolicLink()) return old.kind === 'symlink' && blobIdOf(new TextEncoder().encode(readlinkSync(local))) === old.sha;
    if (old.kind !== 'file' || ((stats.mode & 0o100) !== 0 ? '100755' : '100644') !== old.mode) return false;
    const sha = this.#cache.blobs.known(stats) ?? (isPlaceholder(stats) ? undefined : (await hashFile(local))?.sha);
    return sha === old.sha;
  }

  /** Makes the mount show `now` at `path` (false when a folder there still holds something). */
  async #apply(path: string, now: DraftFileInfo | undefined, seconds: number, target: string | undefined): Promise<boolean> {
    const cache = this.#cache;
    const local = localPath(cache, path);
    const stats = lstatSync(local, { throwIfNoEntry: false });
    const keepFolder = now?.kind === 'dir' && stats?.isDirectory() === true;
    const mounted = this.#mounted;
    const scratch = `${MERGE_PREFIX}${randomBytes(6).toString('hex')}`;
    const scratchKey = joinKey(parentOf(path), scratch);
    const done = mounted?.quiet([path, scratchKey]) ?? ((): void => {});
    try {
      if (stats !== undefined && !keepFolder) {
        if (stats.isDirectory() && !cache.unlisted.has(path) && readdirSync(local).length > 0) return false;
        if (mounted === null) {
          if (!stats.isDirectory()) cache.blobs.forget(stats.ino);
          if (stats.isDirectory() && cache.unlisted.has(path)) rmSync(local, { recursive: true, force: true });
          else if (stats.isDirectory()) rmdirSync(local);
          else unlinkSync(local);
        } else {
          const there = join(mounted.dir, path);
          if (!stats.isDirectory()) await unlink(there);
          else if (cache.unlisted.has(path)) await rm(there, { recursive: true, force: true });
          else await rmdir(there);
        }
        if (cache.unlisted.delete(path)) cache.db.setUnlisted(path, false);
      }
      if (now === undefined || keepFolder) return true;
      if (now.kind === 'dir' && mounted !== null) {
        await mkdir(join(mounted.dir, path));
        return true;
      }
      // A file (or link, or folder when nothing is mounted) is made beside, then renamed into place.
      const row = placeEntry(now, mounted === null ? local : localPath(cache, scratchKey), seconds, target);
      if (row !== null) cache.blobs.put({ ...row, source: path });
      if (mounted !== null) await rename(join(mounted.dir, scratchKey), join(mounted.dir, path));
      return true;
    } finally {
      done();
    }
  }
}
