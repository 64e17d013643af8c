/**
 * `POST …/revert`: a new commit on a branch that undoes what one commit
 * changed, as `git revert --no-edit` makes it (sequencer.c `do_pick_commit`):
 * a three-way merge (mergeTrees.ts) whose base is the commit, "ours" the
 * branch head and "theirs" the commit's parent — for a merge commit, the
 * parent `mainline` names (1-based, as `git revert -m`), which it then needs.
 * A root commit is reverted against the empty tree.
 *
 * A conflict writes nothing and answers MERGE_CONFLICT with the paths
 * (`details.conflicts`: `{path, reason}`). Renames are not followed (git's
 * merge would follow a file renamed since: here that is a modify/delete
 * conflict). The default message is git's:
 *
 *     Revert "<subject>"
 *
 *     This reverts commit <sha>.
 *
 * (for a merge: "This reverts commit <sha>, reversing\nchanges made to <parent>.")
 */
import { GroveError } from '../../errors.ts';
import type { Codec } from '../../git/codec.ts';
import { parseCommit, type Commit } from '../../git/objects/commit.ts';
import type { OpenRepository } from '../RepoService.ts';
import { branchTarget } from './branchTarget.ts';
import { commitIdents, type IdentInput } from './commitIdent.ts';
import { commitToBranch, type WrittenCommit } from './commitToBranch.ts';
import { treeOf } from './commitFiles.ts';
import { mergeTrees } from './mergeTrees.ts';
import { resolveRevision } from './resolveRevision.ts';
import { writeObjects, type WriteLimits } from './writeObjects.ts';

export interface RevertOptions {
  branch: string;
  /** The commit to revert (any revision). */
  commit: string;
  /** For a merge commit: the parent (1-based) whose side is kept. */
  mainline?: number | undefined;
  expectedHead?: string | undefined;
  message?: string | undefined;
  author?: IdentInput | undefined;
  committer?: IdentInput | undefined;
  identity?: { name: string; email: string };
  now?: number;
  limits?: WriteLimits;
}

/** Conflicts listed in an error's details, at most. */
const MAX_LISTED_CONFLICTS = 100;

/**
 * @example
 *   const written = await revert(repo, codec, { branch: 'main', commit: 'a1b2c3…' });
 *   // written.commit.message: 'Revert "Add a note"\n\nThis reverts commit a1b2c3….\n'
 */
export async function revert(repo: OpenRepository, codec: Codec, options: RevertOptions): Promise<WrittenCommit> {
  const { author, committer } = commitIdents(options, options.identity, options.now);
  const target = await branchTarget(repo, { branch: options.branch, expectedHead: options.expectedHead, mustExist: true });
  const sha = (await resolveRevision(repo, options.commit)).sha;
  const reverted = await readCommit(repo, sha);
  const parent = chooseParent(sha, reverted, options.mainline);
  const [ours, theirs] = await Promise.all([treeOf(repo, target.parent!), parent === null ? null : treeOf(repo, parent)]);
  return writeObjects(repo, codec, options.limits ?? {}, async (writer) => {
    const merged = await mergeTrees(repo.objects, reverted.tree, ours, theirs, (type, data) => writer.add(type, data));
    if (merged.conflicts.length > 0) {
      const paths = merged.conflicts.slice(0, 3).map((c) => c.path).join(', ');
      throw new GroveError('MERGE_CONFLICT', `reverting ${sha} conflicts with later changes on ${target.branch} (${paths}${merged.conflicts.length > 3 ? ', …' : ''}); nothing was changed`, {
        commit: sha,
        conflicts: merged.conflicts.slice(0, MAX_LISTED_CONFLICTS),
        conflict_count: merged.conflicts.length,
      });
    }
    const message = options.message ?? revertMessage(sha, reverted, parent);
    return commitToBranch(writer, target, { tree: merged.tree, message, author, committer });
  });
}

async function readCommit(repo: OpenRepository, sha: string): Promise<Commit> {
  const object = (await repo.objects.readObjects([sha])).get(sha);
  if (object === undefined) throw new GroveError('MISSING_OBJECT', `commit ${sha} is missing`, { sha });
  return parseCommit(object.data);
}

/** The parent the revert goes back to; null for a root commit. */
function chooseParent(sha: string, commit: Commit, mainline: number | undefined): string | null {
  const count = commit.parents.length;
  if (count <= 1) {
    if (mainline !== undefined) throw new GroveError('BAD_REQUEST', `mainline was given but commit ${sha} is not a merge`, { field: 'mainline' });
    return commit.parents[0] ?? null;
  }
  if (mainline === undefined) throw new GroveError('BAD_REQUEST', `commit ${sha} is a merge but no mainline was given`, { field: 'mainline' });
  const parent = commit.parents[mainline - 1];
  if (parent === undefined || !Number.isInteger(mainline) || mainline < 1) {
    throw new GroveError('BAD_REQUEST', `commit ${sha} does not have parent ${mainline}`, { field: 'mainline' });
  }
  return parent;
}

/** git's message: the subject is the message's first paragraph, its lines joined by spaces (pretty.c `format_subject`). */
export function revertMessage(sha: string, commit: Commit, parent: string | null): string {
  const lines = commit.message.replace(/^\s*\n/, '').split('\n');
  const paragraph: string[] = [];
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === '') break;
    paragraph.push(trimmed);
  }
  const merge = commit.parents.length > 1 && parent !== null ? `, reversing\nchanges made to ${parent}` : '';
  return `Revert "${paragraph.join(' ')}"\n\nThis reverts commit ${sha}${merge}.\n`;
}
