/**
 * `POST …/restore`: time travel that keeps history — a new commit on a
 * branch whose tree is exactly the tree of an earlier commit (`to`, any
 * revision), as `git read-tree <to> && git commit` makes it: files added
 * since are gone, files deleted since are back. The branch head is its
 * parent. Default message: `Restore <first 7 hex digits of to>`.
 */
import type { Codec } from '../../git/codec.ts';
import type { OpenRepository } from '../RepoService.ts';
import { branchTarget } from './branchTarget.ts';
import { commitIdents, type IdentInput } from './commitIdent.ts';
import { commitToBranch, type WrittenCommit } from './commitToBranch.ts';
import { treeOf } from './commitFiles.ts';
import { resolveRevision } from './resolveRevision.ts';
import { writeObjects, type WriteLimits } from './writeObjects.ts';

export interface RestoreOptions {
  branch: string;
  /** The commit whose tree the branch gets back (any revision). */
  to: string;
  expectedHead?: string | undefined;
  message?: string | undefined;
  author?: IdentInput | undefined;
  committer?: IdentInput | undefined;
  identity?: { name: string; email: string };
  now?: number;
  limits?: WriteLimits;
}

/**
 * @example
 *   const written = await restore(repo, codec, { branch: 'main', to: 'main~3' });
 *   // written.commit.tree equals the tree of main~3; its parent is the old head
 */
export async function restore(repo: OpenRepository, codec: Codec, options: RestoreOptions): Promise<WrittenCommit> {
  const { author, committer } = commitIdents(options, options.identity, options.now);
  const target = await branchTarget(repo, { branch: options.branch, expectedHead: options.expectedHead, mustExist: true });
  const to = (await resolveRevision(repo, options.to)).sha;
  const tree = await treeOf(repo, to);
  const message = options.message ?? `Restore ${to.slice(0, 7)}`;
  return writeObjects(repo, codec, options.limits ?? {}, (writer) => commitToBranch(writer, target, { tree, message, author, committer }));
}
