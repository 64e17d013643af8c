/**
 * Whether one commit is an ancestor of another (or the same commit): what a
 * fast-forward needs (`git merge-base --is-ancestor`). Walks back from the
 * descendant a frontier at a time, never below the generation number of the
 * candidate ancestor (no commit of lower generation can reach it).
 */
import type { Oid } from '../../git/objects/objectId.ts';
import type { ObjectStore } from '../../git/ports.ts';

export async function isAncestor(objects: ObjectStore, ancestor: Oid, descendant: Oid, shallow: ReadonlySet<Oid> = new Set()): Promise<boolean> {
  if (ancestor === descendant) return true;
  const target = (await objects.readCommits([ancestor])).get(ancestor);
  if (target === undefined) return false;
  const seen = new Set<Oid>([descendant]);
  let frontier: Oid[] = [descendant];
  while (frontier.length > 0) {
    const infos = await objects.readCommits(frontier);
    const next: Oid[] = [];
    for (const oid of frontier) {
      const info = infos.get(oid);
      if (info === undefined || info.generation <= target.generation || shallow.has(oid)) continue;
      for (const parent of info.parents) {
        if (parent === ancestor) return true;
        if (!seen.has(parent)) {
          seen.add(parent);
          next.push(parent);
        }
      }
    }
    frontier = next;
  }
  return false;
}
