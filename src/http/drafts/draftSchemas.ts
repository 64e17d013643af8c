/** The JSON shapes of the draft routes (draftRoutes.ts). */
import { z } from '@hono/zod-openapi';
import { RepoParams } from '../schemas.ts';
import { IdentInput } from '../content/writeSchemas.ts';

const Sha = z.string().regex(/^[0-9a-f]{40}$/);
const Message = z.string().max(1024 * 1024);

export const DraftParams = RepoParams.extend({ id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'd3f9a1c2b4e5d6f70' }) });

export const Draft = z
  .object({
    id: z.string(),
    ref: z.string().openapi({ description: 'refs/drafts/<id>: the draft\'s revisions, fetchable with Git' }),
    branch: z.string().nullable().openapi({ description: 'the branch apply commits onto; null for a draft made from a commit or tag' }),
    base: Sha.openapi({ description: 'the commit the draft was made from: the merge base of an apply' }),
    head: Sha.openapi({ description: 'the revision the draft\'s changes sit on (the base, the last checkpoint, or a revision reset to)' }),
    revision: Sha.nullable().openapi({ description: 'the newest checkpoint (the tip of `ref`); null before the first' }),
    label: z.string().nullable(),
    state: z.enum(['open', 'applied']),
    applied: Sha.nullable().openapi({ description: 'the commit apply made on the branch' }),
    changed_paths: z.number().int().openapi({ description: 'paths changed since `head` (rows of the copy-on-write overlay)' }),
    created_at: z.string(),
    updated_at: z.string(),
    expires_at: z.string().openapi({ description: 'when the draft is discarded unless used again: each change pushes it back by its TTL' }),
    ttl_seconds: z.number().int(),
  })
  .openapi('Draft');

export const DraftList = z.object({ drafts: z.array(Draft), next_cursor: z.string().nullable() }).openapi('DraftList');

export const CreateDraft = z
  .object({
    from: z.string().min(1).max(1024).optional().openapi({ description: 'a revision: branch, tag or commit (default: the default branch)' }),
    branch: z.string().min(1).max(255).optional().openapi({ description: 'the branch apply commits onto (default: `from`, when it is a branch)' }),
    label: z.string().max(200).optional(),
    ttl_seconds: z.number().int().min(60).max(30 * 24 * 3600).optional().openapi({ description: 'idle time after which the draft is discarded (default one day)' }),
  })
  .strict();

export const DraftListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const Committing = {
  message: Message.optional(),
  author: IdentInput.optional().openapi({ description: 'default: the committer' }),
  committer: IdentInput.optional().openapi({ description: 'default: Grove <grove@localhost>, dated now' }),
};

export const CheckpointBody = z.object({ ...Committing }).strict();

export const Revision = z
  .object({
    sha: Sha,
    parent: Sha.nullable(),
    message: z.string(),
    created_at: z.string().openapi({ description: 'the commit\'s committer date' }),
    current: z.boolean().openapi({ description: 'the revision the draft sits on now' }),
  })
  .openapi('DraftRevision');

export const CheckpointResult = z
  .object({ revision: Revision, created: z.boolean().openapi({ description: 'false when the files equal the last revision: no commit was made' }), draft: Draft })
  .openapi('Checkpoint');

export const RevisionList = z.object({ revisions: z.array(Revision) }).openapi('DraftRevisionList');

export const ResetBody = z
  .object({ to: z.string().min(1).max(64).openapi({ description: 'one of the draft\'s revisions: a sha (or a unique prefix of 4+ hex digits), or `base`' }) })
  .strict();

export const DiffQuery = z.object({
  against: z.enum(['base', 'head', 'branch']).default('base').openapi({ description: 'base: since the draft was made; head: since its last revision; branch: against the branch as it is now' }),
  patch: z.enum(['true', 'false']).default('true'),
});

