/** The JSON shapes of the read routes (readRoutes.ts): log, commit, tree, blob, file, archive. */
import { z } from '@hono/zod-openapi';
import { RepoParams } from '../schemas.ts';

const Bool = z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === undefined ? undefined : v === 'true' || v === '1');

export const Ident = z
  .object({
    name: z.string(),
    email: z.string(),
    date: z.string().openapi({ description: 'ISO 8601 with the offset git recorded', example: '2005-04-07T15:13:13-07:00' }),
  })
  .openapi('Ident');

export const Commit = z
  .object({
    sha: z.string(),
    tree: z.string(),
    parents: z.array(z.string()),
    author: Ident,
    committer: Ident,
    message: z.string(),
  })
  .openapi('Commit');

export const CommitFileStat = z
  .object({
    path: z.string(),
    old_path: z.string().nullable().openapi({ description: 'the path before: a rename\'s source, null for an added file' }),
    status: z.enum(['added', 'deleted', 'modified', 'renamed', 'type_changed']),
    additions: z.number().int(),
    deletions: z.number().int(),
    binary: z.boolean(),
  })
  .openapi('CommitFileStat');

export const CommitDetail = Commit.extend({
  files: z.array(CommitFileStat).optional().openapi({ description: 'with stat: the files changed since the first parent (git show --numstat)' }),
  stats: z.object({ files: z.number().int(), additions: z.number().int(), deletions: z.number().int() }).optional(),
  patch: z.string().optional().openapi({ description: 'with patch: the unified diff from the first parent (git show -p; for a merge, not the combined diff)' }),
  patch_truncated: z.boolean().optional().openapi({ description: 'with patch: true when the patch stopped at 8 MiB' }),
}).openapi('CommitDetail');

export const LogQuery = z.object({
  ref: z.string().max(1024).optional().openapi({ description: 'branch, tag, full ref or commit id (default HEAD)' }),
  path: z.string().max(4096).optional().openapi({ description: 'only commits that change this file or folder (as git log -- <path>)' }),
  limit: z.coerce.number().int().min(1).max(1000).default(50).openapi({ description: 'page size, 1-1000' }),
  cursor: z.string().max(1024).optional().openapi({ description: 'next_cursor of the previous page' }),
  first_parent: Bool.openapi({ description: 'follow only the first parent of merges' }),
  since: z.string().max(64).optional().openapi({ description: 'ISO 8601 date or seconds since the epoch: no older commits (git log --since)' }),
  until: z.string().max(64).optional().openapi({ description: 'ISO 8601 date or seconds since the epoch: no newer commits (git log --until)' }),
});

export const LogPage = z.object({ commits: z.array(Commit), next_cursor: z.string().nullable() }).openapi('LogPage');

export const CommitParams = RepoParams.extend({
  sha: z.string().min(1).max(1024).openapi({ param: { name: 'sha', in: 'path' }, description: 'a commit id (or any revision, URL-encoded)' }),
});

export const CommitQuery = z.object({
  stat: Bool.openapi({ description: 'add files: [{path, additions, deletions}] and totals (git show --numstat)' }),
  patch: Bool.openapi({ description: 'add the unified patch (git show -p)' }),
});

export const RevParams = RepoParams.extend({
  ref: z.string().min(1).max(1024).openapi({ param: { name: 'ref', in: 'path' }, description: 'branch, tag, full ref (URL-encoded) or commit id' }),
});

export const TreeQuery = z.object({
  path: z.string().max(4096).optional().openapi({ description: 'the folder to list (default: the root)' }),
  recursive: Bool.openapi({ description: 'list every file below, as git ls-tree -r' }),
});

export const TreeEntry = z
  .object({
    name: z.string(),
    path: z.string().openapi({ description: 'from the root of the repository' }),
    type: z.enum(['blob', 'tree', 'commit']),
    mode: z.string().openapi({ example: '100644' }),
    sha: z.string(),
    size: z.number().int().optional().openapi({ description: 'blobs only' }),
  })
  .openapi('TreeEntry');

export const Tree = z
  .object({
    sha: z.string().openapi({ description: 'the listed tree' }),
    path: z.string(),
    entries: z.array(TreeEntry),
    truncated: z.boolean().openapi({ description: 'true when the listing stopped at 100000 entries' }),
  })
  .openapi('Tree');

export const BlobParams = RepoParams.extend({
  sha: z.string().min(1).max(64).openapi({ param: { name: 'sha', in: 'path' }, description: 'the blob id' }),
});

export const Bytes = z.string().openapi({ format: 'binary' });
