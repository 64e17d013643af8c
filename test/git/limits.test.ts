/**
 * Configured limits: the largest object, the largest repository, the largest
 * REST body. Exceeding one gives a clear error naming its code, and the
 * repository stays exactly as it was.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/node/startServer.ts';
import { dumpRepository } from '../../src/testing.ts';
import { git, gitOut } from '../support/git.ts';
import { tempDir, useTempDir } from '../support/tempDir.ts';

const ADMIN = 'limits-admin-token';
const MAX_OBJECT = 64 * 1024;
const MAX_REPO = 512 * 1024;

let server: RunningServer;
const data = tempDir('grove-limits-');

beforeAll(async () => {
  server = await startServer({
    host: '127.0.0.1', port: 0, dataDir: data.dir, adminToken: ADMIN,
    limits: { maxObjectBytes: MAX_OBJECT, maxRepoBytes: MAX_REPO }, maxApiBodyBytes: 4096, allowPrivateRemotes: true,
  });
});
afterAll(async () => {
  await server.close();
  data.remove();
});

/** A second server without limits, to import from. */
async function unlimitedSource(): Promise<{ server: RunningServer; remove(): void; createRepo(name: string): Promise<{ remote: string; token: string }> }> {
  const dir = tempDir('grove-limits-source-');
  const source = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir.dir, adminToken: ADMIN });
  return {
    server: source,
    remove: () => dir.remove(),
    async createRepo(name) {
      const response = await fetch(`${source.url}/v1/namespaces/source/repos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      return (await response.json()) as { remote: string; token: string };
    },
  };
}

async function createRepo(name: string): Promise<{ remote: string; token: string }> {
  const response = await fetch(`${server.url}/v1/namespaces/limits/repos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { remote: string; token: string };
}

/** A local repository with one commit holding `files` (name → bytes). */
async function localRepo(dir: string, files: Record<string, Uint8Array>): Promise<void> {
  await git(['init', '-q', '-b', 'main', dir]);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  await git(['add', '.'], { cwd: dir });
  await git(['commit', '-q', '-m', 'files'], { cwd: dir });
}

describe('limits', () => {
  const work = useTempDir('grove-limits-work-');

  it('refuses a push carrying an object over the maximum object size, naming OBJECT_TOO_LARGE, and changes nothing', async () => {
    const repo = await createRepo('objects');
    const dir = join(work, 'objects');
    await localRepo(dir, { 'small.txt': new TextEncoder().encode('small\n'), 'big.bin': randomBytes(MAX_OBJECT + 1) });
    const before = dumpRepository(data.dir, 'limits', 'objects');
    const push = await git(['push', repo.remote, 'main'], { cwd: dir, token: repo.token, allowFailure: true });
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('OBJECT_TOO_LARGE');
    expect(dumpRepository(data.dir, 'limits', 'objects')).toBe(before);
    // Just under the limit goes through.
    await git(['rm', '-q', 'big.bin'], { cwd: dir });
    writeFileSync(join(dir, 'fits.bin'), randomBytes(MAX_OBJECT - 64));
    await git(['add', '.'], { cwd: dir });
    await git(['commit', '-q', '--amend', '-m', 'fits'], { cwd: dir });
    await git(['push', repo.remote, 'main'], { cwd: dir, token: repo.token });
    expect(await gitOut(['ls-remote', repo.remote, 'refs/heads/main'], { token: repo.token })).toContain(await gitOut(['rev-parse', 'HEAD'], { cwd: dir }));
  });

  it('refuses a push that would take the repository over its size, naming REPO_TOO_LARGE, and changes nothing', async () => {
    const repo = await createRepo('size');
    const dir = join(work, 'size');
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 12; i++) files[`part${i}.bin`] = randomBytes(MAX_OBJECT - 1024); // ~750 KiB, incompressible
    await localRepo(dir, files);
    const before = dumpRepository(data.dir, 'limits', 'size');
    const push = await git(['push', repo.remote, 'main'], { cwd: dir, token: repo.token, allowFailure: true });
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('REPO_TOO_LARGE');
    expect(dumpRepository(data.dir, 'limits', 'size')).toBe(before);
    // A small push still fits.
    const small = join(work, 'size-small');
    await localRepo(small, { 'a.txt': new TextEncoder().encode('a\n') });
    await git(['push', repo.remote, 'main'], { cwd: small, token: repo.token });
  });

  it('bounds an import by the same limits: an object over the maximum fails the import, naming OBJECT_TOO_LARGE, and keeps nothing', async () => {
    const source = await unlimitedSource();
    try {
      const from = await source.createRepo('big');
      const dir = join(work, 'import-source');
      await localRepo(dir, { 'big.bin': randomBytes(MAX_OBJECT + 1) });
      await git(['push', from.remote, 'main'], { cwd: dir, token: from.token });
      const response = await fetch(`${server.url}/v1/namespaces/limits/repos/imported/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: from.remote, headers: { Authorization: `Bearer ${from.token}` }, wait: true }),
      });
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(response.status).toBe(502);
      expect(body.error.code).toBe('REMOTE_ERROR');
      expect(body.error.message).toContain('OBJECT_TOO_LARGE');
      const after = await fetch(`${server.url}/v1/namespaces/limits/repos/imported`, { headers: { authorization: `Bearer ${ADMIN}` } });
      expect(after.status).toBe(404);
    } finally {
      await source.server.close();
      source.remove();
    }
  });

  it('refuses a REST body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await fetch(`${server.url}/v1/namespaces/limits/repos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'body', description: 'x'.repeat(5000) }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    const list = await fetch(`${server.url}/v1/namespaces/limits/repos?search=body`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(((await list.json()) as { repos: unknown[] }).repos).toEqual([]);
  });
});
