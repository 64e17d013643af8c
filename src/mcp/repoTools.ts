/**
 * Repository tools: create_repo, fork_repo, log (history) and diff (what a
 * draft changes, or base...head between two revisions). One REST call each
 * through the SDK (docs/API.md "Repositories", "Content", "Drafts").
 */
import { z } from 'zod';
import type { GroveClient } from '../sdk/GroveClient.ts';
import type { Commit, ComparedFile, Repo, RepoWithToken } from '../sdk/types.ts';
import type { DefineTool } from './toolRegistry.ts';
import { draftArg, repoArg, splitRepo } from './repoArg.ts';
import { invalidArgument, textResult } from './toolResult.ts';

const description = z.string().max(1024).optional().describe('A one-line description of the repository.');

export function registerRepoTools(defineTool: DefineTool, client: GroveClient): void {
  defineTool('create_repo', {
    title: 'Create a repository',
    description: 'Create a Git repository (and its namespace if new), empty: create_draft can start from its default branch at once, and the first apply makes the branch\'s first commit. '
      + 'With init true, it starts with a first commit holding a README.md. '
      + 'Returns the repository: its default branch and remote (the URL git clones). Errors: ALREADY_EXISTS, BAD_REQUEST (a name that is not 2-63 of A-Z a-z 0-9 . _ -, '
      + 'starting with a letter or digit, or one ending in .git), FORBIDDEN (creating repositories needs an admin token).',
    input: z.strictObject({
      repo: repoArg.describe("The new repository, as 'namespace/name' (e.g. 'team/notes')."),
      description,
      default_branch: z.string().min(1).max(255).optional().describe("The default branch's name (default 'main')."),
      init: z.boolean().optional().describe('true: a first commit on the default branch holding README.md; false (default): no commit at all.'),
    }),
  }, async ({ repo, init, ...rest }) => {
    const { namespace, name } = splitRepo(repo);
    const made = withoutToken(await client.repos.create(namespace, { name, ...rest }));
    if (init !== true) return textResult(`created ${repoLine(made)}; it has no commit yet`, made);
    const readme = `# ${name}\n${made.description === '' ? '' : `\n${made.description}\n`}`;
    const commit = await client.repo(namespace, name).commitFiles({
      branch: made.default_branch, message: 'Initial commit', changes: [{ op: 'put', path: 'README.md', content: readme }],
    });
    return textResult(`created ${repoLine(made)}; first commit ${commit.sha} holds README.md`, { ...made, head: commit.sha });
  });

  defineTool('fork_repo', {
    title: 'Fork a repository',
    description: 'Fork a repository: a new repository sharing its objects (instant, no copy) that starts with its default branch (or, with default_branch_only false, all its branches and tags). '
      + 'Work in the fork with drafts; the original does not change. Errors: NOT_FOUND (no such repository), ALREADY_EXISTS (the fork\'s name is taken), FORBIDDEN.',
    input: z.strictObject({
      repo: repoArg.describe("The repository to fork, as 'namespace/name'."),
      to: repoArg.describe("The fork, as 'namespace/name' (the namespace may be the same or another)."),
      description,
      default_branch_only: z.boolean().optional().describe('true (default): copy only the default branch; false: every branch and tag.'),
    }),
  }, async ({ repo, to, ...rest }) => {
    const source = splitRepo(repo);
    const target = splitRepo(to);
    const made = withoutToken(await client.repos.fork(source.namespace, source.name, { name: target.name, namespace: target.namespace, ...rest }));
    return textResult(`forked ${repo} as ${repoLine(made)}`, made);
  });

  defineTool('log', {
    title: 'Show history',
    description: 'The commits of a branch, tag or commit, newest first, as git log lists them: one a line, short sha, date, author, subject. '
      + 'With path, only the commits that change that file or folder. At most limit per call (default 20, at most 1000); when there are more, the answer ends with a cursor to pass back. '
      + "A draft's checkpoints are the history of ref 'refs/drafts/<id>'. Errors: NOT_FOUND (no such repository or revision).",
    input: z.strictObject({
      repo: repoArg,
      ref: z.string().min(1).max(1024).optional().describe('A branch, tag, full ref or commit id (default: the default branch).'),
      path: z.string().min(1).max(4096).optional().describe('Only commits changing this file or folder (as git log -- <path>).'),
      limit: z.int().min(1).max(1000).optional().describe('Commits per call, 1 to 1000 (default 20).'),
      cursor: z.string().max(1024).optional().describe('The cursor the previous page ended with, for the next page.'),
    }),
    readOnly: true,
  }, async ({ repo, limit, ...query }) => {
    const { namespace, name } = splitRepo(repo);
    const page = await client.repo(namespace, name).log({ ...query, limit: limit ?? 20 });
    const lines = page.commits.length === 0 ? ['(no commits)'] : page.commits.map(commitLine);
    if (page.next_cursor !== null) lines.push(`(more: call log with cursor '${page.next_cursor}')`);
    return textResult(lines.join('\n'), page);
  });

  defineTool('diff', {
    title: 'Show changes',
    description: "What changed, as git diff -M prints it (renames detected), one unified patch per file after a summary line per file (status, path, +added -deleted lines). Two ways: "
      + "with draft, what the draft changes — against 'base' (default: since it was made), 'head' (since its last checkpoint) or 'branch' (against the branch as it is now); "
      + 'with base and head (no draft), base...head between two revisions of the repository: what head changed since it forked from base, as git diff base...head. '
      + 'patch false leaves the patches out (summary only). Patches stop after 1 MiB in all (truncated). Errors: NOT_FOUND, EINVAL (draft given with base/head, or neither).',
    input: z.strictObject({
      repo: repoArg,
      draft: draftArg.optional().describe("The draft whose changes to show (as create_draft gave it). Omit it to compare base and head instead."),
      against: z.enum(['base', 'head', 'branch']).optional().describe("With draft: 'base' (default), 'head' or 'branch', what the draft is compared with."),
      base: z.string().min(1).max(1024).optional().describe('Without draft: the revision to compare from (branch, tag or commit).'),
      head: z.string().min(1).max(1024).optional().describe('Without draft: the revision to compare to.'),
      patch: z.boolean().optional().describe('false: only the list of files changed (default true).'),
    }),
    readOnly: true,
  }, async ({ repo, draft, against, base, head, patch }) => {
    const { namespace, name } = splitRepo(repo);
    const content = client.repo(namespace, name);
    if (draft !== undefined) {
      if (base !== undefined || head !== undefined) throw invalidArgument('give draft (with against) or base and head, not both', base !== undefined ? 'base' : 'head');
      const diff = await content.drafts.diff(draft, { against: against ?? 'base', ...(patch === undefined ? {} : { patch }) });
      return textResult(diffText(diff.files, diff.truncated, `draft ${draft} against ${against ?? 'base'} ${diff.from}`), diff);
    }
    if (against !== undefined) throw invalidArgument('against goes with draft', 'against');
    if (base === undefined || head === undefined) throw invalidArgument('give draft, or both base and head', base === undefined ? 'base' : 'head');
    const comparison = await content.compare(base, head, patch === undefined ? {} : { patch });
    const title = `${base}...${head}: ${comparison.ahead_by} commit${comparison.ahead_by === 1 ? '' : 's'} ahead, ${comparison.behind_by} behind`;
    return textResult(diffText(comparison.files, comparison.truncated, title), comparison);
  });
}

