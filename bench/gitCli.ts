/**
 * The real `git` CLI as the benchmarks run it: asynchronous (the bench's own
 * samplers keep running), in the environment of benchEnv.ts, timed from spawn
 * to exit.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { benchGitEnv } from './benchEnv.ts';

export interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in milliseconds. */
  ms: number;
}

export interface GitRunOptions {
  cwd?: string;
  env?: Record<string, string>;
  input?: Uint8Array | string;
  /** Throw when git exits non-zero (default true). */
  check?: boolean;
}

export function runGit(args: string[], options: GitRunOptions = {}): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('git', args, { cwd: options.cwd, env: benchGitEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
    child.on('error', reject);
    child.on('close', (code) => {
      const run = { code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: performance.now() - start };
      if (run.code !== 0 && options.check !== false) {
        reject(new Error(`git ${args.join(' ')} exited ${run.code}: ${run.stderr.slice(0, 2000)}`));
      } else {
        resolve(run);
      }
    });
  });
}
