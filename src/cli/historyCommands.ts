/**
 * `grove log`, `grove show`, `grove diff`: a repository's history, read
 * through the content API and printed as git prints it.
 *
 *   grove log <ns>/<name> [--ref r] [--path p] [--limit n] [--cursor c] [--all] [--oneline]
 *   grove show <ns>/<name> <rev> [--stat] [--patch]
 *   grove diff <ns>/<name> <base>...<head> [--stat]
 */
import type { Command } from 'commander';
import type { LogQuery } from '../sdk/types.ts';
import { clientFromFlags, withClientFlags, type ClientFlags } from './clientFromFlags.ts';
import { commitHeader, logView, onelineView, statView } from './contentViews.ts';
import { printJson } from './output.ts';
import { parsePositiveInteger } from './parseNumber.ts';
import { parseRepoName } from './parseRepoName.ts';
import { printPage, type PageFlags } from './printPage.ts';
import { runAction } from './runAction.ts';
import { UsageError } from './UsageError.ts';

export function registerHistoryCommands(program: Command): void {
  withClientFlags(
    program.command('log').description('show the commits of a branch or revision, newest first (git log)')
      .argument('<ns/name>')
      .option('--ref <rev>', 'branch, tag or commit to start from (default HEAD)')
      .option('--path <path>', 'only commits that change this file or folder')
      .option('--limit <n>', 'commits per page (1-1000, default 50)', parsePositiveInteger)
      .option('--cursor <cursor>', 'start at this page (the next_cursor of the previous one)')
      .option('--all', 'follow next_cursor to the first commit')
      .option('--oneline', 'one line per commit: short id and subject'),
  ).action(runAction(async (target: string, flags: ClientFlags & PageFlags & { ref?: string; path?: string; oneline?: boolean }) => {
    const { namespace, name } = parseRepoName(target);
    const repo = clientFromFlags(flags).repo(namespace, name);
    const query: LogQuery = {
      ...(flags.ref === undefined ? {} : { ref: flags.ref }),
      ...(flags.path === undefined ? {} : { path: flags.path }),
      ...(flags.limit === undefined ? {} : { limit: flags.limit }),
      ...(flags.cursor === undefined ? {} : { cursor: flags.cursor }),
    };
    await printPage(flags, 'commits', () => repo.log(query), () => repo.iterateLog(query), flags.oneline === true ? onelineView : logView);
  }));

  withClientFlags(
    program.command('show').description('show a commit and its changes (git show)')
      .argument('<ns/name>')
      .argument('<rev>', 'commit id, branch, tag, or a revision such as main~2')
      .option('--stat', 'the files changed and their line counts instead of the patch')
      .option('--patch', 'the patch (the default; with --stat, both)'),
  ).action(runAction(async (target: string, rev: string, flags: ClientFlags & { stat?: boolean; patch?: boolean }) => {
    const { namespace, name } = parseRepoName(target);
    const stat = flags.stat === true;
    const patch = flags.patch === true || !stat;
    const commit = await clientFromFlags(flags).repo(namespace, name).commit(rev, { stat, patch });
    if (flags.json === true) return printJson(commit);
    let out = commitHeader(commit);
    if (stat) out += `---\n${statView(commit.files ?? [])}`;
    if (patch && commit.patch !== undefined && commit.patch !== '') out += `\n${commit.patch}`;
    process.stdout.write(out);
    if (commit.patch_truncated === true) process.stderr.write('grove: note: the patch stopped at 8 MiB\n');
  }));

  withClientFlags(
    program.command('diff').description('the changes of <head> since it left <base> (git diff -M base...head)')
      .argument('<ns/name>')
      .argument('<base...head>', 'two revisions joined by three dots, e.g. main...feature/login')
      .option('--stat', 'the files changed and their line counts instead of the patch'),
  ).action(runAction(async (target: string, basehead: string, flags: ClientFlags & { stat?: boolean }) => {
    const { namespace, name } = parseRepoName(target);
    const at = basehead.indexOf('...');
    if (at <= 0 || at + 3 >= basehead.length) throw new UsageError(`expected <base>...<head>, got '${basehead}'`);
    const stat = flags.stat === true;
    const result = await clientFromFlags(flags).repo(namespace, name).compare(basehead.slice(0, at), basehead.slice(at + 3), { patch: !stat });
    if (flags.json === true) return printJson(result);
    process.stdout.write(stat ? statView(result.files) : result.files.map((f) => f.patch ?? '').join(''));
    if (result.truncated) process.stderr.write('grove: note: the patches stopped at 1 MiB; some files are listed without theirs (see --json)\n');
  }));
}
