/**
 * `grove mount` and `grove unmount`:
 *
 *   grove mount <remote> <dir> [--ref R] [--token T] [--daemon]     a Git remote, lazily (src/mount/lazy)
 *   grove mount --draft <id> <ns/name> <dir> [--daemon]              a draft, read-write (src/mount/draft)
 *   grove mount status <dir>                                         files and bytes hydrated, queue, errors
 *   grove mount sync <dir>                                           a draft mount's changes written back now
 *   grove unmount <dir>                                              sync (drafts), unmount, end the process
 *
 * The mount is served by the `grove mount` process itself, in the
 * foreground until unmounted (Ctrl-C unmounts); `--daemon` starts that
 * process detached, waits until it answers on its control socket
 * (src/mount/control.ts) and returns. `status`, `sync` and `unmount` talk to
 * the mount through that socket; `unmount` falls back to `fusermount -u`
 * when no mount process answers (one that died).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { callControl, mountHome, serveControl } from '../mount/control.ts';
import type { MountHandle, MountStatus } from '../mount/MountHandle.ts';
import { DEFAULT_URL } from './clientFromFlags.ts';
import { parseRepoName } from './parseRepoName.ts';
import { reportError, runAction, EXIT_API_ERROR } from './runAction.ts';
import { UsageError } from './UsageError.ts';

interface MountFlags {
  draft?: string;
  ref?: string;
  url?: string;
  token?: string;
  cache?: string;
  syncInterval?: string;
  hydrate?: string;
  daemon?: boolean;
  json?: boolean;
}

export function registerMountCommands(program: Command): void {
  const mount = program
    .command('mount')
    .description('mount a Git remote lazily, or a draft read-write, with FUSE (stays in the foreground until unmounted)')
    .argument('[source]', 'a Git remote URL; with --draft, the repository as ns/name')
    .argument('[dir]', 'the folder to mount on (made if missing)')
    .option('--draft <id>', 'mount this draft of the repository <source>, read-write')
    .option('--ref <ref>', 'the branch or tag to check out (default: the remote\'s HEAD)')
    .option('--url <url>', `Grove server of a draft (env GROVE_URL, default ${DEFAULT_URL})`)
    .option('--token <token>', 'token for the remote or the Grove server (env GROVE_TOKEN)')
    .option('--cache <dir>', 'where the mount keeps its cache (default under ~/.cache/grove/mounts)')
    .option('--hydrate <when>', 'lazy mounts: background (default: fetch every file in priority order) or on-demand (only what is read)')
    .option('--sync-interval <seconds>', 'draft mounts: seconds between automatic syncs (default 30; 0: only on demand and at unmount)')
    .option('--daemon', 'run the mount in the background and return once it is ready')
    .action(runAction(async (source: string | undefined, dir: string | undefined, flags: MountFlags) => {
      if (source === undefined || dir === undefined) throw new UsageError('give what to mount and where: grove mount <remote> <dir>, or grove mount --draft <id> <ns/name> <dir>');
      if (flags.daemon === true) return daemonize(dir);
      const handle = await startMount(source, resolve(dir), flags);
      await serveControl(resolve(dir), handle);
      const status = handle.status();
      process.stdout.write(`mounted ${status.source} on ${status.dir} (${status.files} files)\n`);
      const stop = (): void => {
        handle.unmount().catch((err: Error) => reportError('UNMOUNT_FAILED', err.message));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await handle.closed;
    }));

  mount
    .command('status')
    .description('what a mount has fetched and what it waits for')
    .argument('<dir>', 'the mounted folder')
    .option('--json', 'print JSON')
    .action(runAction(async (dir: string, flags: { json?: boolean }) => {
      const status = await ask(dir, 'GET', '/status') as MountStatus;
      if (flags.json === true) {
        process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
        return;
      }
      const lines = [
        `${status.kind} mount of ${status.source} on ${status.dir}`,
        `files   ${status.hydratedFiles} of ${status.files} local`,
        `bytes   ${status.hydratedBytes} of ${status.bytes} local`,
        `queue   ${status.queue}`,
        ...(status.kind === 'draft' ? [`dirty   ${status.dirty}`] : []),
        ...status.errors.map((e) => `error   ${e.at} ${e.message}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }));

  mount
    .command('sync')
    .description('write a draft mount\'s changes back to the draft now')
    .argument('<dir>', 'the mounted folder')
    .action(runAction(async (dir: string) => {
      const report = await ask(dir, 'POST', '/sync') as { written: number; removed: number; uploaded: number; uploadedBytes: number };
      process.stdout.write(`synced: ${report.written} written, ${report.removed} removed, ${report.uploaded} blobs uploaded (${report.uploadedBytes} bytes)\n`);
    }));

  program
    .command('unmount')
    .description('unmount a mount (a draft mount syncs first) and end its process')
    .argument('<dir>', 'the mounted folder')
    .action(runAction(async (dir: string) => {
      const answer = await callControl(dir, 'POST', '/unmount');
      if (answer !== null && answer.status === 200) return;
      if (answer !== null) {
        const message = (answer.body as { error?: string } | null)?.error ?? JSON.stringify(answer.body);
        reportError('UNMOUNT_FAILED', message);
        process.exitCode = EXIT_API_ERROR;
        return;
      }
      // No mount process answers: unmount what the kernel still has.
      const result = spawnSync('fusermount', ['-u', resolve(dir)], { encoding: 'utf8' });
      if (result.status !== 0) {
        reportError('NOT_MOUNTED', `no mount answers at ${dir}${result.stderr.trim() === '' ? '' : ` (${result.stderr.trim()})`}`);
        process.exitCode = EXIT_API_ERROR;
      }
    }));
}

async function startMount(source: string, dir: string, flags: MountFlags): Promise<MountHandle> {
  const token = flags.token ?? nonEmpty(process.env['GROVE_TOKEN']);
  const log = (line: string): void => {
    process.stderr.write(`grove mount: ${line}\n`);
  };
  if (flags.draft !== undefined) {
    const { namespace, name } = parseRepoName(source);
    if (token === undefined) throw new UsageError('a draft mount needs a token: pass --token or set GROVE_TOKEN');
    const seconds = flags.syncInterval === undefined ? 30 : Number(flags.syncInterval);
    if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError('--sync-interval is a number of seconds (0: only on demand)');
    const { draftMount } = await import('../mount/draft/draftMount.ts');
    return draftMount({
      url: flags.url ?? nonEmpty(process.env['GROVE_URL']) ?? DEFAULT_URL, token, namespace, name, draftId: flags.draft, dir,
      syncIntervalMs: seconds * 1000, log, ...(flags.cache === undefined ? {} : { cacheDir: resolve(flags.cache) }),
    });
  }
  if (!/^https?:\/\//.test(source)) throw new UsageError(`'${source}' is not an http(s) Git remote (a draft: grove mount --draft <id> <ns/name> <dir>)`);
  if (flags.hydrate !== undefined && flags.hydrate !== 'background' && flags.hydrate !== 'on-demand') {
    throw new UsageError('--hydrate is background or on-demand');
  }
  const { lazyMount } = await import('../mount/lazy/lazyMount.ts');
  return lazyMount({
    remote: source, dir, log,
    ...(flags.hydrate === undefined ? {} : { hydrate: flags.hydrate }),
    ...(token === undefined ? {} : { token }),
    ...(flags.ref === undefined ? {} : { ref: flags.ref }),
    ...(flags.cache === undefined ? {} : { cacheDir: resolve(flags.cache) }),
  });
}

/** Starts this same command without --daemon, detached, and returns once its mount answers (at most a minute). */
async function daemonize(dir: string): Promise<void> {
  const args = process.argv.slice(1).filter((a) => a !== '--daemon');
  const logDir = join(mountHome(), 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${Date.now()}.log`);
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, out], env: process.env });
  child.unref();
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? 1;
  });
  for (let waited = 0; waited < 60_000; waited += 200) {
    if (exited !== null) throw new UsageError(`the mount process ended (exit ${exited}); its log: ${logFile}`);
    const answer = await callControl(dir, 'GET', '/status', 2000);
    if (answer?.status === 200) {
      process.stdout.write(`mounted on ${resolve(dir)} (pid ${child.pid}; log ${logFile})\n`);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new UsageError(`the mount did not answer within a minute; its log: ${logFile}`);
}

async function ask(dir: string, method: 'GET' | 'POST', route: string): Promise<unknown> {
  const answer = await callControl(dir, method, route);
  if (answer === null) throw new UsageError(`no mount answers at ${dir}`);
  if (answer.status !== 200) throw new UsageError(`the mount answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
