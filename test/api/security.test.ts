/**
 * The access rules of docs/API.md ("Authentication"), over Git (real git and
 * hand-made requests) and REST, and what the server must never do:
 *
 * - a read token clones and fetches, never pushes (403, the ref unchanged);
 * - "A repository token never learns whether another repository exists: it
 *   gets 403 either way" — the same answer for an existing and a missing one;
 * - repository tokens use no admin route (403);
 * - a missing, malformed or revoked token gets 401 on Git and REST;
 * - no token secret is ever logged, nor shown in a list;
 * - names in paths and bodies (`..`, `%2e%2e`, `%2F`, `%00`, 300 characters…)
 *   get 400 or 404, never a 500, and no file appears outside the data
 *   directory (nor inside it).
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { git } from '../support/git.ts';
import { useTempDir } from '../support/tempDir.ts';
import { uniqueName, useApiServer, type Answer, type ApiServer } from './support/apiServer.ts';
import { expectError, secretOf, type ErrorJson, type MintedJson, type RepoWithTokenJson } from './support/shapes.ts';
import { commit, initWorkTree, lsRemote } from './support/workTree.ts';

const work = useTempDir('grove-api-security-');
let dirs = 0;

const AUTH_FAILED = /Authentication failed|could not read Username/;

/** A repository on `server` with one commit on main, and a work tree that has one commit more. */
async function pushedRepo(server: ApiServer, ns: string, name: string): Promise<{ repo: RepoWithTokenJson; dir: string; first: string; second: string }> {
  const repo = await server.createRepo(ns, { name });
  const dir = join(work, `wt-${++dirs}`);
  const first = await initWorkTree(dir);
  await git(['push', '--quiet', repo.remote, 'main'], { cwd: dir, token: repo.token });
  const second = await commit(dir, 'not pushed yet');
  return { repo, dir, first, second };
}

/** The four Git endpoints of a repository, each with a request that would otherwise be served. */
function gitCalls(server: ApiServer, ns: string, name: string, token: string | null): Promise<Answer>[] {
  const base = `/git/${ns}/${name}.git`;
  const auth = { token };
  return [
    server.call('GET', `${base}/info/refs?service=git-upload-pack`, auth),
    server.call('GET', `${base}/info/refs?service=git-receive-pack`, auth),
    server.call('POST', `${base}/git-upload-pack`, { ...auth, body: '0014command=ls-refs\n0000', headers: { 'git-protocol': 'version=2', 'content-type': 'application/x-git-upload-pack-request' } }),
    server.call('POST', `${base}/git-receive-pack`, { ...auth, body: '0000', headers: { 'content-type': 'application/x-git-receive-pack-request' } }),
  ];
}

/**
 * Every admin route of docs/API.md, each with a request the admin token would
 * have served (on repository `ns/name`, token `tokenId`).
 */
function adminRoutes(ns: string, name: string, tokenId: string, remote: string): [string, string, unknown?][] {
  return [
    ['POST', '/v1/namespaces', { name: uniqueName('intruder') }],
    ['GET', '/v1/namespaces'],
    ['GET', `/v1/namespaces/${ns}`],
    ['DELETE', `/v1/namespaces/${ns}?force=true`],
    ['POST', `/v1/namespaces/${ns}/repos`, { name: 'intruder' }],
    ['GET', `/v1/namespaces/${ns}/repos`],
    ['PATCH', `/v1/namespaces/${ns}/repos/${name}`, { read_only: true }],
    ['DELETE', `/v1/namespaces/${ns}/repos/${name}`],
    ['POST', `/v1/namespaces/${ns}/repos/${name}/fork`, { name: 'intruder' }],
    ['POST', `/v1/namespaces/${ns}/repos/intruder/import`, { url: remote }],
    ['POST', `/v1/namespaces/${ns}/repos/${name}/tokens`, { scope: 'write' }],
    ['GET', `/v1/namespaces/${ns}/repos/${name}/tokens`],
    ['DELETE', `/v1/namespaces/${ns}/repos/${name}/tokens/${tokenId}`],
    ['POST', '/v1/tokens', {}],
    ['GET', '/v1/tokens'],
    ['DELETE', `/v1/tokens/${tokenId}`],
  ];
}

