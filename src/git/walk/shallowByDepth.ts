/**
 * The shallow boundary of a fetch limited by depth (shallow.c,
 * `get_shallow_commits`; Documentation/technical/shallow.txt): walking down
 * from the heads, a commit `depth - 1` steps from the nearest head becomes
 * shallow (its parents are not sent); commits nearer than that are "not
 * shallow" (their parents are sent). `deepen 1` makes the heads themselves
 * shallow. git's walk is depth-first with re-walks when a shorter path turns
 * up; walking breadth-first finds each commit at its shortest distance at once.
 */
import type { Oid } from '../objects/objectId.ts';
import type { ObjectStore } from '../ports.ts';

export interface DepthBoundary {
  /** Commits exactly `depth - 1` steps from the nearest head. */
  shallow: Oid[];
  /** Commits fewer than `depth - 1` steps from a head. */
  notShallow: Set<Oid>;
}

/** `heads` are commits (tags already peeled); absent ids are ignored. `depth` is at least 1. */
export async function shallowByDepth(store: ObjectStore, heads: readonly Oid[], depth: number): Promise<DepthBoundary> {
  const notShallow = new Set<Oid>();
  const seen = new Set<Oid>();
  let level = [...(await store.readCommits([...new Set(heads)])).values()];
  for (const commit of level) seen.add(commit.oid);
  for (let distance = 0; level.length > 0; distance++) {
    if (distance >= depth - 1) return { shallow: level.map((c) => c.oid), notShallow };
    const parents: Oid[] = [];
    for (const commit of level) {
      notShallow.add(commit.oid);
      for (const parent of commit.parents) {
        if (!seen.has(parent)) {
          seen.add(parent);
          parents.push(parent);
        }
      }
    }
    const loaded = await store.readCommits(parents);
    level = parents.flatMap((oid) => loaded.get(oid) ?? []);
  }
  return { shallow: [], notShallow };
}
