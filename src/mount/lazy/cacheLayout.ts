/**
 * Where a lazy mount keeps what it fetched and what was written, so that a
 * restart resumes from it:
 *
 *   <cache>/git/            a real partial clone (commits and trees, then the blobs' packs)
 *   <cache>/blobs/ab/cdef…  hydrated blob contents, by object id (written whole, then renamed)
 *   <cache>/base/<commit>.json  the checked-out tree: paths, modes, ids, sizes
 *   <cache>/upper/<id>      copy-on-write contents of files written through the mount
 *   <cache>/journal.jsonl   what was done to the tree through the mount, in order
 *   <cache>/state.json      remote, ref and commit of the checkout
 *
 * The default cache lives under mountHome(), keyed by the remote and the
 * mount's directory; it is made private to the user (mode 0700).
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { mountHome } from '../control.ts';

export interface CacheLayout {
  root: string;
  gitDir: string;
  blobs: string;
  base: string;
  upper: string;
  journal: string;
  state: string;
}

export function defaultCacheDir(remote: string, dir: string): string {
  const key = createHash('sha256').update(`${remote}\0${resolve(dir)}`).digest('hex').slice(0, 20);
  return join(mountHome(), 'lazy', key);
}

export function cacheLayout(root: string): CacheLayout {
  return {
    root,
    gitDir: join(root, 'git'),
    blobs: join(root, 'blobs'),
    base: join(root, 'base'),
    upper: join(root, 'upper'),
    journal: join(root, 'journal.jsonl'),
    state: join(root, 'state.json'),
  };
}
