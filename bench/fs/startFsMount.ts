/**
 * The mount B5 measures: Grove as a process of its own (bench/scale's
 * server), a repository with one small commit pushed with `git`, a draft of
 * it, and `grove mount --draft` on it as a third process, its cache on the
 * local disk, syncing only on demand (the timed runs measure the file
 * system; syncs are timed apart). Stopped with `grove unmount`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from '../benchEnv.ts';
import { runGit } from '../gitCli.ts';
import { createRepo } from '../scale/groveApi.ts';
import { HttpClient } from '../scale/HttpClient.ts';
import { SCALE_ADMIN_TOKEN, startScaleGrove } from '../scale/startScaleGrove.ts';
import type { ServerProcess } from '../servers/spawnServer.ts';

export interface FsMount {
  dir: string;
  cacheDir: string;
  pid: number;
  /** `grove mount sync`, timed. */
  sync(): Promise<{ ms: number; output: string }>;
  /** `grove unmount`, then the server stopped. */
  stop(): Promise<void>;
  output(): string;
}

export interface FsMountOptions {
  work: string;
  /** Extra `node` flags for the mount process (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

function runGrove(args: string[], env: Record<string, string>): Promise<{ code: number; output: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/grove.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output, ms: performance.now() - start }));
  });
}

export async function startFsMount(options: FsMountOptions): Promise<FsMount> {
  const { work } = options;
  const server: ServerProcess = await startScaleGrove(join(work, 'grove-data'));
  try {
    const http = new HttpClient(server.url);
    const { repo } = await createRepo(http, SCALE_ADMIN_TOKEN, 'bench', 'fs');
    const src = join(work, 'src');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'README.md'), '# B5\n');
    await runGit(['init', '--quiet', '--initial-branch=main', src]);
    await runGit(['add', '-A'], { cwd: src });
    await runGit(['commit', '--quiet', '-m', 'B5'], { cwd: src });
    await runGit(['-c', `http.extraHeader=Authorization: Bearer ${repo.token}`, 'push', '--quiet', repo.remote, 'main'], { cwd: src });
    const answer = await fetch(`${server.url}/v1/namespaces/bench/repos/fs/drafts`, {
      method: 'POST', headers: { authorization: `Bearer ${repo.token}`, 'content-type': 'application/json' }, body: '{}',
    });
    if (answer.status !== 201) throw new Error(`draft: HTTP ${answer.status} ${await answer.text()}`);
    const draft = (await answer.json()) as { id: string };
    const dir = join(work, 'mnt');
    const cacheDir = join(work, 'mount-cache');
    const env = { GROVE_TOKEN: repo.token, GROVE_URL: server.url, GROVE_MOUNT_HOME: join(work, 'mount-home'), GROVE_MOUNT_SOCKETS: join(work, 'sockets') };
    const child: ChildProcess = spawn(process.execPath, [
      ...(options.nodeArgs ?? []), join(REPO_ROOT, 'bin/grove.js'), 'mount', '--draft', draft.id, 'bench/fs', dir, '--cache', cacheDir, '--sync-interval', '0',
    ], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the mount did not start within 60 s: ${output}`)), 60_000);
      child.stdout!.on('data', (c: Buffer) => {
        output += c.toString();
        if (/^mounted /m.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      void exited.then(() => reject(new Error(`the mount process exited: ${output}`)));
    });
    return {
      dir, cacheDir, pid: child.pid!,
      output: () => output,
      async sync() {
        const run = await runGrove(['mount', 'sync', dir], env);
        if (run.code !== 0) throw new Error(`grove mount sync: ${run.output}`);
        return { ms: run.ms, output: run.output.trim() };
      },
      async stop() {
        const run = await runGrove(['unmount', dir], env);
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        if (run.code !== 0) child.kill('SIGTERM');
        await exited;
        clearTimeout(timer);
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
