/**
 * The mount's real git directory: a partial clone as `git clone
 * --filter=blob:none --no-checkout` would leave it (gitpartial-clone:
 * "remote.<name>.promisor = true, remote.<name>.partialCloneFilter"), with
 * the settings that let `git status` trust the stat data the mount reports
 * (core.checkStat=minimal: only mtime seconds, size and mode are compared;
 * core.trustctime=false), and nothing that runs in the background.
 *
 * A token is never written into `config`: it goes to `config.auth` (mode
 * 0600, in the user-private cache) as `http.<remote>.extraHeader`, which
 * `config` includes — so git's own fetches and pushes from the mount send
 * it, and only to that remote.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Oid } from '../../git/objects/objectId.ts';
import type { ChosenRef } from './chooseRef.ts';

export interface GitDirSettings {
  remote: string;
  ref: ChosenRef;
  token?: string;
}

export function initGitDir(gitDir: string, settings: GitDirSettings): void {
  for (const dir of ['objects/pack', 'objects/info', 'refs/heads', 'refs/tags', 'refs/remotes/origin', 'info']) {
    mkdirSync(join(gitDir, dir), { recursive: true });
  }
  writeConfig(gitDir, settings);
  const { ref } = settings;
  if (ref.branch !== undefined) {
    writeRef(gitDir, `refs/heads/${ref.branch}`, ref.commit);
    writeRef(gitDir, `refs/remotes/origin/${ref.branch}`, ref.commit);
    writeFileSync(join(gitDir, 'HEAD'), `ref: refs/heads/${ref.branch}\n`);
  } else {
    writeFileSync(join(gitDir, 'HEAD'), `${ref.commit}\n`);
  }
}

/** (Re)writes `config` and `config.auth`; called at every start, so a new token replaces the old one. */
export function writeConfig(gitDir: string, settings: GitDirSettings): void {
  const lines = [
    '[core]',
    '\trepositoryformatversion = 1',
    '\tfilemode = true',
    '\tbare = false',
    '\tlogallrefupdates = true',
    '\tcheckStat = minimal',
    '\ttrustctime = false',
    '\tsymlinks = true',
    '\tignorecase = false',
    '[remote "origin"]',
    `\turl = ${quote(settings.remote)}`,
    '\tfetch = +refs/heads/*:refs/remotes/origin/*',
    '\tpromisor = true',
    '\tpartialclonefilter = blob:none',
    ...(settings.ref.branch === undefined ? [] : [`[branch ${quote(settings.ref.branch)}]`, '\tremote = origin', `\tmerge = refs/heads/${settings.ref.branch}`]),
    '[gc]',
    '\tauto = 0',
    '[maintenance]',
    '\tauto = false',
    '[fetch]',
    '\twriteCommitGraph = false',
  ];
  const auth = join(gitDir, 'config.auth');
  if (settings.token !== undefined) {
    writeFileSync(auth, `[http ${quote(settings.remote)}]\n\textraHeader = ${quote(`Authorization: Bearer ${settings.token}`)}\n`, { mode: 0o600 });
    chmodSync(auth, 0o600);
    lines.push('[include]', '\tpath = config.auth');
  } else {
    writeFileSync(auth, '', { mode: 0o600 });
  }
  writeFileSync(join(gitDir, 'config'), `${lines.join('\n')}\n`);
}

export function writeRef(gitDir: string, name: string, oid: Oid): void {
  const path = join(gitDir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `${oid}\n`);
}

/** A config value in double quotes ("\"" and "\\" escaped), as git-config(1) reads it. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
