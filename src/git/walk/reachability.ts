/**
 * Reachability questions the server asks during a fetch:
 * - can it stop negotiating? (upload-pack's `ok_to_give_up`: every wanted
 *   commit has a commit the client has among its ancestors);
 * - may the client want this id? (`allow-reachable-sha1-in-want`: only
 *   objects reachable from a ref are served).
 * Walks are cut off by generation number: a commit cannot reach anything of a
 * generation at or above its own.
 *
 * The second question is asked on every lazy fetch of a partial clone (many
 * blob ids at once): it searches newest first — the tips' own trees, then
 * history by generation — and stops as soon as every id is found. It keeps
 * the commits it has passed and a bounded set of the trees it has searched,
 * never the whole object graph.
 */
import { LruCache } from '../LruCache.ts';
import type { Oid } from '../objects/objectId.ts';
import { isGitlinkMode, isTreeMode, parseTree } from '../objects/tree.ts';
import { parseTag } from '../objects/tag.ts';
import type { CommitInfo, ObjectStore } from '../ports.ts';
import { MaxHeap } from './MaxHeap.ts';
import { peelTags } from './peelTags.ts';

/**
 * upload-pack's `ok_to_give_up`: true when every wanted commit (tags peeled)
 * has, among itself and its ancestors, a commit the client has — counting, as
 * git does, the parents of each common commit as had too. A want that peels
 * to a non-commit holds nothing back.
 */
export async function allReachCommon(store: ObjectStore, wants: readonly Oid[], common: ReadonlySet<Oid>): Promise<boolean> {
  if (common.size === 0) return false;
  const commonCommits = await store.readCommits([...common]);
  if (commonCommits.size === 0) return false;
  const had = new Map(commonCommits);
  const parents = [...commonCommits.values()].flatMap((c) => c.parents).filter((p) => !had.has(p));
  for (const [oid, info] of await store.readCommits(parents)) had.set(oid, info);
  const floor = Math.min(...[...had.values()].map((c) => c.generation));
  const known = new Map<Oid, CommitInfo>();
  const exhausted = new Set<Oid>(); // explored without finding a commit the client has
  const wantCommits = await store.readCommits(await peelTags(store, wants));
  for (const want of wantCommits.keys()) {
    if (!(await searchDown(store, want, had, floor, known, exhausted))) return false;
  }
  return true;
}

async function searchDown(
  store: ObjectStore,
  start: Oid,
  targets: ReadonlyMap<Oid, CommitInfo>,
  floor: number,
  known: Map<Oid, CommitInfo>,
  exhausted: Set<Oid>,
): Promise<boolean> {
  const visited = new Set<Oid>();
  let frontier = [start];
  while (frontier.length > 0) {
    const unknown = frontier.filter((oid) => !known.has(oid));
    if (unknown.length > 0) for (const [oid, info] of await store.readCommits(unknown)) known.set(oid, info);
    const next: Oid[] = [];
    for (const oid of frontier) {
      if (targets.has(oid)) return true;
      const info = known.get(oid);
      if (info === undefined || info.generation < floor || exhausted.has(oid) || visited.has(oid)) continue;
      visited.add(oid);
      for (const parent of info.parents) next.push(parent);
    }
    frontier = next;
  }
  for (const oid of visited) exhausted.add(oid);
  return false;
}

/** Trees remembered as searched (beyond it a tree may be searched again: slower, never wrong). */
const SEARCHED_TREES = 65_536;
/** Most tips whose trees are searched together. */
const TIP_BATCH = 32;

/**
 * The ids among `wants` that no ref reaches. `tips` are the refs' values
 * (tags included); ids equal to a tip or to a peeled tip are reachable at
 * once. Ids the store lacks are unreachable.
 */
