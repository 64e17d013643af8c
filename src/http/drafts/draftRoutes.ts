/**
 * Drafts (docs/API.md "Drafts"), under /namespaces/{ns}/repos/{name}:
 *
 *   POST   /drafts                         201 a new draft of a branch (or any revision)
 *   GET    /drafts                         200 a page of drafts
 *   GET    /drafts/{id}                    200 the draft
 *   DELETE /drafts/{id}                    204 discarded: its changes and its revisions' ref
 *   POST   /drafts/{id}/tools/{tool}       200 a file tool's result (read, write, edit, ls, glob, grep, stat, mkdir, rm, mv)
 *   GET    /drafts/{id}/files/{path…}      200 a file's bytes
 *   PUT    /drafts/{id}/files/{path…}      200 a file written from the request body (big files)
 *   POST   /drafts/{id}/checkpoint         201 a revision on refs/drafts/{id} (200: nothing new)
 *   GET    /drafts/{id}/revisions          200 the draft's revisions, newest first
 *   POST   /drafts/{id}/reset              200 the draft moved onto one of its revisions
 *   GET    /drafts/{id}/diff               200 what the draft changes
 *   POST   /drafts/{id}/update             200 the branch's new commits merged into the draft (conflict markers left)
 *   POST   /drafts/{id}/apply              200 the draft committed onto its branch
 *   POST   /drafts/{id}/exec               200 a shell command's output (execRoute.ts)
 *   POST   /drafts/{id}/tokens             201 a token scoped to the draft and to path globs
 *   POST   /tools/{tool}?ref=              200 a read-only tool over any revision
 *
 * Reading needs a read token of the repository (or admin); changing, a
 * write token. A draft token opens only its draft's file tools, files, exec
 * and GET, limited to its globs (ScopedFiles.ts); everything else is 403.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { GroveError } from '../../errors.ts';
import { MODE_EXECUTABLE, MODE_FILE, MODE_SYMLINK } from '../../git/objects/tree.ts';
import type { OpenRepository } from '../../services/RepoService.ts';
import type { DraftRecord } from '../../store/SqlDraftStore.ts';
import { draftRef, type Revision as RevisionValue } from '../../services/drafts/DraftService.ts';
import { DraftFiles } from '../../services/drafts/DraftFiles.ts';
import type { FileInfo } from '../../services/drafts/files.ts';
import { toolPath, toolWritePath } from '../../services/drafts/toolPath.ts';
import { compileGlob } from '../../services/drafts/tools/compileGlob.ts';
import { isReadOnlyTool, READ_ONLY_TOOLS, runTool, TOOL_NAMES, type ToolName } from '../../services/drafts/tools/runTool.ts';
import { resolveRevision } from '../../services/content/resolveRevision.ts';
import type { WriteLimits } from '../../services/content/writeObjects.ts';
import { TOOL_SCHEMAS } from '../../tools/toolSchemas.ts';
import { apiApp, authenticated, BODY_ERRORS, errors, iso, SECURITY, withRepo, type ApiContext } from '../apiKit.ts';
import { onDraft, scopedFiles } from './draftAccess.ts';
import { readAll } from '../readAll.ts';
import { RepoParams } from '../schemas.ts';
import {
  ApplyBody, ApplyResult, CheckpointBody, CheckpointResult, CreateDraft, DiffQuery, Draft, DraftList, DraftListQuery, DraftParams, DraftToken,
  DraftTokenBody, FileInfoJson, PutDraftFileQuery, ResetBody, Revision, RevisionList, UpdateBody, UpdateResult,
} from './draftSchemas.ts';

const TAG = ['drafts'];
const MODES = { '100644': MODE_FILE, '100755': MODE_EXECUTABLE, '120000': MODE_SYMLINK } as const;
const DRAFT_FILE = /^\/v1\/namespaces\/[^/]+\/repos\/[^/]+\/drafts\/[^/]+\/(files\/.|blobs\/[0-9a-fA-F]{40}$)/;

const DRAFT_BATCH = /^\/v1\/namespaces\/[^/]+\/repos\/[^/]+\/drafts\/[^/]+\/(blobs|chunks)$/;

/** True for a draft file, blob or batch upload: its body is content, under a limit of its own, not the JSON limit. */
export function isDraftFileUpload(method: string, path: string): boolean {
  return (method === 'PUT' && DRAFT_FILE.test(path)) || (method === 'POST' && DRAFT_BATCH.test(path));
}

