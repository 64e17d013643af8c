/**
 * What a tree holds at one path, reduced to a key that two trees share
 * exactly when they are TREESAME for that path (git's `rev_compare_tree`
 * with a one-path pathspec: no difference at the path or below it). The key
 * is the canonical mode and id of the entry at the path, or null when the
 * path does not exist in the tree; equal ids mean equal contents below.
 *
 * Lookups of many trees run a level at a time, each level one batched read,
 * and are remembered per tree (history revisits the same subtrees often).
 */
import type { Oid } from '../../git/objects/objectId.ts';
import { canonicalMode, isTreeMode } from '../../git/objects/tree.ts';
import type { ObjectStore } from '../../git/ports.ts';
import { readTrees } from './entryAt.ts';

export type PathKey = string | null;

/** Remembered lookups beyond which the memo starts over (each is a short string). */
const MAX_MEMO = 200_000;

export class PathFilter {
  readonly #objects: ObjectStore;
  readonly #parts: readonly string[];
  /** `${depth}:${tree}` → the key of what that tree, at that depth of the path, holds at the rest of it. */
  readonly #memo = new Map<string, PathKey>();

  constructor(objects: ObjectStore, parts: readonly string[]) {
    this.#objects = objects;
    this.#parts = parts;
  }

  /** The key of each root tree of `trees`. */
  async keys(trees: readonly Oid[]): Promise<Map<Oid, PathKey>> {
    const out = new Map<Oid, PathKey>();
    // Each pending lookup: the root it is for, and the tree reached so far at `depth`.
    let pending: { root: Oid; tree: Oid; trail: string[] }[] = [];
    for (const root of new Set(trees)) {
      const known = this.#memo.get(`0:${root}`);
      if (known !== undefined) out.set(root, known);
      else pending.push({ root, tree: root, trail: [`0:${root}`] });
    }
    for (let depth = 0; pending.length > 0; depth++) {
      const part = this.#parts[depth]!;
      const last = depth === this.#parts.length - 1;
      const entries = await readTrees(this.#objects, pending.map((p) => p.tree));
      const next: typeof pending = [];
      for (const lookup of pending) {
        const found = entries.get(lookup.tree)!.find((e) => e.name === part && e.rawName === undefined);
        let key: PathKey | undefined;
        if (found === undefined) key = null;
        else if (last) key = `${canonicalMode(found.mode).toString(8)} ${found.oid}`;
        else if (!isTreeMode(found.mode)) key = null;
        else {
          const memoKey = `${depth + 1}:${found.oid}`;
          key = this.#memo.get(memoKey);
          if (key === undefined) {
            next.push({ root: lookup.root, tree: found.oid, trail: [...lookup.trail, memoKey] });
            continue;
          }
        }
        this.#settle(lookup.trail, key);
        out.set(lookup.root, key);
      }
      pending = next;
    }
    return out;
  }

  #settle(trail: readonly string[], key: PathKey): void {
    if (this.#memo.size > MAX_MEMO) this.#memo.clear();
    for (const step of trail) this.#memo.set(step, key);
  }
}
