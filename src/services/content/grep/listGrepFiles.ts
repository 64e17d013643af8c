/**
 * The files `git grep <tree> -- <pathspec>` looks at, in the order it looks
 * at them (builtin/grep.c `grep_tree`): a walk of the tree in tree order —
 * which is the byte order of full paths — that enters subtrees and takes
 * regular files (mode 100644 or 100755) only; symbolic links and submodules
 * are not searched. Subtrees the pathspec cannot reach are not read. The
 * walk reads one level of subtrees at a time, in one batch.
 */
import type { Oid } from '../../../git/objects/objectId.ts';
import { isFileMode, isTreeMode, type TreeEntry } from '../../../git/objects/tree.ts';
import type { ObjectStore } from '../../../git/ports.ts';
import { readTrees } from '../entryAt.ts';
import type { PathspecMatcher } from '../match/pathspecMatcher.ts';

export interface GrepFile {
  path: string;
  oid: Oid;
}

export async function listGrepFiles(objects: ObjectStore, root: Oid, pathspec: PathspecMatcher): Promise<GrepFile[]> {
  const trees = new Map<Oid, TreeEntry[]>();
  let level: { oid: Oid; path: string }[] = [{ oid: root, path: '' }];
  while (level.length > 0) {
    const read = await readTrees(objects, level.map((t) => t.oid).filter((oid) => !trees.has(oid)));
    for (const [oid, entries] of read) trees.set(oid, entries);
    const next: { oid: Oid; path: string }[] = [];
    for (const { oid, path: prefix } of level) {
      for (const entry of trees.get(oid)!) {
        const path = prefix + entry.name;
        if (isTreeMode(entry.mode) && pathspec.mayReach(path)) next.push({ oid: entry.oid, path: `${path}/` });
      }
    }
    level = next;
  }
  const files: GrepFile[] = [];
  const walk = (oid: Oid, prefix: string): void => {
    for (const entry of trees.get(oid) ?? []) {
      const path = prefix + entry.name;
      if (isTreeMode(entry.mode)) {
        if (pathspec.mayReach(path)) walk(entry.oid, `${path}/`);
      } else if (isFileMode(entry.mode) && pathspec.selects(path)) {
        files.push({ path, oid: entry.oid });
      }
    }
  };
  walk(root, '');
  return files;
}
