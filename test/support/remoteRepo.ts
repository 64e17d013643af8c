/**
 * Moves whole repositories to and from a server under test with the git CLI,
 * and checks a server repository against a mirror clone of it.
 */
import { expect } from 'vitest';
import { git } from './git.ts';
import type { GitServerUnderTest } from './gitServer.ts';
import { snapshotOfRepo } from './snapshotOfRepo.ts';

export interface Remote {
  remote: string;
  token: string;
}

/** Pushes every branch and tag of `sourceDir` (one push). */
export async function pushAllRefs(sourceDir: string, to: Remote): Promise<void> {
  await git(['push', '--quiet', to.remote, 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*'], {
    cwd: sourceDir,
    token: to.token,
  });
}

/** `git clone --mirror` into `dir`: every server ref, under its own name. */
export async function cloneMirror(from: Remote, dir: string, protocol?: 0 | 2): Promise<void> {
  await git(['clone', '--quiet', '--mirror', from.remote, dir], {
    token: from.token,
    ...(protocol === undefined ? {} : { protocol }),
  });
}

/**
 * The server's snapshot equals that of a mirror clone of it: same HEAD, refs and
 * objects. Holds whenever the server repository has no unreachable objects.
 */
export async function expectServerEqualsMirror(server: GitServerUnderTest, from: Remote, dir: string): Promise<void> {
  await cloneMirror(from, dir);
  expect(await server.snapshot(from.remote)).toBe(await snapshotOfRepo(dir));
}
