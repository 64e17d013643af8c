/**
 * The write routes of the content API (a write token of the repository, or
 * the admin token; a read-only repository refuses them):
 *
 *   POST /namespaces/{ns}/repos/{name}/commits                  201 the new commit
 *   POST /namespaces/{ns}/repos/{name}/revert                   201 the new commit
 *   POST /namespaces/{ns}/repos/{name}/restore                  201 the new commit
 *   PUT  /namespaces/{ns}/repos/{name}/files/{branch}/{path…}   201 the new commit
 *
 * Each makes one commit and moves the branch onto it atomically (see
 * services/content/commitFiles.ts, revert.ts, restore.ts). The JSON routes
 * take contents inline (`content`, or `content_base64`), within the /v1 body
 * limit. Big files go through `PUT …/files/{branch}/{path}`: the request
 * body is the file's bytes, streamed into the repository (gzip
 * Content-Encoding accepted), up to `maxFileBytes` (PAYLOAD_TOO_LARGE past
 * it); the commit's other fields are query parameters. A branch containing
 * '/' is URL-encoded there (`feature%2Fx`); the rest of the URL is the path.
 */
import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { GroveError } from '../../errors.ts';
import { MODE_EXECUTABLE, MODE_FILE, MODE_SYMLINK } from '../../git/objects/tree.ts';
import type { OpenRepository } from '../../services/RepoService.ts';
import { commitFiles, type FileChange } from '../../services/content/commitFiles.ts';
import type { IdentInput as IdentInputValue } from '../../services/content/commitIdent.ts';
import type { WrittenCommit as Written } from '../../services/content/commitToBranch.ts';
import { commitView } from '../../services/content/commitView.ts';
import { restore } from '../../services/content/restore.ts';
import { revert } from '../../services/content/revert.ts';
import type { WriteLimits } from '../../services/content/writeObjects.ts';
import { apiApp, authenticated, BODY_ERRORS, errors, SECURITY, withRepo, type ApiContext } from '../apiKit.ts';
import { drainBody } from '../drainBody.ts';
import { decodeBase64 } from '../../services/base64.ts';
import { requestBody } from '../requestBody.ts';
import { RepoParams } from '../schemas.ts';
import { CommitFilesBody, FileChangeInput, PutFileQuery, RestoreBody, RevertBody, WrittenCommit } from './writeSchemas.ts';

export interface WriteRouteLimits extends WriteLimits {
  /** Largest body of `PUT …/files/…` (default 256 MiB). */
  maxFileBytes?: number;
}

export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

const TAG = ['content'];
const MODES = { '100644': MODE_FILE, '100755': MODE_EXECUTABLE, '120000': MODE_SYMLINK } as const;
const FILE_UPLOAD = /^\/v1\/namespaces\/[^/]+\/repos\/[^/]+\/files\/[^/]+\/./;

/** True for the one /v1 request whose body is not JSON: a file upload, limited by `maxFileBytes` instead of the JSON body limit. */
export function isFileUpload(method: string, path: string): boolean {
  return method === 'PUT' && FILE_UPLOAD.test(path);
}

