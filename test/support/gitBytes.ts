/**
 * Runs the real `git` CLI synchronously, in the isolated environment of
 * gitEnv.ts, and returns its raw stdout bytes (packs, pkt-line streams):
 * `gitBytes` and `gitText` throw when git fails, `gitRun` reports how it
 * exited. Only for unit tests that run no server in-process: a synchronous
 * child blocks the event loop (git.ts is the asynchronous runner).
 */
import { spawnSync } from 'node:child_process';
import { gitEnv } from './gitEnv.ts';

export interface GitBytesOptions {
  cwd?: string;
  input?: string | Uint8Array;
  env?: Record<string, string>;
}

export interface GitRunResult {
  /** The exit status; -1 when git was killed by a signal. */
  status: number;
  stdout: Uint8Array;
  stderr: string;
}

/** `git <args>`, failing or not. */
export function gitRun(args: string[], options: GitBytesOptions = {}): GitRunResult {
  const result = spawnSync('git', args, {
    cwd: options.cwd,
    env: gitEnv(options.env),
    input: options.input ?? '',
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (result.error !== undefined) throw result.error;
  return {
    status: result.status ?? -1,
    stdout: new Uint8Array(result.stdout.buffer, result.stdout.byteOffset, result.stdout.length),
    stderr: result.stderr.toString(),
  };
}

/** `git <args>`'s stdout; throws with stderr when git exits non-zero. */
export function gitBytes(args: string[], options: GitBytesOptions = {}): Uint8Array {
  const result = gitRun(args, options);
  if (result.status !== 0) {
    throw new Error(`git ${args.join(' ')} exited ${result.status} in ${options.cwd ?? '.'}\n${result.stderr}`);
  }
  return result.stdout;
}

/** `git <args>`'s stdout as text, trimmed. */
export function gitText(args: string[], options: GitBytesOptions = {}): string {
  return new TextDecoder().decode(gitBytes(args, options)).trim();
}
