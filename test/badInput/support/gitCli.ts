/**
 * The real `git` CLI for the bad-input suite, always asynchronous: the Grove
 * server under test runs in the test process, and a synchronous child that
 * talks to it would block the event loop that must answer it.
 *
 * Isolation: GIT_CONFIG_NOSYSTEM=1, a temporary HOME with its own global
 * config, GIT_TERMINAL_PROMPT=0, no inherited GIT_* variables, fixed
 * identities and dates.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitRunOptions {
  cwd?: string;
  /** A repo token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  input?: Uint8Array | string;
  /** Resolve instead of throwing when git exits non-zero. */
  allowFailure?: boolean;
}

let home: string | undefined;

function gitHome(): string {
  if (home !== undefined) return home;
  home = mkdtempSync(join(tmpdir(), 'grove-bad-input-home-'));
  writeFileSync(
    join(home, '.gitconfig'),
    '[user]\n\tname = Bad Input\n\temail = bad@grove.invalid\n[init]\n\tdefaultBranch = main\n'
      + '[gc]\n\tauto = 0\n[transfer]\n\tfsckObjects = true\n[advice]\n\tdetachedHead = false\n',
  );
  return home;
}

function gitEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('GIT_')) env[key] = value;
  }
  const dir = gitHome();
  return {
    ...env,
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(dir, '.gitconfig'),
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GIT_AUTHOR_DATE: '1700000000 +0000',
    GIT_COMMITTER_DATE: '1700000000 +0000',
    LANG: 'C',
    LC_ALL: 'C',
  };
}

/** Runs `git <args>`; throws with its output when it fails, unless `allowFailure`. */
export function git(args: readonly string[], options: GitRunOptions = {}): Promise<GitRun> {
  const full = options.token === undefined ? [...args] : ['-c', `http.extraHeader=Authorization: Bearer ${options.token}`, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn('git', full, { cwd: options.cwd, env: gitEnvironment(), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const run = { code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (run.code !== 0 && options.allowFailure !== true) {
        reject(new Error(`git ${full.join(' ')} exited ${run.code}\n${run.stdout}${run.stderr}`));
      } else {
        resolve(run);
      }
    });
    child.stdin.on('error', () => {}); // git may exit before reading all of its input (EPIPE); its exit code tells
    child.stdin.end(options.input);
  });
}

/** Stdout of `git <args>`, trimmed. */
export async function gitOut(args: readonly string[], options: GitRunOptions = {}): Promise<string> {
  return (await git(args, options)).stdout.trim();
}