describe('rights of repository tokens', () => {
  const server = useApiServer();
  const ns = uniqueName('rights');
  let a: Awaited<ReturnType<typeof pushedRepo>>;
  let b: Awaited<ReturnType<typeof pushedRepo>>;
  let readA: MintedJson;

  beforeAll(async () => {
    a = await pushedRepo(server(), ns, 'repo-a');
    b = await pushedRepo(server(), ns, 'repo-b');
    readA = await server().mintToken(ns, 'repo-a', { scope: 'read' });
  });

  it('a read token clones but its push is refused (git fails on a 403) and the ref is unchanged', async () => {
    const clone = join(work, `clone-${++dirs}`);
    await git(['clone', '--quiet', a.repo.remote, clone], { token: readA.token });
    for (const refspec of ['main', 'main:refs/heads/new', ':refs/heads/main']) {
      const pushed = await git(['push', a.repo.remote, refspec], { cwd: a.dir, token: readA.token, allowFailure: true });
      expect(pushed.code, refspec).not.toBe(0);
      expect(pushed.stderr, refspec).toMatch(/403/);
    }
    expect(await lsRemote(a.repo.remote, a.repo.token)).toEqual({ HEAD: a.first, 'refs/heads/main': a.first });
    const [, receiveRefs, , receivePack] = await Promise.all(gitCalls(server(), ns, 'repo-a', readA.token));
    expectError(receiveRefs!, 'FORBIDDEN', 'info/refs?service=git-receive-pack');
    expectError(receivePack!, 'FORBIDDEN', 'git-receive-pack');
    expect(await lsRemote(a.repo.remote, a.repo.token)).toEqual({ HEAD: a.first, 'refs/heads/main': a.first });
  });

  it('a token of repository A gets 403 on repository B, for Git and for GET /v1/…/repos/B; B is unchanged', async () => {
    for (const token of [a.repo.token, readA.token]) {
      const listed = await git(['ls-remote', b.repo.remote], { token, allowFailure: true });
      expect(listed.code).not.toBe(0);
      expect(listed.stderr).toMatch(/403/);
      expect(listed.stdout).toBe('');
      const pushed = await git(['push', b.repo.remote, 'main'], { cwd: a.dir, token, allowFailure: true });
      expect(pushed.code).not.toBe(0);
      for (const answer of await Promise.all(gitCalls(server(), ns, 'repo-b', token))) expectError(answer, 'FORBIDDEN');
      expectError(await server().call('GET', `/v1/namespaces/${ns}/repos/repo-b`, { token }), 'FORBIDDEN');
    }
    expect(await lsRemote(b.repo.remote, b.repo.token)).toEqual({ HEAD: b.first, 'refs/heads/main': b.first });
  });

  it('gives the same answer whether the other repository (or namespace) exists or not', async () => {
    const missingNs = uniqueName('missing');
    // Each answer with the repository's names replaced, so only existence could tell them apart.
    const normalized = (answer: Answer, namespace: string, name: string): unknown => ({
      status: answer.status,
      type: answer.headers.get('content-type'),
      body: JSON.parse(answer.text.replaceAll(`${namespace}/${name}`, 'NS/NAME').replaceAll(`"${namespace}"`, '"NS"').replaceAll(`"${name}"`, '"NAME"')) as ErrorJson,
    });
    for (const token of [a.repo.token, readA.token]) {
      const targets: [string, string][] = [[ns, 'repo-b'], [ns, 'repo-zz'], [missingNs, 'repo-b']];
      const seen: unknown[][] = [];
      for (const [namespace, name] of targets) {
        const answers = [
          ...(await Promise.all(gitCalls(server(), namespace, name, token))),
          await server().call('GET', `/v1/namespaces/${namespace}/repos/${name}`, { token }),
        ];
        for (const answer of answers) expectError(answer, 'FORBIDDEN', `${namespace}/${name}`);
        seen.push(answers.map((answer) => normalized(answer, namespace, name)));
      }
      expect(seen[1]).toEqual(seen[0]);
      expect(seen[2]).toEqual(seen[0]);
      // And git says the same.
      const existing = await git(['ls-remote', b.repo.remote], { token, allowFailure: true });
      const missing = await git(['ls-remote', `${server().url}/git/${ns}/repo-zz.git`], { token, allowFailure: true });
      expect({ code: missing.code, stderr: missing.stderr.replaceAll('repo-zz', 'X') }).toEqual({ code: existing.code, stderr: existing.stderr.replaceAll('repo-b', 'X') });
    }
  });

  it('a repository token can use no admin route (403), not even on its own repository, and changes nothing', async () => {
    const before = {
      repo: (await server().call('GET', `/v1/namespaces/${ns}/repos/repo-a`)).json,
      tokens: (await server().call('GET', `/v1/namespaces/${ns}/repos/repo-a/tokens?state=all`)).json,
      admins: (await server().call('GET', '/v1/tokens?state=all')).json,
      namespaces: (await server().call('GET', '/v1/namespaces')).json,
    };
    const routes = adminRoutes(ns, 'repo-a', readA.id, a.repo.remote);
    for (const token of [a.repo.token, readA.token]) {
      for (const [method, path, json] of routes) {
        expectError(await server().call(method, path, { token, ...(json === undefined ? {} : { json }) }), 'FORBIDDEN', `${method} ${path}`);
      }
    }
    expect({
      repo: (await server().call('GET', `/v1/namespaces/${ns}/repos/repo-a`)).json,
      tokens: (await server().call('GET', `/v1/namespaces/${ns}/repos/repo-a/tokens?state=all`)).json,
      admins: (await server().call('GET', '/v1/tokens?state=all')).json,
      namespaces: (await server().call('GET', '/v1/namespaces')).json,
    }).toEqual(before);
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos/repo-a`, { token: readA.token })).status).toBe(200);
  });
});

describe('revoked and malformed tokens', () => {
  const server = useApiServer();
  const ns = uniqueName('revoked');
  let a: Awaited<ReturnType<typeof pushedRepo>>;
  let revoked: MintedJson;
  let revokedAdmin: MintedJson;

  beforeAll(async () => {
    a = await pushedRepo(server(), ns, 'repo');
    revoked = await server().mintToken(ns, 'repo', { scope: 'write' });
    expect((await server().call('DELETE', `/v1/namespaces/${ns}/repos/repo/tokens/${revoked.id}`)).status).toBe(204);
    revokedAdmin = await server().mintAdminToken();
    expect((await server().call('DELETE', `/v1/tokens/${revokedAdmin.id}`)).status).toBe(204);
  });

  /** Authorization headers that must all get 401, each with why. */
  function badAuthorizations(): [string, string | null][] {
    const token = a.repo.token;
    const secret = secretOf(token);
    const id = token.slice(6, 22);
    return [
      ['none', null],
      ['a revoked repository token', `Bearer ${revoked.token}`],
      ['a revoked admin token', `Bearer ${revokedAdmin.token}`],
      ['a revoked token as Basic password', `Basic ${btoa(`git:${revoked.token}`)}`],
      ['Bearer alone', 'Bearer'],
      ['Bearer and spaces', 'Bearer    '],
      ['an unknown scheme', `Digest ${token}`],
      ['Basic that is not base64', 'Basic ***'],
      ['Basic with an empty password and no user', `Basic ${btoa(':')}`],
      ['the token cut short', `Bearer ${token.slice(0, -1)}`],
      ['the token with one character more', `Bearer ${token}0`],
      ['the secret alone', `Bearer ${secret}`],
      ['the secret in capitals', `Bearer grove_${id}_${secret.toUpperCase()}`],
      ['another prefix', `Bearer grave_${id}_${secret}`],
      ['an unknown id', `Bearer grove_${'f'.repeat(16)}_${secret}`],
      ['a wrong secret', `Bearer grove_${id}_${'0'.repeat(64)}`],
      ['a NUL inside', `Bearer ${token.slice(0, 10)}%00${token.slice(10)}`],
    ];
  }

  it('answers 401 UNAUTHORIZED with a challenge on every Git endpoint, and nothing changes', async () => {
    for (const [what, authorization] of badAuthorizations()) {
      const headers: Record<string, string> = authorization === null ? {} : { authorization };
      const base = `/git/${ns}/repo.git`;
      for (const [method, path, body] of [
        ['GET', `${base}/info/refs?service=git-upload-pack`, undefined],
        ['GET', `${base}/info/refs?service=git-receive-pack`, undefined],
        ['POST', `${base}/git-upload-pack`, '0014command=ls-refs\n0000'],
        ['POST', `${base}/git-receive-pack`, '0000'],
      ] as const) {
        const answer = await server().call(method, path, { token: null, headers, ...(body === undefined ? {} : { body }) });
        expectError(answer, 'UNAUTHORIZED', `${what}: ${method} ${path}`);
      }
    }
    expect(await lsRemote(a.repo.remote, a.repo.token)).toEqual({ HEAD: a.first, 'refs/heads/main': a.first });
  });

  it('answers 401 UNAUTHORIZED on every REST route, the repository GET and admin routes alike, and changes nothing', async () => {
    const routes: [string, string, unknown?][] = [['GET', `/v1/namespaces/${ns}/repos/repo`], ...adminRoutes(ns, 'repo', revoked.id, a.repo.remote)];
    const before = (await server().call('GET', `/v1/namespaces/${ns}/repos/repo/tokens?state=all`)).json;
    for (const [what, authorization] of badAuthorizations()) {
      const headers: Record<string, string> = authorization === null ? {} : { authorization };
      for (const [method, path, json] of routes) {
        const answer = await server().call(method, path, { token: null, headers, ...(json === undefined ? {} : { json }) });
        expectError(answer, 'UNAUTHORIZED', `${what}: ${method} ${path}`);
      }
    }
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos/repo`, { token: a.repo.token })).status).toBe(200);
    expect((await server().call('GET', `/v1/namespaces/${ns}/repos/repo/tokens?state=all`)).json).toEqual(before);
  });

  it('makes git fail with a revoked token, as Bearer or Basic password, for fetch and push', async () => {
    const asBasic = new URL(a.repo.remote);
    asBasic.username = 'git';
    asBasic.password = revoked.token;
    for (const [remote, token] of [[a.repo.remote, revoked.token], [asBasic.href, undefined], [a.repo.remote, revokedAdmin.token]] as const) {
      const listed = await git(['ls-remote', remote], { allowFailure: true, ...(token === undefined ? {} : { token }) });
      expect(listed.code).not.toBe(0);
      expect(listed.stderr).toMatch(AUTH_FAILED);
      const pushed = await git(['push', remote, 'main'], { cwd: a.dir, allowFailure: true, ...(token === undefined ? {} : { token }) });
      expect(pushed.code).not.toBe(0);
      expect(pushed.stderr).toMatch(AUTH_FAILED);
    }
    expect(await lsRemote(a.repo.remote, a.repo.token)).toEqual({ HEAD: a.first, 'refs/heads/main': a.first });
  });
});

