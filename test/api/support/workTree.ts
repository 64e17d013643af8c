/**
 * A local working repository to push from, and what a remote holds, with the
 * real git CLI (asynchronous: the server answers in this same process).
 */
import { git, gitOut } from '../../support/git.ts';

/** `git init` in `dir` with one commit on `main`; returns its id. */
export async function initWorkTree(dir: string): Promise<string> {
  await git(['init', '--quiet', '--initial-branch=main', dir]);
  return commit(dir, 'first');
}

/** A new commit on the checked-out branch (a file named after `message`); returns its id. */
export async function commit(dir: string, message: string): Promise<string> {
  await git(['commit', '--quiet', '--allow-empty', '-m', message], { cwd: dir });
  return gitOut(['rev-parse', 'HEAD'], { cwd: dir });
}

/** `git ls-remote` of a remote: ref name → object id (HEAD included when advertised). */
export async function lsRemote(remote: string, token: string): Promise<Record<string, string>> {
  const out = await gitOut(['ls-remote', remote], { token });
  const refs: Record<string, string> = {};
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const [oid, name] = line.split('\t') as [string, string];
    refs[name] = oid;
  }
  return refs;
}

/** The ref HEAD of a remote points at, from `git ls-remote --symref`. */
export async function remoteHead(remote: string, token: string): Promise<string | null> {
  const out = await gitOut(['ls-remote', '--symref', remote, 'HEAD'], { token });
  const match = /^ref: (\S+)\tHEAD$/m.exec(out);
  return match?.[1] ?? null;
}
