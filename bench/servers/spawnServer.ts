/**
 * Starts a server as a process of its own (pinned to the server core when
 * pinning is in effect) and waits for the line that gives its URL. Its output
 * is drained and kept (the last few KiB) for error messages.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { serverCommand } from '../pinning.ts';

export interface ServerProcess {
  pid: number;
  url: string;
  child: ChildProcess;
  /** The last output of the process, for error messages. */
  output(): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

export async function spawnServer(command: string, args: string[], env: Record<string, string>, ready: RegExp, timeoutMs = 30_000): Promise<ServerProcess> {
  const [cmd, argv] = serverCommand(command, args);
  const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-8192);
  };
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start within ${timeoutMs} ms: ${tail}`)), timeoutMs);
    let seen = '';
    let found = false;
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (found) return;
      seen += chunk.toString('utf8');
      const match = ready.exec(seen);
      if (match?.[1] !== undefined) {
        found = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited ${code} before it was ready: ${tail}`));
    });
    child.once('error', reject);
  });
  if (child.pid === undefined) throw new Error(`${command} has no pid`);
  return {
    pid: child.pid,
    url,
    child,
    output: () => tail,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
