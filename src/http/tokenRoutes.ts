/**
 * Tokens (docs/API.md): repository tokens under a repository, admin tokens
 * under /v1/tokens. Mint (the secret shown this once), list by state (never
 * the secret), revoke. Admin token.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { apiApp, authenticated, BODY_ERRORS, errors, SECURITY, type ApiContext } from './apiKit.ts';
import { AdminTokenParams, CreateAdminToken, CreateRepoToken, ListTokensQuery, MintedToken, RepoParams, RepoTokenParams, TokenList } from './schemas.ts';

const TAG = ['tokens'];
const DEFAULT_REPO_TTL = 24 * 60 * 60;
const DEFAULT_ADMIN_TTL = 30 * 24 * 60 * 60;

export function tokenRoutes(ctx: ApiContext): OpenAPIHono {
  const app = apiApp();
  const { repos, tokens } = ctx.services;
  const admin = authenticated(ctx, { admin: true });

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/tokens', tags: TAG, security: SECURITY, middleware: [admin] as const,
      summary: 'Mint a token for a repository',
      request: { params: RepoParams, body: { required: true, content: { 'application/json': { schema: CreateRepoToken } } } },
      responses: { 201: { description: 'the token; its secret is shown this once', content: { 'application/json': { schema: MintedToken } } }, ...errors(...BODY_ERRORS, 404) },
    }),
    async (c) => {
      const { ns, name } = c.req.valid('param');
      const body = c.req.valid('json');
      const repo = repos.get(ns, name);
      const minted = await tokens.mint({ repoId: repo.id, scope: body.scope ?? 'write', ttlSeconds: body.ttl ?? DEFAULT_REPO_TTL, label: body.label ?? '' });
      return c.json(minted, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}/tokens', tags: TAG, security: SECURITY, middleware: [admin] as const,
      summary: 'List a repository\'s tokens, newest first',
      request: { params: RepoParams, query: ListTokensQuery },
      responses: { 200: { description: 'a page', content: { 'application/json': { schema: TokenList } } }, ...errors(404) },
    }),
    async (c) => {
      const { ns, name } = c.req.valid('param');
      const { state, limit, cursor } = c.req.valid('query');
      const page = tokens.list(repos.get(ns, name).id, { state, limit, ...(cursor === undefined ? {} : { cursor }) });
      return c.json({ tokens: page.tokens, next_cursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/namespaces/{ns}/repos/{name}/tokens/{id}', tags: TAG, security: SECURITY, middleware: [admin] as const,
      summary: 'Revoke a repository token',
      request: { params: RepoTokenParams },
      responses: { 204: { description: 'revoked (or already revoked)' }, ...errors(404) },
    }),
    async (c) => {
      const { ns, name, id } = c.req.valid('param');
      tokens.revoke(repos.get(ns, name).id, id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/tokens', tags: TAG, security: SECURITY, middleware: [admin] as const,
      summary: 'Mint an admin token',
      request: { body: { required: true, content: { 'application/json': { schema: CreateAdminToken } } } },
      responses: { 201: { description: 'the token; its secret is shown this once', content: { 'application/json': { schema: MintedToken } } }, ...errors(...BODY_ERRORS) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const minted = await tokens.mint({ repoId: null, scope: 'admin', ttlSeconds: body.ttl ?? DEFAULT_ADMIN_TTL, label: body.label ?? '' });
      return c.json(minted, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/tokens', tags: TAG, security: SECURITY, middleware: [admin] as const,
      summary: 'List admin tokens, newest first (the configured bootstrap token is not listed)',
      request: { query: ListTokensQuery },
      responses: { 200: { description: 'a page', content: { 'application/json': { schema: TokenList } } }, ...errors() },
    }),
    async (c) => {
      const { state, limit, cursor } = c.req.valid('query');
      const page = tokens.list(null, { state, limit, ...(cursor === undefined ? {} : { cursor }) });
      return c.json({ tokens: page.tokens, next_cursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/tokens/{id}', tags: TAG, security: SECURITY, middleware: [admin] as const,
      summary: 'Revoke an admin token',
      request: { params: AdminTokenParams },
      responses: { 204: { description: 'revoked (or already revoked)' }, ...errors(404) },
    }),
    async (c) => {
      tokens.revoke(null, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  return app;
}
