/**
 * The text views of repository content, printed as git prints the same
 * things so that people and scripts used to git read them at once:
 *
 * - a commit as `git log` / `git show` head it ("medium" format: `commit`,
 *   `Merge:`, `Author:`, `Date:` in git's default date format, the message
 *   indented four spaces);
 * - a tree as `git ls-tree -l` lists it (`<mode> <type> <sha> <size>\t<path>`,
 *   the size right-aligned in seven columns, `-` for trees);
 * - grep matches as `git grep -n` prints them in a work tree
 *   (`path:line:text`, context lines `path-line-text`, `--` between groups);
 * - a diffstat like `git diff --stat`.
 */
import type { Commit, CommitFileStat, GrepMatch, GrepSkipped, TreeEntry, WrittenCommit } from '../sdk/types.ts';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2005-04-07T15:13:13-07:00` → `Thu Apr 7 15:13:13 2005 -0700` (git's default date format); anything else as it came. */
export function gitDefaultDate(iso: string): string {
  const match = /^(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  if (match === null) return iso;
  const [, year, month, day, time, zone] = match as unknown as [string, string, string, string, string, string];
  const weekday = DAYS[new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))).getUTCDay()]!;
  const offset = zone === 'Z' ? '+0000' : zone.replace(':', '');
  return `${weekday} ${MONTHS[Number(month) - 1]} ${Number(day)} ${time} ${Number(year)} ${offset}`;
}

/** The head of a commit as `git log` prints it, without a trailing blank line. */
export function commitHeader(commit: Commit): string {
  const lines = [`commit ${commit.sha}`];
  if (commit.parents.length > 1) lines.push(`Merge: ${commit.parents.map((p) => p.slice(0, 7)).join(' ')}`);
  lines.push(`Author: ${commit.author.name} <${commit.author.email}>`, `Date:   ${gitDefaultDate(commit.author.date)}`, '');
  const message = commit.message.replace(/\n+$/, '');
  for (const line of message.split('\n')) lines.push(`    ${line}`);
  return `${lines.join('\n')}\n`;
}

/** Commits as `git log` prints them: each head, a blank line between them. */
export function logView(commits: readonly Commit[]): string {
  return commits.map(commitHeader).join('\n');
}

/** `<sha7> <subject>` a line, as `git log --oneline`. */
export function onelineView(commits: readonly Commit[]): string {
  return commits.map((c) => `${c.sha.slice(0, 7)} ${c.message.split('\n')[0] ?? ''}\n`).join('');
}

/** `[<branch> <sha7>] <subject>`, as `git commit` reports a commit. */
export function writtenView(commit: WrittenCommit): string {
  return `[${commit.branch.replace(/^refs\/heads\//, '')} ${commit.sha.slice(0, 7)}] ${commit.message.split('\n')[0] ?? ''}\n`;
}

/** Entries as `git ls-tree -l` lists them. */
export function treeView(entries: readonly TreeEntry[]): string {
  return entries.map((e) => `${e.mode} ${e.type} ${e.sha} ${String(e.size ?? '-').padStart(7)}\t${e.path}\n`).join('');
}

/**
 * Matches as `git grep -n [-C n]` prints them in a work tree, with git's
 * `Binary file <path> matches` lines for the binary files skipped, in path order.
 */
export function grepView(matches: readonly GrepMatch[], skipped: readonly GrepSkipped[]): string {
  const binaries = skipped.filter((s) => s.reason === 'binary').map((s) => s.path);
  const out: string[] = [];
  let last: { path: string; line: number } | null = null;
  let printedGroup = false;
  const hasContext = matches.some((m) => m.before !== undefined || m.after !== undefined);
  const flushBinariesBefore = (path: string | null): void => {
    while (binaries.length > 0 && (path === null || binaries[0]! < path)) {
      // git prints no separator before this line, but one between it and the next group.
      out.push(`Binary file ${binaries.shift()!} matches`);
      last = null;
      printedGroup = true;
    }
  };
  for (const match of matches) {
    flushBinariesBefore(match.path);
    const before = match.before ?? [];
    const first = match.line_number - before.length;
    const contiguous = last !== null && last.path === match.path && last.line + 1 === first;
    if (hasContext && printedGroup && !contiguous) out.push('--');
    before.forEach((text, i) => out.push(`${match.path}-${first + i}-${text}`));
    out.push(`${match.path}:${match.line_number}:${match.line}`);
    const after = match.after ?? [];
    after.forEach((text, i) => out.push(`${match.path}-${match.line_number + 1 + i}-${text}`));
    last = { path: match.path, line: match.line_number + after.length };
    printedGroup = true;
  }
  flushBinariesBefore(null);
  return out.map((line) => `${line}\n`).join('');
}

/** Files changed as `git diff --stat` summarises them (bars scaled to at most 40 columns). */
export function statView(files: readonly CommitFileStat[]): string {
  if (files.length === 0) return ' 0 files changed\n';
  const names = files.map((f) => (f.old_path !== null && f.old_path !== f.path ? `${f.old_path} => ${f.path}` : f.path));
  const width = Math.max(...names.map((n) => n.length));
  const most = Math.max(...files.map((f) => f.additions + f.deletions));
  const scale = most > 40 ? 40 / most : 1;
  const countWidth = String(most).length;
  const lines = files.map((f, i) => {
    const name = names[i]!.padEnd(width);
    if (f.binary) return ` ${name} | Bin`;
    const plus = Math.round(f.additions * scale) || (f.additions > 0 ? 1 : 0);
    const minus = Math.round(f.deletions * scale) || (f.deletions > 0 ? 1 : 0);
    return ` ${name} | ${String(f.additions + f.deletions).padStart(countWidth)} ${'+'.repeat(plus)}${'-'.repeat(minus)}`.trimEnd();
  });
  const additions = files.reduce((sum, f) => sum + f.additions, 0);
  const deletions = files.reduce((sum, f) => sum + f.deletions, 0);
  const summary = [`${files.length} file${files.length === 1 ? '' : 's'} changed`];
  if (additions > 0) summary.push(`${additions} insertion${additions === 1 ? '' : 's'}(+)`);
  if (deletions > 0) summary.push(`${deletions} deletion${deletions === 1 ? '' : 's'}(-)`);
  return `${lines.join('\n')}\n ${summary.join(', ')}\n`;
}
