/**
 * `grove serve` as users run it: a child process started from bin/grove.js,
 * configured by flags and environment, creating its admin token on first start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../support/tempDir.ts';

const BIN = resolve(import.meta.dirname, '../../bin/grove.js');
const dirs: TempDir[] = [];

afterAll(() => {
  for (const dir of dirs) dir.remove();
});

/** A fresh directory, removed after the file's tests. */
function freshDir(): string {
  const made = tempDir('grove-cli-');
  dirs.push(made);
  return made.dir;
}

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `grove serve` and waits (at most 20 s) for its "listening" line. */
async function serve(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: freshDir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`grove serve did not start: ${out}`)), 20_000);
    const check = (): void => {
      const match = /Grove listening on (http:\/\/\S+)/.exec(out);
      if (match !== null) {
        clearTimeout(timer);
        ok(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`grove serve exited with ${code}: ${out}`));
    });
  });
  return { child, url, output: () => out };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  child.kill('SIGTERM');
  return exited;
}

async function createRepo(url: string, admin: string, name: string): Promise<Response> {
  return fetch(`${url}/v1/namespaces/cli/repos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
}

describe('grove serve', () => {
  it('creates an admin token on first start, saves it 0600, prints it once, and keeps it', async () => {
    const data = freshDir();
    const first = await serve(['--port', '0', '--data', data]);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    const printed = /Admin token[^\n]*\n\s*(grove_admin_[0-9a-f]+)/.exec(first.output())?.[1];
    expect(printed).toBeDefined();
    const saved = join(data, 'admin-token');
    expect(readFileSync(saved, 'utf8').trim()).toBe(printed);
    expect(statSync(saved).mode & 0o777).toBe(0o600);
    expect((await createRepo(first.url, printed!, 'one')).status).toBe(201);
    expect(await stop(first.child)).toBe(0);

    const second = await serve(['--port', '0', '--data', data]);
    expect(second.output()).not.toMatch(/Admin token/);
    const repeat = await createRepo(second.url, printed!, 'two');
    expect(repeat.status).toBe(201);
    const body = (await repeat.json()) as { remote: string; token: string };
    expect(body.remote).toBe(`${second.url}/git/cli/two.git`);
    expect(body.token).toMatch(/^grove_[0-9a-f]{16}_[0-9a-f]{64}$/);
    expect((await createRepo(second.url, 'wrong', 'three')).status).toBe(401);
    expect(await stop(second.child)).toBe(0);
  });

  it('takes its settings from GROVE_* variables, and flags over them', async () => {
    const data = freshDir();
    const byEnv = await serve([], { GROVE_PORT: '0', GROVE_HOST: '127.0.0.1', GROVE_DATA_DIR: data, GROVE_ADMIN_TOKEN: 'env-admin' });
    expect(byEnv.output()).not.toMatch(/Admin token/);
    expect((await createRepo(byEnv.url, 'env-admin', 'envrepo')).status).toBe(201);
    expect(await stop(byEnv.child)).toBe(0);

    const flagData = freshDir();
    const byFlag = await serve(['--data', flagData, '--host', '::1', '--port', '0'], { GROVE_DATA_DIR: data, GROVE_PORT: '1', GROVE_ADMIN_TOKEN: 'env-admin' });
    expect(byFlag.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect((await createRepo(byFlag.url, 'env-admin', 'flagrepo')).status).toBe(201);
    expect(await stop(byFlag.child)).toBe(0);
  });

  it('applies limits and rates from GROVE_RATE_TOKEN, GROVE_MAX_API_BODY_BYTES, and refuses bad ones', async () => {
    const data = freshDir();
    const limited = await serve([], {
      GROVE_PORT: '0', GROVE_DATA_DIR: data, GROVE_ADMIN_TOKEN: 'env-admin', GROVE_RATE_TOKEN: '2/3600', GROVE_MAX_API_BODY_BYTES: '1k',
    });
    const big = await fetch(`${limited.url}/v1/namespaces/cli/repos`, {
      method: 'POST',
      headers: { authorization: 'Bearer env-admin', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'big', description: 'x'.repeat(2000) }),
    });
    expect(big.status).toBe(413);
    expect((await createRepo(limited.url, 'env-admin', 'one')).status).toBe(201);
    expect((await createRepo(limited.url, 'env-admin', 'two')).status).toBe(201);
    const third = await createRepo(limited.url, 'env-admin', 'three');
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await stop(limited.child)).toBe(0);
    await expect(serve([], { GROVE_PORT: '0', GROVE_DATA_DIR: freshDir(), GROVE_RATE_TOKEN: 'lots' })).rejects.toThrow(/GROVE_RATE_TOKEN is not a rate/);
  });

  it('refuses a bad port with a clear message', async () => {
    await expect(serve(['--port', 'eighty'])).rejects.toThrow(/not a port number/);
  });
});
