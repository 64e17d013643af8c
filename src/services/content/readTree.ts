/**
 * The listing of a folder at a revision (`GET …/tree/{ref}`), as
 * `git ls-tree -l [-r] <ref> <path>/` lists it: entries in tree order, each
 * with its mode as git prints it (six octal digits: 100644, 100755, 120000,
 * 040000, 160000), its type (blob, tree, or commit for a submodule), id,
 * full path from the root, and for blobs the size (from the store's object
 * index, without inflating a blob). Recursive listings, like `-r`, descend
 * into subfolders in place and list their files but not the folders
 * themselves; submodules are listed, not entered.
 */
import { GroveError } from '../../errors.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import { canonicalMode, isGitlinkMode, isTreeMode, type TreeEntry } from '../../git/objects/tree.ts';
import type { OpenRepository } from '../RepoService.ts';
import { entryAt, readTrees } from './entryAt.ts';
import { parseRepoPath } from './parseRepoPath.ts';
import { resolveObject } from './resolveRevision.ts';

export interface TreeEntryView {
  name: string;
  path: string;
  type: 'blob' | 'tree' | 'commit';
  mode: string;
  sha: Oid;
  /** Blobs only. */
  size?: number;
}

export interface TreeView {
  /** The listed tree's id. */
  sha: Oid;
  /** The listed folder ('' for the root). */
  path: string;
  entries: TreeEntryView[];
  /** True when the listing stopped at MAX_TREE_ENTRIES. */
  truncated: boolean;
}

export interface ReadTreeOptions {
  path?: string;
  recursive?: boolean;
}

export const MAX_TREE_ENTRIES = 100_000;

/** The folder `path` of the tree `rev` names (a commit, a tag of one, or a tree). */
export async function readTreeAt(repo: OpenRepository, rev: string, options: ReadTreeOptions = {}): Promise<TreeView> {
  const parts = parseRepoPath(options.path ?? '');
  const root = await rootTree(repo, rev);
  const entry = await entryAt(repo.objects, root, parts);
  const path = parts.join('/');
  if (entry === null) throw new GroveError('NOT_FOUND', `path '${path}' does not exist at ${rev}`, { path });
  if (!isTreeMode(entry.mode)) throw new GroveError('BAD_REQUEST', `path '${path}' is not a folder`, { field: 'path' });

  const trees = await readTrees(repo.objects, [entry.oid]);
  if (options.recursive === true) {
    // Read every tree below, a level at a time, before listing in order.
    for (let level = [entry.oid]; level.length > 0;) {
      const below = level.flatMap((oid) => trees.get(oid)!.filter((e) => isTreeMode(e.mode) && !trees.has(e.oid)).map((e) => e.oid));
      if (below.length > 0) for (const [oid, tree] of await readTrees(repo.objects, below)) trees.set(oid, tree);
      level = below;
    }
  }
  const entries: TreeEntryView[] = [];
  const truncated = !list(trees, entry.oid, path === '' ? '' : `${path}/`, options.recursive === true, entries);
  const blobs = entries.filter((e) => e.type === 'blob').map((e) => e.sha);
  const infos = await repo.objects.info(blobs);
  for (const e of entries) if (e.type === 'blob') e.size = infos.get(e.sha)?.size ?? 0;
  return { sha: entry.oid, path, entries, truncated };
}

async function rootTree(repo: OpenRepository, rev: string): Promise<Oid> {
  const found = await resolveObject(repo, rev);
  if (found.type === 'tree') return found.sha;
  if (found.type === 'blob') throw new GroveError('NOT_FOUND', `revision '${rev.slice(0, 80)}' names a blob, not a commit or tree`, { ref: rev.slice(0, 256) });
  const commit = (await repo.objects.readCommits([found.sha])).get(found.sha);
  if (commit === undefined) throw new GroveError('MISSING_OBJECT', `commit ${found.sha} is missing`, { sha: found.sha });
  return commit.tree;
}

/** Appends the entries of `tree` (and, recursively, of its subtrees) to `out`; false once MAX_TREE_ENTRIES is reached. */
function list(trees: Map<Oid, TreeEntry[]>, tree: Oid, prefix: string, recursive: boolean, out: TreeEntryView[]): boolean {
  for (const e of trees.get(tree)!) {
    const path = `${prefix}${e.name}`;
    if (recursive && isTreeMode(e.mode)) {
      if (!list(trees, e.oid, `${path}/`, recursive, out)) return false;
      continue;
    }
    if (out.length === MAX_TREE_ENTRIES) return false;
    const mode = canonicalMode(e.mode);
    out.push({
      name: e.name,
      path,
      type: isTreeMode(mode) ? 'tree' : isGitlinkMode(mode) ? 'commit' : 'blob',
      mode: mode.toString(8).padStart(6, '0'),
      sha: e.oid,
    });
  }
  return true;
}
