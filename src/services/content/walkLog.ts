/**
 * The commits `git log [--first-parent] [--since] [--until] <tip> [-- <path>]`
 * lists, in its order. Without --topo-order, git's walk is a stream
 * (revision.c `get_revision_1`, `process_parents`): take the queued commit
 * with the newest committer date (ties: the one queued first), queue its
 * parents not seen before, show it unless a filter hides it. So a parent may
 * come before a child whose date is older — git's order, not a topological one.
 *
 * History simplification for a path, as git's default (`try_to_simplify_commit`):
 *
 *   - a commit is compared with each parent in turn; at the first parent it
 *     is TREESAME to (no difference at the path), its parents become that
 *     parent alone, so the walk follows only it, and the commit is not shown;
 *   - a commit different from every parent is shown (a merge too);
 *   - a root commit is TREESAME when the path does not exist in it;
 *   - with --first-parent only the first parent is compared and followed.
 *
 * `since`: a commit older than it is neither shown nor walked past (git
 * stops that line of history there: "--since" in a streaming walk).
 * `until`: a commit newer than it is not shown, but its parents are walked.
 * A shallow repository's boundary commits have no parents here.
 */
import type { Oid } from '../../git/objects/objectId.ts';
import type { CommitInfo, ObjectStore } from '../../git/ports.ts';
import { MaxHeap } from '../../git/walk/MaxHeap.ts';
import { PathFilter } from './PathFilter.ts';

export interface WalkLogOptions {
  /** Components of the path to simplify history for; empty for none. */
  path?: readonly string[];
  firstParent?: boolean;
  /** Seconds: commits with an older committer date are not shown, nor walked past. */
  since?: number;
  /** Seconds: commits with a newer committer date are not shown. */
  until?: number;
}

interface Queued {
  info: CommitInfo;
  order: number;
}

/** Ids of parents to read ahead with the next batch, beyond those needed at once. */
const READ_AHEAD = 512;

export async function* walkLog(objects: ObjectStore, tip: Oid, options: WalkLogOptions = {}): AsyncGenerator<Oid> {
  const filter = options.path !== undefined && options.path.length > 0 ? new PathFilter(objects, options.path) : undefined;
  const loaded = new Map<Oid, CommitInfo>();
  const wanted = new Set<Oid>();
  const seen = new Set<Oid>([tip]);
  const queue = new MaxHeap<Queued>((a, b) => a.info.time > b.info.time || (a.info.time === b.info.time && a.order < b.order));
  let order = 0;

  const load = async (oids: readonly Oid[]): Promise<void> => {
    const missing = oids.filter((oid) => !loaded.has(oid));
    if (missing.length === 0) return;
    const batch = new Set(missing);
    for (const oid of wanted) {
      if (batch.size >= missing.length + READ_AHEAD) break;
      if (!loaded.has(oid)) batch.add(oid);
    }
    for (const oid of batch) wanted.delete(oid);
    for (const [oid, info] of await objects.readCommits([...batch])) loaded.set(oid, info);
  };
  const enqueue = (oid: Oid): void => {
    const info = loaded.get(oid);
    if (info === undefined) return; // not in the repository: nothing to walk
    queue.push({ info, order: order++ });
    for (const parent of info.parents) if (!loaded.has(parent)) wanted.add(parent);
  };

  await load([tip]);
  enqueue(tip);
  while (queue.size > 0) {
    const commit = queue.pop()!.info;
    if (options.since !== undefined && commit.time < options.since) continue;
    let parents = options.firstParent === true ? commit.parents.slice(0, 1) : commit.parents;
    await load(parents);
    let treesame = false;
    if (filter !== undefined) {
      const known = parents.filter((p) => loaded.has(p));
      const keys = await filter.keys([commit.tree, ...known.map((p) => loaded.get(p)!.tree)]);
      const own = keys.get(commit.tree);
      if (parents.length === 0) treesame = own === null;
      const same = known.find((p) => keys.get(loaded.get(p)!.tree) === own);
      if (same !== undefined) {
        parents = [same];
        treesame = true;
      }
    }
    for (const parent of parents) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      enqueue(parent);
    }
    if (treesame) continue;
    if (options.until !== undefined && commit.time > options.until) continue;
    yield commit.oid;
  }
}