export const ApplyBody = z
  .object({
    ...Committing,
    strategy: z.enum(['ff-only', 'merge']).default('merge').openapi({ description: 'ff-only: refuse (409 REF_CONFLICT) when the branch moved since the draft\'s base; merge: merge three ways' }),
    branch: z.string().min(1).max(255).optional().openapi({ description: 'overrides the draft\'s branch' }),
  })
  .strict();

export const ApplyResult = z
  .object({
    sha: Sha.openapi({ description: 'the commit made on the branch (the branch head when the draft changed nothing)' }),
    branch: z.string(),
    created: z.boolean(),
    merged: z.boolean().openapi({ description: 'true when the branch had moved and the draft was merged into it' }),
    draft: Draft,
  })
  .openapi('ApplyResult');

export const DraftTokenBody = z
  .object({
    read: z.array(z.string().min(1).max(1024)).max(100).default(['**']).openapi({ description: 'globs of the paths the token may read (git wildmatch: `**` crosses folders)' }),
    write: z.array(z.string().min(1).max(1024)).max(100).default([]).openapi({ description: 'globs of the paths it may change' }),
    ttl_seconds: z.number().int().min(60).max(30 * 24 * 3600).default(3600),
    label: z.string().max(200).optional(),
  })
  .strict();

export const DraftToken = z
  .object({
    id: z.string(),
    token: z.string().openapi({ description: 'shown this once' }),
    draft: z.string(),
    read: z.array(z.string()),
    write: z.array(z.string()),
    created_at: z.string(),
    expires_at: z.string().nullable(),
  })
  .openapi('DraftToken');

export const FileInfoJson = z
  .object({
    path: z.string(),
    name: z.string(),
    kind: z.enum(['file', 'dir', 'symlink', 'submodule']),
    size: z.number().int(),
    mode: z.string().openapi({ description: 'octal: 100644, 100755, 120000, 40000, 160000' }),
    sha: z.string().nullable(),
  })
  .openapi('FileInfo');

export const PutDraftFileQuery = z.object({
  mode: z.enum(['100644', '100755', '120000']).optional().openapi({ description: 'default: the replaced file\'s mode, else 100644' }),
});

export const ExecBody = z
  .object({
    command: z.string().min(1).max(64 * 1024).openapi({ description: 'a bash script, run by just-bash over the draft\'s files (no network)' }),
    cwd: z.string().max(4096).optional().openapi({ description: 'working folder, relative to the draft\'s root (default the root)' }),
    timeout_ms: z.number().int().min(1).max(300_000).optional().openapi({ description: 'default 30 000' }),
    env: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export const ExecResult = z
  .object({
    stdout: z.string(),
    stderr: z.string(),
    exit_code: z.number().int(),
    timed_out: z.boolean(),
    truncated: z.boolean().openapi({ description: 'true when stdout or stderr was cut at its cap' }),
  })
  .openapi('ExecResult');

export const UpdateBody = z
  .object({
    message: z.string().max(1024 * 1024).optional(),
    author: IdentInput.optional(),
    committer: IdentInput.optional(),
    branch: z.string().min(1).max(255).optional().openapi({ description: 'overrides the draft\'s branch' }),
  })
  .strict();

const Conflict = z
  .object({
    path: z.string(),
    kind: z.enum(['content', 'binary', 'mode', 'modify/delete', 'add/add', 'type', 'directory/file']),
    base: z.string().nullable().openapi({ description: 'the blob at the path in the draft\'s base' }),
    ours: z.string().nullable().openapi({ description: 'the blob at the path on the branch' }),
    theirs: z.string().nullable().openapi({ description: 'the blob at the path in the draft' }),
  })
  .openapi('MergeConflict');

export const UpdateResult = z
  .object({
    draft: Draft,
    revision: Revision.nullable().openapi({ description: 'the merge revision; null when the branch had not moved' }),
    conflicts: z.array(Conflict).openapi({ description: 'paths left for the agent: text with conflict markers, others with the draft\'s version' }),
  })
  .openapi('DraftUpdate');
