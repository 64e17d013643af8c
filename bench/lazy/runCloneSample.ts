/**
 * One run of `git clone` (full, or `--filter=blob:none`, which fetches the
 * checkout's blobs in one more request), timed the way runMountSample.ts
 * times a mount: the clone's end is when it lists and when every file is
 * local; then the first read, `ls -lR`, `git status`, and the same reads.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runGit } from '../gitCli.ts';
import type { HeadFiles } from './headFiles.ts';

export interface CloneSample {
  cloneMs: number;
  firstReadMs: number;
  lsMs: number;
  statusMs: number;
  latencies: number[];
}

export interface CloneRun {
  url: string;
  gitConfig: string[];
  dir: string;
  filter: boolean;
  head: HeadFiles;
  reads: number;
}

function timed(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`${command} exited ${code}`))));
  });
}

export async function runCloneSample(run: CloneRun): Promise<CloneSample> {
  const start = performance.now();
  await runGit([...run.gitConfig, 'clone', '--quiet', ...(run.filter ? ['--filter=blob:none'] : []), run.url, run.dir]);
  const cloneMs = performance.now() - start;
  await readFile(join(run.dir, run.head.first));
  const firstReadMs = performance.now() - start;
  const lsMs = await timed('ls', ['-lR', '--ignore=.git', run.dir]);
  const status = await runGit(['status', '--porcelain'], { cwd: run.dir });
  const latencies: number[] = [];
  for (const path of run.head.files.slice(0, run.reads)) {
    const t = performance.now();
    await readFile(join(run.dir, path));
    latencies.push(performance.now() - t);
  }
  return { cloneMs, firstReadMs, lsMs, statusMs: status.ms, latencies };
}
