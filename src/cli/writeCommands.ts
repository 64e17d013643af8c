/**
 * `grove commit`, `grove revert`, `grove restore`: new commits on a branch,
 * made by the server without a Git client.
 *
 *   grove commit <ns>/<name> --branch b -m msg [--put path=localfile]... [--delete path]... [--move from=to]...
 *                [--expected-head sha] [--start-from rev] [--author 'Name <email>']
 *   grove revert <ns>/<name> <commit> --branch b [-m msg] [--mainline n] [--expected-head sha]
 *   grove restore <ns>/<name> <to> --branch b [-m msg] [--expected-head sha]
 *
 * `commit` is one atomic commit. A single `--put` of a file larger than
 * STREAM_THRESHOLD goes through the streaming upload (`PUT …/files/…`, no
 * base64, a progress bar on a terminal); any other set of changes is one JSON
 * body with the contents in base64. A local file with an execute bit is
 * committed as executable (100755); otherwise the mode already in the
 * repository is kept.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { FileChange, FileMode, IdentInput, WrittenCommit } from '../sdk/types.ts';
import { clientFromFlags, withClientFlags, type ClientFlags } from './clientFromFlags.ts';
import { collectPair, collectValue } from './collectOption.ts';
import { writtenView } from './contentViews.ts';
import { printJson } from './output.ts';
import { parsePositiveInteger } from './parseNumber.ts';
import { parseRepoName } from './parseRepoName.ts';
import { countedStream, startProgressBar } from './progressLine.ts';
import { runAction } from './runAction.ts';
import { UsageError } from './UsageError.ts';

/** Files above this size, when they are the only change, are streamed rather than sent as base64 JSON. */
export const STREAM_THRESHOLD = 512 * 1024;

interface CommitFlags extends ClientFlags {
  branch: string;
  message: string;
  put?: Array<[string, string]>;
  delete?: string[];
  move?: Array<[string, string]>;
  expectedHead?: string;
  startFrom?: string;
  author?: string;
}

