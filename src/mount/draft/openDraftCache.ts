/**
 * Opens (or makes) the cache of one draft: `upper/` (the draft's files),
 * `tmp/` (downloads in progress, emptied here), `state.db`, under a lock.
 * A cache is tied to one draft; opening it for another is refused. What a
 * previous run left unsynced is dirty again: the paths it saved when it was
 * unmounted, or — when it was killed and saved nothing — the whole tree, to
 * be compared with the server by the next sync.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DraftApi } from '../../sdk/DraftApi.ts';
import type { RepoContentApi } from '../../sdk/RepoContentApi.ts';
import { mountHome } from '../control.ts';
import { BlobTable } from './BlobTable.ts';
import { lockCache } from '../cacheLock.ts';
import { DirtyPaths } from './DirtyPaths.ts';
import type { MountCache } from './MountCache.ts';
import { ServerIndex } from './ServerIndex.ts';
import { StateDb } from './StateDb.ts';

export interface OpenedCache {
  cache: MountCache;
  dirty: DirtyPaths;
  dir: string;
  /** True when the cache was made now (nothing listed yet). */
  fresh: boolean;
  /** True when the previous run was killed (the whole tree is dirty). */
  recovered: boolean;
  release(): void;
}

export interface DraftCacheOptions {
  url: string;
  namespace: string;
  name: string;
  draftId: string;
  cacheDir?: string;
  repo: RepoContentApi;
  drafts: DraftApi;
  log(line: string): void;
}

/** The default cache folder of a draft: under mountHome(), named by a hash of server, repository and draft. */
export function defaultCacheDir(url: string, namespace: string, name: string, draftId: string): string {
  const key = createHash('sha256').update(`${url}\n${namespace}/${name}\n${draftId}`).digest('hex').slice(0, 24);
  return join(mountHome(), 'drafts', key);
}

export function openDraftCache(options: DraftCacheOptions): OpenedCache {
  const dir = options.cacheDir ?? defaultCacheDir(options.url, options.namespace, options.name, options.draftId);
  const upper = join(dir, 'upper');
  const tmp = join(dir, 'tmp');
  mkdirSync(upper, { recursive: true });
  const release = lockCache(dir);
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
    const db = new StateDb(join(dir, 'state.db'));
    const identity = `${options.namespace}/${options.name}#${options.draftId}`;
    const owner = db.meta('draft');
    if (owner !== null && owner !== identity) {
      db.close();
      throw new Error(`the cache ${dir} belongs to draft ${owner}, not ${identity}`);
    }
    const fresh = owner === null;
    const unlisted = new Set(db.unlisted());
    const dirty = new DirtyPaths();
    const clean = db.meta('clean') === '1';
    if (fresh) {
      db.transaction(() => {
        db.setMeta('draft', identity);
        db.setUnlisted('', true);
      });
      unlisted.add('');
    } else if (clean) {
      for (const path of db.dirty()) dirty.mark(path);
    } else {
      dirty.mark('');
    }
    db.setMeta('clean', '0');
    db.setMeta('url', options.url);
    const cache: MountCache = {
      upper, tmp, db, unlisted,
      server: new ServerIndex(db),
      blobs: new BlobTable(db),
      drafts: options.drafts,
      content: options.repo,
      draftId: options.draftId,
      log: options.log,
    };
    return { cache, dirty, dir, fresh, recovered: !fresh && !clean, release };
  } catch (err) {
    release();
    throw err;
  }
}

/** Saves what is still dirty and marks the run as ended cleanly. */
export function closeDraftCache(opened: OpenedCache): void {
  const { db } = opened.cache;
  db.saveDirty(opened.dirty.paths());
  db.setMeta('clean', '1');
  db.close();
  opened.release();
}
