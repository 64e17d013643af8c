/**
 * The `git` CLI, run as a peer tool on the mount's own git directory: with
 * GIT_DIR set and the variables that would point git elsewhere removed (the
 * mount may be started from inside another repository's hook or shell).
 */
import { spawn } from 'node:child_process';
import { GroveError } from '../../errors.ts';

const REDIRECTING = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR', 'GIT_NAMESPACE', 'GIT_PREFIX'];

export interface RunGitOptions {
  /** Bytes, or chunks as they come, for stdin. */
  input?: Uint8Array | AsyncIterable<Uint8Array>;
  env?: Record<string, string>;
}

/** The environment of git children: ours, minus redirections, plus GIT_DIR. */
export function gitEnvFor(gitDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !REDIRECTING.includes(key)) env[key] = value;
  }
  return { ...env, GIT_DIR: gitDir, GIT_TERMINAL_PROMPT: '0', ...extra };
}

/** Runs `git <args>` on `gitDir` and returns its stdout; fails with the command's stderr. */
export function runGit(gitDir: string, args: readonly string[], options: RunGitOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { env: gitEnvFor(gitDir, options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => {}); // git may stop reading early; its exit status says why
    let feedError: unknown;
    child.on('error', (e) => reject(new GroveError('INTERNAL', `could not run git: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0 && feedError === undefined) return resolve(Buffer.concat(out));
      if (feedError !== undefined && code === 0) return reject(feedError);
      const message = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' / ');
      reject(feedError ?? new GroveError('INTERNAL', `git ${args.slice(0, 2).join(' ')} failed (exit ${code}): ${message}`));
    });
    const input = options.input;
    if (input === undefined) child.stdin.end();
    else if (input instanceof Uint8Array) child.stdin.end(input);
    else {
      void (async () => {
        try {
          for await (const chunk of input) {
            if (child.stdin.destroyed) break;
            if (!child.stdin.write(chunk)) {
              await new Promise<void>((done) => {
                child.stdin.once('drain', done);
                child.stdin.once('close', done);
              });
            }
          }
        } catch (e) {
          feedError = e;
          child.kill();
        } finally {
          child.stdin.end();
        }
      })();
    }
  });
}
