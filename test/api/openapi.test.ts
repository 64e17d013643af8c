/**
 * `/openapi.json` against docs/API.md: "The machine-readable description is
 * OpenAPI 3.1, generated from the route definitions and served at
 * /openapi.json". It must list every route of the doc's tables with its
 * method, document each route's error responses with the `Error` schema
 * (`{error: {code, message, details}}`), and document every status the other
 * tests of test/api saw the route answer (OBSERVED below: keep it in step
 * with them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.ts';
import { useApiServer } from './support/apiServer.ts';

interface Operation {
  responses: Record<string, { description?: string; content?: Record<string, { schema?: { $ref?: string } }> }>;
  parameters?: { name: string; in: string; required?: boolean; schema?: { enum?: string[] } }[];
  security?: Record<string, string[]>[];
  requestBody?: { content?: Record<string, unknown> };
}

interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

/** Statuses the other tests of test/api saw each route answer (success and errors). */
const OBSERVED: Record<string, number[]> = {
  'POST /v1/namespaces': [201, 400, 401, 403, 409, 429],
  'GET /v1/namespaces': [200, 400, 401, 403, 429],
  'GET /v1/namespaces/{ns}': [200, 401, 403, 404, 429],
  'DELETE /v1/namespaces/{ns}': [204, 400, 401, 403, 404, 409],
  'POST /v1/namespaces/{ns}/repos': [201, 400, 401, 403, 409, 422, 429],
  'GET /v1/namespaces/{ns}/repos': [200, 400, 401, 403, 404],
  'GET /v1/namespaces/{ns}/repos/{name}': [200, 401, 403, 404, 429],
  'PATCH /v1/namespaces/{ns}/repos/{name}': [200, 400, 401, 403, 404, 422],
  'DELETE /v1/namespaces/{ns}/repos/{name}': [204, 401, 403, 404],
  'POST /v1/namespaces/{ns}/repos/{name}/fork': [201, 400, 401, 403, 404, 409, 429],
  'POST /v1/namespaces/{ns}/repos/{name}/import': [201, 202, 400, 401, 403, 409, 422, 502],
  'POST /v1/namespaces/{ns}/repos/{name}/tokens': [201, 400, 401, 403, 404],
  'GET /v1/namespaces/{ns}/repos/{name}/tokens': [200, 400, 401, 403, 404],
  'DELETE /v1/namespaces/{ns}/repos/{name}/tokens/{id}': [204, 401, 403, 404],
  'POST /v1/tokens': [201, 400, 401, 403],
  'GET /v1/tokens': [200, 400, 401, 403, 429],
  'DELETE /v1/tokens/{id}': [204, 401, 403, 404],
  // Content routes, as test/content sees them answer.
  'GET /v1/namespaces/{ns}/repos/{name}/refs': [200, 401, 403, 404],
  'GET /v1/namespaces/{ns}/repos/{name}/refs/{ref}': [200, 404],
  'POST /v1/namespaces/{ns}/repos/{name}/refs': [201, 400, 403, 409, 422],
  'PATCH /v1/namespaces/{ns}/repos/{name}/refs/{ref}': [200, 403, 404, 409],
  'DELETE /v1/namespaces/{ns}/repos/{name}/refs/{ref}': [204, 404, 409],
  'GET /v1/namespaces/{ns}/repos/{name}/log': [200, 400, 404],
  'GET /v1/namespaces/{ns}/repos/{name}/commits/{sha}': [200, 404],
  'GET /v1/namespaces/{ns}/repos/{name}/tree/{ref}': [200, 404],
  'GET /v1/namespaces/{ns}/repos/{name}/blobs/{sha}': [200, 206, 304, 400, 404, 416],
  'GET /v1/namespaces/{ns}/repos/{name}/files/{ref}/{path}': [200, 206, 304, 400, 404, 416],
  'GET /v1/namespaces/{ns}/repos/{name}/archive/{ref}.tar.gz': [200, 404],
  'GET /v1/namespaces/{ns}/repos/{name}/archive/{ref}.zip': [200, 404],
  'GET /v1/namespaces/{ns}/repos/{name}/compare/{basehead}': [200, 400, 401, 403, 404],
  'POST /v1/namespaces/{ns}/repos/{name}/commits': [201, 400, 401, 403, 404, 409, 413],
  'PUT /v1/namespaces/{ns}/repos/{name}/files/{branch}/{path}': [201, 413],
  'POST /v1/namespaces/{ns}/repos/{name}/revert': [201, 409],
  'POST /v1/namespaces/{ns}/repos/{name}/restore': [201, 404],
  'GET /v1/namespaces/{ns}/repos/{name}/notes': [200],
  'GET /v1/namespaces/{ns}/repos/{name}/notes/{object}': [200, 404],
  'PUT /v1/namespaces/{ns}/repos/{name}/notes/{object}': [200, 403, 409],
  'DELETE /v1/namespaces/{ns}/repos/{name}/notes/{object}': [200, 404],
  'GET /v1/namespaces/{ns}/repos/{name}/grep': [200, 400, 403],
  // Drafts, as test/drafts sees them answer.
  'POST /v1/namespaces/{ns}/repos/{name}/drafts': [201],
  'GET /v1/namespaces/{ns}/repos/{name}/drafts': [200],
  'GET /v1/namespaces/{ns}/repos/{name}/drafts/{id}': [200],
  'DELETE /v1/namespaces/{ns}/repos/{name}/drafts/{id}': [204],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/tools/read': [200, 403, 404],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/tools/write': [200, 403, 409],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/tools/edit': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/tools/ls': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/tools/glob': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/tools/grep': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/tools/stat': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/tools/mkdir': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/tools/rm': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/tools/mv': [200, 403],
  'GET /v1/namespaces/{ns}/repos/{name}/drafts/{id}/files/{path}': [200],
  'PUT /v1/namespaces/{ns}/repos/{name}/drafts/{id}/files/{path}': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/exec': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/blobs/missing': [200],
  'PUT /v1/namespaces/{ns}/repos/{name}/drafts/{id}/blobs/{sha}': [200, 201, 400],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/blobs': [200, 400],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/chunks/missing': [200, 400],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/chunks': [200, 409],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/blobs/assemble': [200, 400, 422],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/changes': [200, 403, 422],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/checkpoint': [201, 403],
  'GET /v1/namespaces/{ns}/repos/{name}/drafts/{id}/revisions': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/reset': [200],
  'GET /v1/namespaces/{ns}/repos/{name}/drafts/{id}/diff': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/update': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/apply': [200, 403, 409],
  'POST /v1/namespaces/{ns}/repos/{name}/drafts/{id}/tokens': [201],
  'POST /v1/namespaces/{ns}/repos/{name}/tools/read': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/tools/ls': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/tools/glob': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/tools/grep': [200],
  'POST /v1/namespaces/{ns}/repos/{name}/tools/stat': [200],
};

