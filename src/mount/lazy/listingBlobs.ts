/**
 * What the checked-out commit's blobs mean to the rest of the mount: the
 * background order of the ones not yet local, the sizes already known (to
 * check the blob store against), and sizes learnt late — from object-info
 * after the mount went up, or, when the remote has no object-info, from
 * each blob as it comes — passed on to the tree and the saved listing.
 */
import type { Oid } from '../../git/objects/objectId.ts';
import { saveListing, type BaseListing } from './baseListing.ts';
import type { FileTree } from './FileTree.ts';
import { hydrationClass } from './hydrationClass.ts';
import type { QueuedBlob } from './HydrationQueue.ts';

const GITLINK = 0o160000;
const SYMLINK = 0o120000;

/** The blobs to fetch in the background (one per id), with their class. */
export function backgroundOrder(listing: BaseListing, present: ReadonlySet<Oid>): QueuedBlob[] {
  const seen = new Set<Oid>();
  const blobs: QueuedBlob[] = [];
  for (const entry of listing.entries) {
    const type = entry.mode & 0o170000;
    if (type === GITLINK || present.has(entry.oid) || seen.has(entry.oid)) continue;
    seen.add(entry.oid);
    blobs.push({ oid: entry.oid, size: entry.size, path: entry.path, cls: hydrationClass(entry.path, entry.size, type === SYMLINK) });
  }
  return blobs;
}

/** The size of every blob whose size the listing knows. */
export function knownSizes(listing: BaseListing): Map<Oid, number> {
  const sizes = new Map<Oid, number>();
  for (const entry of listing.entries) if (entry.size >= 0 && (entry.mode & 0o170000) !== GITLINK) sizes.set(entry.oid, entry.size);
  return sizes;
}

/** Sizes the listing learnt after the tree was built go to the tree's base nodes. */
export function setNodeSizes(tree: FileTree, listing: BaseListing): void {
  for (const entry of listing.entries) {
    if (entry.size < 0) continue;
    const node = tree.lookup(entry.path);
    if (node !== undefined && node.kind !== 'dir' && node.blob === entry.oid && node.size < 0) node.size = entry.size;
  }
}

/** Without object-info: each blob's size, once it is here, goes to its entries and nodes; the listing is saved when complete. */
export class SizeLearner {
  readonly #tree: FileTree;
  readonly #listing: BaseListing;
  readonly #baseDir: string;
  readonly #unsized = new Map<Oid, BaseListing['entries']>();

  constructor(tree: FileTree, listing: BaseListing, baseDir: string) {
    this.#tree = tree;
    this.#listing = listing;
    this.#baseDir = baseDir;
    for (const entry of listing.entries) {
      if (entry.size >= 0) continue;
      const list = this.#unsized.get(entry.oid) ?? [];
      list.push(entry);
      this.#unsized.set(entry.oid, list);
    }
  }

  learn(oid: Oid, size: number): void {
    const entries = this.#unsized.get(oid);
    if (entries === undefined) return;
    this.#unsized.delete(oid);
    for (const entry of entries) {
      entry.size = size;
      const node = this.#tree.lookup(entry.path);
      if (node !== undefined && node.kind !== 'dir' && node.blob === oid && node.size < 0) node.size = size;
    }
    if (this.#unsized.size === 0) {
      this.#listing.sizesKnown = true;
      saveListing(this.#baseDir, this.#listing);
    }
  }
}
