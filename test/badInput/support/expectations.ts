/**
 * The assertions every bad-input test ends with: the exact error surface of
 * the answer (JSON error, `ERR` pkt-line, or receive-pack report), and a
 * repository that is byte for byte as before and still works with real git.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { git, gitOut } from '../../support/git.ts';
import { pktTexts } from '../../support/pktLines.ts';
import { reportLines } from '../../support/reportLines.ts';
import { withTempDir } from '../../support/tempDir.ts';
import type { Answer } from './badInputServer.ts';
import { lsRemote, type SeededRepo } from './seed.ts';

/** A JSON error `{error: {code, message}}` with this status. */
export function expectJsonError(answer: Answer, status: number, code: string, message: string | RegExp): void {
  expect({ status: answer.status, type: answer.headers.get('content-type') }).toEqual({
    status,
    type: 'application/json; charset=utf-8',
  });
  const body = JSON.parse(answer.text) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  if (typeof message === 'string') expect(body.error.message).toBe(message);
  else expect(body.error.message).toMatch(message);
}

/** An upload-pack answer that is exactly one `ERR <message>` pkt-line, with HTTP 200. */
export function expectErrPkt(answer: Answer, message: string): void {
  expect({ status: answer.status, type: answer.headers.get('content-type') }).toEqual({
    status: 200,
    type: 'application/x-git-upload-pack-result',
  });
  expect(pktTexts(answer.body)).toEqual([`ERR ${message}\n`]);
}

/** A receive-pack answer with HTTP 200 whose report-status is exactly `lines`. */
export function expectReport(answer: Answer, lines: string[], options: { sideband?: boolean } = {}): void {
  expect({ status: answer.status, type: answer.headers.get('content-type') }).toEqual({
    status: 200,
    type: 'application/x-git-receive-pack-result',
  });
  expect(reportLines(answer.body, options.sideband === true)).toEqual(lines);
}

export interface WorkingOptions {
  /** Also push a new commit on top of `main` with git, to show pushes still go through. */
  push?: boolean;
}

/**
 * The repository is byte for byte what it was after seeding, `git ls-remote`
 * lists the same refs, a fresh clone passes `git fsck --strict`, and (with
 * `push`) a real push still succeeds.
 */
export async function expectUnchangedAndWorking(repo: SeededRepo, options: WorkingOptions = {}): Promise<void> {
  expect(repo.dump()).toBe(repo.before);
  expect(await lsRemote(repo)).toBe(repo.lsRemote);
  await withTempDir('grove-bad-input-clone-', async (scratch) => {
    const clone = join(scratch, 'clone.git');
    await git(['clone', '--quiet', '--bare', repo.remote, clone], { token: repo.token });
    const fsck = await git(['fsck', '--full', '--strict', '--no-progress', '--no-dangling'], { cwd: clone, allowFailure: true });
    expect({ code: fsck.code, output: fsck.stdout + fsck.stderr }).toEqual({ code: 0, output: '' });
    if (options.push === true) {
      const tree = await gitOut(['rev-parse', 'main^{tree}'], { cwd: clone });
      const commit = await gitOut(['commit-tree', tree, '-p', 'main', '-m', 'after the failure'], { cwd: clone });
      await git(['push', '--quiet', repo.remote, `${commit}:refs/heads/main`], { cwd: clone, token: repo.token });
      expect(await gitOut(['ls-remote', repo.remote, 'refs/heads/main'], { token: repo.token })).toBe(`${commit}\trefs/heads/main`);
    }
  });
}
