/**
 * `exec`: runs a bash script with just-bash over a draft's files. The draft
 * is mounted at `/workspace` (the starting folder); the rest of the file
 * system (`/tmp`, `/home/user`, `/dev/null`, `/bin`) is scratch memory that
 * ends with the run (ScratchFs.ts). What the script writes, moves or
 * removes under `/workspace` lands in the draft as it happens, so a script
 * that fails halfway keeps what it did before, as a shell would.
 *
 * Bounds: no network (just-bash is given no fetch: curl does not exist);
 * `timeoutMs` (default 30 s, at most 300 s) is just-bash's execution
 * deadline, checked between commands and raced against waits, after which
 * the run reports `timed_out` and exit code 124, as timeout(1) does (the
 * output of a run that timed out is lost: just-bash returns none); each of
 * stdout and stderr is cut at `maxOutputBytes` (default 1 MiB, `truncated`);
 * everything a run produces, pipes and files included, at 64 MiB; function
 * recursion at depth 100; awk, sed and jq loops at a million turns each
 * (those run without yielding, so the deadline cannot stop them).
 *
 * A failure that is not a file-system error (the draft was applied meanwhile,
 * the store failed) is thrown once the script has stopped.
 */
import { Bash, MountableFs } from 'just-bash/browser';
import { GroveError } from '../errors.ts';
import type { FileView } from '../services/drafts/files.ts';
import { joinPath, toolPath } from '../services/drafts/toolPath.ts';
import { capOutput } from './capOutput.ts';
import { DraftFileSystem } from './DraftFileSystem.ts';
import { findPath } from './findPath.ts';
import { Errno, FatalErrors, isFsError } from './fsError.ts';
import { SCRATCH_HOME, ScratchFs } from './ScratchFs.ts';
import { SHELL_COMMANDS } from './shellCommands.ts';

/** Where the shell sees the draft. */
export const WORKSPACE = '/workspace';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const MAX_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
export const MAX_COMMAND_BYTES = 1024 * 1024;

const TIMEOUT_EXIT_CODE = 124;
const WORK_OUTPUT_BYTES = 64 * 1024 * 1024;
const SCRATCH_BYTES = 64 * 1024 * 1024;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface RunExecOptions {
  /** The bash script. */
  command: string;
  /** The starting folder, a draft path (`src`, `/src`); a shell path under `/workspace` is taken too. Default: the draft's root. */
  cwd?: string;
  /** Milliseconds before the run is stopped, 1 to 300,000; default 30,000. */
  timeoutMs?: number;
  /** Environment variables, over the shell's own (HOME, PATH, PWD, …). */
  env?: Record<string, string>;
  /** The cap on each of stdout and stderr, in bytes, 1 to 16 MiB; default 1 MiB. */
  maxOutputBytes?: number;
  /** Stops the run early (as a timeout does, but `timed_out` stays false). */
  signal?: AbortSignal;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exit_code: number;
  timed_out: boolean;
  /** True when stdout or stderr was cut at its cap. */
  truncated: boolean;
}

/**
 * @example
 * const run = await runExec(files, { command: 'grep -rn TODO src | wc -l', cwd: '', timeoutMs: 5000 });
 * // run.stdout === '3\n', run.exit_code === 0
 */
