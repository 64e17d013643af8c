/**
 * The control-plane routes this release needs (more arrive with the control
 * plane issue):
 *
 *   POST /v1/namespaces/:namespace/repos {name, description?, default_branch?, read_only?}
 *     → 201 {id, name, namespace, description, default_branch, read_only,
 *            created_at, updated_at, last_push_at, remote, token}
 *
 * Admin token required. `token` is a write token for the new repository,
 * valid for one day, shown this once.
 */
import { Hono } from 'hono';
import { GroveError } from '../errors.ts';
import type { GroveServices } from '../services/GroveServices.ts';
import type { RepoRecord } from '../services/RepoService.ts';
import { authenticate, requireAdmin } from './authorize.ts';
import { readJson } from './readJson.ts';

const CREATE_TOKEN_TTL_SECONDS = 24 * 60 * 60;

export function repoRoutes(services: GroveServices): Hono {
  const app = new Hono();

  app.post('/namespaces/:namespace/repos', async (c) => {
    requireAdmin(await authenticate(services.tokens, c.req.header('authorization')));
    const body = await readJson(c.req.raw);
    const name = body['name'];
    if (typeof name !== 'string') throw new GroveError('BAD_REQUEST', 'body must have a string "name"');
    const record = services.repos.create({
      namespace: c.req.param('namespace'),
      name,
      ...optionalString(body, 'description', 'description'),
      ...optionalString(body, 'default_branch', 'defaultBranch'),
      ...(body['read_only'] === undefined ? {} : { readOnly: requireBoolean(body['read_only'], 'read_only') }),
    });
    const token = await services.tokens.mint({ repoId: record.id, scope: 'write', ttlSeconds: CREATE_TOKEN_TTL_SECONDS, label: 'created with the repository' });
    return c.json({ ...repoJson(record, new URL(c.req.url).origin), token: token.token }, 201);
  });

  return app;
}

export function repoJson(repo: RepoRecord, origin: string): Record<string, unknown> {
  return {
    id: repo.id,
    name: repo.name,
    namespace: repo.namespace,
    description: repo.description,
    default_branch: repo.defaultBranch,
    read_only: repo.readOnly,
    created_at: new Date(repo.createdAt).toISOString(),
    updated_at: new Date(repo.updatedAt).toISOString(),
    last_push_at: repo.lastPushAt === null ? null : new Date(repo.lastPushAt).toISOString(),
    remote: `${origin}/git/${encodeURIComponent(repo.namespace)}/${encodeURIComponent(repo.name)}.git`,
  };
}

function optionalString<K extends string>(body: Record<string, unknown>, field: string, key: K): Partial<Record<K, string>> {
  const value = body[field];
  if (value === undefined) return {};
  if (typeof value !== 'string') throw new GroveError('BAD_REQUEST', `"${field}" must be a string`);
  return { [key]: value } as Partial<Record<K, string>>;
}

function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new GroveError('BAD_REQUEST', `"${field}" must be a boolean`);
  return value;
}
