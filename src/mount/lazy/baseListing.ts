/**
 * What the mount shows before any content arrives: every path of the
 * checked-out commit with its mode, blob id and size, and its trees (for the
 * index's cache-tree). Made once per commit — from the tip-only pack as it
 * arrives, or from the partial clone with `git ls-tree` — with the sizes from
 * the remote's `object-info`, then kept in the cache as JSON so a restart
 * needs neither.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GroveError } from '../../errors.ts';
import { readCommitLinks } from '../../git/objects/commit.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import { isGitlinkMode, isTreeMode, parseTree } from '../../git/objects/tree.ts';
import type { BaseEntry } from './FileTree.ts';
import { listTree } from './listTree.ts';
import { runGit } from './runGit.ts';
import type { IndexTree } from './writeIndex.ts';

export interface BaseListing {
  commit: Oid;
  /** The commit's committer time, seconds: the time every base file shows. */
  commitTime: number;
  entries: BaseEntry[];
  trees: IndexTree[];
  /** False when the remote gave no sizes (entries then have size -1 until hydrated). */
  sizesKnown: boolean;
}

export function listingPath(baseDir: string, commit: Oid): string {
  return join(baseDir, `${commit}.json`);
}

export function loadListing(baseDir: string, commit: Oid): BaseListing | undefined {
  const path = listingPath(baseDir, commit);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BaseListing;
  } catch {
    return undefined;
  }
}

export function saveListing(baseDir: string, listing: BaseListing): void {
  mkdirSync(baseDir, { recursive: true });
  const path = listingPath(baseDir, listing.commit);
  writeFileSync(`${path}.tmp`, JSON.stringify(listing));
  renameSync(`${path}.tmp`, path);
}

/** Lists `commit` from the git directory, blob sizes unknown (-1) until `applySizes`. */
export async function makeListing(gitDir: string, commit: Oid): Promise<BaseListing> {
  const [time = '0', rootTree = ''] = (await runGit(gitDir, ['show', '-s', '--format=%ct %T', commit])).toString('utf8').trim().split(' ');
  const listed = await listTree(gitDir, commit);
  const trees: IndexTree[] = [{ path: '', oid: rootTree }];
  const entries: BaseEntry[] = [];
  for (const entry of listed) {
    if (entry.type === 'tree') trees.push({ path: entry.path, oid: entry.oid });
    else entries.push({ path: entry.path, mode: entry.mode, oid: entry.oid, size: entry.type === 'commit' ? 0 : -1 });
  }
  return { commit, commitTime: Number(time), entries, trees, sizesKnown: entries.every((e) => e.size >= 0) };
}

/**
 * Lists `commit` from its objects in hand (a tip-only pack: the commit and
 * every tree below it), walking the trees as `git ls-tree -r -t` would.
 */
export function listingFromObjects(commit: Oid, objects: ReadonlyMap<Oid, { type: string; data: Uint8Array }>): BaseListing {
  const object = (oid: Oid, type: string): Uint8Array => {
    const found = objects.get(oid);
    if (found === undefined || found.type !== type) throw new GroveError('MISSING_OBJECT', `the tree pack lacks ${type} ${oid}`);
    return found.data;
  };
  const links = readCommitLinks(object(commit, 'commit'));
  const trees: IndexTree[] = [{ path: '', oid: links.tree }];
  const entries: BaseEntry[] = [];
  const walk = (treeOid: Oid, prefix: string): void => {
    for (const entry of parseTree(object(treeOid, 'tree'))) {
      const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (isTreeMode(entry.mode)) {
        trees.push({ path, oid: entry.oid });
        walk(entry.oid, path);
      } else {
        entries.push({ path, mode: entry.mode, oid: entry.oid, size: isGitlinkMode(entry.mode) ? 0 : -1 });
      }
    }
  };
  walk(links.tree, '');
  return { commit, commitTime: links.time, entries, trees, sizesKnown: entries.every((e) => e.size >= 0) };
}

/** The blobs of the listing whose size is unknown. */
export function unsizedBlobs(listing: BaseListing): Oid[] {
  return [...new Set(listing.entries.filter((e) => e.size < 0).map((e) => e.oid))];
}

/** Fills in the sizes `sizes` knows; returns true when every size is then known. */
export function applySizes(listing: BaseListing, sizes: ReadonlyMap<Oid, number>): boolean {
  for (const entry of listing.entries) {
    if (entry.size < 0) entry.size = sizes.get(entry.oid) ?? -1;
  }
  listing.sizesKnown = listing.entries.every((e) => e.size >= 0);
  return listing.sizesKnown;
}
