/**
 * The merge base of two commits, as `git merge-base A B` prints it
 * (commit-reach.c `paint_down_to_common`, `remove_redundant`): walking down
 * from both, commits reached from both sides are common ("if (flags ==
 * (PARENT1 | PARENT2)) ... Mark parents of a found merge stale"); the walk
 * ends when only stale commits are queued. Of the common commits, those that
 * are ancestors of another are dropped, and the rest sorted newest committer
 * date first — git prints the first.
 *
 * The walk goes by generation number, so it is exact whatever the dates say;
 * commits of one generation cannot reach each other, so they are taken from
 * the queue together and their parents read in one batch. When several
 * merge bases share the newest date, git's pick depends on the order its own
 * walk found them in — by commit date, first queued first (a repository
 * without a commit-graph) — so that walk is replayed to break the tie.
 *
 * Run it over a store seen through `withShallowBoundary` to stop at shallow
 * commits.
 */
import type { Oid } from '../../../git/objects/objectId.ts';
import type { CommitInfo, ObjectStore } from '../../../git/ports.ts';
import { MaxHeap } from '../../../git/walk/MaxHeap.ts';
import { isAncestor } from '../isAncestor.ts';

const PARENT1 = 1;
const PARENT2 = 2;
const STALE = 4;
const RESULT = 8;

interface Queued {
  info: CommitInfo;
  seq: number;
}

/**
 * `paint_down_to_common`: the commits found common, in the order found, not
 * yet stale. `byDate` orders the walk as git does without a commit-graph.
 */
async function paintDownToCommon(objects: ObjectStore, one: CommitInfo, two: CommitInfo, byDate: boolean): Promise<CommitInfo[]> {
  const flags = new Map<Oid, number>();
  const heap = new MaxHeap<Queued>(byDate
    ? (a, b) => a.info.time > b.info.time || (a.info.time === b.info.time && a.seq < b.seq)
    : (a, b) => a.info.generation > b.info.generation || (a.info.generation === b.info.generation && a.info.time > b.info.time));
  const queued = new Map<Oid, number>();
  let seq = 0;
  let nonStale = 0;
  const push = (info: CommitInfo): void => {
    heap.push({ info, seq: seq++ });
    queued.set(info.oid, (queued.get(info.oid) ?? 0) + 1);
    if ((flags.get(info.oid)! & STALE) === 0) nonStale++;
  };
  const addFlags = (oid: Oid, add: number): void => {
    const before = flags.get(oid) ?? 0;
    const after = before | add;
    flags.set(oid, after);
    if ((before & STALE) === 0 && (after & STALE) !== 0) nonStale -= queued.get(oid) ?? 0;
  };
  addFlags(one.oid, PARENT1);
  push(one);
  addFlags(two.oid, PARENT2);
  push(two);

  const found: CommitInfo[] = [];
  while (nonStale > 0 && heap.size > 0) {
    const first = heap.pop()!;
    const batch: CommitInfo[] = [first.info];
    while (!byDate && heap.size > 0 && heap.peek()!.info.generation === first.info.generation) batch.push(heap.pop()!.info);
    const pending: Oid[] = [];
    for (const commit of batch) {
      queued.set(commit.oid, queued.get(commit.oid)! - 1);
      if ((flags.get(commit.oid)! & STALE) === 0) nonStale--;
      let f = flags.get(commit.oid)! & (PARENT1 | PARENT2 | STALE);
      if (f === (PARENT1 | PARENT2)) {
        if ((flags.get(commit.oid)! & RESULT) === 0) {
          addFlags(commit.oid, RESULT);
          found.push(commit);
        }
        f |= STALE;
      }
      for (const parent of commit.parents) {
        if (((flags.get(parent) ?? 0) & f) === f) continue;
        addFlags(parent, f);
        pending.push(parent);
      }
    }
    if (pending.length === 0) continue;
    const parents = await objects.readCommits([...new Set(pending)]);
    for (const oid of pending) {
      const info = parents.get(oid);
      if (info !== undefined) push(info);
    }
  }
  // In git's result list, by date (newest first, first found first among equals), stale ones dropped.
  return found
    .filter((c) => (flags.get(c.oid)! & STALE) === 0)
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.time - a.c.time || a.i - b.i)
    .map(({ c }) => c);
}

/** Every best common ancestor of `one` and `two`, in the order `git merge-base --all` prints them (empty when they share no history). */
export async function mergeBases(objects: ObjectStore, one: Oid, two: Oid): Promise<Oid[]> {
  if (one === two) return [one];
  const infos = await objects.readCommits([one, two]);
  const a = infos.get(one);
  const b = infos.get(two);
  if (a === undefined || b === undefined) return [];
  const common = await paintDownToCommon(objects, a, b, false);
  if (common.length < 2) return common.map((c) => c.oid);
  const best = await withoutRedundant(objects, common);
  if (best.length > 1 && best[0]!.time === best[1]!.time) {
    const gitOrder = (await paintDownToCommon(objects, a, b, true)).map((c) => c.oid);
    const rank = (oid: Oid): number => {
      const at = gitOrder.indexOf(oid);
      return at < 0 ? gitOrder.length : at;
    };
    best.sort((x, y) => y.time - x.time || rank(x.oid) - rank(y.oid));
  }
  return best.map((c) => c.oid);
}

/** Drops the commits that are ancestors of another one of the list, keeping the order. */
async function withoutRedundant(objects: ObjectStore, commits: readonly CommitInfo[]): Promise<CommitInfo[]> {
  const kept: CommitInfo[] = [];
  for (const candidate of commits) {
    let redundant = false;
    for (const other of commits) {
      if (other !== candidate && (await isAncestor(objects, candidate.oid, other.oid))) {
        redundant = true;
        break;
      }
    }
    if (!redundant) kept.push(candidate);
  }
  return kept;
}
