/**
 * Content-addressed writes to a draft, for clients that keep files locally
 * and sync them (a mounted draft, `grove mount --draft`):
 *
 *   POST /drafts/{id}/blobs/missing   {shas}           200 {missing}: the blobs the server lacks
 *   PUT  /drafts/{id}/blobs/{sha}     (bytes)          201 uploaded (200 when the repository has it)
 *   POST /drafts/{id}/blobs           (frames)         200 {blobs}: many small blobs in one request
 *   POST /drafts/{id}/chunks/missing  {chunks, from}   200 {missing}: the chunks the server lacks
 *   POST /drafts/{id}/chunks          (frames)         200 {chunks}: chunks of large files
 *   POST /drafts/{id}/blobs/assemble  {blobs}          200 {blobs}: blobs joined from chunks
 *   POST /drafts/{id}/changes         {changes}        200 the changes applied in order
 *
 * A client hashes each changed file once, asks which blobs are missing,
 * uploads only those — small ones many to a request; a large file whose
 * earlier version the server holds as content-defined chunks (src/chunking),
 * of which it sends only those the server lacks, then joins — and sends the
 * new state of each path by blob id. A
 * change is a state (`put` this blob here, `rm` this path), so sending it
 * again is harmless: on an error (`details.index`) the changes before it
 * stay, and the client sends the rest again.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { FRAME_HEADER_BYTES } from '../../chunking/frames.ts';
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
/** Largest body of a batch upload (`POST …/blobs`, `…/chunks`). */
export const MAX_BATCH_BYTES = 64 * 1024 * 1024;

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
      const missing = await onDraft(ctx, c, 'write', true, (repo, id) => drafts.uploads.missingBlobs(repo, id, shas));
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
      const out = await onDraft(ctx, c, 'write', true, async (repo, id) => drafts.uploads.uploadBlob(repo, id, sha, await readAll(c.req.raw, maxBlobBytes)));
      return c.json(out, out.stored ? 201 : 200);
    },
  );

  const frames = { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } as const;
  const framesHelp = `The body is pieces one after the other, each behind its length as ${FRAME_HEADER_BYTES} bytes, big-endian (400 when it is not). At most ${MAX_BATCH_BYTES} bytes (413).`;
  const Uploaded = z.object({ sha: z.string(), size: z.number().int(), stored: z.boolean() });
  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/blobs', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Upload many blobs in one request (each named by hashing it)',
      description: `${framesHelp} Each piece is kept as a blob, collected an hour after upload if no change names it; the answer lists their ids in order. Each at most ${maxBlobBytes} bytes.`,
      request: { params: DraftParams, body: frames },
      responses: { 200: json(z.object({ blobs: z.array(Uploaded) }).openapi('UploadedBlobs'), 'the blobs, in the order sent'), ...errors(400, 404, 409, 413, 415) },
    }),
    async (c) => {
      const blobs = await onDraft(ctx, c, 'write', true, async (repo, id) => drafts.uploads.uploadBlobs(repo, id, await readAll(c.req.raw, MAX_BATCH_BYTES), maxBlobBytes));
      return c.json({ blobs }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/chunks/missing', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Which of these chunks (SHA-1 of their bytes) the server lacks',
      description: 'Chunks are cut as src/chunking/ContentChunker.ts cuts. `from` names blobs the server holds that the client\'s files were before: they are cut here first, so what a file shares with one does not travel.',
      request: {
        params: DraftParams,
        body: { required: true, content: { 'application/json': { schema: z.object({ chunks: z.array(Sha).max(MAX_CHANGES), from: z.array(Sha).max(64).optional() }).strict() } } },
      },
      responses: { 200: json(z.object({ missing: z.array(z.string()) }).openapi('MissingChunks'), 'the chunks to upload'), ...errors(...BODY_ERRORS, 404, 409) },
    }),
    async (c) => {
      const { chunks, from } = c.req.valid('json');
      const missing = await onDraft(ctx, c, 'write', true, (repo, id) => drafts.uploads.missingChunks(repo, id, chunks, from));
      return c.json({ missing }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/chunks', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Upload chunks of large files (each named by the SHA-1 of its bytes)',
      description: `${framesHelp} A chunk is kept an hour after it was last used.`,
      request: { params: DraftParams, body: frames },
      responses: { 200: json(z.object({ chunks: z.array(z.string()) }).openapi('UploadedChunks'), 'the chunk ids, in the order sent'), ...errors(400, 404, 409, 413, 415) },
    }),
    async (c) => {
      const chunks = await onDraft(ctx, c, 'write', true, async (repo, id) => drafts.uploads.uploadChunks(repo, id, await readAll(c.req.raw, MAX_BATCH_BYTES)));
      return c.json({ chunks }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/drafts/{id}/blobs/assemble', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Join uploaded chunks into blobs',
      description: 'Each blob\'s chunks, in order, must hash to its `sha` (400); a chunk the server does not hold answers 422 MISSING_OBJECT with `details.chunk` (upload it, then ask again).',
      request: {
        params: DraftParams,
        body: { required: true, content: { 'application/json': { schema: z.object({ blobs: z.array(z.object({ sha: Sha, chunks: z.array(Sha).max(MAX_CHANGES) }).strict()).max(1000) }).strict() } } },
      },
      responses: { 200: json(z.object({ blobs: z.array(Uploaded) }).openapi('AssembledBlobs'), 'the blobs, in the order asked'), ...errors(...BODY_ERRORS, 404, 409, 413, 422) },
    }),
    async (c) => {
      const { blobs } = c.req.valid('json');
      const out = await onDraft(ctx, c, 'write', true, (repo, id) => drafts.uploads.assemble(repo, id, blobs, maxBlobBytes));
      return c.json({ blobs: out }, 200);
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
