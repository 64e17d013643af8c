/**
 * The SDK as its own package: `npm run build:sdk` emits plain JavaScript and
 * type declarations, and a project that installs `@grove/sdk` (here: a
 * node_modules link to the built folder) imports it with plain Node and talks
 * to a real server with nothing else installed.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../runtime/node/startServer.ts';
import { tempDir } from '../../test/support/tempDir.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ADMIN = 'sdk-package-admin-token';

function run(command: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, out }));
  });
}

describe('@grove/sdk as a package', () => {
  const dir = tempDir('grove-sdk-package-');
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, dataDir: join(dir.dir, 'data'), adminToken: ADMIN });
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('builds to JavaScript with declarations and no dependencies, and works when installed', async () => {
    const pkg = join(dir.dir, 'pkg');
    mkdirSync(pkg);
    cpSync(join(ROOT, 'src/sdk/package.json'), join(pkg, 'package.json'));
    const build = await run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'src/sdk/tsconfig.build.json'), '--outDir', join(pkg, 'dist')], ROOT);
    expect(build.code, build.out).toBe(0);
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['dependencies']).toBeUndefined();
    expect(readFileSync(join(pkg, 'dist/index.d.ts'), 'utf8')).toContain('GroveClient');

    const app = join(dir.dir, 'app');
    mkdirSync(join(app, 'node_modules/@grove'), { recursive: true });
    symlinkSync(pkg, join(app, 'node_modules/@grove/sdk'));
    writeFileSync(join(app, 'package.json'), '{"type": "module"}');
    writeFileSync(join(app, 'main.js'), `
      import { GroveClient, GroveApiError } from '@grove/sdk';
      const client = new GroveClient({ url: process.argv[2], token: process.argv[3] });
      const repo = await client.repos.create('sdkpkg', { name: 'hello' });
      const missing = await client.repos.get('sdkpkg', 'nope').catch((e) => e);
      console.log(JSON.stringify({ remote: repo.remote, code: missing instanceof GroveApiError ? missing.code : String(missing) }));
    `);
    const result = await run(process.execPath, ['main.js', server.url, ADMIN], app);
    expect(result.code, result.out).toBe(0);
    expect(JSON.parse(result.out)).toEqual({ remote: `${server.url}/git/sdkpkg/hello.git`, code: 'NOT_FOUND' });
  });
});