/** The routes of docs/API.md's tables: method, OpenAPI path, and the statuses its answer column names. */
function documentedRoutes(): { method: string; path: string; statuses: number[] }[] {
  const doc = readFileSync(new URL('../../docs/API.md', import.meta.url), 'utf8');
  const routes: { method: string; path: string; statuses: number[] }[] = [];
  for (const line of doc.split('\n')) {
    const match = /^\| `(GET|POST|PUT|PATCH|DELETE) (\/v1\/[^`]*)` \|[^|]*\|(.*)\|\s*$/.exec(line);
    if (match === null) continue;
    const [, method, path, answer] = match as unknown as [string, string, string, string];
    routes.push({
      method,
      path: path.replace(/:([a-z]+)/g, '{$1}'),
      statuses: [...answer.matchAll(/\b([1-5]\d\d)\b/g)].map((m) => Number(m[1])),
    });
  }
  return routes;
}

const ERROR_REF = '#/components/schemas/Error';

describe('/openapi.json', () => {
  const server = useApiServer();
  let cached: Document | undefined;
  const document = async (): Promise<Document> => {
    if (cached !== undefined) return cached;
    const answer = await server().call('GET', '/openapi.json', { token: null });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json\b/);
    cached = answer.json as Document;
    return cached;
  };
  const operations = async (): Promise<[string, Operation][]> => {
    const doc = await document();
    return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]));
  };

  it('is served without a token, as OpenAPI 3.1.x', async () => {
    const doc = await document();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info.title).toBe('string');
    expect(typeof doc.info.version).toBe('string');
  });

  it('finds the routes of docs/API.md (the parser of this test works)', () => {
    const routes = documentedRoutes();
    expect(routes.length).toBe(Object.keys(OBSERVED).length);
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(OBSERVED).sort());
  });

  it('lists every route of docs/API.md with its method, and no other /v1 route', async () => {
    const doc = await document();
    for (const { method, path } of documentedRoutes()) {
      expect(doc.paths[path]?.[method.toLowerCase()], `${method} ${path}`).toBeDefined();
    }
    const documented = new Set(documentedRoutes().map((r) => `${r.method} ${r.path}`));
    for (const [key] of await operations()) {
      if (key.split(' ')[1]!.startsWith('/v1/')) expect(documented.has(key), `${key} is not in docs/API.md`).toBe(true);
    }
  });

  it('documents the statuses docs/API.md gives each route', async () => {
    const doc = await document();
    for (const { method, path, statuses } of documentedRoutes()) {
      const op = doc.paths[path]![method.toLowerCase()]!;
      for (const status of statuses) expect(Object.keys(op.responses), `${method} ${path} ${status}`).toContain(String(status));
    }
  });

  it.each(Object.entries(OBSERVED))('%s documents every status it answered in the tests: %j', async (key, statuses) => {
    const [method, path] = key.split(' ') as [string, string];
    const op = (await document()).paths[path]?.[method.toLowerCase()];
    expect(op, key).toBeDefined();
    const documented = Object.keys(op!.responses).map(Number);
    for (const status of statuses) expect(documented, `${key} answered ${status}`).toContain(status);
  });

  it('documents each error response of each route with the Error schema', async () => {
    for (const [key, op] of await operations()) {
      const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      expect(errors.length, key).toBeGreaterThan(0);
      for (const [status, response] of errors) {
        expect(response.description, `${key} ${status}`).toBeTruthy();
        expect(response.content?.['application/json']?.schema?.$ref, `${key} ${status}`).toBe(ERROR_REF);
      }
    }
  });

  it('defines Error as {error: {code (every error code), message, details?}}', async () => {
    const schema = (await document()).components.schemas['Error'] as {
      type: string;
      required: string[];
      properties: { error: { required: string[]; properties: { code: { enum: string[] }; message: { type: string }; details: { type: string } } } };
    };
    expect(schema.required).toEqual(['error']);
    expect(schema.properties.error.required.sort()).toEqual(['code', 'message']);
    expect([...schema.properties.error.properties.code.enum].sort()).toEqual([...ERROR_CODES].sort());
    expect(schema.properties.error.properties.message.type).toBe('string');
    expect(schema.properties.error.properties.details.type).toBe('object');
  });

  it('names the bearer scheme on every /v1 route', async () => {
    const doc = await document();
    expect(doc.components.securitySchemes?.['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [key, op] of await operations()) {
      if (key.includes(' /v1/')) expect(op.security, key).toEqual([{ bearer: [] }]);
    }
  });

  it('declares each path parameter, and the documented query parameters with their values', async () => {
    const doc = await document();
    for (const [key, op] of await operations()) {
      const path = key.split(' ')[1]!;
      for (const [, name] of path.matchAll(/\{([a-z]+)\}/g)) {
        expect(op.parameters?.find((p) => p.name === name && p.in === 'path' && p.required === true), `${key} {${name}}`).toBeDefined();
      }
    }
    const query = (method: string, path: string): Map<string, string[] | undefined> =>
      new Map((doc.paths[path]![method]!.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.schema?.enum]));
    for (const [method, path] of [['get', '/v1/namespaces'], ['get', '/v1/namespaces/{ns}/repos'], ['get', '/v1/namespaces/{ns}/repos/{name}/tokens'], ['get', '/v1/tokens']] as const) {
      expect([...query(method, path).keys()], path).toEqual(expect.arrayContaining(['limit', 'cursor']));
    }
    const repos = query('get', '/v1/namespaces/{ns}/repos');
    expect(repos.has('search')).toBe(true);
    expect(repos.get('sort')?.sort()).toEqual(['created_at', 'last_push_at', 'name', 'updated_at']);
    expect(repos.get('direction')?.sort()).toEqual(['asc', 'desc']);
    for (const path of ['/v1/namespaces/{ns}/repos/{name}/tokens', '/v1/tokens']) {
      expect(query('get', path).get('state')?.sort(), path).toEqual(['active', 'all', 'expired', 'revoked']);
    }
    expect(query('delete', '/v1/namespaces/{ns}').has('force')).toBe(true);
  });

  it('describes the answers with the fields of docs/API.md', async () => {
    const schemas = (await document()).components.schemas;
    type Schema = { properties?: Record<string, unknown>; allOf?: Schema[]; $ref?: string };
    const keysOf = (schema: Schema | undefined): string[] => {
      if (schema === undefined) return [];
      if (schema.$ref !== undefined) return keysOf(schemas[schema.$ref.replace('#/components/schemas/', '')] as Schema | undefined);
      return [...Object.keys(schema.properties ?? {}), ...(schema.allOf ?? []).flatMap(keysOf)];
    };
    const fields = (name: string): string[] => [...new Set(keysOf(schemas[name] as Schema | undefined))].sort();
    // "Namespace = {name, created_at, repo_count}"
    expect(fields('Namespace')).toEqual(['created_at', 'name', 'repo_count']);
    // "Repo = {id, name, namespace, description, default_branch, read_only, status, status_reason, created_at, updated_at, last_push_at, source, remote}"
    expect(fields('Repo')).toEqual(['created_at', 'default_branch', 'description', 'id', 'last_push_at', 'name', 'namespace', 'read_only', 'remote', 'source', 'status', 'status_reason', 'updated_at']);
    // "Token = {id, scope, label, state, created_at, expires_at, last_used_at, revoked_at}"
    expect(fields('Token')).toEqual(['created_at', 'expires_at', 'id', 'label', 'last_used_at', 'revoked_at', 'scope', 'state']);
    // "201 {id, token, scope, label, created_at, expires_at}"
    expect(fields('MintedToken')).toEqual(['created_at', 'expires_at', 'id', 'label', 'scope', 'token']);
    expect(fields('RepoWithToken')).toEqual([...fields('Repo'), 'token'].sort());
  });

  // docs/API.md: UNSUPPORTED_MEDIA_TYPE 415 is "a body in an encoding or type not accepted", which any route
  // taking a JSON body can meet; none documents 415 (the server answers such bodies with 500 for now).
  it('documents 415 on every route that takes a JSON body', async () => {
    for (const [key, op] of await operations()) {
      if (op.requestBody?.content?.['application/json'] !== undefined) expect(Object.keys(op.responses), key).toContain('415');
    }
  });
});
