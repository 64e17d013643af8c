/** The JSON shapes of the write routes (writeRoutes.ts): commit files, revert, restore, put one file. */
import { z } from '@hono/zod-openapi';
import { Commit } from './readSchemas.ts';

const Sha = z.string().regex(/^[0-9a-f]{40}$/).openapi({ description: 'a full commit id (40 lowercase hex digits)' });
const Branch = z.string().min(1).max(255).openapi({ description: 'a branch name (`main`) or `refs/heads/…`', example: 'main' });
const Revision = z.string().min(1).max(1024);
const Message = z.string().min(1).max(1024 * 1024);
/** Paths are checked by the service (details.path), so only a bound is set here. */
const Path = z.string().max(65536).openapi({ description: 'relative to the root, `/`-separated', example: 'src/index.ts' });
const Mode = z.enum(['100644', '100755', '120000']).openapi({ description: 'file, executable file, or symlink (the content is its target)' });

export const IdentInput = z
  .object({
    name: z.string().min(1).max(256),
    email: z.string().max(256),
    date: z.string().max(64).optional().openapi({ description: 'ISO 8601 with a zone (default now, +00:00)', example: '2005-04-07T15:13:13-07:00' }),
  })
  .strict()
  .openapi('IdentInput');

const PutChange = z
  .object({
    op: z.literal('put'),
    path: Path,
    content: z.string().optional().openapi({ description: 'the content as UTF-8 text' }),
    content_base64: z.string().optional().openapi({ description: 'the content as base64 (give content or content_base64)' }),
    mode: Mode.optional().openapi({ description: 'default: the mode of the file replaced, else 100644' }),
  })
  .strict();
const DeleteChange = z.object({ op: z.literal('delete'), path: Path.openapi({ description: 'a file, or a whole folder' }) }).strict();
const MoveChange = z.object({ op: z.literal('move'), from: Path, to: Path }).strict();
export const FileChangeInput = z.discriminatedUnion('op', [PutChange, DeleteChange, MoveChange]).openapi('FileChange');

const Shared = {
  expected_head: Sha.optional().openapi({ description: 'compare-and-swap: the commit the branch must be at (REF_CONFLICT otherwise); 40 zeros: the branch must not exist' }),
  author: IdentInput.optional().openapi({ description: 'default: the committer' }),
  committer: IdentInput.optional().openapi({ description: 'default: the server\'s identity (Grove <grove@localhost>), dated now' }),
};

export const CommitFilesBody = z
  .object({
    branch: Branch,
    message: Message,
    changes: z.array(FileChangeInput).max(10_000),
    start_from: Revision.optional().openapi({ description: 'create `branch` at this revision (it must not exist yet)' }),
    ...Shared,
  })
  .strict()
  .openapi('CommitFiles');

export const RevertBody = z
  .object({
    branch: Branch,
    commit: Revision.openapi({ description: 'the commit to revert (any revision)' }),
    mainline: z.number().int().min(1).max(64).optional().openapi({ description: 'for a merge commit: the parent (1-based) to go back to, as git revert -m' }),
    message: Message.optional().openapi({ description: 'default: Revert "<subject>"\\n\\nThis reverts commit <sha>.' }),
    ...Shared,
  })
  .strict()
  .openapi('Revert');

export const RestoreBody = z
  .object({
    branch: Branch,
    to: Revision.openapi({ description: 'the commit whose tree the branch gets back (any revision)' }),
    message: Message.optional().openapi({ description: 'default: Restore <first 7 hex digits of to>' }),
    ...Shared,
  })
  .strict()
  .openapi('Restore');

export const WrittenCommit = Commit.extend({ branch: z.string().openapi({ description: 'the branch moved onto the commit', example: 'main' }) }).openapi('WrittenCommit');

export const PutFileQuery = z
  .object({
    message: Message.max(65536).optional().openapi({ description: 'default: Update <path>' }),
    expected_head: Shared.expected_head,
    start_from: Revision.optional().openapi({ description: 'create the branch at this revision (it must not exist yet)' }),
    mode: Mode.optional().openapi({ description: 'default: the mode of the file replaced, else 100644' }),
    author_name: z.string().min(1).max(256).optional(),
    author_email: z.string().max(256).optional(),
    author_date: z.string().max(64).optional().openapi({ description: 'ISO 8601 with a zone (default now)' }),
  })
  .strict();
