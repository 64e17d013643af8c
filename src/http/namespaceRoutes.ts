/**
 * Namespaces (docs/API.md): create, list, get, delete. Admin token.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { NamespaceRecord } from '../services/NamespaceService.ts';
import { apiApp, authenticated, BODY_ERRORS, errors, SECURITY, type ApiContext } from './apiKit.ts';
import { CreateNamespace, DeleteNamespaceQuery, Namespace, NamespaceList, NamespaceParams, PageQuery } from './schemas.ts';

const TAG = ['namespaces'];

export function namespaceRoutes(ctx: ApiContext): OpenAPIHono {
  const app = apiApp();
  const { namespaces } = ctx.services;
  const admin = authenticated(ctx, { admin: true });

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces', tags: TAG, security: SECURITY, middleware: [admin] as const, summary: 'Create a namespace',
      request: { body: { required: true, content: { 'application/json': { schema: CreateNamespace } } } },
      responses: { 201: { description: 'created', content: { 'application/json': { schema: Namespace } } }, ...errors(...BODY_ERRORS, 409) },
    }),
    async (c) => {
      const { name } = c.req.valid('json');
      return c.json(namespaceJson(namespaces.create(name)), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces', tags: TAG, security: SECURITY, middleware: [admin] as const, summary: 'List namespaces, by name',
      request: { query: PageQuery },
      responses: { 200: { description: 'a page', content: { 'application/json': { schema: NamespaceList } } }, ...errors() },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const page = namespaces.list({ limit, ...(cursor === undefined ? {} : { cursor }) });
      return c.json({ namespaces: page.namespaces.map(namespaceJson), next_cursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}', tags: TAG, security: SECURITY, middleware: [admin] as const, summary: 'Get a namespace',
      request: { params: NamespaceParams },
      responses: { 200: { description: 'the namespace', content: { 'application/json': { schema: Namespace } } }, ...errors(404) },
    }),
    async (c) => {
      const { ns } = c.req.valid('param');
      return c.json(namespaceJson(namespaces.get(ns)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/namespaces/{ns}', tags: TAG, security: SECURITY, middleware: [admin] as const,
      summary: 'Delete a namespace (with force=true, and its repositories)',
      request: { params: NamespaceParams, query: DeleteNamespaceQuery },
      responses: { 204: { description: 'deleted' }, ...errors(404, 409) },
    }),
    async (c) => {
      const { ns } = c.req.valid('param');
      namespaces.delete(ns, { force: c.req.valid('query').force === 'true' });
      return c.body(null, 204);
    },
  );

  return app;
}

function namespaceJson(ns: NamespaceRecord): { name: string; created_at: string; repo_count: number } {
  return { name: ns.name, created_at: new Date(ns.createdAt).toISOString(), repo_count: ns.repoCount };
}
