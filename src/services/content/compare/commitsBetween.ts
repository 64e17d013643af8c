/**
 * The commits of `git log base..head`, in the order git lists them: the
 * set is `rev-list head --not base` (walkCommits.ts); the order is git's
 * default, by committer date, newest first — revision.c keeps the commits
 * to visit in a list sorted by date, inserting each commit's parents as it
 * is shown, after those of the same date already there. Ties (commits made
 * in the same second) come out in the order they were reached.
 */
import type { Oid } from '../../../git/objects/objectId.ts';
import type { CommitInfo, ObjectStore } from '../../../git/ports.ts';
import { MaxHeap } from '../../../git/walk/MaxHeap.ts';
import { walkCommits } from '../../../git/walk/walkCommits.ts';

interface Queued {
  info: CommitInfo;
  seq: number;
}

/** Commits reachable from `head` and not from `base`, newest first as `git log` lists them. */
export async function commitsBetween(objects: ObjectStore, base: Oid | null, head: Oid): Promise<CommitInfo[]> {
  const walk = await walkCommits(objects, [head], base === null ? [] : [base]);
  const members = new Map(walk.commits.map((c) => [c.oid, c]));
  const start = members.get(head);
  if (start === undefined) return [];
  const heap = new MaxHeap<Queued>((a, b) => a.info.time > b.info.time || (a.info.time === b.info.time && a.seq < b.seq));
  let seq = 0;
  const seen = new Set<Oid>([head]);
  heap.push({ info: start, seq: seq++ });
  const out: CommitInfo[] = [];
  for (let next = heap.pop(); next !== undefined; next = heap.pop()) {
    out.push(next.info);
    for (const parent of next.info.parents) {
      const info = members.get(parent);
      if (info === undefined || seen.has(parent)) continue;
      seen.add(parent);
      heap.push({ info, seq: seq++ });
    }
  }
  return out;
}
