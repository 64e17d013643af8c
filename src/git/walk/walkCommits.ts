/**
 * The commit half of `rev-list A --not B`: commits reachable from the
 * interesting tips but not from the uninteresting ones.
 *
 * Commits are popped by generation number, highest first — a topological
 * order — so when a commit is popped every descendant in the walk has been
 * popped and marked before it, and its "uninteresting" flag is final. The walk
 * stops once only uninteresting commits are queued: anything still unseen is
 * then reachable only through them. Parents are loaded in batches.
 *
 * `hide` turns an interesting commit uninteresting when it is reached, with
 * its ancestors (what `rev-list --max-age` does to old commits in a limited
 * walk). Run it over a store seen through `withShallowBoundary` to stop at
 * shallow commits.
 */
import type { Oid } from '../objects/objectId.ts';
import type { CommitInfo, ObjectStore } from '../ports.ts';
import { MaxHeap } from './MaxHeap.ts';
import type { WalkProgress } from './WalkProgress.ts';

export interface CommitWalk {
  /** Interesting commits, children before parents. */
  commits: CommitInfo[];
  /** Uninteresting commits that are parents of interesting ones: where the client's history meets ours. */
  edges: CommitInfo[];
}

export interface WalkCommitsOptions {
  /** Makes an interesting commit, and its ancestors, uninteresting. */
  hide?: (commit: CommitInfo) => boolean;
  /** Counts the commits found (and lets the event loop run now and then). */
  progress?: WalkProgress;
}

export async function walkCommits(
  store: ObjectStore,
  interesting: readonly Oid[],
  uninteresting: readonly Oid[],
  options: WalkCommitsOptions = {},
): Promise<CommitWalk> {
  const loaded = new Map<Oid, CommitInfo>();
  const hidden = new Set<Oid>();
  const queued = new Set<Oid>();
  const heap = new MaxHeap<CommitInfo>((a, b) => a.generation > b.generation || (a.generation === b.generation && a.time > b.time));
  let interestingQueued = 0;
  const commits: CommitInfo[] = [];

  async function enqueue(oids: Iterable<Oid>): Promise<void> {
    const fresh = [...new Set(oids)].filter((oid) => !queued.has(oid));
    const missing = fresh.filter((oid) => !loaded.has(oid));
    if (missing.length > 0) for (const [oid, info] of await store.readCommits(missing)) loaded.set(oid, info);
    for (const oid of fresh) {
      const info = loaded.get(oid);
      if (info === undefined) continue; // absent (e.g. beyond a shallow boundary): nothing to walk
      queued.add(oid);
      heap.push(info);
      if (!hidden.has(oid)) interestingQueued++;
    }
  }

  for (const oid of uninteresting) hidden.add(oid);
  await enqueue([...interesting, ...uninteresting]);

  while (heap.size > 0 && interestingQueued > 0) {
    const generation = heap.peek()!.generation;
    const parents: Oid[] = [];
    const found = commits.length;
    // Commits of one generation cannot be ancestors of each other: pop them together, load their parents at once.
    while (heap.size > 0 && heap.peek()!.generation === generation) {
      const commit = heap.pop()!;
      let isHidden = hidden.has(commit.oid);
      if (!isHidden) {
        interestingQueued--;
        if (options.hide?.(commit) === true) {
          hidden.add(commit.oid);
          isHidden = true;
        } else {
          commits.push(commit);
        }
      }
      if (isHidden) {
        for (const parent of commit.parents) {
          if (!hidden.has(parent)) {
            hidden.add(parent);
            if (queued.has(parent)) interestingQueued--;
          }
        }
      }
      for (const parent of commit.parents) parents.push(parent);
    }
    await options.progress?.add(commits.length - found);
    await enqueue(parents);
  }

  const edges = new Map<Oid, CommitInfo>();
  for (const commit of commits) {
    for (const parent of commit.parents) {
      const info = loaded.get(parent);
      if (hidden.has(parent) && info !== undefined) edges.set(parent, info);
    }
  }
  return { commits: commits.filter((c) => !hidden.has(c.oid)), edges: [...edges.values()] };
}
