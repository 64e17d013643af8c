/**
 * The draft life-cycle as MCP tools: create_draft, list_drafts, checkpoint,
 * reset_draft, update_draft, apply_draft, discard_draft, and exec (a shell
 * over the draft's files). Each is one REST call of docs/API.md "Drafts" through the
 * SDK's DraftApi; the text answers are one or two lines, the REST JSON goes
 * along as structured content.
 */
import { z } from 'zod';
import { isGroveApiError } from '../sdk/GroveApiError.ts';
import type { GroveClient } from '../sdk/GroveClient.ts';
import type { Draft } from '../sdk/draftTypes.ts';
import { conflictAdvice } from './conflictAdvice.ts';
import type { DefineTool } from './toolRegistry.ts';
import { draftArg, repoArg, splitRepo } from './repoArg.ts';
import { errorResult, textResult } from './toolResult.ts';

const message = z.string().max(1024 * 1024);
const author = z
  .strictObject({
    name: z.string().min(1).max(256).describe("The author's name."),
    email: z.string().max(256).describe("The author's email address."),
  })
  .describe('The commit\'s author (default: the committer, "Grove <grove@localhost>").');

export function registerDraftTools(defineTool: DefineTool, client: GroveClient): void {
  const drafts = (repo: string) => {
    const { namespace, name } = splitRepo(repo);
    return client.repo(namespace, name).drafts;
  };

  defineTool('create_draft', {
    title: 'Create a draft',
    description: 'Create a draft: a private working copy of a branch to change with the file tools (read, write, edit, ls, glob, grep, stat, mkdir, rm, mv) '
      + 'and exec, then publish with apply_draft or drop with discard_draft. Nothing shows on the branch until apply_draft. Copy-on-write: instant whatever the size of the repository. '
      + 'Returns the draft\'s id (pass it as draft to the other tools), its branch and its base (the commit it starts from). '
      + 'An idle draft is discarded after ttl_seconds (default one day); every change pushes that back. '
      + 'Errors: NOT_FOUND (no such repository or revision), FORBIDDEN (the token may not write the repository), BAD_REQUEST (an argument out of range).',
    input: z.strictObject({
      repo: repoArg,
      from: z.string().min(1).max(1024).optional().describe("The branch, tag or commit id to start from (default: the repository's default branch)."),
      branch: z.string().min(1).max(255).optional()
        .describe('The branch apply_draft will commit onto (default: from, when it is a branch). Give it when from is a tag or a commit.'),
      label: z.string().max(200).optional().describe('A note for people and list_drafts: what the draft is for.'),
      ttl_seconds: z.int().min(60).max(30 * 24 * 3600).optional().describe('Idle seconds before the draft is discarded, 60 to 2592000 (default 86400, one day).'),
    }),
    idempotent: false,
  }, async ({ repo, ...request }) => {
    const draft = await drafts(repo).create(request);
    return textResult(`${draftLine(draft)}\nPass draft '${draft.id}' to the file tools; apply_draft publishes it.`, draft);
  });

  defineTool('list_drafts', {
    title: 'List drafts',
    description: 'List the repository\'s drafts (open and applied), by id: one a line with state, branch, head commit, paths changed since the last checkpoint, label. '
      + 'At most limit (1 to 200, default 50) per call; when there are more, the answer ends with a cursor to pass back. Errors: NOT_FOUND (no such repository).',
    input: z.strictObject({
      repo: repoArg,
      limit: z.int().min(1).max(200).optional().describe('Drafts per page, 1 to 200 (default 50).'),
      cursor: z.string().max(200).optional().describe('The cursor the previous page ended with, for the next page.'),
    }),
    readOnly: true,
  }, async ({ repo, ...query }) => {
    const page = await drafts(repo).list(query);
    const lines = page.drafts.length === 0 ? ['(no drafts)'] : page.drafts.map(draftLine);
    if (page.next_cursor !== null) lines.push(`(more: call list_drafts with cursor '${page.next_cursor}')`);
    return textResult(lines.join('\n'), page);
  });

  defineTool('checkpoint', {
    title: 'Checkpoint a draft',
    description: 'Save the draft\'s files as a revision: a commit on refs/drafts/<id> (fetchable with git) that reset_draft can return to. The branch is not touched. '
      + 'Returns the revision\'s sha; when nothing changed since the last revision no commit is made (created: false) and that revision is returned. '
      + 'Errors: NOT_FOUND (no such draft), DRAFT_CLOSED (already applied), REPO_TOO_LARGE / OBJECT_TOO_LARGE (over the server\'s limits).',
    input: z.strictObject({
      repo: repoArg,
      draft: draftArg,
      message: message.optional().describe('The revision\'s commit message (default "Checkpoint").'),
      author: author.optional(),
    }),
  }, async ({ repo, draft, ...request }) => {
    const done = await drafts(repo).checkpoint(draft, request);
    const text = done.created
      ? `checkpoint ${done.revision.sha} on ${done.draft.ref}: ${firstLine(done.revision.message)}`
      : `nothing changed since revision ${done.revision.sha}: no new checkpoint`;
    return textResult(text, done);
  });

  defineTool('reset_draft', {
    title: 'Reset a draft to a revision',
    description: 'Move the draft onto one of its revisions, dropping every change made since its last checkpoint. '
      + 'to: a revision\'s sha as checkpoint returned it (or a unique prefix of 4 or more hex digits), or \'base\' for the commit the draft started from. '
      + 'Later revisions stay on refs/drafts/<id>, so you can reset forward to them again. Errors: NOT_FOUND (no such draft, or to is not one of its revisions), DRAFT_CLOSED.',
    input: z.strictObject({
      repo: repoArg,
      draft: draftArg,
      to: z.string().min(1).max(64).describe("The revision: a sha or unique prefix (4+ hex digits) from checkpoint, or 'base'."),
    }),
    destructive: true,
    idempotent: true,
  }, async ({ repo, draft, to }) => {
    const moved = await drafts(repo).reset(draft, to);
    return textResult(`draft ${moved.id} now at ${moved.head}`, moved);
  });

  defineTool('update_draft', {
    title: 'Merge the branch into a draft',
    description: 'Bring the draft up to date with its branch: the commits the branch gained since the draft was made are merged into the draft three ways, '
      + 'recorded as a revision (a merge commit on refs/drafts/<id>), so that the next apply_draft is a fast-forward. Conflicts do not stop it: '
      + 'a conflicting text file gets git-style conflict markers (<<<<<<< <branch>, =======, >>>>>>> draft <id>) around the two versions, any other conflicting path keeps the draft\'s version; '
      + 'conflicts lists them (path and kind). Resolve each with read and edit or write (leave no markers), then apply_draft. '
      + 'Does nothing (revision null) when the branch has not moved. Errors: NOT_FOUND, DRAFT_CLOSED, BAD_REQUEST (a draft made from a tag or commit needs branch).',
    input: z.strictObject({
      repo: repoArg,
      draft: draftArg,
      message: message.optional().describe('The merge revision\'s commit message (default "Update from <branch>").'),
      author: author.optional(),
      branch: z.string().min(1).max(255).optional().describe("The branch to merge in, instead of the draft's."),
    }),
  }, async ({ repo, draft, ...request }) => {
    const done = await drafts(repo).update(draft, request);
    if (done.revision === null) return textResult(`the branch has not moved since draft ${draft} was made (base ${done.draft.base}): nothing to merge`, done);
    const lines = [`merged ${done.draft.branch ?? 'the branch'} (${done.draft.base}) into draft ${draft}: revision ${done.revision.sha}`];
    if (done.conflicts.length === 0) lines.push('no conflicts: apply_draft will fast-forward');
    else {
      lines.push(`${done.conflicts.length} conflicting path${done.conflicts.length === 1 ? '' : 's'} to resolve before apply_draft:`);
      for (const c of done.conflicts) lines.push(`- ${c.path} (${c.kind})${c.kind === 'content' ? ': conflict markers in the file' : ': the draft\'s version kept'}`);
    }
    return textResult(lines.join('\n'), done);
  });

  defineTool('apply_draft', {
    title: 'Apply a draft onto its branch',
    description: 'Publish the draft: one commit holding the draft\'s files (checkpointed or not) on its branch; the draft is then closed (state applied; its revisions stay readable). '
      + "strategy 'merge' (default): if the branch moved since the draft was made, the draft's changes are merged three ways, line by line in text files; "
      + "'ff-only': refuse with REF_CONFLICT if the branch moved. When the branch and the draft changed the same lines, nothing is changed and the error is "
      + 'MERGE_CONFLICT, followed by each conflicting path (its kind: content, binary, mode, modify/delete, add/add, type, directory/file): then call update_draft, resolve, apply again. '
      + 'Returns the commit sha on the branch; created is false when the draft changed nothing, merged is true when it was merged into a moved branch. '
      + 'Errors: MERGE_CONFLICT, REF_CONFLICT, DRAFT_CLOSED (already applied), NOT_FOUND, BAD_REQUEST (a draft made from a tag or commit needs branch).',
    input: z.strictObject({
      repo: repoArg,
      draft: draftArg,
      message: message.optional().describe('The commit message on the branch (default "Apply draft <id>").'),
      strategy: z.enum(['merge', 'ff-only']).optional().describe("'merge' (default): merge into a branch that moved; 'ff-only': refuse if it moved."),
      author: author.optional(),
      branch: z.string().min(1).max(255).optional().describe("The branch to commit onto, instead of the draft's."),
    }),
    destructive: false,
  }, async ({ repo, draft, ...request }) => {
    try {
      const applied = await drafts(repo).apply(draft, request);
      const what = !applied.created ? `the draft changed nothing: ${applied.branch} stays at ${applied.sha}`
        : `${applied.branch} is now at ${applied.sha}${applied.merged ? ' (merged: the branch had moved)' : ''}`;
      return textResult(`applied draft ${draft}: ${what}`, applied);
    } catch (err) {
      if (isGroveApiError(err) && err.code === 'MERGE_CONFLICT') return errorResult(err, conflictAdvice(err.details, draft));
      throw err;
    }
  });

  defineTool('discard_draft', {
    title: 'Discard a draft',
    description: 'Drop the draft: its changes and its revisions (refs/drafts/<id>) are deleted; the branch is untouched. Cannot be undone. '
      + 'Errors: NOT_FOUND (no such draft).',
    input: z.strictObject({ repo: repoArg, draft: draftArg }),
    destructive: true,
  }, async ({ repo, draft }) => {
    await drafts(repo).discard(draft);
    return textResult(`discarded draft ${draft}`, { discarded: draft });
  });

  defineTool('exec', {
    title: 'Run a shell command in a draft',
    description: 'Run a bash script over the draft\'s files with just-bash, a bash interpreter written in TypeScript: pipes, redirections, variables, loops, '
      + 'and its own versions of the usual commands (ls, cat, head, tail, grep, rg, sed, awk, find, sort, uniq, wc, cut, tr, xargs, diff, jq, mkdir, rm, mv, cp, …). '
      + 'No network, no git, and no programs besides those commands. The working folder is cwd (default the draft\'s root); files the script writes, moves or removes land in the draft. '
      + 'Stops after timeout_ms (default 30000, at most 300000; timed_out is then true); stdout and stderr are capped (truncated is then true). '
      + 'Returns the exit code, stdout and stderr; a non-zero exit code is a normal answer, not an error. Errors: NOT_FOUND (no such draft), DRAFT_CLOSED.',
    input: z.strictObject({
      repo: repoArg,
      draft: draftArg,
      command: z.string().min(1).max(64 * 1024).describe("The bash script, e.g. \"grep -rn TODO src | wc -l\"."),
      cwd: z.string().max(4096).optional().describe("The working folder, relative to the draft's root (default the root)."),
      timeout_ms: z.int().min(1).max(300_000).optional().describe('Milliseconds before the script is stopped, 1 to 300000 (default 30000).'),
      env: z.record(z.string(), z.string()).optional().describe('Environment variables for the script.'),
    }),
    destructive: true,
  }, async ({ repo, draft, command, ...options }) => {
    const run = await drafts(repo).exec(draft, command, options);
    const parts = [`exit code ${run.exit_code}${run.timed_out ? ' (timed out)' : ''}${run.truncated ? ' (output truncated)' : ''}`];
    if (run.stdout !== '') parts.push(`stdout:\n${run.stdout.trimEnd()}`);
    if (run.stderr !== '') parts.push(`stderr:\n${run.stderr.trimEnd()}`);
    return textResult(parts.join('\n'), run);
  });
}

/** `d3f9… open on main at 1a2b3c4d5e6f, 2 paths changed, "label", expires …`. */
function draftLine(d: Draft): string {
  const where = d.branch === null ? 'no branch' : `on ${d.branch}`;
  const label = d.label === null || d.label === '' ? '' : ` "${d.label}"`;
  const state = d.state === 'applied' ? `applied as ${d.applied ?? '?'}` : `${d.changed_paths} path${d.changed_paths === 1 ? '' : 's'} changed, expires ${d.expires_at}`;
  return `draft ${d.id}${label}: ${d.state} ${where} at ${d.head} (base ${d.base}), ${state}`;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}
