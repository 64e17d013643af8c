/**
 * Content-addressed writes to a draft, for clients that keep files locally
 * and sync them (a mounted draft, `grove mount --draft`):
 *
 *   POST /drafts/{id}/blobs/missing  {shas}     200 {missing}: the blobs the server lacks
 *   PUT  /drafts/{id}/blobs/{sha}    (bytes)    201 uploaded (200 when the repository has it)
 *   POST /drafts/{id}/changes        {changes}  200 the changes applied in order
 *
 * A client hashes each changed file once, asks which blobs are missing,
 * uploads only those, then sends the new state of each path by blob id. A
 * change is a state (`put` this blob here, `rm` this path), so sending it
 * again is harmless: on an error (`details.index`) the changes before it
 * stay, and the client sends the rest again.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { GroveError } from '../../errors.ts';
import { MODE_EXECUTABLE, MODE_FILE, MODE_SYMLINK } from '../../git/objects/tree.ts';
import type { FileEditor } from '../../services/drafts/files.ts';
import { toolWritePath } from '../../services/drafts/toolPath.ts';
import { apiApp, authenticated, BODY_ERRORS, errors, SECURITY, type ApiContext } from '../apiKit.ts';
import { readAll } from '../readAll.ts';
import { onDraft, scopedFiles } from './draftAccess.ts';
import { DraftParams } from './draftSchemas.ts';

const TAG = ['drafts'];
const MODES = { '100644': MODE_FILE, '100755': MODE_EXECUTABLE, '120000': MODE_SYMLINK } as const;
const Sha = z.string().regex(/^[0-9a-fA-F]{40}$/);
const Path = z.string().min(1).max(8192);
const Mode = z.enum(['100644', '100755', '120000']);

const Change = z.discriminatedUnion('op', [
  z.object({ op: z.literal('put'), path: Path, sha: Sha, mode: Mode.optional() }).strict(),
  z.object({ op: z.literal('rm'), path: Path, recursive: z.boolean().optional() }).strict(),
  z.object({ op: z.literal('mkdir'), path: Path }).strict(),
  z.object({ op: z.literal('mv'), from: Path, to: Path }).strict(),
]).openapi('DraftChange');

export const MAX_CHANGES = 10_000;

export function syncRoutes(ctx: ApiContext, limits: { maxFileBytes?: number; maxObjectBytes?: number } = {}): OpenAPIHono {
  const app = apiApp();
  const anyToken = authenticated(ctx, { admin: false });
  const { drafts } = ctx.services;
  const maxBlobBytes = Math.min(limits.maxFileBytes ?? 256 * 1024 * 1024, limits.maxObjectBytes ?? Number.POSITIVE_INFINITY);
  const json = <T>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/blobs/missing', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Which of these blobs the server lacks (to upload before naming them in changes)',
      request: { params: DraftParams, body: { required: true, content: { 'application/json': { schema: z.object({ shas: z.array(Sha).max(MAX_CHANGES) }).strict() } } } },
      responses: { 200: json(z.object({ missing: z.array(z.string()) }).openapi('MissingBlobs'), 'the blobs to upload'), ...errors(...BODY_ERRORS, 404) },
    }),
    async (c) => {
      const { shas } = c.req.valid('json');
      const missing = await onDraft(ctx, c, 'write', true, (repo, id) => drafts.missingBlobs(repo, id, shas));
      return c.json({ missing }, 200);
    },
  );

  const BlobParams = DraftParams.extend({ sha: Sha.openapi({ param: { name: 'sha', in: 'path' } }) });
  app.openapi(
    createRoute({
      method: 'put', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/blobs/{sha}', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Upload a blob by its id (the body is its bytes; checked against the id)',
      description: `Kept for the draft's changes to name; collected an hour after upload if none does. At most ${maxBlobBytes} bytes (413). 400 when the bytes hash to another id.`,
      request: { params: BlobParams, body: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } },
      responses: {
        201: json(z.object({ sha: z.string(), size: z.number().int(), stored: z.boolean() }).openapi('UploadedBlob'), 'kept'),
        200: json(z.object({ sha: z.string(), size: z.number().int(), stored: z.boolean() }), 'the repository has it already'),
        ...errors(404, 409, 413, 415),
      },
    }),
    async (c) => {
      const { sha } = c.req.valid('param');
      const out = await onDraft(ctx, c, 'write', true, async (repo, id) => drafts.uploadBlob(repo, id, sha, await readAll(c.req.raw, maxBlobBytes)));
      return c.json(out, out.stored ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/changes', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Apply changes to the draft\'s files by blob id, in order',
      description: '`put` names a blob the repository or an upload holds (422 MISSING_OBJECT otherwise: upload it). Each change is a state, so a batch can be sent again; '
        + 'on an error, `details.index` names the change that failed and those before it stay.',
      request: { params: DraftParams, body: { required: true, content: { 'application/json': { schema: z.object({ changes: z.array(Change).max(MAX_CHANGES) }).strict() } } } },
      responses: { 200: json(z.object({ applied: z.number().int() }).openapi('AppliedChanges'), 'every change applied'), ...errors(...BODY_ERRORS, 404, 409, 422) },
    }),
    async (c) => {
      const { changes } = c.req.valid('json');
      const applied = await onDraft(ctx, c, 'write', true, (repo, id, scope) =>
        drafts.edit(repo, id, async (files) => {
          const editor = scopedFiles(files, scope);
          for (const [index, change] of changes.entries()) {
            try {
              await applyChange(editor, change);
            } catch (err) {
              const e = err as GroveError;
              if (typeof e.code === 'string' && e.name === 'GroveError') throw new GroveError(e.code, `changes[${index}]: ${e.message}`, { ...e.details, index });
              throw err;
            }
          }
          return changes.length;
        }));
      return c.json({ applied }, 200);
    },
  );

  return app;
}

async function applyChange(files: FileEditor, change: z.infer<typeof Change>): Promise<void> {
  if (change.op === 'put') {
    await files.link(toolWritePath(change.path), change.sha.toLowerCase(), change.mode === undefined ? {} : { mode: MODES[change.mode] });
  } else if (change.op === 'rm') {
    const path = toolWritePath(change.path);
    if ((await files.stat(path)) !== null) await files.remove(path, { recursive: change.recursive === true });
  } else if (change.op === 'mkdir') {
    await files.mkdir(toolWritePath(change.path), { parents: true });
  } else {
    await files.move(toolWritePath(change.from, 'from'), toolWritePath(change.to, 'to'));
  }
}
