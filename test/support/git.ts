/**
 * The real `git` CLI, run in the isolated environment of gitEnv.ts, and a few
 * questions asked of a local repository with it. Asynchronous on purpose: a
 * Grove server under test runs in the test process, so a synchronous child
 * process that talks to it would block the event loop that must answer it
 * (deadlock); tests with no server in the process may use gitBytes.ts.
 */
import { spawn } from 'node:child_process';
import { gitEnv } from './gitEnv.ts';

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

/** The `-c` arguments that go before the git subcommand. */
function configArgs(options: GitOptions): string[] {
  const args: string[] = [];
  if (options.protocol !== undefined) args.push('-c', `protocol.version=${options.protocol}`);
  if (options.token !== undefined) args.push('-c', `http.extraHeader=Authorization: Bearer ${options.token}`);
  for (const [key, value] of Object.entries(options.config ?? {})) args.push('-c', `${key}=${value}`);
  return args;
}

/** Runs `git <args>`; throws with the command and its output when it fails (unless allowFailure). */
export function git(args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
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
    child.stdin.on('error', () => {}); // git may exit before reading all input (EPIPE); its exit code tells.
    child.on('close', (code) => {
      const result = {
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (result.code !== 0 && options.allowFailure !== true) {
        reject(new Error(`git ${fullArgs.join(' ')} exited ${result.code} in ${options.cwd ?? '.'}\n${result.stdout}${result.stderr}`));
      } else {
        resolve(result);
      }
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs git and returns its trimmed stdout. */
export async function gitOut(args: readonly string[], options: GitOptions = {}): Promise<string> {
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