function withoutToken(repo: RepoWithToken): Repo {
  const { token: _token, ...rest } = repo;
  return rest;
}

function repoLine(repo: Repo): string {
  return `${repo.namespace}/${repo.name} (default branch ${repo.default_branch}); git remote ${repo.remote}`;
}

function commitLine(commit: Commit): string {
  const subject = commit.message.split('\n', 1)[0] ?? '';
  return `${commit.sha.slice(0, 12)} ${commit.author.date.slice(0, 10)} ${commit.author.name}: ${subject}`;
}

function diffText(files: ComparedFile[], truncated: boolean, title: string): string {
  if (files.length === 0) return `${title}\n(no changes)`;
  const lines = [title];
  for (const f of files) {
    const path = f.old_path !== null && f.old_path !== f.path ? `${f.old_path} -> ${f.path}` : f.path;
    lines.push(`${f.status} ${path} ${f.binary ? '(binary)' : `+${f.additions} -${f.deletions}`}`);
  }
  const patches = files.map((f) => f.patch).filter((p): p is string => typeof p === 'string' && p !== '');
  if (patches.length > 0) lines.push('', patches.join('').trimEnd());
  if (truncated) lines.push('(patches truncated at 1 MiB: ask for fewer files, or use read)');
  return lines.join('\n');
}