describe('secrets never leave the server: not in logs, not in lists', () => {
  const server = useApiServer({ allowPrivateRemotes: true });
  const ns = uniqueName('secrets');
  /** Every token secret the server has seen, and every bad token sent to it. */
  const secrets: string[] = [];
  const keep = (token: string): string => {
    secrets.push(token);
    if (/^grove_[0-9a-f]{16}_[0-9a-f]{64}$/.test(token)) secrets.push(secretOf(token));
    return token;
  };

  beforeAll(async () => {
    keep(server().admin);
    const { repo, dir } = await pushedRepo(server(), ns, 'repo');
    keep(repo.token);
    const read = await server().mintToken(ns, 'repo', { scope: 'read', label: 'reader' });
    keep(read.token);
    const admin = await server().mintAdminToken({ label: 'second admin' });
    keep(admin.token);
    const revoked = await server().mintToken(ns, 'repo', { scope: 'write' });
    keep(revoked.token);
    expect((await server().call('DELETE', `/v1/namespaces/${ns}/repos/repo/tokens/${revoked.id}`)).status).toBe(204);

    // A push and a clone, with the token as Bearer and as a Basic password.
    await git(['push', '--quiet', repo.remote, 'HEAD:refs/heads/main'], { cwd: dir, token: repo.token });
    const asBasic = new URL(repo.remote);
    asBasic.username = 'agent';
    asBasic.password = read.token;
    await git(['clone', '--quiet', asBasic.href, join(work, `clone-${++dirs}`)]);
    // Failing requests: bad, wrong and revoked tokens, on Git and REST.
    const wrong = keep(`${repo.token.slice(0, -64)}${'e'.repeat(64)}`);
    const random = keep('grove_not_even_close_but_secret_looking_0123456789');
    for (const token of [wrong, random, revoked.token]) {
      expect((await server().call('GET', `/v1/namespaces/${ns}/repos/repo`, { token })).status).toBe(401);
      expect((await server().call('GET', `/git/${ns}/repo.git/info/refs?service=git-upload-pack`, { token })).status).toBe(401);
      expect((await git(['ls-remote', repo.remote], { token, allowFailure: true })).code).not.toBe(0);
    }
    expect((await server().call('GET', '/v1/namespaces', { token: null, headers: { authorization: `Basic ${btoa(`x:${wrong}`)}` } })).status).toBe(401);
    // A push refused (read token), a request with a body the server cannot parse, one it refuses.
    expect((await git(['push', repo.remote, 'HEAD:refs/heads/other'], { cwd: dir, token: read.token, allowFailure: true })).code).not.toBe(0);
    await server().call('POST', '/v1/namespaces', { body: '{"name":', headers: { 'content-type': 'application/json' }, token: admin.token });
    await server().call('POST', `/v1/namespaces/${ns}/repos/repo/tokens`, { json: { ttl: 1 }, token: admin.token });
    // An import with the token in its headers, and one that fails.
    const imported = await server().call('POST', `/v1/namespaces/${ns}/repos/imported/import`, { json: { url: repo.remote, headers: { Authorization: `Bearer ${read.token}` }, wait: true } });
    expect(imported.status, imported.text).toBe(201);
    keep((imported.json as RepoWithTokenJson).token);
    const failed = await server().call('POST', `/v1/namespaces/${ns}/repos/failed/import`, { json: { url: `${server().url}/healthz`, headers: { Authorization: `Bearer ${read.token}` }, wait: true } });
    expect(failed.status).toBe(502);
  });

  it('logs none of them, however deep in what was logged', async () => {
    const logs = server().logs;
    expect(logs.some((entry) => entry.message === 'push'), 'the push was logged').toBe(true);
    const text = logs
      .map((entry) => `${entry.level} ${entry.message} ${inspect(entry.fields, { depth: Infinity, showHidden: true, maxArrayLength: Infinity, maxStringLength: Infinity, breakLength: Infinity })} ${safeJson(entry.fields)}`)
      .join('\n');
    for (const secret of secrets) expect(text.includes(secret), `a secret (${secret.slice(0, 12)}…) appears in the log`).toBe(false);
  });

  it('lists none of them', async () => {
    const paths = [
      '/v1/namespaces',
      `/v1/namespaces/${ns}`,
      `/v1/namespaces/${ns}/repos`,
      `/v1/namespaces/${ns}/repos/repo`,
      `/v1/namespaces/${ns}/repos/imported`,
      ...['active', 'revoked', 'expired', 'all'].flatMap((state) => [`/v1/namespaces/${ns}/repos/repo/tokens?state=${state}`, `/v1/namespaces/${ns}/repos/imported/tokens?state=${state}`, `/v1/tokens?state=${state}`]),
      '/openapi.json',
    ];
    for (const path of paths) {
      const answer = await server().call('GET', path);
      expect(answer.status, path).toBe(200);
      for (const secret of secrets) expect(answer.text.includes(secret), `${path} shows a secret (${secret.slice(0, 12)}…)`).toBe(false);
    }
  });
});

