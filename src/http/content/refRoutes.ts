/**
 * Refs of a repository (services/content/refs.ts):
 *
 *   GET    /namespaces/{ns}/repos/{name}/refs?prefix=   list (HEAD as a symbolic ref)
 *   GET    /namespaces/{ns}/repos/{name}/refs/{ref}     one ref (a ref with '/' URL-encoded)
 *   POST   /namespaces/{ns}/repos/{name}/refs           create {name, sha}
 *   PATCH  /namespaces/{ns}/repos/{name}/refs/{ref}     move {sha, expected_sha?, force?} (compare-and-swap)
 *   DELETE /namespaces/{ns}/repos/{name}/refs/{ref}?expected_sha=
 *
 * Reads need a read token of the repository (or admin), writes a write
 * token; a write counts as a push (`last_push_at`).
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { createRef, deleteRef, getRef, listRefs, updateRef } from '../../services/content/refs.ts';
import { apiApp, authenticated, BODY_ERRORS, errors, SECURITY, withRepo, type ApiContext } from '../apiKit.ts';
import { RepoParams } from '../schemas.ts';
import { CreateRef, DeleteRefQuery, ListRefsQuery, Ref, RefList, RefParams, UpdateRef } from './refSchemas.ts';

const TAG = ['refs'];

export function refRoutes(ctx: ApiContext): OpenAPIHono {
  const app = apiApp();
  const anyToken = authenticated(ctx, { admin: false });

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}/refs', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'List refs (optionally those under a prefix), HEAD included as a symbolic ref',
      request: { params: RepoParams, query: ListRefsQuery },
      responses: { 200: { description: 'the refs, sorted by name', content: { 'application/json': { schema: RefList } } }, ...errors(404, 409) },
    }),
    async (c) => {
      const { prefix } = c.req.valid('query');
      return c.json({ refs: await withRepo(ctx, c, 'read', (repo) => listRefs(repo, prefix ?? '')) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}/refs/{ref}', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Get one ref',
      request: { params: RefParams },
      responses: { 200: { description: 'the ref', content: { 'application/json': { schema: Ref } } }, ...errors(404, 409) },
    }),
    async (c) => {
      const { ref } = c.req.valid('param');
      return c.json(await withRepo(ctx, c, 'read', (repo) => getRef(repo, ref)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/refs', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Create a ref',
      description: 'The object must exist (422 MISSING_OBJECT) and a branch must point at a commit; 409 ALREADY_EXISTS when the ref exists.',
      request: { params: RepoParams, body: { required: true, content: { 'application/json': { schema: CreateRef } } } },
      responses: { 201: { description: 'created', content: { 'application/json': { schema: Ref } } }, ...errors(...BODY_ERRORS, 404, 409, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const ref = await withRepo(ctx, c, 'write', async (repo) => {
        const created = await createRef(repo, body.name, body.sha);
        ctx.services.repos.recordPush(repo.record);
        return created;
      });
      return c.json(ref, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch', path: '/namespaces/{ns}/repos/{name}/refs/{ref}', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Move a ref (compare-and-swap)',
      description: '409 REF_CONFLICT when expected_sha is given and the ref is elsewhere, or when a branch would not move forward without force.',
      request: { params: RefParams, body: { required: true, content: { 'application/json': { schema: UpdateRef } } } },
      responses: { 200: { description: 'the ref, moved', content: { 'application/json': { schema: Ref } } }, ...errors(...BODY_ERRORS, 404, 409, 422) },
    }),
    async (c) => {
      const { ref } = c.req.valid('param');
      const body = c.req.valid('json');
      const moved = await withRepo(ctx, c, 'write', async (repo) => {
        const updated = await updateRef(repo, ref, {
          sha: body.sha,
          ...(body.expected_sha === undefined ? {} : { expectedSha: body.expected_sha }),
          ...(body.force === undefined ? {} : { force: body.force }),
        });
        ctx.services.repos.recordPush(repo.record);
        return updated;
      });
      return c.json(moved, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/namespaces/{ns}/repos/{name}/refs/{ref}', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Delete a ref (with expected_sha: only if it is there)',
      request: { params: RefParams, query: DeleteRefQuery },
      responses: { 204: { description: 'deleted' }, ...errors(404, 409, 422) },
    }),
    async (c) => {
      const { ref } = c.req.valid('param');
      const { expected_sha } = c.req.valid('query');
      await withRepo(ctx, c, 'write', (repo) => {
        deleteRef(repo, ref, expected_sha);
        ctx.services.repos.recordPush(repo.record);
      });
      return c.body(null, 204);
    },
  );

  return app;
}
