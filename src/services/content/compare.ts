/**
 * Comparing two revisions, `base...head` (`GET …/compare/{basehead}`), as
 * GitHub's compare does and as git answers it:
 *
 * - `merge_base_sha`: `git merge-base base head` (null when they share no history);
 * - `ahead_by` / `behind_by`: `git rev-list --count base..head` / `head..base`;
 * - `commits`: `git log --reverse base..head` — oldest first, the first 250
 *   (`total_commits` counts them all);
 * - `files`: `git diff -M base...head`, i.e. from the merge base to head
 *   (from the empty tree when there is none), each with its `--numstat`
 *   counts and its patch, patches capped at 1 MiB in all (`truncated`).
 *
 * A shallow repository's history stops at its shallow commits.
 */
import { GroveError } from '../../errors.ts';
import { parseCommit } from '../../git/objects/commit.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import { walkCommits } from '../../git/walk/walkCommits.ts';
import { withShallowBoundary } from '../../git/walk/withShallowBoundary.ts';
import type { OpenRepository } from '../RepoService.ts';
import { commitView, type CommitView } from './commitView.ts';
import { commitsBetween } from './compare/commitsBetween.ts';
import { compareFiles, type ComparedFile } from './compare/compareFiles.ts';
import { mergeBases } from './compare/mergeBase.ts';
import { resolveRevision } from './resolveRevision.ts';

export interface CompareOptions {
  /** Include each file's patch (default true). */
  patch?: boolean;
  /** Most commits listed (default 250). */
  maxCommits?: number;
  /** Most bytes of patch text in all (default 1 MiB). */
  maxPatchBytes?: number;
}

export interface Comparison {
  base_sha: Oid;
  head_sha: Oid;
  merge_base_sha: Oid | null;
  ahead_by: number;
  behind_by: number;
  total_commits: number;
  commits: CommitView[];
  files: ComparedFile[];
  /** True when some patches were left out (null) to stay under the size limit. */
  truncated: boolean;
}

export const MAX_COMPARE_COMMITS = 250;

/** Splits `base...head` (each side a revision); BAD_REQUEST unless it has the three dots and two sides. */
export function parseBaseHead(basehead: string): { base: string; head: string } {
  const at = basehead.indexOf('...');
  const base = at < 0 ? '' : basehead.slice(0, at);
  const head = at < 0 ? '' : basehead.slice(at + 3);
  if (base === '' || head === '') {
    throw new GroveError('BAD_REQUEST', `expected <base>...<head>, got '${basehead.slice(0, 200)}'`, { field: 'basehead' });
  }
  return { base, head };
}

/**
 * @example
 * const result = await compare(repo, 'main', 'feature/login');
 * // { merge_base_sha: '…', ahead_by: 3, behind_by: 1, commits: [...], files: [{ path: 'src/login.ts', status: 'added', ... }] }
 */
export async function compare(repo: OpenRepository, base: string, head: string, options: CompareOptions = {}): Promise<Comparison> {
  const baseSha = (await resolveRevision(repo, base)).sha;
  const headSha = (await resolveRevision(repo, head)).sha;
  const objects = withShallowBoundary(repo.objects, new Set(repo.repo.shallowSync()));
  const mergeBase = (await mergeBases(objects, baseSha, headSha))[0] ?? null;
  const ahead = (await commitsBetween(objects, baseSha, headSha)).reverse();
  const behindBy = (await walkCommits(objects, [baseSha], [headSha])).commits.length;

  const listed = ahead.slice(0, options.maxCommits ?? MAX_COMPARE_COMMITS);
  const commitObjects = await repo.objects.readObjects(listed.map((c) => c.oid));
  const commits = listed.map((c) => {
    const object = commitObjects.get(c.oid);
    if (object?.type !== 'commit') throw new GroveError('MISSING_OBJECT', `commit ${c.oid} is missing`, { sha: c.oid });
    return commitView(c.oid, parseCommit(object.data));
  });

  const trees = await objects.readCommits(mergeBase === null ? [headSha] : [mergeBase, headSha]);
  const treeOf = (sha: Oid): Oid => {
    const info = trees.get(sha);
    if (info === undefined) throw new GroveError('MISSING_OBJECT', `commit ${sha} is missing`, { sha });
    return info.tree;
  };
  const { files, truncated } = await compareFiles(objects, mergeBase === null ? null : treeOf(mergeBase), treeOf(headSha), {
    ...(options.patch === undefined ? {} : { patch: options.patch }),
    ...(options.maxPatchBytes === undefined ? {} : { maxPatchBytes: options.maxPatchBytes }),
  });
  return {
    base_sha: baseSha,
    head_sha: headSha,
    merge_base_sha: mergeBase,
    ahead_by: ahead.length,
    behind_by: behindBy,
    total_commits: ahead.length,
    commits,
    files,
    truncated,
  };
}
