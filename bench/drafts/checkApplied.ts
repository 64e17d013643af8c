/**
 * The check of the apply runs (not timed): the branch clones with the real
 * `git`, the clone passes `git fsck --strict`, its main is the commit the
 * last apply answered, that commit's parent is the branch before it, it
 * changes exactly the files the draft changed, and each of them holds what
 * the draft wrote; the tree still has every file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGit } from '../gitCli.ts';
import type { FileWrite } from './runWrites.ts';

export interface ApplyCheck {
  ok: boolean;
  detail: string;
}

export interface AppliedState {
  url: string;
  token: string;
  /** The commit the last apply made, and the branch head before it. */
  sha: string;
  parent: string;
  files: readonly FileWrite[];
  /** Files the tree must hold. */
  total: number;
}

export async function checkApplied(workDir: string, state: AppliedState): Promise<ApplyCheck> {
  const dir = join(workDir, 'apply-clone');
  try {
    await runGit(['-c', `http.extraHeader=Authorization: Bearer ${state.token}`, 'clone', '--quiet', state.url, dir]);
    const fsck = await runGit(['fsck', '--strict', '--full', '--no-progress'], { cwd: dir, check: false });
    if (fsck.code !== 0 || fsck.stderr.trim() !== '') return { ok: false, detail: `git fsck --strict exited ${fsck.code}: ${fsck.stderr.slice(0, 300)}` };
    const head = (await runGit(['rev-parse', 'HEAD', 'HEAD~1'], { cwd: dir })).stdout.trim().split('\n');
    if (head[0] !== state.sha || head[1] !== state.parent) return { ok: false, detail: `HEAD, HEAD~1 are ${head.join(', ')}; apply answered ${state.sha} on ${state.parent}` };
    const changed = (await runGit(['diff', '--name-only', '--no-renames', 'HEAD~1', 'HEAD'], { cwd: dir })).stdout.trim().split('\n').sort();
    const expected = state.files.map((f) => f.path).sort();
    if (changed.join('\n') !== expected.join('\n')) return { ok: false, detail: `the apply commit changes ${changed.length} files, the draft ${expected.length}` };
    const wrong = state.files.filter((f) => readFileSync(join(dir, f.path), 'utf8') !== f.content);
    if (wrong.length > 0) return { ok: false, detail: `${wrong.length} files differ from what the draft wrote, e.g. ${wrong[0]?.path}` };
    const count = (await runGit(['ls-files'], { cwd: dir })).stdout.trim().split('\n').length;
    if (count !== state.total) return { ok: false, detail: `the tree has ${count} files, expected ${state.total}` };
    return { ok: true, detail: `git clone + git fsck --strict clean; main = ${state.sha.slice(0, 12)}, parent the branch before; ${changed.length} files changed as written, ${count} files in the tree` };
  } catch (err) {
    return { ok: false, detail: (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300) };
  }
}
