/**
 * Reachability questions the server asks during a fetch:
 * - can it stop negotiating? (upload-pack's `ok_to_give_up`: every wanted
 *   commit has a commit the client has among its ancestors);
 * - may the client want this id? (`allow-reachable-sha1-in-want`: only
 *   objects reachable from a ref are served).
 * Walks are cut off by generation number: a commit cannot reach anything of a
 * generation at or above its own.
 */
import type { Oid } from '../objects/objectId.ts';
import { parseTag } from '../objects/tag.ts';
import type { CommitInfo, ObjectStore } from '../ports.ts';
import { walkTrees } from './enumerateObjects.ts';

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

/** `oids` with every annotated tag replaced by the object at the end of its chain. */
async function peelTags(store: ObjectStore, oids: readonly Oid[]): Promise<Oid[]> {
  const out: Oid[] = [];
  let pending = [...oids];
  for (let hops = 0; pending.length > 0 && hops < 100; hops++) {
    const infos = await store.info(pending);
    const tags = pending.filter((oid) => infos.get(oid)?.type === 'tag');
    for (const oid of pending) if (infos.get(oid)?.type !== 'tag') out.push(oid);
    const objects = await store.readObjects(tags);
    pending = tags.map((oid) => parseTag(objects.get(oid)!.data).object);
  }
  return out;
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

/**
 * The ids among `wants` that no ref reaches. `tips` are the refs' values
 * (tags included); ids equal to a tip or to a peeled tip are reachable at once.
 */
export async function findUnreachable(store: ObjectStore, wants: readonly Oid[], tips: readonly Oid[]): Promise<Oid[]> {
  const tipSet = new Set(tips);
  let remaining = [...new Set(wants)].filter((oid) => !tipSet.has(oid));
  if (remaining.length === 0) return [];

  // Peel tag tips: the objects they tag are reachable too.
  const reachable = new Set<Oid>(tips);
  const rootCommits: Oid[] = [];
  const rootOthers: Oid[] = [];
  let pending = [...tipSet];
  while (pending.length > 0) {
    const infos = await store.info(pending);
    const tags = [...infos.values()].filter((i) => i.type === 'tag').map((i) => i.oid);
    const tagObjects = await store.readObjects(tags);
    const next: Oid[] = [];
    for (const info of infos.values()) {
      if (info.type === 'commit') rootCommits.push(info.oid);
      else if (info.type === 'tag') {
        const target = parseTag(tagObjects.get(info.oid)!.data).object;
        if (!reachable.has(target)) {
          reachable.add(target);
          next.push(target);
        }
      } else rootOthers.push(info.oid);
    }
    pending = next;
  }
  remaining = remaining.filter((oid) => !reachable.has(oid));
  if (remaining.length === 0) return [];

  // Walk history from the tips: commits first, then (only if non-commits are wanted) their trees.
  const wanted = new Set(remaining);
  const wantedInfo = await store.info(remaining);
  const onlyCommits = remaining.every((oid) => wantedInfo.get(oid)?.type === 'commit');
  const wantedCommits = await store.readCommits(remaining);
  const floor = onlyCommits && wantedCommits.size > 0 ? Math.min(...[...wantedCommits.values()].map((c) => c.generation)) : 0;
  const seen = new Set<Oid>();
  const trees: Oid[] = [...rootOthers];
  let frontier = rootCommits;
  while (frontier.length > 0 && wanted.size > 0) {
    const commits = await store.readCommits(frontier.filter((oid) => !seen.has(oid)));
    const next: Oid[] = [];
    for (const commit of commits.values()) {
      if (seen.has(commit.oid)) continue;
      seen.add(commit.oid);
      wanted.delete(commit.oid);
      if (commit.generation < floor) continue;
      trees.push(commit.tree);
      for (const parent of commit.parents) if (!seen.has(parent)) next.push(parent);
    }
    frontier = next;
  }
  if (wanted.size > 0 && !onlyCommits) {
    const treeSeen = new Set<Oid>();
    await walkTrees(store, trees, treeSeen, (oid) => wanted.delete(oid));
  }
  return [...wanted];
}
