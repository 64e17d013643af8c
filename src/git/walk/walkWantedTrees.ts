/**
 * The trees and blobs a fetch sends below what it sends (list-objects.c
 * `traverse_non_commits`), through a partial clone filter if there is one
 * (list-objects-filter.c). Walked breadth-first, one batched read per level,
 * so each object is met first at its smallest depth — the depth `tree:<n>`
 * judges by ("minimum depth if an object is located at multiple depths").
 *
 * Trees wanted by id are kept whatever the filter, and their entries count
 * as depth 0, as in git (only objects reached by the walk are filtered, and
 * the filter's depth starts counting at the first filtered tree).
 */
import { GroveError } from '../../errors.ts';
import type { Oid } from '../objects/objectId.ts';
import { isGitlinkMode, isTreeMode, parseTree } from '../objects/tree.ts';
import type { ObjectStore } from '../ports.ts';
import { keepsBlob, keepsTree, needsBlobSizes, type ObjectFilter } from './objectFilter.ts';
import type { WalkProgress } from './WalkProgress.ts';

export interface WantedTrees {
  /** Trees wanted by id. */
  given: readonly Oid[];
  /** Root trees of the commits being sent (depth 0). */
  roots: readonly Oid[];
}

/**
 * Calls `add` for every tree and blob to send, skipping ids in `seen` (what
 * the client has) and adding every id it meets to `seen`.
 */
export async function walkWantedTrees(
  store: ObjectStore,
  trees: WantedTrees,
  seen: Set<Oid>,
  filter: ObjectFilter | undefined,
  add: (oid: Oid) => void,
  progress?: WalkProgress,
): Promise<void> {
  const sizes = filter !== undefined && needsBlobSizes(filter);
  // Depth -1: the trees wanted by id, sent as they are; their entries are at depth 0, like root trees.
  let expand: Oid[] = [];
  for (const oid of trees.given) {
    if (seen.has(oid)) continue;
    seen.add(oid);
    add(oid);
    expand.push(oid);
  }
  let roots: readonly Oid[] = trees.roots;
  for (let depth = 0; expand.length > 0 || roots.length > 0; depth++) {
    const subtrees: Oid[] = [...roots];
    const blobs: Oid[] = [];
    roots = [];
    const read = await store.readObjects(expand);
    for (const oid of expand) {
      const tree = read.get(oid);
      if (tree === undefined) throw new GroveError('MISSING_OBJECT', `tree ${oid} is missing`, { oid });
      for (const entry of parseTree(tree.data)) {
        if (isGitlinkMode(entry.mode)) continue;
        if (isTreeMode(entry.mode)) subtrees.push(entry.oid);
        else blobs.push(entry.oid);
      }
    }
    expand = [];
    let added = 0;
    const keepTrees = filter === undefined || keepsTree(filter, depth);
    for (const oid of subtrees) {
      if (seen.has(oid)) continue;
      seen.add(oid);
      if (!keepTrees) continue;
      add(oid);
      added++;
      expand.push(oid);
    }
    const fresh = blobs.filter((oid) => {
      if (seen.has(oid)) return false;
      seen.add(oid);
      return true;
    });
    const infos = sizes ? await store.info(fresh) : undefined;
    for (const oid of fresh) {
      if (filter !== undefined && !keepsBlob(filter, depth, infos?.get(oid)?.size ?? 0)) continue;
      add(oid);
      added++;
    }
    await progress?.add(added);
  }
}
