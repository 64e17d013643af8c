/**
 * Runs the real `git` CLI synchronously and returns its raw stdout bytes (packs,
 * pkt-line streams), isolated like `git.ts`. Only for unit tests that run no
 * server in-process: a synchronous child blocks the event loop.
 */
import { spawnSync } from 'node:child_process';
import { gitEnv } from './git.ts';

export interface GitBytesOptions {
  cwd?: string;
  input?: string | Uint8Array;
  env?: Record<string, string>;
}

/** `git <args>`'s stdout; throws with stderr when git exits non-zero. */
export function gitBytes(args: string[], options: GitBytesOptions = {}): Uint8Array {
  const result = spawnSync('git', args, {
    cwd: options.cwd,
    env: gitEnv(options.env),
    input: options.input ?? '',
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) {
    throw new Error(`git ${args.join(' ')} exited ${result.status} in ${options.cwd ?? '.'}\n${result.stderr.toString()}`);
  }
  return new Uint8Array(result.stdout.buffer, result.stdout.byteOffset, result.stdout.length);
}

/** `git <args>`'s stdout as text, trimmed. */
export function gitText(args: string[], options: GitBytesOptions = {}): string {
  return new TextDecoder().decode(gitBytes(args, options)).trim();
}
