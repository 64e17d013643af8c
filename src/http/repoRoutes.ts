/**
 * Repositories (docs/API.md): create, list, get, update, delete, fork,
 * import. Admin token, except that a token of a repository may read its
 * `GET`. Create, fork and import answer with a write token for the new
 * repository, valid one day, shown this once.
 */
import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { GroveError } from '../errors.ts';
import type { RepoRecord } from '../services/RepoService.ts';
import type { GroveServices } from '../services/GroveServices.ts';
import { apiApp, authenticated, BODY_ERRORS, errors, grantOf, iso, SECURITY, type ApiContext } from './apiKit.ts';
import { authorizeRepo } from './authorize.ts';
import { CreateRepo, ForkRepo, ImportRepo, ListReposQuery, NamespaceParams, Repo, RepoList, RepoParams, RepoWithToken, UpdateRepo } from './schemas.ts';

const TAG = ['repositories'];
const CREATE_TOKEN_TTL_SECONDS = 24 * 60 * 60;

type RepoJson = z.infer<typeof Repo>;

export function repoRoutes(ctx: ApiContext): OpenAPIHono {
  const app = apiApp();
  const { repos } = ctx.services;
  const admin = authenticated(ctx, { admin: true });
  const anyToken = authenticated(ctx, { admin: false });

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos', tags: TAG, security: SECURITY, middleware: [admin] as const,
      summary: 'Create a repository (and its namespace, if new)',
      request: { params: NamespaceParams, body: { required: true, content: { 'application/json': { schema: CreateRepo } } } },
      responses: { 201: { description: 'created', content: { 'application/json': { schema: RepoWithToken } } }, ...errors(...BODY_ERRORS, 409, 422) },
    }),
    async (c) => {
      const { ns } = c.req.valid('param');
      const body = c.req.valid('json');
      const record = repos.create({
        namespace: ns,
        name: body.name,
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(body.default_branch === undefined ? {} : { defaultBranch: body.default_branch }),
        ...(body.read_only === undefined ? {} : { readOnly: body.read_only }),
      });
      return c.json(await withToken(ctx.services, record, originOf(c.req.url)), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos', tags: TAG, security: SECURITY, middleware: [admin] as const,
      summary: 'List the repositories of a namespace',
      request: { params: NamespaceParams, query: ListReposQuery },
      responses: { 200: { description: 'a page', content: { 'application/json': { schema: RepoList } } }, ...errors(404) },
    }),
    async (c) => {
      const { ns } = c.req.valid('param');
      const query = c.req.valid('query');
      if (ctx.services.namespaces.find(ns) === null) throw new GroveError('NOT_FOUND', `namespace ${ns} does not exist`, { namespace: ns });
      const page = repos.list(ns, {
        limit: query.limit,
        sort: query.sort,
        direction: query.direction,
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        ...(query.search === undefined ? {} : { search: query.search }),
      });
      const origin = originOf(c.req.url);
      return c.json({ repos: page.repos.map((r) => repoJson(r, origin)), next_cursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Get a repository (admin, or a token of this repository)',
      request: { params: RepoParams },
      responses: { 200: { description: 'the repository', content: { 'application/json': { schema: Repo } } }, ...errors(404) },
    }),
    async (c) => {
      const { ns, name } = c.req.valid('param');
      const record = authorizeRepo(grantOf(c), repos.find(ns, name), { namespace: ns, name }, 'read', { allowNotReady: true });
      return c.json(repoJson(record, originOf(c.req.url)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch', path: '/namespaces/{ns}/repos/{name}', tags: TAG, security: SECURITY, middleware: [admin] as const,
      summary: 'Change a repository\'s description, default branch or read-only flag',
      request: { params: RepoParams, body: { required: true, content: { 'application/json': { schema: UpdateRepo } } } },
      responses: { 200: { description: 'the repository, changed', content: { 'application/json': { schema: Repo } } }, ...errors(...BODY_ERRORS, 404, 409, 422) },
    }),
    async (c) => {
      const { ns, name } = c.req.valid('param');
      const body = c.req.valid('json');
      const record = repos.update(repos.get(ns, name), {
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(body.default_branch === undefined ? {} : { defaultBranch: body.default_branch }),
        ...(body.read_only === undefined ? {} : { readOnly: body.read_only }),
      });
      return c.json(repoJson(record, originOf(c.req.url)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/namespaces/{ns}/repos/{name}', tags: TAG, security: SECURITY, middleware: [admin] as const,
      summary: 'Delete a repository and its tokens (forks keep reading what they need)',
      request: { params: RepoParams },
      responses: { 204: { description: 'deleted' }, ...errors(404) },
    }),
    async (c) => {
      const { ns, name } = c.req.valid('param');
      repos.delete(repos.get(ns, name));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/fork', tags: TAG, security: SECURITY, middleware: [admin] as const,
      summary: 'Fork a repository: copy its refs, share its objects (copy-on-write)',
      request: { params: RepoParams, body: { required: true, content: { 'application/json': { schema: ForkRepo } } } },
      responses: { 201: { description: 'the fork', content: { 'application/json': { schema: RepoWithToken } } }, ...errors(...BODY_ERRORS, 404, 409) },
    }),
    async (c) => {
      const { ns, name } = c.req.valid('param');
      const body = c.req.valid('json');
      const target = body.namespace ?? ns;
      if (target !== ns) ctx.rates.takeNamespace(target);
      const record = repos.fork(repos.get(ns, name), {
        namespace: target,
        name: body.name,
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(body.read_only === undefined ? {} : { readOnly: body.read_only }),
        ...(body.default_branch_only === undefined ? {} : { defaultBranchOnly: body.default_branch_only }),
      });
      return c.json(await withToken(ctx.services, record, originOf(c.req.url)), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/namespaces/{ns}/repos/{name}/import', tags: TAG, security: SECURITY, middleware: [admin] as const,
      summary: 'Create a repository from a smart-HTTP Git remote',
      description: 'Answers 202 at once with status "importing"; the repository\'s status then becomes "ready", or "failed" with status_reason. With wait: true, answers 201 once ready, or the import\'s error (and the failed repository is deleted).',
      request: { params: RepoParams, body: { required: true, content: { 'application/json': { schema: ImportRepo } } } },
      responses: {
        201: { description: 'imported (wait: true)', content: { 'application/json': { schema: RepoWithToken } } },
        202: { description: 'importing', content: { 'application/json': { schema: RepoWithToken } } },
        ...errors(...BODY_ERRORS, 409, 422, 502),
      },
    }),
    async (c) => {
      const { ns, name } = c.req.valid('param');
      const body = c.req.valid('json');
      const { record, done } = await ctx.services.imports.start({
        namespace: ns,
        name,
        url: body.url,
        ...(body.branch === undefined ? {} : { branch: body.branch }),
        ...(body.depth === undefined ? {} : { depth: body.depth }),
        ...(body.headers === undefined ? {} : { headers: body.headers }),
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(body.read_only === undefined ? {} : { readOnly: body.read_only }),
      });
      const origin = originOf(c.req.url);
      if (body.wait !== true) return c.json(await withToken(ctx.services, record, origin), 202);
      const finished = await done;
      if (finished.status === 'failed') {
        repos.delete(finished); // nothing to keep: the caller learns why here, and may retry under the same name
        throw new GroveError('REMOTE_ERROR', `import of ${ns}/${name} failed: ${finished.statusReason ?? 'unknown reason'}`, { namespace: ns, name });
      }
      return c.json(await withToken(ctx.services, finished, origin), 201);
    },
  );

  return app;
}

/** The repository as JSON, with a fresh write token. */
async function withToken(services: GroveServices, record: RepoRecord, origin: string): Promise<RepoJson & { token: string }> {
  const token = await services.tokens.mint({ repoId: record.id, scope: 'write', ttlSeconds: CREATE_TOKEN_TTL_SECONDS, label: 'created with the repository' });
  return { ...repoJson(record, origin), token: token.token };
}

export function repoJson(repo: RepoRecord, origin: string): RepoJson {
  return {
    id: repo.id,
    name: repo.name,
    namespace: repo.namespace,
    description: repo.description,
    default_branch: repo.defaultBranch,
    read_only: repo.readOnly,
    status: repo.status,
    status_reason: repo.statusReason,
    created_at: new Date(repo.createdAt).toISOString(),
    updated_at: new Date(repo.updatedAt).toISOString(),
    last_push_at: iso(repo.lastPushAt),
    source: repo.source,
    remote: `${origin}/git/${encodeURIComponent(repo.namespace)}/${encodeURIComponent(repo.name)}.git`,
  };
}

function originOf(url: string): string {
  return new URL(url).origin;
}
