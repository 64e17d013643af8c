/**
 * The canonical text of a repository's state, used to compare a server's
 * repository before and after an operation, and with the repository that was
 * pushed into it. Format (one item a line, each block sorted, `\n` after each line):
 *
 *   symref HEAD <target>            (or `ref HEAD <oid>` if HEAD is detached)
 *   ref <refname> <oid>             (every ref under refs/, sorted by name)
 *   object <oid> <type> <size>      (every object stored, sorted by id)
 *
 * This is the contract `dumpRepository` (src/testing.ts) is expected to follow
 * for Grove, so that a snapshot can be compared with one made from a local repo.
 */
import { git, gitOut } from './git.ts';

export async function snapshotOfRepo(repoDir: string): Promise<string> {
  const lines: string[] = [];
  const symref = await git(['symbolic-ref', '-q', 'HEAD'], { cwd: repoDir, allowFailure: true });
  if (symref.code === 0) {
    lines.push(`symref HEAD ${symref.stdout.trim()}`);
  } else {
    lines.push(`ref HEAD ${await gitOut(['rev-parse', '--verify', 'HEAD'], { cwd: repoDir })}`);
  }
  const refs = await gitOut(['for-each-ref', '--format=ref %(refname) %(objectname)'], { cwd: repoDir });
  lines.push(...sortedLines(refs));
  const objects = await gitOut(
    ['cat-file', '--batch-all-objects', '--batch-check=object %(objectname) %(objecttype) %(objectsize)'],
    { cwd: repoDir },
  );
  lines.push(...sortedLines(objects));
  return lines.map((line) => `${line}\n`).join('');
}

function sortedLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .sort();
}
