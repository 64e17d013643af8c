/**
 * What a fetch leaves in a client repository, to compare the clients of two
 * servers that were asked the same thing: its refs, its `.git/shallow` file
 * (git keeps it sorted), and every object it holds (`cat-file
 * --batch-all-objects`, so an object a server sent too many shows, even one
 * no ref reaches).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gitOut, refsOf } from './git.ts';

export interface ClientState {
  refs: string;
  shallow: string;
  objects: string;
}

export async function clientState(repoDir: string): Promise<ClientState> {
  const shallowFile = resolve(repoDir, await gitOut(['rev-parse', '--git-path', 'shallow'], { cwd: repoDir }));
  const objects = await gitOut(['cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)'], { cwd: repoDir });
  return {
    refs: await refsOf(repoDir),
    shallow: existsSync(shallowFile) ? readFileSync(shallowFile, 'utf8') : '',
    objects: objects.split('\n').sort().join('\n'),
  };
}

/** The commits of the `.git/shallow` file of a client state, in its order. */
export function shallowCommits(state: ClientState): string[] {
  return state.shallow.split('\n').filter((line) => line !== '');
}
