/**
 * One run of `grove mount <remote> <dir>` (a process of its own, a fresh
 * cache), timed from the spawn: when the root lists; the first read of the
 * file a person opens first; the first `ls -lR`; `git status` once the
 * mount says it is ready; reads in a seeded random order while the blobs
 * come in the background (latency of each, open to end); when every file is
 * local (polled on the control socket). Then, when asked, every path's
 * bytes checked against a full clone, and `grove unmount`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { callControl } from '../../src/mount/control.ts';
import type { MountStatus } from '../../src/mount/MountHandle.ts';
import { benchGitEnv, REPO_ROOT } from '../benchEnv.ts';
import { runGit } from '../gitCli.ts';
import type { HeadFiles } from './headFiles.ts';
import { digestDifferences, treeDigest, type TreeDigest } from './treeDigest.ts';

export interface MountSample {
  listableMs: number;
  firstReadMs: number;
  lsMs: number;
  statusMs: number;
  fullMs: number;
  /** Latencies of the reads made while blobs were still coming. */
  latencies: number[];
  files: number;
  errors: string[];
  /** Differences from the full clone (empty: identical), when checked. */
  differences?: string[];
}

export interface MountRun {
  url: string;
  token?: string;
  dir: string;
  cache: string;
  head: HeadFiles;
  reads: number;
  /** Check every file against this digest of a full clone. */
  expected?: TreeDigest;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function timed(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

export async function runMountSample(run: MountRun): Promise<MountSample> {
  mkdirSync(run.dir, { recursive: true });
  const start = performance.now();
  const since = (): number => performance.now() - start;
  const args = [join(REPO_ROOT, 'bin/grove.js'), 'mount', run.url, run.dir, '--cache', run.cache, ...(run.token === undefined ? [] : ['--token', run.token])];
  const child = spawn(process.execPath, args, { env: benchGitEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited: number | null | undefined;
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exit = new Promise<void>((resolve) => child.on('exit', (code) => {
    exited = code;
    resolve();
  }));
  const alive = (): void => {
    if (exited !== undefined) throw new Error(`grove mount exited ${exited}:\n${output.slice(-3000)}`);
  };
  try {
    for (;;) {
      alive();
      const names = await readdir(run.dir).catch(() => [] as string[]);
      if (names.length > 0) break;
      await sleep(2);
    }
    const listableMs = since();
    await readFile(join(run.dir, run.head.first));
    const firstReadMs = since();
    const lsMs = await timed('ls', ['-lR', '--ignore=.git', run.dir]);
    while (!/^mounted /m.test(output)) {
      alive();
      await sleep(5);
    }
    const status = await runGit(['status', '--porcelain'], { cwd: run.dir });
    if (status.stdout !== '') throw new Error(`git status on a fresh mount is not clean:\n${status.stdout.slice(0, 2000)}`);

    let full: number | undefined;
    let last: MountStatus | undefined;
    const poll = (async () => {
      while (full === undefined) {
        const answer = await callControl(run.dir, 'GET', '/status', 5000);
        last = answer?.body as MountStatus | undefined;
        if (last !== undefined && last.files > 0 && last.hydratedFiles === last.files) full = since();
        else await sleep(20);
        alive();
      }
    })();
    const latencies: number[] = [];
    for (const path of run.head.files.slice(0, run.reads)) {
      if (full !== undefined) break;
      const t = performance.now();
      await readFile(join(run.dir, path));
      if (full === undefined) latencies.push(performance.now() - t);
    }
    await poll;
    const sample: MountSample = {
      listableMs, firstReadMs, lsMs, statusMs: status.ms, fullMs: full!, latencies,
      files: last?.files ?? 0, errors: (last?.errors ?? []).map((e) => e.message),
    };
    if (run.expected !== undefined) sample.differences = digestDifferences(run.expected, await treeDigest(run.dir));
    const answer = await callControl(run.dir, 'POST', '/unmount', 60_000);
    if (answer?.status !== 200) throw new Error(`grove unmount answered ${answer?.status}: ${JSON.stringify(answer?.body)}`);
    await exit;
    return sample;
  } finally {
    if (exited === undefined) {
      child.kill('SIGTERM');
      await exit;
    }
  }
}