export interface DraftRouteLimits extends WriteLimits {
  /** Largest body of `PUT …/drafts/{id}/files/{path}` (default 256 MiB). */
  maxFileBytes?: number;
}

export function draftRoutes(ctx: ApiContext, limits: DraftRouteLimits = {}): OpenAPIHono {
  const app = apiApp();
  const anyToken = authenticated(ctx, { admin: false });
  const { drafts, codec } = ctx.services;
  const writeLimits: WriteLimits = {
    ...(limits.maxObjectBytes === undefined ? {} : { maxObjectBytes: limits.maxObjectBytes }),
    ...(limits.maxRepoBytes === undefined ? {} : { maxRepoBytes: limits.maxRepoBytes }),
  };
  const maxFileBytes = Math.min(limits.maxFileBytes ?? 256 * 1024 * 1024, limits.maxObjectBytes ?? Number.POSITIVE_INFINITY);
  const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

  const draftJson = (repo: OpenRepository, d: DraftRecord): z.infer<typeof Draft> => ({
    id: d.id,
    ref: draftRef(d.id),
    branch: d.branch === null ? null : d.branch.slice('refs/heads/'.length),
    base: d.base,
    head: d.head,
    revision: repo.repo.listRefsSync().find((r) => r.name === draftRef(d.id))?.oid ?? null,
    label: d.label,
    state: d.state,
    applied: d.applied,
    changed_paths: repo.repo.drafts.countEntries(d.id),
    created_at: iso(d.createdAt)!,
    updated_at: iso(d.updatedAt)!,
    expires_at: iso(d.expiresAt)!,
    ttl_seconds: Math.round(d.ttlMs / 1000),
  });
  const revisionJson = (r: RevisionValue, head: string): z.infer<typeof Revision> => ({
    sha: r.sha, parent: r.parent, message: r.message, created_at: iso(r.time)!, current: r.sha === head,
  });

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/drafts', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Create a draft: a copy-on-write working copy of a branch',
      description: 'Costs one row whatever the size of the tree. Nothing is published until apply.',
      request: { params: RepoParams, body: { required: false, content: { 'application/json': { schema: CreateDraft } } } },
      responses: { 201: json(Draft, 'the draft'), ...errors(...BODY_ERRORS, 404, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json') ?? {};
      const draft = await withRepo(ctx, c, 'write', async (repo) => draftJson(repo, await drafts.create(repo, {
        from: body.from, branch: body.branch, label: body.label, ttlMs: body.ttl_seconds === undefined ? undefined : body.ttl_seconds * 1000,
      })));
      return c.json(draft, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}/drafts', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'List the repository\'s drafts',
      request: { params: RepoParams, query: DraftListQuery },
      responses: { 200: json(DraftList, 'a page of drafts, by id'), ...errors(404) },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const page = await withRepo(ctx, c, 'read', (repo) => {
        const rows = drafts.list(repo, { limit: limit + 1, ...(cursor === undefined ? {} : { after: cursor }) });
        return { drafts: rows.slice(0, limit).map((d) => draftJson(repo, d)), next_cursor: rows.length > limit ? rows[limit - 1]!.id : null };
      });
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}/drafts/{id}', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Get a draft',
      request: { params: DraftParams },
      responses: { 200: json(Draft, 'the draft'), ...errors(404) },
    }),
    async (c) => c.json(await onDraft(ctx, c, 'read', true, async (repo, id) => draftJson(repo, drafts.get(repo, id))), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/namespaces/{ns}/repos/{name}/drafts/{id}', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Discard a draft: its changes and its revisions\' ref go',
      request: { params: DraftParams },
      responses: { 204: { description: 'discarded' }, ...errors(404) },
    }),
    async (c) => {
      await onDraft(ctx, c, 'write', false, (repo, id) => drafts.discard(repo, id));
      return c.body(null, 204);
    },
  );

  for (const tool of TOOL_NAMES) {
    const schema = TOOL_SCHEMAS[tool];
    app.openapi(
      createRoute({
        method: 'post', path: `/namespaces/{ns}/repos/{name}/drafts/{id}/tools/${tool}`, tags: ['tools'], security: SECURITY, middleware: [anyToken] as const,
        summary: `File tool '${tool}' on a draft`,
        description: schema.description,
        request: { params: DraftParams, body: { required: true, content: { 'application/json': { schema: schema.input } } } },
        responses: { 200: json(z.record(z.string(), z.unknown()), `the result of '${tool}'`), ...errors(...BODY_ERRORS, 404, 409) },
      }),
      async (c) => {
        const args: unknown = c.req.valid('json');
        const readOnly = isReadOnlyTool(tool);
        const result = await onDraft(ctx, c, readOnly ? 'read' : 'write', true, async (repo, id, scope) => {
          if (readOnly) return runTool(scopedFiles(await drafts.reader(repo, id), scope), tool, args);
          return drafts.edit(repo, id, (files) => runTool(scopedFiles(files, scope), tool, args));
        });
        return c.json(result as unknown as Record<string, unknown>, 200);
      },
    );
  }

  for (const tool of READ_ONLY_TOOLS) {
    const schema = TOOL_SCHEMAS[tool as ToolName];
    app.openapi(
      createRoute({
        method: 'post', path: `/namespaces/{ns}/repos/{name}/tools/${tool}`, tags: ['tools'], security: SECURITY, middleware: [anyToken] as const,
        summary: `File tool '${tool}' on any revision (read-only)`,
        description: schema.description,
        request: {
          params: RepoParams,
          query: z.object({ ref: z.string().min(1).max(1024).optional().openapi({ description: 'a branch, tag or commit (default: the default branch)' }) }),
          body: { required: true, content: { 'application/json': { schema: schema.input } } },
        },
        responses: { 200: json(z.record(z.string(), z.unknown()), `the result of '${tool}'`), ...errors(...BODY_ERRORS, 404) },
      }),
      async (c) => {
        const args: unknown = c.req.valid('json');
        const { ref } = c.req.valid('query');
        const result = await withRepo(ctx, c, 'read', async (repo) => {
          const { sha } = await resolveRevision(repo, ref ?? repo.record.defaultBranch);
          const tree = (await repo.objects.readCommits([sha])).get(sha)?.tree;
          if (tree === undefined) throw new GroveError('MISSING_OBJECT', `commit ${sha} is missing`, { sha });
          return runTool(new DraftFiles({ objects: repo.objects, codec, tree }), tool, args);
        });
        return c.json(result as unknown as Record<string, unknown>, 200);
      },
    );
  }

  const FileParams = DraftParams.extend({ path: DraftParams.shape.id.openapi({ param: { name: 'path', in: 'path' }, description: 'the file\'s path (the rest of the URL)', example: 'src/index.ts' }) });
  app.openAPIRegistry.registerPath({
    method: 'get', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/files/{path}', tags: TAG, security: SECURITY,
    summary: 'A draft\'s file, as raw bytes',
    request: { params: FileParams },
    responses: { 200: { description: 'the bytes', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, ...errors(404) },
  });
  app.get('/namespaces/:ns/repos/:name/drafts/:id/files/*', anyToken, async (c) => {
    const path = toolPath(filePathOf(c));
    const bytes = await onDraft(ctx, c, 'read', true, async (repo, id, scope) => scopedFiles(await drafts.reader(repo, id), scope).read(path));
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
  });

  app.openAPIRegistry.registerPath({
    method: 'put', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/files/{path}', tags: TAG, security: SECURITY,
    summary: 'Write a draft\'s file from the request body (for big or binary files)',
    description: `Makes the folders above it. The body may be gzip-encoded; at most ${maxFileBytes} bytes (413 PAYLOAD_TOO_LARGE).`,
    request: { params: FileParams, query: PutDraftFileQuery, body: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } },
    responses: { 200: json(FileInfoJson, 'the file written'), ...errors(404, 409, 413, 415) },
  });
  app.put('/namespaces/:ns/repos/:name/drafts/:id/files/*', anyToken, async (c) => {
    const path = toolWritePath(filePathOf(c));
    const mode = PutDraftFileQuery.safeParse({ mode: c.req.query('mode') });
    if (!mode.success) throw new GroveError('BAD_REQUEST', 'mode must be 100644, 100755 or 120000', { field: 'mode' });
    const info = await onDraft(ctx, c, 'write', true, async (repo, id, scope) => {
      const body = await readAll(c.req.raw, maxFileBytes);
      return drafts.edit(repo, id, (files) => scopedFiles(files, scope).write(path, body, mode.data.mode === undefined ? {} : { mode: MODES[mode.data.mode] }));
    });
    return c.json(fileInfoJson(info), 200);
  });

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/checkpoint', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Commit the draft\'s files as a revision on refs/drafts/{id}',
      description: 'Revisions are immutable and stay readable (and fetchable with Git) for the draft\'s life. 200 with created false when the files equal the last revision.',
      request: { params: DraftParams, body: { required: false, content: { 'application/json': { schema: CheckpointBody } } } },
      responses: { 201: json(CheckpointResult, 'the new revision'), 200: json(CheckpointResult, 'nothing new: the last revision'), ...errors(...BODY_ERRORS, 404, 409, 413) },
    }),
    async (c) => {
      const body = c.req.valid('json') ?? {};
      const out = await onDraft(ctx, c, 'write', false, async (repo, id) => {
        const done = await drafts.checkpoint(repo, id, { message: body.message, author: body.author, committer: body.committer, limits: writeLimits });
        return { revision: revisionJson(done.revision, done.draft.head), created: done.created, draft: draftJson(repo, done.draft) };
      });
      return c.json(out, out.created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/revisions', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'List the draft\'s revisions, newest first (the last is the commit it was made from)',
      request: { params: DraftParams },
      responses: { 200: json(RevisionList, 'the revisions'), ...errors(404) },
    }),
    async (c) => {
      const out = await onDraft(ctx, c, 'read', false, async (repo, id) => {
        const draft = drafts.get(repo, id);
        return { revisions: (await drafts.revisions(repo, id)).map((r) => revisionJson(r, draft.head)) };
      });
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/reset', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Move the draft onto one of its revisions, dropping changes not checkpointed',
      description: 'The revisions after it stay on refs/drafts/{id}: the next checkpoint follows them.',
      request: { params: DraftParams, body: { required: true, content: { 'application/json': { schema: ResetBody } } } },
      responses: { 200: json(Draft, 'the draft'), ...errors(...BODY_ERRORS, 404, 409) },
    }),
    async (c) => {
      const { to } = c.req.valid('json');
      return c.json(await onDraft(ctx, c, 'write', false, async (repo, id) => draftJson(repo, await drafts.reset(repo, id, to))), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/diff', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'What the draft changes, as git diff -M would show it',
      request: { params: DraftParams, query: DiffQuery },
      responses: { 200: json(z.object({ from: z.string(), files: z.array(z.record(z.string(), z.unknown())), truncated: z.boolean() }).openapi('DraftDiff'), 'the changed files'), ...errors(404) },
    }),
    async (c) => {
      const { against, patch } = c.req.valid('query');
      const out = await onDraft(ctx, c, 'read', false, async (repo, id) => {
        const diff = await drafts.diff(repo, id, against, { patch: patch === 'true' });
        return { from: diff.from, files: diff.files as unknown as Record<string, unknown>[], truncated: diff.truncated };
      });
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/update', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Merge the branch\'s new commits into the draft, so that the next apply is a fast-forward',
      description: 'A three-way merge recorded as a revision (parents: the draft\'s last revision and the branch head, which becomes the draft\'s base). '
        + 'Conflicts do not stop it: text files get git-style conflict markers, other paths keep the draft\'s version; each is listed in `conflicts` to resolve before applying.',
      request: { params: DraftParams, body: { required: false, content: { 'application/json': { schema: UpdateBody } } } },
      responses: { 200: json(UpdateResult, 'the draft, updated'), ...errors(...BODY_ERRORS, 404, 409, 413) },
    }),
    async (c) => {
      const body = c.req.valid('json') ?? {};
      const out = await onDraft(ctx, c, 'write', false, async (repo, id) => {
        const done = await drafts.update(repo, id, { message: body.message, author: body.author, committer: body.committer, branch: body.branch, limits: writeLimits });
        return { draft: draftJson(repo, done.draft), revision: done.revision === null ? null : revisionJson(done.revision, done.draft.head), conflicts: done.conflicts };
      });
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/apply', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Commit the draft onto its branch (fast-forward or three-way merge) and close it',
      description: 'One commit on the branch. If the branch moved since the draft\'s base: merge (default) merges per path, line by line for text; ff-only answers 409 REF_CONFLICT. '
        + 'A conflict answers 409 MERGE_CONFLICT with details.conflicts [{path, kind, base, ours, theirs}] (blob ids: base = the draft\'s base, ours = the branch, theirs = the draft) and changes nothing: change the draft and apply again.',
      request: { params: DraftParams, body: { required: false, content: { 'application/json': { schema: ApplyBody } } } },
      responses: { 200: json(ApplyResult, 'applied'), ...errors(...BODY_ERRORS, 404, 409, 413, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json') ?? { strategy: 'merge' as const };
      const out = await onDraft(ctx, c, 'write', false, async (repo, id) => {
        const applied = await drafts.apply(repo, id, {
          message: body.message, author: body.author, committer: body.committer, strategy: body.strategy, branch: body.branch, limits: writeLimits,
        });
        if (applied.created) ctx.services.repos.recordPush(repo.record);
        return { sha: applied.sha, branch: applied.branch, created: applied.created, merged: applied.merged, draft: draftJson(repo, applied.draft) };
      });
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/tokens', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Mint a token limited to this draft and to path globs (for untrusted agent code)',
      description: 'The token opens only this draft\'s file tools, files, shell and GET; reads need a `read` glob to match, changes a `write` glob. Anything else is 403.',
      request: { params: DraftParams, body: { required: false, content: { 'application/json': { schema: DraftTokenBody } } } },
      responses: { 201: json(DraftToken, 'the token; its secret is shown this once'), ...errors(...BODY_ERRORS, 404) },
    }),
    async (c) => {
      const body = c.req.valid('json') ?? { read: ['**'], write: [], ttl_seconds: 3600 };
      body.read.forEach((glob, i) => compileGlob(glob, `read[${i}]`)); // EINVAL now, not at each use
      body.write.forEach((glob, i) => compileGlob(glob, `write[${i}]`));
      const out = await onDraft(ctx, c, 'write', false, async (repo, id) => {
        drafts.get(repo, id);
        const minted = await ctx.services.tokens.mint({
          repoId: repo.record.id, scope: body.write.length > 0 ? 'write' : 'read', ttlSeconds: body.ttl_seconds, label: body.label ?? `draft ${id}`,
          draft: { id, read: body.read, write: body.write },
        });
        return { id: minted.id, token: minted.token, draft: id, read: body.read, write: body.write, created_at: minted.created_at, expires_at: minted.expires_at };
      });
      return c.json(out, 201);
    },
  );

  return app;
}

/** The file path of a `…/files/{path…}` URL, decoded. */
function filePathOf(c: Context): string {
  const marker = '/files/';
  const raw = c.req.path.slice(c.req.path.indexOf(marker, c.req.path.indexOf('/drafts/')) + marker.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new GroveError('EINVAL', 'the path is not valid percent-encoding', { field: 'path' });
  }
}

function fileInfoJson(info: FileInfo): z.infer<typeof FileInfoJson> {
  return { ...info, mode: info.mode.toString(8) };
}
