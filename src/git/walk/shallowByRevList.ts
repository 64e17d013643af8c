/**
 * The shallow boundary of a fetch cut by date or by refs (`deepen-since`,
 * `deepen-not`): upload-pack runs `rev-list [--max-age=<since>] [--not
 * <refs> --not] <wants>` and shallow.c `get_shallow_commits_by_rev_list`
 * makes every listed commit with a parent outside the list a border
 * (shallow) commit; the other listed commits are "not shallow".
 *
 * rev-list drops a commit older than `--max-age` differently by walk: with
 * `--not` refs the walk is limited and such a commit turns uninteresting with
 * all its ancestors; without, the walk just does not go through it (an
 * ancestor reached by a younger path is still listed). Both are kept here.
 */
import { GroveError } from '../../errors.ts';
import type { Oid } from '../objects/objectId.ts';
import type { CommitInfo, ObjectStore } from '../ports.ts';
import { walkCommits } from './walkCommits.ts';

export interface RevListCut {
  /** Committer timestamp: older commits are left out (`--max-age`). */
  since?: number;
  /** Commits whose history is left out (`--not`), tags already peeled. */
  not: readonly Oid[];
}

export interface RevListBoundary {
  /** Listed commits with a parent that is not listed. */
  shallow: Oid[];
  /** The other listed commits. */
  notShallow: Set<Oid>;
}

/** `wants` are commits (tags already peeled). */
export async function shallowByRevList(store: ObjectStore, wants: readonly Oid[], cut: RevListCut): Promise<RevListBoundary> {
  const since = cut.since;
  const listed = cut.not.length > 0
    ? (await walkCommits(store, wants, cut.not, since === undefined ? {} : { hide: (c) => c.time < since })).commits
    : await youngHistory(store, wants, since ?? Number.NEGATIVE_INFINITY);
  if (listed.length === 0) throw new GroveError('PROTOCOL_ERROR', 'no commits selected for shallow requests');
  const inList = new Set(listed.map((c) => c.oid));
  const shallow: Oid[] = [];
  const notShallow = new Set<Oid>();
  for (const commit of listed) {
    if (commit.parents.some((p) => !inList.has(p))) shallow.push(commit.oid);
    else notShallow.add(commit.oid);
  }
  return { shallow, notShallow };
}

/** Commits reachable from `wants` through commits no older than `since` (an unlimited rev-list walk). */
async function youngHistory(store: ObjectStore, wants: readonly Oid[], since: number): Promise<CommitInfo[]> {
  const listed: CommitInfo[] = [];
  const seen = new Set<Oid>(wants);
  let level = [...seen];
  while (level.length > 0) {
    const commits = await store.readCommits(level);
    const next: Oid[] = [];
    for (const oid of level) {
      const commit = commits.get(oid);
      if (commit === undefined || commit.time < since) continue;
      listed.push(commit);
      for (const parent of commit.parents) {
        if (!seen.has(parent)) {
          seen.add(parent);
          next.push(parent);
        }
      }
    }
    level = next;
  }
  return listed;
}
