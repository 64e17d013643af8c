/**
 * `POST …/commits`: one commit that puts, deletes and moves files on a
 * branch, made atomically — the branch moves and every object lands, or
 * nothing changes. See branchTarget.ts for where the commit goes (existing
 * branch, `expected_head` compare-and-swap, `start_from`, first commit of an
 * empty repository) and buildTree.ts for the rules on paths.
 *
 * Everything that can be checked without reading is checked first (paths,
 * modes, identities), then the branch, then contents are staged — a streamed
 * content is read only once the commit is known to be possible.
 */
import { GroveError } from '../../errors.ts';
import type { Codec } from '../../git/codec.ts';
import { MODE_EXECUTABLE, MODE_FILE, MODE_SYMLINK } from '../../git/objects/tree.ts';
import type { OpenRepository } from '../RepoService.ts';
import { branchTarget } from './branchTarget.ts';
import { buildTree, checkPathChanges, type PathChange } from './buildTree.ts';
import { commitIdents, type IdentInput } from './commitIdent.ts';
import { commitToBranch, type WrittenCommit } from './commitToBranch.ts';
import { writeObjects, type ObjectWriter, type WriteLimits } from './writeObjects.ts';

/** A content read from a stream (a request body); `size` when known beforehand. */
export interface ContentStream {
  stream: AsyncIterable<Uint8Array>;
  size?: number | undefined;
}

export type FileChange =
  /** `mode`: 0o100644, 0o100755 or 0o120000 (a symlink: the content is its target); default: the replaced file's, else 100644. */
  | { op: 'put'; path: string; content: Uint8Array | ContentStream; mode?: number | undefined }
  | { op: 'delete'; path: string }
  | { op: 'move'; from: string; to: string };

export interface CommitFilesOptions {
  branch: string;
  expectedHead?: string | undefined;
  startFrom?: string | undefined;
  message: string;
  author?: IdentInput | undefined;
  committer?: IdentInput | undefined;
  changes: readonly FileChange[];
  /** Who commits when the request names nobody (default Grove <grove@localhost>). */
  identity?: { name: string; email: string };
  /** The time of the commit, in ms (default now). */
  now?: number;
  limits?: WriteLimits;
}

const MODES = new Set([MODE_FILE, MODE_EXECUTABLE, MODE_SYMLINK]);

/**
 * @example
 *   const written = await commitFiles(repo, codec, {
 *     branch: 'main', message: 'Add a note',
 *     changes: [{ op: 'put', path: 'notes/a.md', content: new TextEncoder().encode('# A\n') }],
 *   });
 *   // written.sha: the new head of refs/heads/main
 */
export async function commitFiles(repo: OpenRepository, codec: Codec, options: CommitFilesOptions): Promise<WrittenCommit> {
  const placeholders = options.changes.map(placeholder);
  checkPathChanges(placeholders);
  const { author, committer } = commitIdents(options, options.identity, options.now);
  const target = await branchTarget(repo, options);
  const baseTree = target.parent === null ? null : await treeOf(repo, target.parent);
  return writeObjects(repo, codec, options.limits ?? {}, async (writer) => {
    const changes = await stageContents(writer, options.changes);
    const tree = await buildTree(repo.objects, baseTree, changes, (data) => writer.add('tree', data));
    return commitToBranch(writer, target, { tree, message: options.message, author, committer });
  });
}

/** The change with a stand-in id, for checking paths before any content is read. */
function placeholder(change: FileChange, index: number): PathChange {
  if (change.op !== 'put') return change;
  if (change.mode !== undefined && !MODES.has(change.mode)) {
    throw new GroveError('BAD_REQUEST', `changes[${index}].mode must be 100644, 100755 or 120000`, { field: `changes[${index}].mode` });
  }
  return { op: 'put', path: change.path, oid: '' };
}

/** Stages every put's content (blobs the repository has are not staged again); the changes with blob ids. */
async function stageContents(writer: ObjectWriter, changes: readonly FileChange[]): Promise<PathChange[]> {
  const inline = changes.flatMap((c) => (c.op === 'put' && c.content instanceof Uint8Array ? [c.content] : []));
  const ids = new Map(inline.map((data) => [data, writer.hash('blob', data)]));
  const missing = await writer.missing([...ids.values()]);
  const out: PathChange[] = [];
  for (const change of changes) {
    if (change.op !== 'put') {
      out.push(change);
      continue;
    }
    let oid: string;
    if (change.content instanceof Uint8Array) {
      oid = ids.get(change.content)!;
      if (missing.delete(oid)) writer.add('blob', change.content);
    } else {
      oid = await writer.addBlobStream(change.content.stream, change.content.size);
    }
    out.push({ op: 'put', path: change.path, oid, ...(change.mode === undefined ? {} : { mode: change.mode }) });
  }
  return out;
}

/** The tree of commit `sha`. */
export async function treeOf(repo: OpenRepository, sha: string): Promise<string> {
  const info = (await repo.objects.readCommits([sha])).get(sha);
  if (info === undefined) throw new GroveError('MISSING_OBJECT', `commit ${sha} is missing`, { sha });
  return info.tree;
}
