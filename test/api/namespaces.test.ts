/**
 * The namespace routes of docs/API.md, over HTTP against a real server:
 *
 *   POST   /v1/namespaces        {name}            201 Namespace; 409 ALREADY_EXISTS
 *   GET    /v1/namespaces        limit, cursor     200 {namespaces, next_cursor}, by name
 *   GET    /v1/namespaces/:ns                      200 Namespace
 *   DELETE /v1/namespaces/:ns    force=true        204; 409 NAMESPACE_NOT_EMPTY
 *
 * "Names (of namespaces and repositories) match [A-Za-z0-9][A-Za-z0-9._-]{1,62}
 * and do not end in .git or .lock." A namespace is also created by the first
 * repository made in it. Each answer is checked field by field, each error
 * for its code, status and `{error: {code, message, details}}` body.
 */
import { describe, expect, it } from 'vitest';
import { uniqueName, useApiServer } from './support/apiServer.ts';
import { BAD_NAMES, GOOD_NAMES } from './support/badNames.ts';
import { page, walk } from './support/pages.ts';
import { expectError, expectNamespace, ms, type NamespaceJson } from './support/shapes.ts';

describe('POST /v1/namespaces', () => {
  const server = useApiServer();

  it('creates a namespace: 201 Namespace {name, created_at, repo_count: 0}', async () => {
    const name = uniqueName('ns');
    const before = Date.now();
    const answer = await server().call('POST', '/v1/namespaces', { json: { name } });
    const after = Date.now();
    expect(answer.status, answer.text).toBe(201);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json\b/);
    const ns = expectNamespace(answer.json, { name, repo_count: 0 });
    expect(ms(ns.created_at)).toBeGreaterThanOrEqual(before);
    expect(ms(ns.created_at)).toBeLessThanOrEqual(after);
    const got = await server().call('GET', `/v1/namespaces/${name}`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(ns);
  });

  it.each(GOOD_NAMES)('accepts the name %j', async (name) => {
    const answer = await server().call('POST', '/v1/namespaces', { json: { name } });
    expect(answer.status, answer.text).toBe(201);
    expectNamespace(answer.json, { name, repo_count: 0 });
  });

  it('answers 409 ALREADY_EXISTS for a name taken, and leaves the namespace as it was', async () => {
    const name = uniqueName('taken');
    const first = await server().call('POST', '/v1/namespaces', { json: { name } });
    expect(first.status).toBe(201);
    const error = expectError(await server().call('POST', '/v1/namespaces', { json: { name } }), 'ALREADY_EXISTS');
    expect(error.message).toContain(name);
    expect((await server().call('GET', `/v1/namespaces/${name}`)).json).toEqual(first.json);
  });

  it('answers 409 ALREADY_EXISTS for a namespace a repository created', async () => {
    const name = uniqueName('implicit');
    await server().createRepo(name, { name: 'repo' });
    expectError(await server().call('POST', '/v1/namespaces', { json: { name } }), 'ALREADY_EXISTS');
  });

  it.each(BAD_NAMES)('answers 400 BAD_REQUEST to the name %j (%s), and creates nothing', async (name) => {
    expectError(await server().call('POST', '/v1/namespaces', { json: { name } }), 'BAD_REQUEST', JSON.stringify(name));
    const all = await walk<NamespaceJson>(server(), '/v1/namespaces', 'namespaces', 200);
    expect(all.map((n) => n.name)).not.toContain(name);
  });

  it('answers 400 BAD_REQUEST to a name of the wrong type, naming the field', async () => {
    for (const name of [5, null, true, ['ab'], { x: 'ab' }]) {
      const error = expectError(await server().call('POST', '/v1/namespaces', { json: { name } }), 'BAD_REQUEST', JSON.stringify(name));
      expect(error.details).toMatchObject({ field: 'name' });
    }
  });

  it('answers 400 BAD_REQUEST to a body without a name, or not an object', async () => {
    for (const json of [{}, [], 'ab', 42, null]) {
      expectError(await server().call('POST', '/v1/namespaces', { json }), 'BAD_REQUEST', JSON.stringify(json));
    }
  });

  it('answers 400 BAD_REQUEST to unknown body keys', async () => {
    const name = uniqueName('extra');
    expectError(await server().call('POST', '/v1/namespaces', { json: { name, colour: 'green' } }), 'BAD_REQUEST');
    expectError(await server().call('GET', `/v1/namespaces/${name}`), 'NOT_FOUND');
  });

  // docs/API.md: "details (optional) names the offending field or value"; the server answers details.field = "".
  it('names an unknown body key in details.field', async () => {
    const error = expectError(await server().call('POST', '/v1/namespaces', { json: { name: uniqueName('extra'), colour: 'green' } }), 'BAD_REQUEST');
    expect(error.details).toMatchObject({ field: 'colour' });
  });

  // The server answers 500 INTERNAL: Hono's JSON validator throws an HTTPException(400) that errorResponse does not map.
  it('answers 400 BAD_REQUEST to a malformed JSON body', async () => {
    for (const body of ['{"name": "ab"', '{name: "ab"}', "{'name': 'ab'}", 'not json']) {
      expectError(await server().call('POST', '/v1/namespaces', { body, headers: { 'content-type': 'application/json' } }), 'BAD_REQUEST', body);
    }
  });

  // The server answers 500 INTERNAL (an HTTPException(400) from the validator).
  it('answers 400 BAD_REQUEST to an empty JSON body', async () => {
    expectError(await server().call('POST', '/v1/namespaces', { body: '', headers: { 'content-type': 'application/json' } }), 'BAD_REQUEST');
  });

  // docs/API.md: UNSUPPORTED_MEDIA_TYPE 415, "a body in an encoding or type not accepted". The server answers 500 INTERNAL.
  it('answers 415 UNSUPPORTED_MEDIA_TYPE to a body that is not JSON', async () => {
    const answer = await server().call('POST', '/v1/namespaces', { body: 'name=ab', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectError(answer, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('GET /v1/namespaces: a page by name', () => {
  const server = useApiServer();
  const names = ['nb-07', 'nb-03', 'nb-05', 'nb-01', 'nb-06', 'nb-02', 'nb-04'];

  const all = async (): Promise<string[]> => (await walk<NamespaceJson>(server(), '/v1/namespaces', 'namespaces', 200)).map((n) => n.name);

  it('lists every namespace by name, each a Namespace, and a single page with next_cursor null', async () => {
    const empty = await page<NamespaceJson>(server(), '/v1/namespaces', 'namespaces');
    expect(empty).toEqual({ items: [], next_cursor: null });
    for (const name of names) {
      const answer = await server().call('POST', '/v1/namespaces', { json: { name } });
      expect(answer.status).toBe(201);
    }
    const withRepos = 'nb-05';
    await server().createRepo(withRepos, { name: 'one' });
    await server().createRepo(withRepos, { name: 'two' });
    const got = await page<NamespaceJson>(server(), '/v1/namespaces', 'namespaces');
    expect(got.next_cursor).toBeNull();
    expect(got.items.map((n) => n.name)).toEqual([...names].sort());
    for (const ns of got.items) expectNamespace(ns, { repo_count: ns.name === withRepos ? 2 : 0 });
  });

  it('walks every namespace exactly once with limit 1, ending on next_cursor null', async () => {
    const walked = (await walk<NamespaceJson>(server(), '/v1/namespaces', 'namespaces', 1)).map((n) => n.name);
    expect(walked).toEqual([...names].sort());
    expect(new Set(walked).size).toBe(walked.length);
  });

  it('gives next_cursor null when exactly `limit` items remain (no empty last page)', async () => {
    const exact = await page<NamespaceJson>(server(), '/v1/namespaces', 'namespaces', { limit: names.length });
    expect(exact.items).toHaveLength(names.length);
    expect(exact.next_cursor).toBeNull();
    const first = await page<NamespaceJson>(server(), '/v1/namespaces', 'namespaces', { limit: 4 });
    expect(first.items).toHaveLength(4);
    expect(first.next_cursor).not.toBeNull();
    const second = await page<NamespaceJson>(server(), '/v1/namespaces', 'namespaces', { limit: 3, cursor: first.next_cursor! });
    expect(second.items).toHaveLength(3);
    expect(second.next_cursor).toBeNull();
    expect([...first.items, ...second.items].map((n) => n.name)).toEqual([...names].sort());
  });

  it('walks the same list with every limit', async () => {
    const expected = await all();
    for (const limit of [2, 3, 6, 8, 200]) {
      expect((await walk<NamespaceJson>(server(), '/v1/namespaces', 'namespaces', limit)).map((n) => n.name), `limit ${limit}`).toEqual(expected);
    }
  });

  it('keeps a cursor valid while namespaces before and after it are added and deleted', async () => {
    const first = await page<NamespaceJson>(server(), '/v1/namespaces', 'namespaces', { limit: 3 });
    expect(first.items.map((n) => n.name)).toEqual(['nb-01', 'nb-02', 'nb-03']);
    // Delete the last item seen and one before it, add one before and one after the cursor.
    for (const name of ['nb-03', 'nb-01']) expect((await server().call('DELETE', `/v1/namespaces/${name}`)).status).toBe(204);
    for (const name of ['nb-00', 'nb-025', 'nb-99']) expect((await server().call('POST', '/v1/namespaces', { json: { name } })).status).toBe(201);
    const rest: string[] = [];
    let cursor: string | null = first.next_cursor;
    while (cursor !== null) {
      const next: { items: NamespaceJson[]; next_cursor: string | null } = await page<NamespaceJson>(server(), '/v1/namespaces', 'namespaces', { limit: 2, cursor });
      rest.push(...next.items.map((n) => n.name));
      cursor = next.next_cursor;
    }
    expect(rest).toEqual(['nb-04', 'nb-05', 'nb-06', 'nb-07', 'nb-99']);
  });

  it('takes limit from 1 to 200 and defaults to 50', async () => {
    for (let i = 0; i < 52; i++) {
      expect((await server().call('POST', '/v1/namespaces', { json: { name: `zz-${String(i).padStart(2, '0')}` } })).status).toBe(201);
    }
    const total = (await all()).length;
    expect(total).toBeGreaterThan(50);
    const byDefault = await page<NamespaceJson>(server(), '/v1/namespaces', 'namespaces');
    expect(byDefault.items).toHaveLength(50);
    expect(byDefault.next_cursor).not.toBeNull();
    const most = await page<NamespaceJson>(server(), '/v1/namespaces', 'namespaces', { limit: 200 });
    expect(most.items).toHaveLength(total);
    expect(most.next_cursor).toBeNull();
  });

  it.each(['0', '201', 'abc', '-1', '1.5', '', '1e9'])('answers 400 BAD_REQUEST to limit=%j, naming the field', async (limit) => {
    const error = expectError(await server().call('GET', `/v1/namespaces?limit=${encodeURIComponent(limit)}`), 'BAD_REQUEST', limit);
    expect(error.details).toMatchObject({ field: 'limit' });
  });

  it('answers 400 BAD_REQUEST to a cursor that no page gave, naming the field', async () => {
    const foreign = Buffer.from(JSON.stringify([1])).toString('base64url'); // a number where a name belongs
    const repoCursor = Buffer.from(JSON.stringify([1, 'abc'])).toString('base64url');
    for (const cursor of ['zzz', '!!!', foreign, repoCursor, 'x'.repeat(1025), Buffer.from('{"a":1}').toString('base64url')]) {
      const error = expectError(await server().call('GET', `/v1/namespaces?cursor=${encodeURIComponent(cursor)}`), 'BAD_REQUEST', cursor.slice(0, 40));
      expect(error.details).toMatchObject({ field: 'cursor' });
    }
  });
});

describe('GET /v1/namespaces/:ns', () => {
  const server = useApiServer();

  it('answers the Namespace with its repo_count', async () => {
    const name = uniqueName('get');
    const created = await server().call('POST', '/v1/namespaces', { json: { name } });
    await server().createRepo(name, { name: 'r1' });
    await server().createRepo(name, { name: 'r2' });
    await server().createRepo(name, { name: 'r3' });
    const answer = await server().call('GET', `/v1/namespaces/${name}`);
    expect(answer.status).toBe(200);
    expectNamespace(answer.json, { name, repo_count: 3, created_at: (created.json as NamespaceJson).created_at });
    expect((await server().call('DELETE', `/v1/namespaces/${name}/repos/r2`)).status).toBe(204);
    expectNamespace((await server().call('GET', `/v1/namespaces/${name}`)).json, { name, repo_count: 2 });
  });

  it('answers 404 NOT_FOUND for a namespace that does not exist, naming it', async () => {
    const name = uniqueName('missing');
    const error = expectError(await server().call('GET', `/v1/namespaces/${name}`), 'NOT_FOUND');
    expect(error.details).toMatchObject({ namespace: name });
  });

  it('is created by the first repository made in it', async () => {
    const name = uniqueName('implicit');
    expectError(await server().call('GET', `/v1/namespaces/${name}`), 'NOT_FOUND');
    const before = Date.now();
    await server().createRepo(name, { name: 'first' });
    const ns = expectNamespace((await server().call('GET', `/v1/namespaces/${name}`)).json, { name, repo_count: 1 });
    expect(ms(ns.created_at)).toBeGreaterThanOrEqual(before);
    await server().createRepo(name, { name: 'second' });
    expectNamespace((await server().call('GET', `/v1/namespaces/${name}`)).json, { name, repo_count: 2, created_at: ns.created_at });
  });
});

describe('DELETE /v1/namespaces/:ns', () => {
  const server = useApiServer();

  async function withRepos(count: number): Promise<{ name: string; tokens: string[] }> {
    const name = uniqueName('del');
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) tokens.push((await server().createRepo(name, { name: `repo-${i}` })).token);
    return { name, tokens };
  }

  it('deletes an empty namespace: 204 with no body; then 404, and the name can be made again', async () => {
    const name = uniqueName('empty');
    expect((await server().call('POST', '/v1/namespaces', { json: { name } })).status).toBe(201);
    const answer = await server().call('DELETE', `/v1/namespaces/${name}`);
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expectError(await server().call('GET', `/v1/namespaces/${name}`), 'NOT_FOUND');
    expectError(await server().call('DELETE', `/v1/namespaces/${name}`), 'NOT_FOUND');
    expect((await server().call('POST', '/v1/namespaces', { json: { name } })).status).toBe(201);
  });

  it('deletes a namespace emptied of its repositories without force', async () => {
    const { name } = await withRepos(1);
    expect((await server().call('DELETE', `/v1/namespaces/${name}/repos/repo-0`)).status).toBe(204);
    expect((await server().call('DELETE', `/v1/namespaces/${name}`)).status).toBe(204);
    expectError(await server().call('GET', `/v1/namespaces/${name}`), 'NOT_FOUND');
  });

  it('answers 409 NAMESPACE_NOT_EMPTY without force (or with force=false), and deletes nothing', async () => {
    const { name, tokens } = await withRepos(2);
    for (const query of ['', '?force=false']) {
      const error = expectError(await server().call('DELETE', `/v1/namespaces/${name}${query}`), 'NAMESPACE_NOT_EMPTY', query);
      expect(error.details).toMatchObject({ namespace: name, repo_count: 2 });
    }
    expectNamespace((await server().call('GET', `/v1/namespaces/${name}`)).json, { name, repo_count: 2 });
    for (const [i, token] of tokens.entries()) {
      expect((await server().call('GET', `/v1/namespaces/${name}/repos/repo-${i}`, { token })).status).toBe(200);
    }
  });

  it('with force=true deletes the namespace, its repositories and their tokens', async () => {
    const { name, tokens } = await withRepos(3);
    const answer = await server().call('DELETE', `/v1/namespaces/${name}?force=true`);
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expectError(await server().call('GET', `/v1/namespaces/${name}`), 'NOT_FOUND');
    expectError(await server().call('GET', `/v1/namespaces/${name}/repos`), 'NOT_FOUND');
    for (let i = 0; i < 3; i++) expectError(await server().call('GET', `/v1/namespaces/${name}/repos/repo-${i}`), 'NOT_FOUND');
    for (const [i, token] of tokens.entries()) {
      expectError(await server().call('GET', `/v1/namespaces/${name}/repos/repo-${i}`, { token }), 'UNAUTHORIZED');
      expectError(await server().call('GET', `/git/${name}/repo-${i}.git/info/refs?service=git-upload-pack`, { token }), 'UNAUTHORIZED');
    }
    // The names are free again, and the old tokens do not open the new repositories.
    const again = await server().createRepo(name, { name: 'repo-0' });
    expect(again.namespace).toBe(name);
    expectError(await server().call('GET', `/v1/namespaces/${name}/repos/repo-0`, { token: tokens[0]! }), 'UNAUTHORIZED');
  });

  it('with force=true deletes an empty namespace too', async () => {
    const name = uniqueName('empty-forced');
    expect((await server().call('POST', '/v1/namespaces', { json: { name } })).status).toBe(201);
    expect((await server().call('DELETE', `/v1/namespaces/${name}?force=true`)).status).toBe(204);
    expectError(await server().call('GET', `/v1/namespaces/${name}`), 'NOT_FOUND');
  });

  it('answers 404 NOT_FOUND for a namespace that does not exist, with or without force', async () => {
    for (const query of ['', '?force=true']) {
      const name = uniqueName('nowhere');
      const error = expectError(await server().call('DELETE', `/v1/namespaces/${name}${query}`), 'NOT_FOUND');
      expect(error.details).toMatchObject({ namespace: name });
    }
  });

  it.each(['yes', '1', 'TRUE', ''])('answers 400 BAD_REQUEST to force=%j', async (force) => {
    const { name } = await withRepos(1);
    const error = expectError(await server().call('DELETE', `/v1/namespaces/${name}?force=${force}`), 'BAD_REQUEST');
    expect(error.details).toMatchObject({ field: 'force' });
    expectNamespace((await server().call('GET', `/v1/namespaces/${name}`)).json, { repo_count: 1 });
  });
});

describe('namespace routes: authentication, rights and unknown routes', () => {
  const server = useApiServer();

  /** Every namespace route, with a request that would succeed with the admin token. */
  function routes(): { method: string; path: string; json?: unknown }[] {
    return [
      { method: 'POST', path: '/v1/namespaces', json: { name: uniqueName('auth') } },
      { method: 'GET', path: '/v1/namespaces' },
      { method: 'GET', path: '/v1/namespaces/guarded' },
      { method: 'DELETE', path: '/v1/namespaces/guarded' },
    ];
  }

  it('answers 401 UNAUTHORIZED with a challenge without a token, or with a malformed, wrong or revoked one', async () => {
    expect((await server().call('POST', '/v1/namespaces', { json: { name: 'guarded' } })).status).toBe(201);
    const revoked = await server().mintAdminToken();
    expect((await server().call('DELETE', `/v1/tokens/${revoked.id}`)).status).toBe(204);
    const wrongSecret = `${revoked.token.slice(0, -64)}${'0'.repeat(64)}`;
    const cases: [string, Record<string, string>][] = [
      ['no Authorization', {}],
      ['Bearer and nothing', { authorization: 'Bearer' }],
      ['an unknown scheme', { authorization: `Digest ${server().admin}` }],
      ['Basic that is not base64', { authorization: 'Basic %%%' }],
      ['a random Bearer token', { authorization: 'Bearer not-a-token' }],
      ['the admin token with a character more', { authorization: `Bearer ${server().admin}x` }],
      ['a Grove token with a wrong secret', { authorization: `Bearer ${wrongSecret}` }],
      ['a revoked admin token', { authorization: `Bearer ${revoked.token}` }],
    ];
    for (const route of routes()) {
      for (const [what, headers] of cases) {
        const answer = await server().call(route.method, route.path, { token: null, headers, ...(route.json === undefined ? {} : { json: route.json }) });
        expectError(answer, 'UNAUTHORIZED', `${route.method} ${route.path} with ${what}`);
      }
    }
    expectNamespace((await server().call('GET', '/v1/namespaces/guarded')).json, { name: 'guarded' });
  });

  it('accepts the admin token as the password of Basic auth', async () => {
    const answer = await server().call('GET', '/v1/namespaces', { token: null, headers: { authorization: `Basic ${btoa(`anyone:${server().admin}`)}` } });
    expect(answer.status).toBe(200);
  });

  it('answers 403 FORBIDDEN to repository tokens, read or write', async () => {
    const repo = await server().createRepo('guarded-repos', { name: 'repo' });
    const read = await server().mintToken('guarded-repos', 'repo', { scope: 'read' });
    for (const token of [repo.token, read.token]) {
      for (const route of routes()) {
        const answer = await server().call(route.method, route.path, { token, ...(route.json === undefined ? {} : { json: route.json }) });
        expectError(answer, 'FORBIDDEN', `${route.method} ${route.path}`);
      }
    }
    expectNamespace((await server().call('GET', '/v1/namespaces/guarded')).json, { name: 'guarded' });
  });

  it('checks the token before the input: a bad body without a token is 401, with a repository token 403', async () => {
    expectError(await server().call('POST', '/v1/namespaces', { token: null, json: { name: '..' } }), 'UNAUTHORIZED');
    expectError(await server().call('GET', '/v1/namespaces?limit=0', { token: null }), 'UNAUTHORIZED');
    const repo = await server().createRepo('guarded-input', { name: 'repo' });
    expectError(await server().call('POST', '/v1/namespaces', { token: repo.token, json: { name: '..' } }), 'FORBIDDEN');
  });

  it('answers 404 NOT_FOUND to routes and methods that do not exist', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nothing'],
      ['GET', '/v1'],
      ['PUT', '/v1/namespaces'],
      ['PATCH', '/v1/namespaces/guarded'],
      ['POST', '/v1/namespaces/guarded'],
      ['GET', '/v1/namespaces/guarded/elsewhere'],
      ['GET', '/v2/namespaces'],
    ] as const) {
      expectError(await server().call(method, path), 'NOT_FOUND', `${method} ${path}`);
    }
  });
});