describe('path and name injection', () => {
  const server = useApiServer();
  const ns = 'inject';
  let token: string;

  /** Path segments that try to leave their place, as sent (percent-encoded where they must be). */
  const EVIL = [
    '..', '.', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%2F', 'a%2Fb', '..%2F..%2Fescape', '%2e%2e%2f%2e%2e%2fescape', '..%5C..%5Cescape',
    '%252e%252e%252fescape', '%00', 'a%00b', '%00..%2Fescape', 'x'.repeat(300), '%C0%AE%C0%AE%2Fescape', '%ff%fe', 'escape%0d%0aX-Injected:%201',
  ];

  /** A recursive listing of `dir`: every path under it, relative, sorted. */
  const listing = (dir: string): string[] => (readdirSync(dir, { recursive: true }) as string[]).map((p) => relative(dir, join(dir, p))).sort();
  const escapes = (): string[] => readdirSync(tmpdir()).filter((name) => name.includes('escape'));

  beforeAll(async () => {
    const made = await pushedRepo(server(), ns, 'repo');
    token = made.repo.token;
  });

  /**
   * Whether URL parsing resolves `segment` as a dot segment (`..`, `%2e%2e`, `.`…), as the
   * server does before routing: such a path names another resource (the parent's), so the
   * names around it are ones that do not exist, and nothing real is addressed by accident.
   */
  const isDotSegment = (segment: string): boolean => new URL(`/a/${segment}/b`, 'http://x').pathname !== `/a/${segment}/b`;

  /** Every REST route with `segment` in each of its path parameters in turn. */
  function restCalls(segment: string): [string, string, unknown?][] {
    const [space, repo] = isDotSegment(segment) ? ['ghost-ns', 'ghost'] : [ns, 'repo'];
    return [
      ['GET', `/v1/namespaces/${segment}`],
      ['DELETE', `/v1/namespaces/${segment}?force=true`],
      ['GET', `/v1/namespaces/${segment}/repos`],
      ['POST', `/v1/namespaces/${segment}/repos`, { name: 'repo' }],
      ['GET', `/v1/namespaces/${segment}/repos/${repo}`],
      ['GET', `/v1/namespaces/${space}/repos/${segment}`],
      ['PATCH', `/v1/namespaces/${space}/repos/${segment}`, { description: 'x' }],
      ['DELETE', `/v1/namespaces/${space}/repos/${segment}`],
      ['POST', `/v1/namespaces/${space}/repos/${segment}/fork`, { name: 'forked' }],
      ['POST', `/v1/namespaces/${segment}/repos/${repo}/fork`, { name: 'forked' }],
      ['POST', `/v1/namespaces/${space}/repos/${segment}/tokens`, {}],
      ['GET', `/v1/namespaces/${space}/repos/${segment}/tokens`],
      ['DELETE', `/v1/namespaces/${space}/repos/${repo}/tokens/${segment}`],
      ['DELETE', `/v1/tokens/${segment}`],
    ];
  }

  /** Every Git endpoint with `segment` as the namespace, then as the repository. */
  function gitPaths(segment: string): [string, string][] {
    const [space, repo] = isDotSegment(segment) ? ['ghost-ns', 'ghost'] : [ns, 'repo'];
    const out: [string, string][] = [];
    for (const base of [`/git/${segment}/${repo}.git`, `/git/${space}/${segment}.git`, `/git/${space}/${segment}`]) {
      out.push(['GET', `${base}/info/refs?service=git-upload-pack`], ['GET', `${base}/info/refs?service=git-receive-pack`]);
      out.push(['POST', `${base}/git-upload-pack`], ['POST', `${base}/git-receive-pack`]);
    }
    return out;
  }

  const expect400or404 = (answer: Answer, context: string, also: number[] = []): void => {
    expect([400, 404, ...also], `${context} → ${answer.status} ${answer.text.slice(0, 200)}`).toContain(answer.status);
    expectError(answer, (answer.json as ErrorJson).error.code, context);
  };

  it('answers 400 or 404 (never 500) to REST paths with such names, and writes no file', async () => {
    const before = listing(server().root);
    const outside = escapes();
    for (const segment of EVIL) {
      for (const [method, path, json] of restCalls(segment)) {
        const answer = await server().rawCall(method, path, json === undefined ? {} : { json });
        expect400or404(answer, `${method} ${path.slice(0, 120)}`);
      }
    }
    expect(listing(server().root)).toEqual(before);
    expect(escapes()).toEqual(outside);
    expect(server().logs.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('answers 400 to such names in bodies, and writes no file', async () => {
    const before = listing(server().root);
    const names = ['..', '../escape', '../../escape', 'a/b', '/escape', 'a\0b', '\0', 'x'.repeat(300), '.', 'repo/../../escape', 'escape\\..\\x', '%2e%2e'];
    for (const name of names) {
      for (const [method, path, json] of [
        ['POST', '/v1/namespaces', { name }],
        ['POST', `/v1/namespaces/${ns}/repos`, { name }],
        ['POST', `/v1/namespaces/${ns}/repos/repo/fork`, { name }],
        ['POST', `/v1/namespaces/${ns}/repos/repo/fork`, { name: 'forked', namespace: name }],
      ] as const) {
        expectError(await server().call(method, path, { json }), 'BAD_REQUEST', `${path} ${JSON.stringify(json).slice(0, 80)}`);
      }
    }
    expect(listing(server().root)).toEqual(before);
  });

  it('answers 400 or 404 (never 500) to Git URLs with such names, with the admin token; 403 with a repository token; and writes no file', async () => {
    const before = listing(server().root);
    const outside = escapes();
    for (const segment of EVIL) {
      for (const [method, path] of gitPaths(segment)) {
        const body = method === 'POST' ? '0000' : undefined;
        const asAdmin = await server().rawCall(method, path, body === undefined ? {} : { body });
        expect400or404(asAdmin, `admin ${method} ${path.slice(0, 120)}`);
        const asRepo = await server().rawCall(method, path, { token, ...(body === undefined ? {} : { body }) });
        expect400or404(asRepo, `repository token ${method} ${path.slice(0, 120)}`, [403]);
      }
    }
    expect(listing(server().root)).toEqual(before);
    expect(escapes()).toEqual(outside);
    expect(server().logs.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('makes git fail on such URLs, and writes no file', async () => {
    const before = listing(server().root);
    const outside = escapes();
    const dir = join(work, `wt-${++dirs}`);
    await initWorkTree(dir);
    for (const path of [
      '/git/%2e%2e/%2e%2e.git', `/git/${ns}/..%2F..%2Fescape.git`, `/git/${ns}/%00.git`, `/git/${ns}/${'a'.repeat(300)}.git`,
      `/git/${ns}/%2e%2e%2frepo.git`, '/git/..%2Finject/repo.git', `/git/${ns}/repo%00.git`,
    ]) {
      const remote = `${server().url}${path}`;
      const listed = await git(['ls-remote', remote], { token: server().admin, allowFailure: true });
      expect(listed.code, path).not.toBe(0);
      const pushed = await git(['push', remote, 'main'], { cwd: dir, token: server().admin, allowFailure: true });
      expect(pushed.code, path).not.toBe(0);
    }
    expect(listing(server().root)).toEqual(before);
    expect(escapes()).toEqual(outside);
    expect(await lsRemote(`${server().url}/git/${ns}/repo.git`, token)).toHaveProperty('refs/heads/main');
  });
});

/** JSON of a logged value, with what JSON leaves out of errors (message, stack, cause) put back. */
function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[circular]';
      seen.add(v);
      if (v instanceof Error) return { ...v, name: v.name, message: v.message, stack: v.stack, cause: v.cause };
    }
    if (typeof v === 'bigint') return v.toString();
    return v;
  }) ?? '';
}
