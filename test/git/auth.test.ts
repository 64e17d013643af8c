/**
 * Conformance of Git authentication (DESIGN.md): a repo token authenticates as
 * `Authorization: Bearer <token>` or as the password of Basic auth with any
 * username; no credentials or wrong ones get 401 with `WWW-Authenticate`, and
 * git then fails (GIT_TERMINAL_PROMPT=0) without changing anything.
 *
 * The reference server has no authentication, so the refusal checks are skipped
 * for it; the positive Basic-auth check runs on both.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import { git, gitOut } from '../support/git.ts';
import { serverAdapters } from '../support/gitServer.ts';
import { makeRepo } from '../support/makeRepo.ts';
import type { MadeRepo } from '../support/makeRepo.ts';
import { pushAllRefs } from '../support/remoteRepo.ts';
import type { Remote } from '../support/remoteRepo.ts';
import { useTempDir } from '../support/tempDir.ts';
import { useServer } from '../support/useServer.ts';

const work = useTempDir('grove-conformance-auth-');
let corpus: MadeRepo;

beforeAll(async () => {
  corpus = await makeRepo(join(work, 'corpus.git'), { commits: 20 });
});

const AUTH_FAILURE = /Authentication failed|could not read Username/;

function withBasic(remote: string, username: string, password: string): string {
  const url = new URL(remote);
  url.username = username;
  url.password = password;
  return url.href;
}

describe.each(serverAdapters())('auth: $name', (adapter) => {
  const server = useServer(adapter);
  let repo: Remote;
  let other: Remote;
  const onlyWithAuth = (ctx: TestContext): void =>
    ctx.skip(adapter.name === 'http-backend', 'git http-backend has no authentication: refusals are checked on Grove only');

  beforeAll(async () => {
    repo = await server().createRepo('guarded');
    await pushAllRefs(corpus.dir, repo);
    other = await server().createRepo('other');
  });

  it('accepts the token as the password of Basic auth', async () => {
    const listed = await gitOut(['ls-remote', withBasic(repo.remote, 'anyone', repo.token)]);
    expect(listed).toBe(await gitOut(['ls-remote', corpus.dir]));
  });

  it('answers 401 with WWW-Authenticate to requests without or with wrong credentials', async (ctx) => {
    onlyWithAuth(ctx);
    for (const service of ['git-upload-pack', 'git-receive-pack']) {
      for (const headers of [{}, { authorization: 'Bearer not-the-token' }, { authorization: `Basic ${btoa('x:wrong')}` }]) {
        const response = await fetch(`${repo.remote}/info/refs?service=${service}`, { headers });
        await response.arrayBuffer();
        expect(response.status, `${service} ${JSON.stringify(headers)}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toBeTruthy();
      }
    }
  });

  it('makes git fail without credentials', async (ctx) => {
    onlyWithAuth(ctx);
    const listed = await git(['ls-remote', repo.remote], { allowFailure: true });
    expect(listed.code).not.toBe(0);
    expect(listed.stderr).toMatch(AUTH_FAILURE);
    const cloned = await git(['clone', repo.remote, join(work, 'no-credentials')], { allowFailure: true });
    expect(cloned.code).not.toBe(0);
    expect(cloned.stderr).toMatch(AUTH_FAILURE);
  });

  it('makes git fail with a wrong token, as Bearer or as Basic password', async (ctx) => {
    onlyWithAuth(ctx);
    for (const attempt of [
      git(['ls-remote', repo.remote], { token: 'not-the-token', allowFailure: true }),
      git(['ls-remote', withBasic(repo.remote, 'anyone', 'not-the-token')], { allowFailure: true }),
    ]) {
      const result = await attempt;
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(AUTH_FAILURE);
      expect(result.stdout).toBe('');
    }
  });

  it('refuses a token of another repository (401, 403 or 404)', async (ctx) => {
    onlyWithAuth(ctx);
    const result = await git(['ls-remote', repo.remote], { token: other.token, allowFailure: true });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Authentication failed|could not read Username|returned error: 40[34]/);
    expect(result.stdout).toBe('');
  });

  it('refuses a push with a wrong token and changes nothing', async (ctx) => {
    onlyWithAuth(ctx);
    const before = await server().dump(repo.remote);
    const pushed = await git(['push', repo.remote, 'main:refs/heads/intruder'], {
      cwd: corpus.dir,
      token: 'not-the-token',
      allowFailure: true,
    });
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toMatch(AUTH_FAILURE);
    expect(await server().dump(repo.remote)).toBe(before);
  });
});
