/**
 * The last step of every write of the content API: the commit object, staged
 * with everything else the writer holds, and the branch moved onto it by
 * compare-and-swap — all visible at once, or (REF_CONFLICT) nothing.
 *
 * The message is kept as given, with a final line feed added when it has
 * none (as `git commit -m` and `git commit-tree -m` store it).
 */
import { GroveError } from '../../errors.ts';
import { serializeCommit, type Commit } from '../../git/objects/commit.ts';
import type { Ident } from '../../git/objects/ident.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import type { BranchTarget } from './branchTarget.ts';
import type { ObjectWriter } from './writeObjects.ts';

export interface WrittenCommit {
  sha: Oid;
  commit: Commit;
  /** The branch's full ref name. */
  ref: string;
  /** Its short name. */
  branch: string;
}

export interface CommitFields {
  tree: Oid;
  message: string;
  author: Ident;
  committer: Ident;
  /** Default: the target's parent, if any. */
  parents?: Oid[];
}

export async function commitToBranch(writer: ObjectWriter, target: BranchTarget, fields: CommitFields): Promise<WrittenCommit> {
  if (fields.message.includes('\0')) throw new GroveError('BAD_REQUEST', 'the message cannot contain NUL', { field: 'message' });
  const commit: Commit = {
    tree: fields.tree,
    parents: fields.parents ?? (target.parent === null ? [] : [target.parent]),
    author: fields.author,
    committer: fields.committer,
    extraHeaders: [],
    message: fields.message.endsWith('\n') ? fields.message : `${fields.message}\n`,
  };
  const sha = writer.add('commit', serializeCommit(commit));
  await writer.commit({ name: target.ref, old: target.old, new: sha });
  return { sha, commit, ref: target.ref, branch: target.branch };
}