export function registerWriteCommands(program: Command): void {
  withClientFlags(
    program.command('commit').description('commit file changes on a branch, atomically')
      .argument('<ns/name>')
      .requiredOption('--branch <branch>', 'the branch to commit on')
      .requiredOption('-m, --message <text>', 'the commit message')
      .option('--put <path=file>', 'write the local file at path (repeatable)', collectPair)
      .option('--delete <path>', 'delete a file or folder (repeatable)', collectValue)
      .option('--move <from=to>', 'move a file or folder (repeatable)', collectPair)
      .option('--expected-head <sha>', 'commit only if the branch is at this commit')
      .option('--start-from <rev>', 'create the branch at this revision first')
      .option('--author <ident>', "the author, 'Name <email>' (default: the server's identity)"),
  ).action(runAction(async (target: string, flags: CommitFlags) => {
    const { namespace, name } = parseRepoName(target);
    const repo = clientFromFlags(flags).repo(namespace, name);
    const puts = flags.put ?? [];
    const deletes = flags.delete ?? [];
    const moves = flags.move ?? [];
    if (puts.length + deletes.length + moves.length === 0) throw new UsageError('nothing to commit: give --put, --delete or --move');
    const author = flags.author === undefined ? undefined : parseIdent(flags.author);
    const files = puts.map(([path, local]) => ({ path, local, ...localFile(local) }));

    let written: WrittenCommit;
    const only = files[0];
    if (files.length === 1 && deletes.length === 0 && moves.length === 0 && only !== undefined && only.size > STREAM_THRESHOLD) {
      const bar = startProgressBar(`uploading ${only.path}`, only.size);
      try {
        const body = countedStream(Readable.toWeb(createReadStream(only.local)) as ReadableStream<Uint8Array>, bar);
        written = await repo.putFile(flags.branch, only.path, body, {
          message: flags.message,
          ...(flags.expectedHead === undefined ? {} : { expected_head: flags.expectedHead }),
          ...(flags.startFrom === undefined ? {} : { start_from: flags.startFrom }),
          ...(only.mode === undefined ? {} : { mode: only.mode }),
          ...(author === undefined ? {} : { author_name: author.name, author_email: author.email }),
        });
      } finally {
        bar.stop();
      }
    } else {
      const changes: FileChange[] = [
        ...files.map((f): FileChange => ({ op: 'put', path: f.path, content_base64: readFileSync(f.local).toString('base64'), ...(f.mode === undefined ? {} : { mode: f.mode }) })),
        ...deletes.map((path): FileChange => ({ op: 'delete', path })),
        ...moves.map(([from, to]): FileChange => ({ op: 'move', from, to })),
      ];
      written = await repo.commitFiles({
        branch: flags.branch,
        message: flags.message,
        changes,
        ...(flags.expectedHead === undefined ? {} : { expected_head: flags.expectedHead }),
        ...(flags.startFrom === undefined ? {} : { start_from: flags.startFrom }),
        ...(author === undefined ? {} : { author }),
      });
    }
    printWritten(written, flags);
  }));

  withClientFlags(
    program.command('revert').description('revert a commit onto a branch (git revert)')
      .argument('<ns/name>')
      .argument('<commit>', 'the commit to revert (any revision)')
      .requiredOption('--branch <branch>', 'the branch to commit the revert on')
      .option('-m, --message <text>', 'the message (default: Revert "<subject>")')
      .option('--mainline <n>', 'for a merge: the parent to go back to (git revert -m)', parsePositiveInteger)
      .option('--expected-head <sha>', 'commit only if the branch is at this commit'),
  ).action(runAction(async (target: string, commit: string, flags: ClientFlags & { branch: string; message?: string; mainline?: number; expectedHead?: string }) => {
    const { namespace, name } = parseRepoName(target);
    const written = await clientFromFlags(flags).repo(namespace, name).revert({
      branch: flags.branch,
      commit,
      ...(flags.message === undefined ? {} : { message: flags.message }),
      ...(flags.mainline === undefined ? {} : { mainline: flags.mainline }),
      ...(flags.expectedHead === undefined ? {} : { expected_head: flags.expectedHead }),
    });
    printWritten(written, flags);
  }));

  withClientFlags(
    program.command('restore').description('give a branch the tree of an earlier commit, as a new commit on top')
      .argument('<ns/name>')
      .argument('<to>', 'the commit whose files the branch gets back (any revision)')
      .requiredOption('--branch <branch>', 'the branch to restore')
      .option('-m, --message <text>', 'the message (default: Restore <short id>)')
      .option('--expected-head <sha>', 'commit only if the branch is at this commit'),
  ).action(runAction(async (target: string, to: string, flags: ClientFlags & { branch: string; message?: string; expectedHead?: string }) => {
    const { namespace, name } = parseRepoName(target);
    const written = await clientFromFlags(flags).repo(namespace, name).restore({
      branch: flags.branch,
      to,
      ...(flags.message === undefined ? {} : { message: flags.message }),
      ...(flags.expectedHead === undefined ? {} : { expected_head: flags.expectedHead }),
    });
    printWritten(written, flags);
  }));
}

function printWritten(written: WrittenCommit, flags: ClientFlags): void {
  if (flags.json === true) printJson(written);
  else process.stdout.write(writtenView(written));
}

/** The size of a local file, and 100755 when it is executable; a usage error when it is not a readable file. */
function localFile(path: string): { size: number; mode: FileMode | undefined } {
  let stat;
  try {
    stat = statSync(path);
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (!stat.isFile()) throw new UsageError(`${path} is not a file`);
  return { size: stat.size, mode: (stat.mode & 0o111) !== 0 ? '100755' : undefined };
}

/** `Name <email>` → `{name, email}`. */
function parseIdent(text: string): IdentInput {
  const match = /^\s*([^<>]+?)\s*<([^<>]*)>\s*$/.exec(text);
  if (match === null) throw new UsageError(`expected --author 'Name <email>', got '${text}'`);
  return { name: match[1]!, email: match[2]! };
}
