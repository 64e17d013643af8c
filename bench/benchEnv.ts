/**
 * Where the benchmarks keep things, and the environment of every `git` they
 * run (clients, the corpus generator, and C Git's server children): no
 * system or user configuration, no inherited GIT_* variables, a HOME of their
 * own holding a small global config with Git's defaults except that nothing
 * runs in the background (gc, maintenance) to disturb a measurement.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const BENCH_DIR = resolve(import.meta.dirname);
export const REPO_ROOT = resolve(BENCH_DIR, '..');
export const CACHE_DIR = join(BENCH_DIR, '.cache');
export const RESULTS_DIR = join(BENCH_DIR, 'results');

const HOME = join(CACHE_DIR, 'home');
const GLOBAL_CONFIG = [
  '[user]',
  '\tname = Grove Bench',
  '\temail = bench@grove.invalid',
  '[init]',
  '\tdefaultBranch = main',
  '[core]',
  '\tautocrlf = false',
  '[gc]',
  '\tauto = 0',
  '[maintenance]',
  '\tauto = false',
  '[advice]',
  '\tdetachedHead = false',
  '',
].join('\n');

let prepared = false;

/** The environment of a git child, with `extra` on top. */
export function benchGitEnv(extra: Record<string, string> = {}): Record<string, string> {
  if (!prepared) {
    mkdirSync(HOME, { recursive: true });
    writeFileSync(join(HOME, '.gitconfig'), GLOBAL_CONFIG);
    prepared = true;
  }
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('GIT_') && !key.startsWith('GROVE_')) env[key] = value;
  }
  return {
    ...env,
    HOME,
    XDG_CONFIG_HOME: join(HOME, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(HOME, '.gitconfig'),
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GIT_AUTHOR_DATE: '1700000000 +0000',
    GIT_COMMITTER_DATE: '1700000000 +0000',
    LANG: 'C',
    LC_ALL: 'C',
    ...extra,
  };
}