export async function runExec(files: FileView, options: RunExecOptions): Promise<ExecResult> {
  const { command } = options;
  if (typeof command !== 'string') throw new GroveError('EINVAL', 'command must be a string', { field: 'command' });
  if (new TextEncoder().encode(command).length > MAX_COMMAND_BYTES) {
    throw new GroveError('EINVAL', `command is longer than ${MAX_COMMAND_BYTES} bytes`, { field: 'command' });
  }
  const timeoutMs = intOption(options.timeoutMs, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, 'timeout_ms');
  const maxOutputBytes = intOption(options.maxOutputBytes, DEFAULT_MAX_OUTPUT_BYTES, MAX_OUTPUT_BYTES, 'max_output_bytes');
  const env = envOption(options.env);
  const cwd = await cwdOption(files, options.cwd);

  const fatal = new FatalErrors();
  const bash = new Bash({
    fs: new MountableFs({
      base: new ScratchFs(SHELL_COMMANDS, SCRATCH_BYTES),
      mounts: [{ mountPoint: WORKSPACE, filesystem: new DraftFileSystem(files, { mountPoint: WORKSPACE, fatal }) }],
    }),
    cwd: WORKSPACE,
    env: { HOME: SCRATCH_HOME, USER: 'user' },
    commands: SHELL_COMMANDS,
    // No `network` and no `fetch`: no network command exists. No python or javascript.
    executionLimits: {
      maxExecutionTimeMs: timeoutMs,
      // Shell loops are bounded by the deadline (checked between commands), so these only catch what it would not.
      maxCommandCount: 100_000_000,
      maxLoopIterations: 100_000_000,
      maxAwkIterations: 1_000_000,
      maxSedIterations: 1_000_000,
      maxJqIterations: 1_000_000,
      maxOutputSize: WORK_OUTPUT_BYTES,
      maxSourceBytes: MAX_COMMAND_BYTES,
    },
    // The defense patches globals of the host for the length of a run; it guards against guest JavaScript, which this shell
    // never runs, and would reach the draft's own code. (just-bash's portable build has it off anyway.)
    defenseInDepth: false,
  });

  const controller = new AbortController();
  const stop = (): void => controller.abort();
  options.signal?.addEventListener('abort', stop);
  if (options.signal?.aborted === true) stop();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, timeoutMs);
  const started = Date.now();
  let result: { stdout: string; stderr: string; exitCode: number };
  try {
    result = await bash.exec(command, { cwd, env, signal: controller.signal, rawScript: true });
  } catch (err) {
    // just-bash lets a failed write at the end of a redirection escape the run: the script stops there, as `set -e` would.
    if (fatal.first !== undefined || !isFsError(err)) throw fatal.first ?? err;
    result = { stdout: '', stderr: `bash: ${err.message}\n`, exitCode: 1 };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
  }
  if (fatal.first !== undefined) throw fatal.first;

  // The deadline usually ends a run before the timer can fire (a busy script holds the event loop): it exits 124.
  timedOut ||= result.exitCode === TIMEOUT_EXIT_CODE && Date.now() - started >= timeoutMs && options.signal?.aborted !== true;
  const stdout = capOutput(result.stdout, maxOutputBytes);
  const stderr = capOutput(result.stderr, maxOutputBytes);
  return {
    stdout: stdout.text,
    stderr: stderr.text,
    exit_code: timedOut ? TIMEOUT_EXIT_CODE : result.exitCode,
    timed_out: timedOut,
    truncated: stdout.cut || stderr.cut,
  };
}

function intOption(value: number | undefined, fallback: number, max: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new GroveError('EINVAL', `${field} must be an integer from 1 to ${max}`, { field });
  return value;
}

function envOption(env: Record<string, string> | undefined): Record<string, string> | undefined {
  if (env === undefined) return undefined;
  if (typeof env !== 'object' || env === null) throw new GroveError('EINVAL', 'env must be an object of strings', { field: 'env' });
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME.test(name)) throw new GroveError('EINVAL', `env: '${name}' is not a variable name`, { field: 'env', name });
    if (typeof value !== 'string') throw new GroveError('EINVAL', `env: ${name} must be a string`, { field: 'env', name });
  }
  return env;
}

/** The shell path of the starting folder; ENOENT when there is none, ENOTDIR when it is a file. */
async function cwdOption(files: FileView, cwd: string | undefined): Promise<string> {
  if (cwd === undefined) return WORKSPACE;
  const shellPath = cwd === WORKSPACE || cwd.startsWith(`${WORKSPACE}/`) ? cwd.slice(WORKSPACE.length) : cwd;
  const parts = toolPath(shellPath, 'cwd');
  const missing = (): GroveError => new GroveError('ENOENT', `cwd '${joinPath(parts)}' does not exist`, { field: 'cwd', path: joinPath(parts) });
  let found;
  try {
    found = await findPath(files, parts, true, WORKSPACE);
  } catch (err) {
    if (err instanceof Errno) throw missing();
    throw err;
  }
  if (found.info === null) throw missing();
  if (found.info.kind !== 'dir' && found.info.kind !== 'submodule') {
    throw new GroveError('ENOTDIR', `cwd '${joinPath(parts)}' is not a folder`, { field: 'cwd', path: joinPath(parts) });
  }
  return parts.length === 0 ? WORKSPACE : `${WORKSPACE}/${joinPath(parts)}`;
}
