/**
 * One commit (`GET …/commits/{sha}`), as `git show -s` shows it: its tree,
 * parents, author, committer and message; with `stat`, the files it changes
 * with their added and deleted lines (`git show --numstat`, renames found as
 * `git diff -M` finds them) and the totals; with `patch`, its unified diff
 * (`git show --format= -p`). Both compare with the first parent — what
 * `git show --numstat` does for a merge too; its patch for a merge is the
 * first-parent diff, not git's combined diff — and a root commit with the
 * empty tree. The diff engine is diff/ (through compare/compareFiles.ts).
 */
import { GroveError } from '../../errors.ts';
import { parseCommit } from '../../git/objects/commit.ts';
import type { OpenRepository } from '../RepoService.ts';
import { commitView, type CommitView } from './commitView.ts';
import { compareFiles } from './compare/compareFiles.ts';
import type { ChangeStatus } from './diff/FileChange.ts';
import { resolveRevision } from './resolveRevision.ts';

export interface ReadCommitOptions {
  /** Add per-file line counts and totals (`git show --numstat`). */
  stat?: boolean;
  /** Add the unified patch (`git show -p`). */
  patch?: boolean;
}

export interface CommitFileStat {
  path: string;
  old_path: string | null;
  status: ChangeStatus;
  additions: number;
  deletions: number;
  binary: boolean;
}

export interface CommitDetail extends CommitView {
  files?: CommitFileStat[];
  stats?: { files: number; additions: number; deletions: number };
  patch?: string;
  /** With `patch`: true when the patch stopped at MAX_COMMIT_PATCH_BYTES. */
  patch_truncated?: boolean;
}

export const MAX_COMMIT_PATCH_BYTES = 8 * 1024 * 1024;

/** The commit `rev` names (an id, or any revision resolveRevision accepts). */
export async function readCommit(repo: OpenRepository, rev: string, options: ReadCommitOptions = {}): Promise<CommitDetail> {
  const { sha } = await resolveRevision(repo, rev);
  const object = (await repo.objects.readObjects([sha])).get(sha);
  if (object?.type !== 'commit') throw new GroveError('MISSING_OBJECT', `commit ${sha} is missing`, { sha });
  const commit = parseCommit(object.data);
  const detail: CommitDetail = commitView(sha, commit);
  if (options.stat !== true && options.patch !== true) return detail;

  // A shallow repository's boundary commit has no parents here, as in a shallow clone: it is diffed with the empty tree.
  const parent = repo.repo.shallowSync().includes(sha) ? undefined : commit.parents[0];
  let parentTree: string | null = null;
  if (parent !== undefined) {
    const info = (await repo.objects.readCommits([parent])).get(parent);
    if (info === undefined) throw new GroveError('MISSING_OBJECT', `parent ${parent} of ${sha} is missing`, { sha: parent });
    parentTree = info.tree;
  }
  const { files, truncated } = await compareFiles(repo.objects, parentTree, commit.tree, {
    patch: options.patch === true,
    maxPatchBytes: MAX_COMMIT_PATCH_BYTES,
  });
  if (options.stat === true) {
    detail.files = files.map((f) => ({ path: f.path, old_path: f.old_path, status: f.status, additions: f.additions, deletions: f.deletions, binary: f.binary }));
    detail.stats = {
      files: files.length,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
    };
  }
  if (options.patch === true) {
    detail.patch = files.map((f) => f.patch ?? '').join('');
    detail.patch_truncated = truncated;
  }
  return detail;
}
