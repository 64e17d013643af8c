/**
 * The changes between two trees, as `git diff --raw -M <old> <new>` lists
 * them (tree-diff.c, then diffcore-rename.c): both trees are walked together
 * in git's tree order, subtrees with the same id are skipped without being
 * read, differing subtrees are walked level by level (one batched read per
 * level), and paths come out in git's order — a directory's entries where
 * `<name>/` sorts. A file that becomes a symlink or a submodule (or back) is
 * `type_changed`; a file that becomes a directory is a deletion plus
 * additions. Renames are then found as `git diff -M` finds them
 * (detectRenames.ts) unless `renames: false`.
 *
 * A null tree is the empty tree: every path of the other side is added (or
 * deleted).
 */
import { GroveError } from '../../../errors.ts';
import type { Oid } from '../../../git/objects/objectId.ts';
import { canonicalMode, compareTreeEntryNames, isTreeMode, parseTree, type TreeEntry } from '../../../git/objects/tree.ts';
import type { ObjectStore } from '../../../git/ports.ts';
import { detectRenames } from './detectRenames.ts';
import type { FileChange } from './FileChange.ts';

export interface DiffTreesOptions {
  /** Detect renames, as `diff.renames=true` (git's default); default true. */
  renames?: boolean;
  /** Least similarity of an inexact rename, in percent; default 50. */
  renameThreshold?: number;
  /** `diff.renameLimit`; default 1000. */
  renameLimit?: number;
}

/** A pair of subtrees still to compare; its changes go where it sits in its parent's list. */
interface Pending {
  base: string;
  old: Oid | null;
  new: Oid | null;
  items: Item[];
}

type Item = FileChange | Pending;

interface Named {
  entry: TreeEntry;
  bytes: Uint8Array;
  isTree: boolean;
  mode: number;
}

const S_IFMT = 0o170000;
const encoder = new TextEncoder();

function named(entries: readonly TreeEntry[]): Named[] {
  return entries.map((entry) => {
    const mode = canonicalMode(entry.mode);
    return { entry, bytes: entry.rawName ?? encoder.encode(entry.name), isTree: isTreeMode(mode), mode };
  });
}

function treeEntries(objects: Map<Oid, { type: string; data: Uint8Array }>, oid: Oid | null): Named[] {
  if (oid === null) return [];
  const object = objects.get(oid);
  if (object === undefined) throw new GroveError('NOT_FOUND', `tree ${oid} is missing`, { sha: oid });
  if (object.type !== 'tree') throw new GroveError('BAD_REQUEST', `${oid} is a ${object.type}, not a tree`, { sha: oid });
  return named(parseTree(object.data));
}

function added(path: string, e: Named): FileChange {
  return { path, old_path: null, status: 'added', old_mode: null, new_mode: e.mode, old_sha: null, new_sha: e.entry.oid, similarity: null };
}

function deleted(path: string, e: Named): FileChange {
  return { path, old_path: path, status: 'deleted', old_mode: e.mode, new_mode: null, old_sha: e.entry.oid, new_sha: null, similarity: null };
}

/** Compares one pair of trees, one level deep: file changes, and subtrees left pending. */
function compareLevel(job: Pending, olds: Named[], news: Named[], next: Pending[]): void {
  const pend = (name: string, old: Oid | null, neu: Oid | null): void => {
    const pending: Pending = { base: `${job.base}${name}/`, old, new: neu, items: [] };
    job.items.push(pending);
    next.push(pending);
  };
  let i = 0;
  let j = 0;
  while (i < olds.length || j < news.length) {
    const a = olds[i];
    const b = news[j];
    const cmp = a === undefined ? 1 : b === undefined ? -1 : compareTreeEntryNames(a.bytes, a.isTree, b.bytes, b.isTree);
    if (cmp < 0) {
      i++;
      if (a!.isTree) pend(a!.entry.name, a!.entry.oid, null);
      else job.items.push(deleted(job.base + a!.entry.name, a!));
    } else if (cmp > 0) {
      j++;
      if (b!.isTree) pend(b!.entry.name, null, b!.entry.oid);
      else job.items.push(added(job.base + b!.entry.name, b!));
    } else {
      i++;
      j++;
      if (a!.entry.oid === b!.entry.oid && a!.mode === b!.mode) continue;
      if (a!.isTree) {
        pend(b!.entry.name, a!.entry.oid, b!.entry.oid);
        continue;
      }
      const path = job.base + b!.entry.name;
      const typeChanged = (a!.mode & S_IFMT) !== (b!.mode & S_IFMT);
      job.items.push({
        path,
        old_path: path,
        status: typeChanged ? 'type_changed' : 'modified',
        old_mode: a!.mode,
        new_mode: b!.mode,
        old_sha: a!.entry.oid,
        new_sha: b!.entry.oid,
        similarity: null,
      });
    }
  }
}

function flatten(items: readonly Item[], out: FileChange[]): void {
  for (const item of items) {
    if ('items' in item) flatten(item.items, out);
    else out.push(item);
  }
}

/**
 * The changes from `oldTree` to `newTree`.
 *
 * @example
 * const changes = await diffTrees(repo.objects, parent.tree, commit.tree);
 * // [{ path: 'src/b.ts', old_path: 'src/a.ts', status: 'renamed', similarity: 87, ... }]
 */
export async function diffTrees(objects: ObjectStore, oldTree: Oid | null, newTree: Oid | null, options: DiffTreesOptions = {}): Promise<FileChange[]> {
  const root: Pending = { base: '', old: oldTree, new: newTree, items: [] };
  let level: Pending[] = oldTree === newTree ? [] : [root];
  while (level.length > 0) {
    const wanted = new Set<Oid>();
    for (const job of level) {
      if (job.old !== null) wanted.add(job.old);
      if (job.new !== null) wanted.add(job.new);
    }
    const trees = await objects.readObjects([...wanted]);
    const next: Pending[] = [];
    for (const job of level) compareLevel(job, treeEntries(trees, job.old), treeEntries(trees, job.new), next);
    level = next;
  }
  const changes: FileChange[] = [];
  flatten(root.items, changes);
  if (options.renames === false) return changes;
  return detectRenames(objects, changes, {
    ...(options.renameThreshold === undefined ? {} : { threshold: options.renameThreshold }),
    ...(options.renameLimit === undefined ? {} : { renameLimit: options.renameLimit }),
  });
}
