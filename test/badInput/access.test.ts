/**
 * Requests refused before any Git is read: missing or wrong credentials (401
 * with `WWW-Authenticate`, so git asks for them), a token of another
 * repository (403), an unknown repository (404) and a dumb-protocol
 * `info/refs` (403). All are JSON errors `{error: {code, message}}`. Each
 * endpoint is tried with a body that would otherwise succeed, so a push that
 * got through would show in the dump.
 */
import { describe, expect, it } from 'vitest';
import { buildPack } from '../support/buildPack.ts';
import { bytesOf } from '../support/bytesOf.ts';
import { DELIM, FLUSH, pkt } from '../support/pktLines.ts';
import { ADMIN_TOKEN, NAMESPACE, send, useBadInputServer, ZERO_OID, type Answer } from './support/badInputServer.ts';
import { expectJsonError, expectUnchangedAndWorking } from './support/expectations.ts';
import { pushRequest } from './support/pushRequest.ts';
import { seededRepo, useSeed, type SeededRepo } from './support/seed.ts';

const server = useBadInputServer();
const seed = useSeed();

type Endpoint = 'info/refs upload-pack' | 'info/refs receive-pack' | 'git-upload-pack' | 'git-receive-pack';
const ENDPOINTS: Endpoint[] = ['info/refs upload-pack', 'info/refs receive-pack', 'git-upload-pack', 'git-receive-pack'];

/** Calls `endpoint` of `repo` with a request that is valid apart from its Authorization. */
function call(repo: SeededRepo, endpoint: Endpoint, authorization: string | null): Promise<Answer> {
  const headers: Record<string, string> = authorization === null ? {} : { authorization };
  switch (endpoint) {
    case 'info/refs upload-pack':
      return send(`${repo.remote}/info/refs?service=git-upload-pack`, { headers });
    case 'info/refs receive-pack':
      return send(`${repo.remote}/info/refs?service=git-receive-pack`, { headers });
    case 'git-upload-pack': {
      const body = bytesOf(pkt('command=ls-refs\n'), DELIM, FLUSH);
      return send(`${repo.remote}/git-upload-pack`, { method: 'POST', headers: { ...headers, 'git-protocol': 'version=2' }, body });
    }
    case 'git-receive-pack': {
      const commands = [[seed().first, ZERO_OID, 'refs/heads/side'], [ZERO_OID, seed().third, 'refs/heads/new']] as const;
      const body = pushRequest(commands, { pack: buildPack([]).bytes });
      return send(`${repo.remote}/git-receive-pack`, { method: 'POST', headers, body });
    }
  }
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

const CHALLENGE = 'Basic realm="Grove", charset="UTF-8"';

describe('access: credentials', () => {
  it.each(ENDPOINTS)('%s: answers 401 with a challenge when no credentials are sent', async (endpoint) => {
    const repo = await seededRepo(server(), seed());
    const answer = await call(repo, endpoint, null);
    expectJsonError(answer, 401, 'UNAUTHORIZED', 'authentication required: send a Grove token as a Bearer token or as the Basic auth password');
    expect(answer.headers.get('www-authenticate')).toBe(CHALLENGE);
    await expectUnchangedAndWorking(repo);
  });

  it.each(ENDPOINTS)('%s: answers 401 to a wrong Bearer token', async (endpoint) => {
    const repo = await seededRepo(server(), seed());
    const answer = await call(repo, endpoint, `Bearer ${repo.token.slice(0, -4)}XXXX`);
    expectJsonError(answer, 401, 'UNAUTHORIZED', 'invalid, expired or revoked token');
    expect(answer.headers.get('www-authenticate')).toBe(CHALLENGE);
    await expectUnchangedAndWorking(repo);
  });

  it.each(ENDPOINTS)('%s: answers 401 to Basic auth with a wrong password', async (endpoint) => {
    const repo = await seededRepo(server(), seed());
    const answer = await call(repo, endpoint, basic('git', 'not-the-token'));
    expectJsonError(answer, 401, 'UNAUTHORIZED', 'invalid, expired or revoked token');
    expect(answer.headers.get('www-authenticate')).toBe(CHALLENGE);
    await expectUnchangedAndWorking(repo);
  });

  it('accepts Basic auth with the token as password (control)', async () => {
    const repo = await seededRepo(server(), seed());
    const answer = await call(repo, 'info/refs receive-pack', basic('git', repo.token));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/x-git-receive-pack-advertisement');
  });

  // A token of another repository learns nothing, not even whether this repository exists:
  // an existing and a missing name get the same 403.
  it.each(ENDPOINTS)('%s: answers 403 to a token of another repository, whether the name exists or not', async (endpoint) => {
    const repo = await seededRepo(server(), seed());
    const other = await server().createRepo();
    const answer = await call(repo, endpoint, `Bearer ${other.token}`);
    expectJsonError(answer, 403, 'FORBIDDEN', `this token does not open ${NAMESPACE}/${repo.name}`);
    const missing = { ...repo, remote: repo.remote.replace(/[^/]+\.git$/, 'no-such-repo.git') };
    expectJsonError(await call(missing, endpoint, `Bearer ${other.token}`), 403, 'FORBIDDEN', `this token does not open ${NAMESPACE}/no-such-repo`);
    await expectUnchangedAndWorking(repo);
  });

  it.todo('git-receive-pack: answers 403 to a read-only token (no API mints read tokens yet)');
});

describe('access: routes', () => {
  it.each(ENDPOINTS)('%s: answers 404 for a repository that does not exist', async (endpoint) => {
    const repo = await seededRepo(server(), seed());
    const missing = { ...repo, remote: repo.remote.replace(/[^/]+\.git$/, 'no-such-repo.git') };
    const answer = await call(missing, endpoint, `Bearer ${ADMIN_TOKEN}`);
    expectJsonError(answer, 404, 'NOT_FOUND', `repository ${NAMESPACE}/no-such-repo does not exist`);
    await expectUnchangedAndWorking(repo);
  });

  it('answers 403 to info/refs without a service (the dumb protocol is not served)', async () => {
    const repo = await seededRepo(server(), seed());
    const answer = await send(`${repo.remote}/info/refs`, { headers: { authorization: `Bearer ${repo.token}` } });
    expectJsonError(answer, 403, 'FORBIDDEN', 'only the smart HTTP protocol is served: ask for ?service=git-upload-pack or git-receive-pack');
    await expectUnchangedAndWorking(repo);
  });

  it('answers 403 to info/refs for a service that does not exist', async () => {
    const repo = await seededRepo(server(), seed());
    const answer = await send(`${repo.remote}/info/refs?service=git-frobnicate`, { headers: { authorization: `Bearer ${repo.token}` } });
    expectJsonError(answer, 403, 'FORBIDDEN', 'only the smart HTTP protocol is served: ask for ?service=git-upload-pack or git-receive-pack');
    await expectUnchangedAndWorking(repo);
  });

  it('answers 404 to a dumb-protocol file request', async () => {
    const repo = await seededRepo(server(), seed());
    const answer = await send(`${repo.remote}/objects/info/packs`, { headers: { authorization: `Bearer ${repo.token}` } });
    expectJsonError(answer, 404, 'NOT_FOUND', 'no such route');
    await expectUnchangedAndWorking(repo);
  });
});