export async function findUnreachable(store: ObjectStore, wants: readonly Oid[], tips: readonly Oid[]): Promise<Oid[]> {
  const tipSet = new Set(tips);
  const missing = new Set([...new Set(wants)].filter((oid) => !tipSet.has(oid)));
  if (missing.size === 0) return [];

  // Peel tag tips: the objects they tag are reachable too.
  const tipCommits: Oid[] = [];
  const tipOthers: Oid[] = [];
  const peeled = new Set<Oid>(tipSet);
  let pending = [...tipSet];
  while (pending.length > 0) {
    const infos = await store.info(pending);
    const tags = [...infos.values()].filter((i) => i.type === 'tag').map((i) => i.oid);
    const tagObjects = await store.readObjects(tags);
    const next: Oid[] = [];
    for (const info of infos.values()) {
      missing.delete(info.oid);
      if (info.type === 'commit') tipCommits.push(info.oid);
      else if (info.type !== 'tag') tipOthers.push(info.oid);
      else {
        const target = parseTag(tagObjects.get(info.oid)!.data).object;
        if (!peeled.has(target)) {
          peeled.add(target);
          next.push(target);
        }
      }
    }
    pending = next;
  }
  if (missing.size === 0) return [];

  // Only ids the store holds can be found; when they are all commits, trees need no search.
  const infos = await store.info([...missing]);
  const sought = new Set([...missing].filter((oid) => infos.has(oid)));
  const onlyCommits = [...sought].every((oid) => infos.get(oid)!.type === 'commit');
  const soughtCommits = onlyCommits ? await store.readCommits([...sought]) : new Map<Oid, CommitInfo>();
  const floor = soughtCommits.size > 0 ? Math.min(...[...soughtCommits.values()].map((c) => c.generation)) : 0;
  const search = new TreeSearch(store, sought);

  const newestFirst = (a: CommitInfo, b: CommitInfo): boolean => a.generation > b.generation || (a.generation === b.generation && a.time > b.time);
  const heap = new MaxHeap<CommitInfo>(newestFirst);
  const passed = new Set<Oid>(tipCommits);
  const tipInfos = [...(await store.readCommits(tipCommits)).values()].sort((a, b) => (newestFirst(a, b) ? -1 : 1));
  for (const commit of tipInfos) {
    sought.delete(commit.oid);
    heap.push(commit);
  }
  // The tips' own trees first, newest first, in batches of 1, 2, 4...: an id of the newest tree is found
  // by reading that tree alone, and no history is read while the tips' trees hold what is sought.
  if (!onlyCommits) {
    for (let at = 0, size = 1; at < tipInfos.length && sought.size > 0; at += size, size = Math.min(size * 2, TIP_BATCH)) {
      await search.trees(tipInfos.slice(at, at + size).map((c) => c.tree));
    }
    await search.trees(tipOthers);
  }

  // Then history, newest first.
  while (heap.size > 0 && sought.size > 0) {
    if (heap.peek()!.generation < floor) break; // below every sought commit: nothing left to find
    // Newest first: the commits of the highest generation left (none is an ancestor of another).
    const generation = heap.peek()!.generation;
    const batch: CommitInfo[] = [];
    while (heap.size > 0 && heap.peek()!.generation === generation) batch.push(heap.pop()!);
    for (const commit of batch) sought.delete(commit.oid);
    if (!onlyCommits) await search.trees(batch.map((c) => c.tree));
    const parents: Oid[] = [];
    for (const commit of batch) {
      for (const parent of commit.parents) {
        if (!passed.has(parent)) {
          passed.add(parent);
          parents.push(parent);
        }
      }
    }
    for (const commit of (await store.readCommits(parents)).values()) heap.push(commit);
  }
  return [...missing].filter((oid) => sought.has(oid) || !infos.has(oid));
}

/** Breadth-first search of trees for the ids of `sought`, which it empties as it finds them. */
class TreeSearch {
  readonly #store: ObjectStore;
  readonly #sought: Set<Oid>;
  readonly #searched = new LruCache<Oid, true>(SEARCHED_TREES, () => 1);

  constructor(store: ObjectStore, sought: Set<Oid>) {
    this.#store = store;
    this.#sought = sought;
  }

  async trees(roots: readonly Oid[]): Promise<void> {
    const sought = this.#sought;
    let level: Oid[] = [];
    for (const oid of roots) {
      sought.delete(oid);
      if (!this.#searched.has(oid)) {
        this.#searched.set(oid, true);
        level.push(oid);
      }
    }
    while (level.length > 0 && sought.size > 0) {
      const objects = await this.#store.readObjects(level);
      const next: Oid[] = [];
      for (const oid of level) {
        const tree = objects.get(oid);
        if (tree === undefined || tree.type !== 'tree') continue;
        for (const entry of parseTree(tree.data)) {
          if (isGitlinkMode(entry.mode)) continue;
          sought.delete(entry.oid);
          if (isTreeMode(entry.mode) && !this.#searched.has(entry.oid)) {
            this.#searched.set(entry.oid, true);
            next.push(entry.oid);
          }
        }
      }
      level = next;
    }
  }
}
