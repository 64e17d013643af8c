/** The JSON shapes of the compare route (compareRoutes.ts). */
import { z } from '@hono/zod-openapi';
import { RepoParams } from '../schemas.ts';
import { Commit } from './readSchemas.ts';

export const CompareParams = RepoParams.extend({
  basehead: z.string().min(5).max(2100).openapi({
    param: { name: 'basehead', in: 'path' },
    description: '<base>...<head>: each a branch, tag, full ref or commit id (URL-encoded)',
    example: 'main...feature%2Flogin',
  }),
});

export const CompareQuery = z.object({
  patch: z.enum(['true', 'false', '1', '0']).optional().openapi({ description: 'include each file\'s patch (default true)' }),
});

export const ComparedFile = z
  .object({
    path: z.string(),
    old_path: z.string().nullable().openapi({ description: 'the path in the merge base: a rename\'s source, the same path when modified or deleted, null when added' }),
    status: z.enum(['added', 'deleted', 'modified', 'renamed', 'type_changed']),
    additions: z.number().int().openapi({ description: 'lines added, as git diff --numstat (0 for a binary file)' }),
    deletions: z.number().int(),
    binary: z.boolean(),
    patch: z.string().nullable().optional().openapi({ description: 'the file\'s part of git diff -M; null once the patches reached 1 MiB in all; absent with patch=false' }),
  })
  .openapi('ComparedFile');

export const Comparison = z
  .object({
    base_sha: z.string(),
    head_sha: z.string(),
    merge_base_sha: z.string().nullable().openapi({ description: 'git merge-base base head; null when they share no history' }),
    ahead_by: z.number().int().openapi({ description: 'commits in head not in base (git rev-list --count base..head)' }),
    behind_by: z.number().int().openapi({ description: 'commits in base not in head' }),
    total_commits: z.number().int(),
    commits: z.array(Commit).openapi({ description: 'the commits in head not in base, oldest first (git log --reverse base..head), at most 250' }),
    files: z.array(ComparedFile).openapi({ description: 'git diff -M base...head: from the merge base to head, renames detected' }),
    truncated: z.boolean().openapi({ description: 'true when some patches were left out (null) to stay under 1 MiB' }),
  })
  .openapi('Comparison');
