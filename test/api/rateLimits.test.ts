/**
 * Request rates (docs/API.md, RATE_LIMITED 429: "too many requests for this
 * token or namespace; Retry-After says how many seconds to wait"), on servers
 * started with `rates: {perToken: {limit: 3, windowSeconds: 3600}}` or
 * `{perNamespace: …}`: the fourth request in the window is refused with a
 * whole number of seconds ≥ 1 in `Retry-After`, and another token or
 * namespace is not affected. The window is an hour, so no request of a test
 * is let through by time passing. Each block has a server of its own: the
 * counts carry over from test to test.
 */
import { describe, expect, it } from 'vitest';
import { git } from '../support/git.ts';
import { uniqueName, useApiServer, type Answer } from './support/apiServer.ts';
import { expectError } from './support/shapes.ts';

const HOUR = { limit: 3, windowSeconds: 3600 };

function expectRateLimited(answer: Answer, context: string): void {
  expectError(answer, 'RATE_LIMITED', context);
  const retryAfter = answer.headers.get('retry-after');
  expect(retryAfter, context).toMatch(/^[1-9][0-9]*$/);
  expect(Number(retryAfter), context).toBeLessThanOrEqual(3600);
}

describe('per token, on REST routes', () => {
  const server = useApiServer({ rates: { perToken: HOUR } });

  it('refuses the 4th request of a token with 429 and Retry-After; another token is not affected', async () => {
    const first = await server().mintAdminToken({ label: 'first' }); // bootstrap: 1
    const second = await server().mintAdminToken({ label: 'second' }); // bootstrap: 2
    for (let i = 0; i < 3; i++) expect((await server().call('GET', '/v1/namespaces', { token: first.token })).status, `request ${i + 1}`).toBe(200);
    expectRateLimited(await server().call('GET', '/v1/namespaces', { token: first.token }), '4th');
    const name = uniqueName('late');
    expectRateLimited(await server().call('POST', '/v1/namespaces', { token: first.token, json: { name } }), '5th, on another route');
    expect((await server().call('GET', '/v1/namespaces', { token: second.token })).status).toBe(200);
    expect((await server().call('GET', '/v1/tokens')).status).toBe(200); // bootstrap: 3
    expectRateLimited(await server().call('GET', '/v1/tokens'), 'bootstrap, 4th');
    // The refused create made nothing.
    expectError(await server().call('GET', `/v1/namespaces/${name}`, { token: second.token }), 'NOT_FOUND');
  });

  it('does not count requests without a valid token against anyone', async () => {
    for (let i = 0; i < 5; i++) expectError(await server().call('GET', '/v1/namespaces', { token: 'not-a-token' }), 'UNAUTHORIZED');
  });
});

describe('per token, a fork into another namespace', () => {
  const server = useApiServer({ rates: { perToken: HOUR } });

  // A fork into another namespace is counted against that namespace too (repoRoutes.ts: ctx.rates.take(tokenId, target)),
  // which also takes a second unit from the token's bucket: one request costs the token two.
  it('counts as one request of the token', async () => {
    const admin = await server().mintAdminToken();
    const token = { token: admin.token };
    expect((await server().call('POST', `/v1/namespaces/${uniqueName('from')}/repos`, { ...token, json: { name: 'parent' } })).status).toBe(201);
    const created = (await server().call('GET', '/v1/tokens?state=all')).json as { tokens: unknown[] };
    expect(created.tokens).toHaveLength(1);
    const from = ((await server().call('GET', '/v1/namespaces')).json as { namespaces: { name: string }[] }).namespaces[0]!.name;
    const fork = await server().call('POST', `/v1/namespaces/${from}/repos/parent/fork`, { ...token, json: { name: 'child', namespace: uniqueName('to') } });
    expect(fork.status, fork.text).toBe(201); // the token's 2nd request
    expect((await server().call('GET', '/v1/namespaces', token)).status).toBe(200); // its 3rd
  });
});

describe('per token, on Git routes', () => {
  const server = useApiServer({ rates: { perToken: HOUR } });

  it('counts Git requests of a repository token with its REST requests; git fails on the 429', async () => {
    const ns = uniqueName('git-rates');
    const repo = await server().createRepo(ns, { name: 'repo' }); // bootstrap: 1
    const other = await server().mintToken(ns, 'repo', { scope: 'read' }); // bootstrap: 2
    const refs = `/git/${ns}/repo.git/info/refs?service=git-upload-pack`;
    for (let i = 0; i < 3; i++) expect((await server().call('GET', refs, { token: repo.token })).status, `request ${i + 1}`).toBe(200);
    expectRateLimited(await server().call('GET', refs, { token: repo.token }), 'Git, 4th');
    expectRateLimited(await server().call('GET', `/v1/namespaces/${ns}/repos/repo`, { token: repo.token }), 'REST after Git');
    const listed = await git(['ls-remote', repo.remote], { token: repo.token, allowFailure: true });
    expect(listed.code).not.toBe(0);
    expect(listed.stderr).toMatch(/429/);
    const byOther = await git(['ls-remote', repo.remote], { token: other.token, allowFailure: true });
    expect(byOther.code, byOther.stderr).toBe(0);
  });
});

describe('per namespace', () => {
  const server = useApiServer({ rates: { perNamespace: HOUR } });

  it('refuses the 4th request in a namespace, whatever the token; other namespaces and routes are not affected', async () => {
    const [busy, quiet] = [uniqueName('busy'), uniqueName('quiet')];
    // Routes without a namespace in the path are not counted against one.
    for (const name of [busy, quiet]) expect((await server().call('POST', '/v1/namespaces', { json: { name } })).status).toBe(201);
    const other = await server().mintAdminToken();
    for (let i = 0; i < 3; i++) expect((await server().call('GET', `/v1/namespaces/${busy}`)).status, `request ${i + 1}`).toBe(200);
    expectRateLimited(await server().call('GET', `/v1/namespaces/${busy}`), '4th');
    expectRateLimited(await server().call('GET', `/v1/namespaces/${busy}`, { token: other.token }), 'another token');
    expectRateLimited(await server().call('POST', `/v1/namespaces/${busy}/repos`, { json: { name: 'repo' } }), 'another route');
    expectRateLimited(await server().call('GET', `/git/${busy}/repo.git/info/refs?service=git-upload-pack`), 'a Git route');
    expect((await server().call('GET', `/v1/namespaces/${quiet}`)).status).toBe(200);
    expect((await server().call('POST', `/v1/namespaces/${quiet}/repos`, { json: { name: 'repo' } })).status).toBe(201);
    expect((await server().call('GET', '/v1/namespaces')).status).toBe(200);
    // The refused create made nothing.
    const list = (await server().call('GET', '/v1/namespaces')).json as { namespaces: { name: string; repo_count: number }[] };
    expect(list.namespaces.find((n) => n.name === busy)?.repo_count).toBe(0);
  });

  it('counts a fork against the namespace it goes to', async () => {
    const [from, full] = [uniqueName('from'), uniqueName('full')];
    await server().createRepo(from, { name: 'parent' }); // from: 1
    expect((await server().call('POST', '/v1/namespaces', { json: { name: full } })).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await server().call('GET', `/v1/namespaces/${full}`)).status).toBe(200);
    expectRateLimited(await server().call('POST', `/v1/namespaces/${from}/repos/parent/fork`, { json: { name: 'child', namespace: full } }), 'fork into a busy namespace');
    expectError(await server().call('GET', `/v1/namespaces/${from}/repos/child`), 'NOT_FOUND'); // from: 3
  });
});
