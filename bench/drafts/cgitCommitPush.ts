/**
 * The reference for apply: C Git doing the same locally. A clone (with its
 * work tree) of the big repository and a bare repository on disk it pushes
 * to; each run writes the changed files into the work tree, then
 * `git add -A`, `git commit` and `git push origin main` — each step timed
 * from spawn to exit. Both repositories are made once (untimed).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runGit } from '../gitCli.ts';
import type { FileWrite } from './runWrites.ts';

export interface CGitRun {
  /** Writing the files into the work tree (Node's writeFileSync). */
  writeMs: number;
  addMs: number;
  commitMs: number;
  pushMs: number;
  /** add + commit + push. */
  gitMs: number;
  sha: string;
}

export interface CGitRepo {
  work: string;
  remote: string;
  run(files: readonly FileWrite[], message: string): Promise<CGitRun>;
}

export async function prepareCGit(workDir: string, source: string): Promise<CGitRepo> {
  const remote = join(workDir, 'cgit-remote.git');
  const work = join(workDir, 'cgit-work');
  await runGit(['clone', '--quiet', '--bare', source, remote]);
  await runGit(['clone', '--quiet', remote, work]);
  return {
    work,
    remote,
    async run(files, message) {
      let start = performance.now();
      for (const file of files) writeFileSync(join(work, file.path), file.content);
      const writeMs = performance.now() - start;
      const addMs = (await runGit(['add', '-A'], { cwd: work })).ms;
      const commitMs = (await runGit(['commit', '--quiet', '-m', message], { cwd: work })).ms;
      const pushMs = (await runGit(['push', '--quiet', 'origin', 'main'], { cwd: work })).ms;
      start = performance.now();
      const sha = (await runGit(['rev-parse', 'HEAD'], { cwd: work })).stdout.trim();
      const remoteSha = (await runGit(['rev-parse', 'refs/heads/main'], { cwd: remote })).stdout.trim();
      if (sha !== remoteSha) throw new Error(`C Git push: the remote's main is ${remoteSha}, the clone's HEAD ${sha}`);
      return { writeMs, addMs, commitMs, pushMs, gitMs: addMs + commitMs + pushMs, sha };
    },
  };
}
