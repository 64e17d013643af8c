/**
 * Reading a repository without a Git client (services/content/):
 *
 *   GET /namespaces/{ns}/repos/{name}/log?ref=&path=&limit=&cursor=&first_parent=&since=&until=
 *   GET /namespaces/{ns}/repos/{name}/commits/{sha}?stat=&patch=
 *   GET /namespaces/{ns}/repos/{name}/tree/{ref}?path=&recursive=
 *   GET /namespaces/{ns}/repos/{name}/blobs/{sha}                   raw bytes
 *   GET /namespaces/{ns}/repos/{name}/files/{ref}/{path…}           raw bytes, sniffed Content-Type
 *   GET /namespaces/{ns}/repos/{name}/archive/{ref}.tar.gz | .zip   streamed
 *
 * A ref containing '/' is URL-encoded (refs%2Fheads%2Fmain); in /files the
 * rest of the URL after the ref is the path. Any token that opens the
 * repository for reading may use them.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { GroveError } from '../../errors.ts';
import { openArchive, type Archive, type ArchiveFormat } from '../../services/content/archive.ts';
import { contentTypeOf, TEXT_PLAIN } from '../../services/content/contentType.ts';
import { readLog } from '../../services/content/log.ts';
import { readCommit } from '../../services/content/readCommit.ts';
import { findBlob, findFile, readBlob } from '../../services/content/readFile.ts';
import { readTreeAt } from '../../services/content/readTree.ts';
import { apiApp, authenticated, errors, openRepoFor, SECURITY, withRepo, type ApiContext } from '../apiKit.ts';
import { ErrorBody, RepoParams } from '../schemas.ts';
import { blobResponse } from './blobResponse.ts';
import { BlobParams, Bytes, CommitDetail, CommitParams, CommitQuery, LogPage, LogQuery, RevParams, Tree, TreeQuery } from './readSchemas.ts';

const TAG = ['content'];
const IMMUTABLE = 'private, max-age=31536000, immutable';

export function readRoutes(ctx: ApiContext): OpenAPIHono {
  const app = apiApp();
  const anyToken = authenticated(ctx, { admin: false });

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}/log', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'History: the commits git log lists, newest first, a page at a time',
      request: { params: RepoParams, query: LogQuery },
      responses: { 200: { description: 'a page of commits', content: { 'application/json': { schema: LogPage } } }, ...errors(404, 409) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const since = q.since === undefined ? undefined : parseDate(q.since, 'since');
      const until = q.until === undefined ? undefined : parseDate(q.until, 'until');
      const page = await withRepo(ctx, c, 'read', (repo) => readLog(repo, {
        limit: q.limit,
        ...(q.ref === undefined ? {} : { ref: q.ref }),
        ...(q.path === undefined ? {} : { path: q.path }),
        ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
        ...(q.first_parent === undefined ? {} : { firstParent: q.first_parent }),
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
      }));
      return c.json({ commits: page.commits, next_cursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}/commits/{sha}', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'One commit',
      request: { params: CommitParams, query: CommitQuery },
      responses: { 200: { description: 'the commit', content: { 'application/json': { schema: CommitDetail } } }, ...errors(404, 409, 422) },
    }),
    async (c) => {
      const { sha } = c.req.valid('param');
      const q = c.req.valid('query');
      const commit = await withRepo(ctx, c, 'read', (repo) => readCommit(repo, sha, {
        ...(q.stat === undefined ? {} : { stat: q.stat }),
        ...(q.patch === undefined ? {} : { patch: q.patch }),
      }));
      return c.json(commit, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}/tree/{ref}', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'A folder at a revision (git ls-tree -l), optionally recursive',
      request: { params: RevParams, query: TreeQuery },
      responses: { 200: { description: 'the listing', content: { 'application/json': { schema: Tree } } }, ...errors(404, 409) },
    }),
    async (c) => {
      const { ref } = c.req.valid('param');
      const q = c.req.valid('query');
      const tree = await withRepo(ctx, c, 'read', (repo) => readTreeAt(repo, ref, {
        ...(q.path === undefined ? {} : { path: q.path }),
        ...(q.recursive === undefined ? {} : { recursive: q.recursive }),
      }));
      return c.json(tree, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}/blobs/{sha}', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'A blob\'s bytes (ETag, If-None-Match, Range)',
      request: { params: BlobParams },
      responses: {
        200: { description: 'the bytes', content: { 'application/octet-stream': { schema: Bytes } } },
        206: { description: 'the range asked for', content: { 'application/octet-stream': { schema: Bytes } } },
        304: { description: 'not modified' },
        416: { description: 'range not satisfiable (code RANGE_NOT_SATISFIABLE)', content: { 'application/json': { schema: ErrorBody } } },
        ...errors(404, 409),
      },
    }),
    async (c) => {
      const { sha } = c.req.valid('param');
      return withRepo(ctx, c, 'read', async (repo) => {
        const oid = await findBlob(repo, sha);
        return blobResponse(c.req.raw, { sha: oid, read: () => readBlob(repo, oid), contentType: () => 'application/octet-stream', cacheControl: IMMUTABLE });
      });
    },
  );

  const filePath = '/namespaces/{ns}/repos/{name}/files/{ref}/{path}';
  app.openAPIRegistry.registerPath({
    method: 'get', path: filePath, tags: TAG, security: SECURITY,
    summary: 'A file at a revision, as raw bytes (sniffed Content-Type, ETag, If-None-Match, Range)',
    description: 'The rest of the URL after {ref} is the path. A symlink reads as its target. 400 for a folder or a submodule.',
    request: { params: RevParams.extend({ path: RevParams.shape.ref.openapi({ param: { name: 'path', in: 'path' }, description: 'the file\'s path' }) }) },
    responses: {
      200: { description: 'the bytes', content: { '*/*': { schema: Bytes } } },
      206: { description: 'the range asked for', content: { '*/*': { schema: Bytes } } },
      304: { description: 'not modified' },
      416: { description: 'range not satisfiable (code RANGE_NOT_SATISFIABLE)', content: { 'application/json': { schema: ErrorBody } } },
      ...errors(404, 409),
    },
  });
  app.get('/namespaces/:ns/repos/:name/files/:ref/:path{.+}', anyToken, async (c) => {
    const ref = c.req.param('ref');
    const path = c.req.param('path');
    return withRepo(ctx, c, 'read', async (repo) => {
      const file = await findFile(repo, ref, path);
      return blobResponse(c.req.raw, {
        sha: file.sha,
        read: () => readBlob(repo, file.sha),
        contentType: (data) => file.symlink ? TEXT_PLAIN : contentTypeOf(file.path, data),
      });
    });
  });

  for (const format of ['tar.gz', 'zip'] as const) {
    app.openAPIRegistry.registerPath({
      method: 'get', path: `/namespaces/{ns}/repos/{name}/archive/{ref}.${format}`, tags: TAG, security: SECURITY,
      summary: `The tree of a revision as a ${format === 'zip' ? 'zip' : 'gzipped tar'} archive, streamed`,
      description: 'Files sit under the folder <repo>-<short id>/, as git archive --prefix writes them.',
      request: { params: RevParams },
      responses: {
        200: { description: 'the archive', content: { [format === 'zip' ? 'application/zip' : 'application/gzip']: { schema: Bytes } } },
        ...errors(404, 409),
      },
    });
  }
  app.get('/namespaces/:ns/repos/:name/archive/:file', anyToken, async (c) => {
    const file = c.req.param('file');
    const format: ArchiveFormat | undefined = file.endsWith('.tar.gz') ? 'tar.gz' : file.endsWith('.zip') ? 'zip' : undefined;
    if (format === undefined) throw new GroveError('NOT_FOUND', 'ask for <ref>.tar.gz or <ref>.zip', { path: c.req.path });
    const ref = file.slice(0, -(format.length + 1));
    if (ref === '') throw new GroveError('BAD_REQUEST', 'name a revision: <ref>.tar.gz or <ref>.zip', { field: 'ref' });
    return archiveResponse(ctx, c, ref, format);
  });

  return app;
}

async function archiveResponse(ctx: ApiContext, c: Context, ref: string, format: ArchiveFormat): Promise<Response> {
  const repo = openRepoFor(ctx, c, 'read');
  let archive: Archive;
  try {
    archive = await openArchive(repo, ref, format, { onEnd: () => repo.release() });
  } catch (err) {
    repo.release();
    throw err;
  }
  const headers = {
    'content-type': archive.contentType,
    'content-disposition': `attachment; filename="${archive.filename}"`,
    etag: `"${archive.sha}.${format}"`,
    'cache-control': 'private, no-cache',
    'x-content-type-options': 'nosniff',
  };
  if (c.req.method === 'HEAD') {
    // Hono answers HEAD with the GET route and drops the body unread: end it here.
    await archive.body.cancel();
    return new Response(null, { status: 200, headers });
  }
  return new Response(archive.body, { status: 200, headers });
}

/** An ISO 8601 date or a number of seconds since the epoch, as seconds. */
function parseDate(value: string, field: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const ms = /^\d{4}-\d\d-\d\d/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new GroveError('BAD_REQUEST', `${field} must be an ISO 8601 date or seconds since the epoch`, { field });
  return Math.floor(ms / 1000);
}
