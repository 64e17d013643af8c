/**
 * Lists server folders into the cache the first time the mount needs them:
 * the draft's `ls` (recursive where one page holds it all), then each entry
 * made local — a folder as a folder (itself not listed yet unless the
 * listing was recursive), a file as a *placeholder* (a sparse file of the
 * right size and mode with the sticky bit set and its blob id in the state
 * file; its bytes are fetched on first open, Hydrator.ts), a symlink with its
 * target (fetched now: it is tiny), a submodule as an empty folder.
 *
 * A folder is marked listed in the same transaction that records its
 * entries, so a listing cut short (a killed process) leaves the folder
 * unlisted, and listing it again first clears what the cut one made. Nothing
 * else can be in an unlisted folder: every operation lists the folders above
 * the path it touches first.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isGroveApiError } from '../../sdk/GroveApiError.ts';
import type { DraftFileInfo } from '../../sdk/draftTypes.ts';
import { localPath, type MountCache } from './MountCache.ts';
import { placeEntry } from './placeEntry.ts';
import { symlinkTargets } from './symlinkTargets.ts';
import { joinKey } from './ServerIndex.ts';
import type { BlobRow, ServerKind } from './StateDb.ts';

const PAGE = 1000;

export class FolderLister {
  readonly #cache: MountCache;
  readonly #running = new Map<string, Promise<void>>();

  constructor(cache: MountCache) {
    this.#cache = cache;
  }

  /** Listings under way. */
  get inFlight(): number {
    return this.#running.size;
  }

  /** True when `key` or a folder above it still has to be listed. */
  needs(key: string): boolean {
    const unlisted = this.#cache.unlisted;
    if (unlisted.size === 0) return false;
    if (unlisted.has('')) return true;
    for (let i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) if (unlisted.has(key.slice(0, i))) return true;
    return key !== '' && unlisted.has(key);
  }

  /** Lists folder `key` and those above it that are not listed yet. */
  async ensure(key: string): Promise<void> {
    if (!this.needs(key)) return;
    const parts = key === '' ? [] : key.split('/');
    let prefix = '';
    for (let i = 0; i <= parts.length; i++) {
      if (i > 0) prefix = joinKey(prefix, parts[i - 1]!);
      if (this.#cache.unlisted.has(prefix)) await this.#once(prefix, () => this.#list(prefix, false, false));
    }
  }

  /** Lists everything below folder `key` (before it moves: its unlisted folders stand for their server paths). */
  async ensureTree(key: string): Promise<void> {
    await this.ensure(key);
    for (;;) {
      const inside = [...this.#cache.unlisted].filter((p) => key === '' || p.startsWith(`${key}/`)).sort();
      if (inside.length === 0) return;
      const tops: string[] = [];
      for (const p of inside) if (tops.length === 0 || !p.startsWith(`${tops[tops.length - 1]}/`)) tops.push(p);
      for (const top of tops) if (this.#cache.unlisted.has(top)) await this.#once(top, () => this.#list(top, true, false));
    }
  }

  /** The first listing of the root: all of it when one recursive page holds it, else its entries. */
  async listRoot(): Promise<void> {
    if (!this.#cache.unlisted.has('')) return;
    await this.#once('', async () => {
      if (!(await this.#list('', true, true))) await this.#list('', false, false);
    });
  }

  #once(key: string, list: () => Promise<unknown>): Promise<void> {
    let running = this.#running.get(key);
    if (running === undefined) {
      running = list().then(() => undefined).finally(() => this.#running.delete(key));
      this.#running.set(key, running);
    }
    return running;
  }

  /** Lists and materializes `key`; false (and nothing done) when `firstPageOnly` and one page does not hold it. */
  async #list(key: string, recursive: boolean, firstPageOnly: boolean): Promise<boolean> {
    const { drafts, draftId } = this.#cache;
    const entries: DraftFileInfo[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await drafts.ls(draftId, key, { recursive, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
        entries.push(...page.entries);
        cursor = page.next_cursor ?? undefined;
        if (firstPageOnly && cursor !== undefined) return false;
      } while (cursor !== undefined);
    } catch (err) {
      if (!isGroveApiError(err) || (err.code !== 'ENOENT' && err.code !== 'ENOTDIR')) throw err;
      this.#cache.log(`'${key}' is gone from the draft: shown empty`);
    }
    const targets = await symlinkTargets(this.#cache, entries);
    if (this.#cache.unlisted.has(key)) this.#materialize(key, entries, recursive, targets);
    return true;
  }

  #materialize(key: string, entries: DraftFileInfo[], complete: boolean, targets: Map<string, string>): void {
    const cache = this.#cache;
    const dir = localPath(cache, key);
    for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
    const seconds = Math.floor(Date.now() / 1000);
    const rows: BlobRow[] = [];
    const folders: string[] = [];
    for (const entry of entries) {
      const row = placeEntry(entry, localPath(cache, entry.path), seconds, targets.get(entry.path));
      if (row !== null) rows.push(row);
      if (entry.kind === 'dir' && !complete) folders.push(entry.path);
    }
    cache.db.transaction(() => {
      for (const entry of entries) {
        cache.server.set(entry.path, { kind: entry.kind as ServerKind, mode: entry.mode, sha: entry.sha, size: entry.kind === 'dir' ? 0 : entry.size });
      }
      for (const row of rows) cache.blobs.put(row);
      cache.db.setUnlisted(key, false);
      for (const folder of folders) cache.db.setUnlisted(folder, true);
    });
    cache.unlisted.delete(key);
    for (const folder of folders) cache.unlisted.add(folder);
  }
}