export function writeRoutes(ctx: ApiContext, limits: WriteRouteLimits = {}): OpenAPIHono {
  const app = apiApp();
  const anyToken = authenticated(ctx, { admin: false });
  const { codec } = ctx.services;
  const writeLimits: WriteLimits = {
    ...(limits.maxObjectBytes === undefined ? {} : { maxObjectBytes: limits.maxObjectBytes }),
    ...(limits.maxRepoBytes === undefined ? {} : { maxRepoBytes: limits.maxRepoBytes }),
  };
  const maxFileBytes = Math.min(limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, limits.maxObjectBytes ?? Number.POSITIVE_INFINITY);
  const answers = { 201: { description: 'the new commit, now the head of the branch', content: { 'application/json': { schema: WrittenCommit } } } };

  /** Runs `write` on the repository open for writing; a landed commit counts as a push. */
  const writing = (c: Context, write: (repo: OpenRepository) => Promise<Written>): Promise<Written> =>
    withRepo(ctx, c, 'write', async (repo) => {
      const written = await write(repo);
      ctx.services.repos.recordPush(repo.record);
      return written;
    });

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/commits', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Commit file changes (put, delete, move) on a branch, atomically',
      description: 'One commit: the branch moves and every object lands, or nothing changes. With expected_head, a compare-and-swap (409 REF_CONFLICT when the branch is elsewhere). start_from creates the branch. '
        + 'A missing branch without start_from is created with a root commit only in a repository without branches (404 otherwise). Each path may be changed once.',
      request: { params: RepoParams, body: { required: true, content: { 'application/json': { schema: CommitFilesBody } } } },
      responses: { ...answers, ...errors(...BODY_ERRORS, 404, 409, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const written = await writing(c, (repo) => commitFiles(repo, codec, {
        branch: body.branch,
        expectedHead: body.expected_head,
        startFrom: body.start_from,
        message: body.message,
        author: body.author,
        committer: body.committer,
        changes: body.changes.map(fileChange),
        limits: writeLimits,
      }));
      return c.json(writtenJson(written), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/revert', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Revert a commit onto a branch, as git revert',
      description: 'A three-way merge that undoes the commit\'s change on the branch head. 409 MERGE_CONFLICT (details.conflicts: [{path, reason}]) when later changes collide; nothing is written then. A merge commit needs mainline.',
      request: { params: RepoParams, body: { required: true, content: { 'application/json': { schema: RevertBody } } } },
      responses: { ...answers, ...errors(...BODY_ERRORS, 404, 409, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const written = await writing(c, (repo) => revert(repo, codec, {
        branch: body.branch,
        commit: body.commit,
        mainline: body.mainline,
        expectedHead: body.expected_head,
        message: body.message,
        author: body.author,
        committer: body.committer,
        limits: writeLimits,
      }));
      return c.json(writtenJson(written), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/restore', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Give a branch back the tree of an earlier commit, as a new commit',
      description: 'Time travel that keeps history: the new commit\'s tree is exactly the tree of `to`, its parent the branch head.',
      request: { params: RepoParams, body: { required: true, content: { 'application/json': { schema: RestoreBody } } } },
      responses: { ...answers, ...errors(...BODY_ERRORS, 404, 409, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const written = await writing(c, (repo) => restore(repo, codec, {
        branch: body.branch,
        to: body.to,
        expectedHead: body.expected_head,
        message: body.message,
        author: body.author,
        committer: body.committer,
        limits: writeLimits,
      }));
      return c.json(writtenJson(written), 201);
    },
  );

  app.openAPIRegistry.registerPath({
    method: 'put', path: '/namespaces/{ns}/repos/{name}/files/{branch}/{path}', tags: TAG, security: SECURITY,
    summary: 'Commit one file whose bytes are the request body (streamed; for big files)',
    description: `The rest of the URL after {branch} is the path; a branch containing '/' is URL-encoded. The body may be gzip-encoded. At most ${DEFAULT_MAX_FILE_BYTES} bytes by default (413 PAYLOAD_TOO_LARGE). Same rules as POST …/commits.`,
    request: {
      params: RepoParams.extend({
        branch: RepoParams.shape.name.openapi({ param: { name: 'branch', in: 'path' }, example: 'main' }),
        path: RepoParams.shape.name.openapi({ param: { name: 'path', in: 'path' }, example: 'data/big.bin' }),
      }),
      query: PutFileQuery,
      body: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
    },
    responses: { ...answers, ...errors(404, 409, 413, 415, 422) },
  });
  app.put('/namespaces/:ns/repos/:name/files/:branch/:path{.+}', anyToken, async (c) => {
    const body = requestBody(c.req.raw);
    let consumed = false;
    try {
      const query = parseQuery(c.req.query());
      const path = c.req.param('path');
      const size = announcedSize(c.req.raw.headers, maxFileBytes);
      const stream = limited(body, maxFileBytes, () => {
        consumed = true;
      });
      const author: IdentInputValue | undefined = query.author_name === undefined && query.author_email === undefined ? undefined : {
        name: query.author_name ?? '',
        email: query.author_email ?? '',
        ...(query.author_date === undefined ? {} : { date: query.author_date }),
      };
      const written = await writing(c, (repo) => commitFiles(repo, codec, {
        branch: c.req.param('branch'),
        expectedHead: query.expected_head,
        startFrom: query.start_from,
        message: query.message ?? `Update ${path}`,
        author,
        changes: [{ op: 'put', path, content: { stream, size }, mode: query.mode === undefined ? undefined : MODES[query.mode] }],
        limits: writeLimits,
      }));
      return c.json(writtenJson(written), 201);
    } catch (err) {
      if (!consumed) await drainBody(body); // let the client read the answer rather than a reset
      throw err;
    }
  });

  return app;
}

function fileChange(change: z.infer<typeof FileChangeInput>, index: number): FileChange {
  if (change.op !== 'put') return change;
  const mode = change.mode === undefined ? undefined : MODES[change.mode];
  if ((change.content === undefined) === (change.content_base64 === undefined)) {
    throw new GroveError('BAD_REQUEST', `changes[${index}]: give content or content_base64`, { field: `changes[${index}].content` });
  }
  const content = change.content !== undefined ? new TextEncoder().encode(change.content) : decodeBase64(change.content_base64!);
  if (content === null) throw new GroveError('BAD_REQUEST', `changes[${index}].content_base64 is not valid base64`, { field: `changes[${index}].content_base64` });
  return { op: 'put', path: change.path, content, mode };
}

function parseQuery(query: Record<string, string>): z.infer<typeof PutFileQuery> {
  const parsed = PutFileQuery.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.code === 'unrecognized_keys' ? issue.keys[0] : issue?.path.join('.');
  throw new GroveError('BAD_REQUEST', `invalid query${field === undefined ? '' : ` at "${field}"`}: ${issue?.message ?? 'does not match the schema'}`, field === undefined ? {} : { field });
}

/** The body's size from Content-Length, when it is the content's (no Content-Encoding); PAYLOAD_TOO_LARGE past `max`. */
function announcedSize(headers: Headers, max: number): number | undefined {
  const header = headers.get('content-length');
  const encoding = headers.get('content-encoding')?.trim().toLowerCase();
  const length = header === null || !/^\d+$/.test(header) ? undefined : Number(header);
  if (length === undefined) return undefined;
  if (length > max && (encoding === undefined || encoding === '' || encoding === 'identity')) throw tooLarge(max);
  return encoding === undefined || encoding === '' || encoding === 'identity' ? length : undefined;
}

/** `chunks`, refused with PAYLOAD_TOO_LARGE past `max` bytes; `onStart` once reading begins. */
async function* limited(chunks: AsyncIterable<Uint8Array>, max: number, onStart: () => void): AsyncGenerator<Uint8Array> {
  onStart();
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > max) throw tooLarge(max);
    yield chunk;
  }
}

function tooLarge(max: number): GroveError {
  return new GroveError('PAYLOAD_TOO_LARGE', `the file exceeds the limit of ${max} bytes`, { max });
}

function writtenJson(written: Written): z.infer<typeof WrittenCommit> {
  return { ...commitView(written.sha, written.commit), branch: written.branch };
}
