/**
 * Runs the real `git` CLI for the conformance suite, isolated from the user's
 * configuration and deterministic (fixed identities and dates).
 *
 * Everything here is asynchronous on purpose: the Grove server under test runs
 * in the test process, so a synchronous child process that talks to it would
 * block the event loop that must answer it (deadlock).
 *
 * Isolation: GIT_CONFIG_NOSYSTEM=1, HOME and GIT_CONFIG_GLOBAL point into a
 * temporary directory, GIT_TERMINAL_PROMPT=0, and every inherited GIT_*
 * variable (traces, alternate object dirs...) is dropped.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitOptions {
  /** Working directory (the repository). */
  cwd?: string;
  /** `-c protocol.version=<n>`; left unset means git's default (2 for fetch). */
  protocol?: 0 | 1 | 2;
  /** Repo token, sent as `-c http.extraHeader=Authorization: Bearer <token>`. */
  token?: string;
  /** Extra `-c key=value` settings. */
  config?: Record<string, string>;
  /** Extra environment (GIT_TRACE_PACKET, dates...). */
  env?: Record<string, string>;
  /** Bytes for stdin. */
  input?: string | Uint8Array;
  /** Resolve instead of throwing when git exits non-zero. */
  allowFailure?: boolean;
}

/** Fixed date of every commit and tag made through these helpers (raw format). */
export const FIXED_DATE = '1700000000 +0000';

let home: string | undefined;

/**
 * The HOME of every git child: one fixed directory under the system temp dir holding a
 * small global config (rewritten atomically by each worker, always with the same content).
 */
export function gitHome(): string {
  if (home !== undefined) return home;
  const dir = join(tmpdir(), 'grove-conformance-git-home');
  mkdirSync(dir, { recursive: true });
  const config = [
    '[user]',
    '\tname = Grove Test',
    '\temail = test@grove.invalid',
    '[init]',
    '\tdefaultBranch = main',
    '[core]',
    '\tautocrlf = false',
    '[gc]',
    '\tauto = 0',
    '[maintenance]',
    '\tauto = false',
    '[transfer]',
    // Clients verify every object they receive: a server that sends a bad object fails loudly.
    '\tfsckObjects = true',
    '[advice]',
    '\tdetachedHead = false',
    '\tdefaultBranchName = false',
    '',
  ].join('\n');
  const partial = join(dir, `.gitconfig.${process.pid}.${threadId}`);
  writeFileSync(partial, config);
  renameSync(partial, join(dir, '.gitconfig'));
  home = dir;
  return dir;
}

/** The environment of every git child process. */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
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
    GIT_AUTHOR_NAME: 'Grove Test',
    GIT_AUTHOR_EMAIL: 'test@grove.invalid',
    GIT_AUTHOR_DATE: FIXED_DATE,
    GIT_COMMITTER_NAME: 'Grove Test',
    GIT_COMMITTER_EMAIL: 'test@grove.invalid',
    GIT_COMMITTER_DATE: FIXED_DATE,
    LANG: 'C',
    LC_ALL: 'C',
    ...extra,
  };
}

/** The `-c` arguments that go before the git subcommand. */
function configArgs(options: GitOptions): string[] {
  const args: string[] = [];
  if (options.protocol !== undefined) args.push('-c', `protocol.version=${options.protocol}`);
  if (options.token !== undefined) args.push('-c', `http.extraHeader=Authorization: Bearer ${options.token}`);
  for (const [key, value] of Object.entries(options.config ?? {})) args.push('-c', `${key}=${value}`);
  return args;
}

/** Runs `git <args>`; throws with the command and stderr when it fails (unless allowFailure). */
export function git(args: string[], options: GitOptions = {}): Promise<GitResult> {
  const fullArgs = [...configArgs(options), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn('git', fullArgs, {
      cwd: options.cwd,
      env: gitEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.stdin.on('error', () => {}); // git may exit before reading all input; its exit code tells.
    child.on('close', (code) => {
      const result = {
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (result.code !== 0 && options.allowFailure !== true) {
        reject(new Error(`git ${fullArgs.join(' ')} exited ${result.code} in ${options.cwd ?? '.'}\n${result.stderr}`));
      } else {
        resolve(result);
      }
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs git and returns its trimmed stdout. */
export async function gitOut(args: string[], options: GitOptions = {}): Promise<string> {
  return (await git(args, options)).stdout.trim();
}

/**
 * Throws unless `git fsck --full --strict` exits 0 and prints nothing but
 * `notice:` lines (which an empty repository with an unborn HEAD gets).
 */
export async function expectFsckClean(repoDir: string): Promise<void> {
  const result = await git(['fsck', '--full', '--strict', '--no-progress', '--no-dangling'], {
    cwd: repoDir,
    allowFailure: true,
  });
  const complaints = `${result.stdout}${result.stderr}`
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('notice: '));
  if (result.code !== 0 || complaints.length > 0) {
    throw new Error(`git fsck --full --strict failed in ${repoDir} (exit ${result.code}):\n${result.stdout}${result.stderr}`);
  }
}

/** `git for-each-ref` with object ids, one ref a line, sorted by name. */
export function refsOf(repoDir: string, ...patterns: string[]): Promise<string> {
  return gitOut(['for-each-ref', '--format=%(objectname) %(objecttype) %(refname)', ...patterns], { cwd: repoDir });
}

/** `git rev-list --objects <revs>` sorted: the full object closure of the given refs. */
export async function objectsOf(repoDir: string, revs: string[] = ['--all']): Promise<string> {
  const out = await gitOut(['rev-list', '--objects', ...revs], { cwd: repoDir });
  return out
    .split('\n')
    .filter((line) => line !== '')
    .sort()
    .join('\n');
}

/** The object id a revision names. */
export function revParse(repoDir: string, rev: string): Promise<string> {
  return gitOut(['rev-parse', '--verify', '--end-of-options', rev], { cwd: repoDir });
}
