/**
 * The environment every real `git` child of the tests runs in, whether run by
 * git.ts (asynchronous) or gitBytes.ts (synchronous): isolated from the
 * user's and the system's configuration (GIT_CONFIG_NOSYSTEM=1; HOME,
 * XDG_CONFIG_HOME and GIT_CONFIG_GLOBAL in one directory under the run's
 * temporary root, holding a small global config; no prompts; every inherited
 * GIT_* variable, such as traces or alternate object dirs, dropped) and
 * deterministic (fixed author and committer names, emails and dates; LANG=C).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** Fixed date of every commit and tag made through these helpers (raw format). */
export const FIXED_DATE = '1700000000 +0000';

let home: string | undefined;

/**
 * The HOME of every git child: one fixed directory under the temporary root
 * holding the global config (rewritten atomically by each worker, always with
 * the same content).
 */
export function gitHome(): string {
  if (home !== undefined) return home;
  const dir = join(tmpdir(), 'grove-git-home');
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

/** The environment of a git child process, with `extra` (GIT_TRACE_PACKET, GIT_PROTOCOL...) on top. */
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
