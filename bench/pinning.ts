/**
 * CPU pinning on a two-core machine, so that a server and its client do not
 * steal each other's core: servers run on core 0 (`taskset -c 0`), the bench
 * process and every `git` client it starts on core 1 (`taskset -a -p -c 1`,
 * all its threads; children inherit it). Without `taskset` or with fewer than
 * two cores, nothing is pinned and the report says so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export const SERVER_CORE = 0;
export const CLIENT_CORE = 1;

let pinned: boolean | undefined;

/** Pins this process to the client core once; true when pinning is in effect. */
export function pinClientSide(enabled: boolean): boolean {
  if (pinned !== undefined) return pinned;
  pinned = false;
  if (!enabled || availableParallelism() < 2 || !existsSync('/usr/bin/taskset')) return pinned;
  execFileSync('taskset', ['-a', '-p', '-c', String(CLIENT_CORE), String(process.pid)], { stdio: 'ignore' });
  pinned = true;
  return pinned;
}

/** The command line of a server process: behind `taskset -c 0` when pinning is in effect. */
export function serverCommand(command: string, args: string[]): [string, string[]] {
  if (pinned !== true) return [command, args];
  return ['taskset', ['-c', String(SERVER_CORE), command, ...args]];
}
