/**
 * The shallow commits of a shallow repository that a fetch reaches, in the
 * order git's upload-pack sends them. With no deepen asked, upload-pack
 * answers a v2 fetch from a shallow repository with `deepen(INFINITE_DEPTH)`,
 * i.e. shallow.c `get_shallow_commits(wants, INFINITE_DEPTH, ...)`: a
 * depth-first walk from each want in turn — the last parent followed at
 * once, the others pushed on a stack — that prepends each commit it finds
 * without parents ("is_repository_shallow() && !commit->parents && graft")
 * to its result, and walks a commit again when it finds a shorter way to it.
 * A cloning client writes the list into `.git/shallow` in the order it
 * arrives, so the order is part of the answer.
 *
 * All commits the wants reach are loaded first, a level at a time (batched
 * reads); the walk then runs in memory. `store` shows the repository's
 * shallow commits without parents (withRepositoryShallow.ts).
 */
import type { Oid } from '../objects/objectId.ts';
import { parseTag } from '../objects/tag.ts';
import type { CommitInfo, ObjectStore } from '../ports.ts';

export interface OrderedShallow {
  /** Shallow commits in the order upload-pack sends them (one found twice is listed twice, as git does). */
  shallow: Oid[];
  /** The other commits walked: their parents are sent. */
  notShallow: Set<Oid>;
}

export async function repositoryShallowInOrder(
  store: ObjectStore,
  wants: readonly Oid[],
  repositoryShallow: ReadonlySet<Oid>,
): Promise<OrderedShallow> {
  const heads = await peelEach(store, wants);
  const commits = await loadHistory(store, heads.filter((h): h is Oid => h !== undefined));
  const result: Oid[] = [];
  const notShallow = new Set<Oid>();
  const depthOf = new Map<Oid, number>();
  const stack: CommitInfo[] = [];
  let next = 0;
  let commit: CommitInfo | undefined;
  let depth = 0;
  while (commit !== undefined || next < heads.length || stack.length > 0) {
    if (commit === undefined) {
      if (next < heads.length) {
        const head = heads[next++];
        commit = head === undefined ? undefined : commits.get(head);
        if (commit === undefined) continue;
        depthOf.set(commit.oid, 0);
        depth = 0;
      } else {
        commit = stack.pop()!;
        depth = depthOf.get(commit.oid)!;
      }
    }
    depth++;
    if (commit.parents.length === 0 && repositoryShallow.has(commit.oid)) {
      result.unshift(commit.oid);
      commit = undefined;
      continue;
    }
    notShallow.add(commit.oid);
    const parents = commit.parents;
    commit = undefined;
    for (let i = 0; i < parents.length; i++) {
      const oid = parents[i]!;
      const known = depthOf.get(oid);
      if (known !== undefined && depth >= known) continue;
      depthOf.set(oid, depth);
      const parent = commits.get(oid);
      if (parent === undefined) continue;
      if (i < parents.length - 1) stack.push(parent);
      else commit = parent; // walked next, at the depth just recorded for it
    }
  }
  // upload-pack's send_shallow skips commits flagged NOT_SHALLOW (walked through by another way).
  return { shallow: result.filter((oid) => !notShallow.has(oid)), notShallow };
}

/** Each want peeled to the object its tag chain ends at (git's `deref_tag`), in order; undefined for absent ones. */
async function peelEach(store: ObjectStore, wants: readonly Oid[]): Promise<(Oid | undefined)[]> {
  const out: (Oid | undefined)[] = [...wants];
  for (let hops = 0; hops < 100; hops++) {
    const pending = [...new Set(out.filter((oid): oid is Oid => oid !== undefined))];
    const infos = await store.info(pending);
    const tags = pending.filter((oid) => infos.get(oid)?.type === 'tag');
    for (let i = 0; i < out.length; i++) if (out[i] !== undefined && !infos.has(out[i]!)) out[i] = undefined;
    if (tags.length === 0) return out;
    const objects = await store.readObjects(tags);
    const target = new Map(tags.map((oid) => [oid, parseTag(objects.get(oid)!.data).object]));
    for (let i = 0; i < out.length; i++) out[i] = target.get(out[i]!) ?? out[i];
  }
  return out;
}

/** Every commit reachable from `heads` (non-commits among them ignored), read a level at a time. */
async function loadHistory(store: ObjectStore, heads: readonly Oid[]): Promise<Map<Oid, CommitInfo>> {
  const commits = new Map<Oid, CommitInfo>();
  const seen = new Set<Oid>(heads);
  let level = [...seen];
  while (level.length > 0) {
    const loaded = await store.readCommits(level);
    const nextLevel: Oid[] = [];
    for (const [oid, info] of loaded) {
      commits.set(oid, info);
      for (const parent of info.parents) {
        if (!seen.has(parent)) {
          seen.add(parent);
          nextLevel.push(parent);
        }
      }
    }
    level = nextLevel;
  }
  return commits;
}
