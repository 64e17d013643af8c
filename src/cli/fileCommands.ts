/**
 * `grove ls`, `grove cat`, `grove grep`, `grove archive`: a repository's
 * files at any revision, through the content API.
 *
 *   grove ls <ns>/<name> [<ref>] [<path>] [-r]
 *   grove cat <ns>/<name> <ref> <path>                  raw bytes to stdout, streamed
 *   grove grep <ns>/<name> <pattern> [--ref r] [-E] [-i] [-C n] [--max-count n] [-- <pathspec>...]
 *   grove archive <ns>/<name> <ref> [--format tar.gz|zip] [-o file|-]
 *
 * `grep` exits 1 when nothing matches, as git grep does. `archive` shows a
 * progress bar on stderr when it is a terminal.
 */
import { createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import type { ArchiveFormat, GrepMatch, GrepQuery, GrepSkipped } from '../sdk/types.ts';
import { clientFromFlags, withClientFlags, type ClientFlags } from './clientFromFlags.ts';
import { grepView, treeView } from './contentViews.ts';
import { printJson } from './output.ts';
import { parsePositiveInteger } from './parseNumber.ts';
import { parseRepoName } from './parseRepoName.ts';
import { countedStream, formatBytes, startProgressBar } from './progressLine.ts';
import { runAction } from './runAction.ts';

export function registerFileCommands(program: Command): void {
  withClientFlags(
    program.command('ls').description('list a folder at a revision (git ls-tree -l)')
      .argument('<ns/name>')
      .argument('[ref]', 'branch, tag or commit (default HEAD)')
      .argument('[path]', 'the folder (default the root)')
      .option('-r, --recursive', 'every file below, not only the folder\'s entries'),
  ).action(runAction(async (target: string, ref: string | undefined, path: string | undefined, flags: ClientFlags & { recursive?: boolean }) => {
    const { namespace, name } = parseRepoName(target);
    const tree = await clientFromFlags(flags).repo(namespace, name).tree(ref ?? 'HEAD', {
      ...(path === undefined || path === '' || path === '.' ? {} : { path: path.replace(/\/+$/, '') }),
      ...(flags.recursive === true ? { recursive: true } : {}),
    });
    if (flags.json === true) return printJson(tree);
    process.stdout.write(treeView(tree.entries));
    if (tree.truncated) process.stderr.write('grove: note: the listing stopped at 100000 entries\n');
  }));

  withClientFlags(
    program.command('cat').description('write a file\'s bytes at a revision to stdout (git show <ref>:<path>)')
      .argument('<ns/name>')
      .argument('<ref>', 'branch, tag or commit')
      .argument('<path>', 'the file'),
  ).action(runAction(async (target: string, ref: string, path: string, flags: ClientFlags) => {
    const { namespace, name } = parseRepoName(target);
    const file = await clientFromFlags(flags).repo(namespace, name).file(ref, path);
    await pipeline(Readable.fromWeb(file.body as import('node:stream/web').ReadableStream<Uint8Array>), process.stdout);
  }));

  withClientFlags(
    program.command('grep').description('search the files of a revision (git grep -n)')
      .argument('<ns/name>')
      .argument('<pattern>', 'a fixed string, or with -E an extended regular expression')
      .argument('[pathspec...]', 'after --: only these paths or globs (src, *.md, **/*.ts, :!excluded)')
      .option('--ref <rev>', 'the revision to search (default HEAD)')
      .option('-E, --extended-regexp', 'the pattern is a POSIX extended regular expression')
      .option('-i, --ignore-case', 'ignore case')
      .option('-C, --context <n>', 'lines of context around each match', parseContext)
      .option('--max-count <n>', 'stop after n matches', parsePositiveInteger),
  ).action(runAction(async (target: string, pattern: string, paths: string[], flags: ClientFlags & { ref?: string; extendedRegexp?: boolean; ignoreCase?: boolean; context?: number; maxCount?: number }) => {
    const { namespace, name } = parseRepoName(target);
    const repo = clientFromFlags(flags).repo(namespace, name);
    const query: GrepQuery = {
      pattern,
      limit: Math.min(1000, flags.maxCount ?? 1000),
      ...(flags.ref === undefined ? {} : { ref: flags.ref }),
      ...(flags.extendedRegexp === true ? { regex: true } : {}),
      ...(flags.ignoreCase === true ? { ignore_case: true } : {}),
      ...(flags.context === undefined ? {} : { context: flags.context }),
      ...(paths.length === 0 ? {} : { paths }),
    };
    const matches: GrepMatch[] = [];
    const skipped: GrepSkipped[] = [];
    let commit = '';
    let cursor: string | null | undefined;
    do {
      const page = await repo.grep({ ...query, ...(cursor === undefined || cursor === null ? {} : { cursor }) });
      commit = page.commit;
      matches.push(...page.matches);
      skipped.push(...page.skipped);
      cursor = page.next_cursor;
    } while (cursor !== null && (flags.maxCount === undefined || matches.length < flags.maxCount));
    if (flags.maxCount !== undefined) matches.splice(flags.maxCount);
    if (flags.json === true) printJson({ commit, matches, skipped, next_cursor: null });
    else {
      process.stdout.write(grepView(matches, skipped));
      for (const s of skipped) if (s.reason === 'too_large') process.stderr.write(`grove: note: ${s.path} is too large to search\n`);
    }
    if (matches.length === 0 && !skipped.some((s) => s.reason === 'binary')) process.exitCode = 1;
  }));

  withClientFlags(
    program.command('archive').description('download the tree of a revision as a .tar.gz or .zip')
      .argument('<ns/name>')
      .argument('<ref>', 'branch, tag or commit')
      .addOption(new Option('--format <format>', 'archive format').choices(['tar.gz', 'zip']).default('tar.gz'))
      .option('-o, --output <file>', "where to write it (default the server's name for it, e.g. notes-1a2b3c4.tar.gz; - for stdout)"),
  ).action(runAction(async (target: string, ref: string, flags: ClientFlags & { format: ArchiveFormat; output?: string }) => {
    const { namespace, name } = parseRepoName(target);
    const archive = await clientFromFlags(flags).repo(namespace, name).archive(ref, flags.format);
    const toStdout = flags.output === '-';
    const file = flags.output ?? archive.filename ?? `${name}.${flags.format}`;
    const bar = startProgressBar(`downloading ${file}`, archive.size);
    let bytes = 0;
    const counted = countedStream(archive.body, { add: (n) => { bytes += n; bar.add(n); }, stop: () => {} });
    try {
      await pipeline(Readable.fromWeb(counted as import('node:stream/web').ReadableStream<Uint8Array>), toStdout ? (process.stdout as Writable) : createWriteStream(file));
    } finally {
      bar.stop();
    }
    if (toStdout) return;
    if (flags.json === true) printJson({ file, bytes, format: flags.format, etag: archive.etag });
    else process.stdout.write(`wrote ${file} (${formatBytes(bytes)})\n`);
  }));
}

function parseContext(text: string): number {
  return text === '0' ? 0 : parsePositiveInteger(text);
}
