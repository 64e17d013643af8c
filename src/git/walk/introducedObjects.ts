/**
 * What each commit brings that its parents do not have: the trees and blobs
 * of its tree that differ, path by path, from what every parent has at the
 * same path (a root commit brings its whole tree). Stored per commit, these
 * lists answer "which objects must a fetch send" without walking trees:
 *
 *   every object reachable from the wanted commits and not from the edge
 *   commits is brought by some wanted commit — follow it down the parents
 *   that have it at the same path; the first commit on the way that does
 *   not is wanted (else an edge would have it) and brought it.
 *
 * So a fetch sends the union of its commits' lists, less what the client
 * has. A list may name an object a parent has elsewhere (a moved file): that
 * only makes the union larger than needed when the parent is not sent.
 */
import { GroveError } from '../../errors.ts';
import type { Oid } from '../objects/objectId.ts';
import type { ObjectStore } from '../ports.ts';
import { KIND_TREE, TreeTable } from './TreeTable.ts';

export interface CommitTrees {
  oid: Oid;
  tree: Oid;
  parents: readonly Oid[];
}

/**
 * For each commit, the ids its tree brings. `trees` holds the trees already
 * in hand (those of the pack); others are read from `store` in batches.
 */
export async function introducedObjects(commits: readonly CommitTrees[], trees: TreeTable, store: ObjectStore): Promise<Map<Oid, Oid[]>> {
  const parentTrees = await parentTreesOf(commits, store);
  const out = new Map<Oid, Oid[]>();
  for (const commit of commits) {
    const brought: number[] = [];
    const root = trees.number(commit.tree);
    const parentRoots = commit.parents.flatMap((p) => {
      const tree = parentTrees.get(p);
      return tree === undefined ? [] : [trees.number(tree)];
    });
    // Breadth-first over (tree, the same path's trees in the parents): a level at a time, so missing trees load in batches.
    let level: [number, number[]][] = parentRoots.includes(root) ? [] : [[root, parentRoots]];
    if (level.length > 0) brought.push(root);
    while (level.length > 0) {
      await load(trees, store, level.flatMap(([tree, olds]) => [tree, ...olds]));
      const next: [number, number[]][] = [];
      for (const [tree, olds] of level) {
        const oldEntries = olds.map((o) => byName(trees.entries(o)!));
        const entries = trees.entries(tree)!;
        for (let i = 0; i < entries.length; i += 3) {
          const name = entries[i]!;
          const child = entries[i + 1]!;
          const kind = entries[i + 2]!;
          const same: number[] = [];
          let unchanged = false;
          for (const old of oldEntries) {
            const match = old.get(name);
            if (match === undefined) continue;
            if (match[0] === child) unchanged = true;
            else if (match[1] === KIND_TREE) same.push(match[0]);
          }
          if (unchanged) continue;
          brought.push(child);
          if (kind === KIND_TREE) next.push([child, same]);
        }
      }
      level = next;
    }
    out.set(commit.oid, [...new Set(brought)].map((n) => trees.oid(n)));
  }
  return out;
}

/** The root tree of every parent, from the pack's commits or the store's. */
async function parentTreesOf(commits: readonly CommitTrees[], store: ObjectStore): Promise<Map<Oid, Oid>> {
  const trees = new Map(commits.map((c) => [c.oid, c.tree]));
  const outside = [...new Set(commits.flatMap((c) => c.parents).filter((p) => !trees.has(p)))];
  for (const [oid, info] of await store.readCommits(outside)) trees.set(oid, info.tree);
  return trees;
}

/** Reads into `trees` the trees among `numbers` it does not hold yet. */
async function load(trees: TreeTable, store: ObjectStore, numbers: readonly number[]): Promise<void> {
  const missing = [...new Set(numbers.filter((n) => trees.entries(n) === undefined).map((n) => trees.oid(n)))];
  if (missing.length === 0) return;
  for (const [oid, object] of await store.readObjects(missing)) trees.add(oid, object.data);
  for (const oid of missing) {
    if (trees.entries(trees.number(oid)) === undefined) throw new GroveError('MISSING_OBJECT', `tree ${oid} is missing`, { oid });
  }
}

function byName(entries: Int32Array): Map<number, [number, number]> {
  const map = new Map<number, [number, number]>();
  for (let i = 0; i < entries.length; i += 3) map.set(entries[i]!, [entries[i + 1]!, entries[i + 2]!]);
  return map;
}
