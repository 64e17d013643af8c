/**
 * `grove draft`: working copies of a branch, changed file by file and then
 * applied onto the branch or discarded (the SDK's `repo(ns, name).drafts`).
 *
 *   grove draft create <ns>/<name> [--from rev] [--branch b] [--label text] [--ttl 1h]
 *   grove draft ls <ns>/<name> [--limit n] [--cursor c] [--all]
 *   grove draft show <ns>/<name> <id>
 *   grove draft read <ns>/<name> <id> <path> [--offset n] [--limit n]
 *   grove draft write <ns>/<name> <id> <path> [--file f] [--mode 100644|100755|120000]   (else stdin)
 *   grove draft edit <ns>/<name> <id> <path> --old text --new text [--all]
 *   grove draft ls-files <ns>/<name> <id> [path] [-r]
 *   grove draft grep <ns>/<name> <id> <pattern> [-E] [-i] [-C n] [--include glob]... [--exclude glob]... [--path p] [--max-count n]
 *   grove draft exec <ns>/<name> <id> [--cwd dir] [--timeout ms] [--env K=V]... -- <command...>
 *   grove draft checkpoint <ns>/<name> <id> [-m msg]
 *   grove draft revisions <ns>/<name> <id>
 *   grove draft reset <ns>/<name> <id> <rev>
 *   grove draft diff <ns>/<name> <id> [--against base|head|branch] [--stat]
 *   grove draft update <ns>/<name> <id> [-m msg]
 *   grove draft apply <ns>/<name> <id> [-m msg] [--ff-only] [--branch b]
 *   grove draft discard <ns>/<name> <id>
 *   grove draft token <ns>/<name> <id> [--read glob]... [--write glob]... [--ttl 1h] [--label text]
 *
 * `read` without --offset/--limit writes the file's bytes as they are (any
 * size, binary too); with them, the lines the read tool returns. `write`
 * sends the bytes raw (no JSON, no base64), from --file or stdin; a local
 * file with an execute bit is written as 100755 unless --mode says otherwise.
 * `exec` runs one bash script: a single argument is the script, several are
 * quoted and joined into one command line; it prints the command's stdout
 * and stderr and exits with its exit code. `grep` exits 1 when nothing
 * matches, as git grep does. `apply` prints the conflicting paths in its
 * MERGE_CONFLICT error line.
 *
 * Past 400 lines on purpose: one subcommand per draft route, the `grove
 * draft` group read as one page, as the other command files are.
 */
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import type { DraftApi } from '../sdk/DraftApi.ts';
import type { Draft, DraftConflict, DraftFileInfo, DraftRevision, DraftToken, GrepToolArgs, GrepToolResult, LsToolResult, PutDraftFileOptions } from '../sdk/draftTypes.ts';
import { GroveApiError, isGroveApiError } from '../sdk/GroveApiError.ts';
import type { UploadBody } from '../sdk/GroveTransport.ts';
import { clientFromFlags, withClientFlags, type ClientFlags } from './clientFromFlags.ts';
import { collectPair, collectValue } from './collectOption.ts';
import { grepView, statView } from './contentViews.ts';
import { formatFields, formatTable, printJson } from './output.ts';
import { parsePositiveInteger } from './parseNumber.ts';
import { parseRepoName } from './parseRepoName.ts';
import { parseTtl } from './parseTtl.ts';
import { printPage, type PageFlags } from './printPage.ts';
import { runAction } from './runAction.ts';
import { UsageError } from './UsageError.ts';
import { SHOWN_ONCE_NOTE } from './views.ts';

type FileMode = NonNullable<PutDraftFileOptions['mode']>;

export function registerDraftCommands(program: Command): void {
  const draft = program.command('draft').description('working copies of a branch: change files, checkpoint, then apply or discard');

  withClientFlags(
    draft.command('create').description('create a draft of a branch (or of any revision)')
      .argument('<ns/name>')
      .option('--from <rev>', 'branch, tag or commit to start from (default: the default branch)')
      .option('--branch <branch>', 'the branch apply commits onto (default: --from, when it is a branch)')
      .option('--label <text>', 'a note saying what the draft is for')
      .option('--ttl <duration>', 'discarded after this long unused: seconds, or 90m, 1h, 2d (default 1d)', parseTtl),
  ).action(runAction(async (target: string, flags: ClientFlags & { from?: string; branch?: string; label?: string; ttl?: number }) => {
    const created = await drafts(target, flags).create({
      ...(flags.from === undefined ? {} : { from: flags.from }),
      ...(flags.branch === undefined ? {} : { branch: flags.branch }),
      ...(flags.label === undefined ? {} : { label: flags.label }),
      ...(flags.ttl === undefined ? {} : { ttl_seconds: flags.ttl }),
    });
    printDraft(created, flags);
  }));

  withClientFlags(
    draft.command('ls').description('list the repository\'s drafts')
      .argument('<ns/name>')
      .option('--limit <n>', 'drafts per page (1-200)', parsePositiveInteger)
      .option('--cursor <cursor>', 'start at this page (the next_cursor of the previous one)')
      .option('--all', 'follow next_cursor to the last page'),
  ).action(runAction(async (target: string, flags: ClientFlags & PageFlags) => {
    const api = drafts(target, flags);
    const query = { ...(flags.limit === undefined ? {} : { limit: flags.limit }), ...(flags.cursor === undefined ? {} : { cursor: flags.cursor }) };
    await printPage(flags, 'drafts', () => api.list(query), () => api.iterate(query), draftTable);
  }));

  withClientFlags(
    draft.command('show').description('show a draft').argument('<ns/name>').argument('<id>'),
  ).action(runAction(async (target: string, id: string, flags: ClientFlags) => {
    printDraft(await drafts(target, flags).get(id), flags);
  }));

  withClientFlags(
    draft.command('read').description('write a draft\'s file to stdout (with --offset/--limit: those lines)')
      .argument('<ns/name>').argument('<id>').argument('<path>')
      .option('--offset <n>', 'the first line, from 1', parsePositiveInteger)
      .option('--limit <n>', 'lines at most (1-2000)', parsePositiveInteger),
  ).action(runAction(async (target: string, id: string, path: string, flags: ClientFlags & { offset?: number; limit?: number }) => {
    const api = drafts(target, flags);
    const paged = flags.offset !== undefined || flags.limit !== undefined;
    if (!paged && flags.json !== true) {
      const file = await api.file(id, path);
      await pipeline(Readable.fromWeb(file.body as import('node:stream/web').ReadableStream<Uint8Array>), process.stdout);
      return;
    }
    const read = await api.read(id, path, { ...(flags.offset === undefined ? {} : { offset: flags.offset }), ...(flags.limit === undefined ? {} : { limit: flags.limit }) });
    if (flags.json === true) return printJson(read);
    if (read.kind === 'binary') {
      process.stderr.write(`grove: note: ${read.path} is binary (${read.media_type}, ${read.size} bytes): read it without --offset and --limit\n`);
      return;
    }
    process.stdout.write(read.content);
    if (read.next_offset !== null) process.stderr.write(`grove: note: lines ${read.from_line}-${read.to_line} of ${read.total_lines}; --offset ${read.next_offset} reads on\n`);
  }));

  withClientFlags(
    draft.command('write').description('write a draft\'s file from a local file or stdin (raw bytes, any size)')
      .argument('<ns/name>').argument('<id>').argument('<path>')
      .option('--file <file>', 'the local file to send (default: stdin)')
      .addOption(new Option('--mode <mode>', 'the file\'s mode (default: the replaced file\'s, else 100644)').choices(['100644', '100755', '120000'])),
  ).action(runAction(async (target: string, id: string, path: string, flags: ClientFlags & { file?: string; mode?: FileMode }) => {
    let body: UploadBody;
    let mode = flags.mode;
    if (flags.file !== undefined) {
      const local = localFile(flags.file);
      mode ??= local.executable ? '100755' : undefined;
      body = Readable.toWeb(createReadStream(flags.file)) as ReadableStream<Uint8Array>;
    } else {
      if (process.stdin.isTTY === true) throw new UsageError('give --file, or pipe the content on stdin');
      body = Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>;
    }
    const info = await drafts(target, flags).writeFile(id, path, body, mode === undefined ? {} : { mode });
    if (flags.json === true) printJson(info);
    else process.stdout.write(`wrote ${info.path} (${info.size} bytes, ${info.mode}, ${shortSha(info.sha)})\n`);
  }));

  withClientFlags(
    draft.command('edit').description('replace text in a draft\'s file; prints the diff')
      .argument('<ns/name>').argument('<id>').argument('<path>')
      .requiredOption('--old <text>', 'the text to replace, exactly once unless --all (\'\' creates a new file)')
      .requiredOption('--new <text>', 'the text to put in its place')
      .option('--all', 'replace every occurrence'),
  ).action(runAction(async (target: string, id: string, path: string, flags: ClientFlags & { old: string; new: string; all?: boolean }) => {
    const edited = await drafts(target, flags).edit(id, path, { old_string: flags.old, new_string: flags.new, ...(flags.all === true ? { replace_all: true } : {}) });
    if (flags.json === true) printJson(edited);
    else process.stdout.write(edited.diff);
  }));

  withClientFlags(
    draft.command('ls-files').description('list a draft\'s folder (git ls-tree -l)')
      .argument('<ns/name>').argument('<id>')
      .argument('[path]', 'the folder (default the root)')
      .option('-r, --recursive', 'everything below, not only the folder\'s entries'),
  ).action(runAction(async (target: string, id: string, path: string | undefined, flags: ClientFlags & { recursive?: boolean }) => {
    const api = drafts(target, flags);
    const entries: DraftFileInfo[] = [];
    let page: LsToolResult | undefined;
    do {
      const cursor = page?.next_cursor;
      page = await api.ls(id, path ?? '', { limit: 1000, ...(flags.recursive === true ? { recursive: true } : {}), ...(cursor === undefined || cursor === null ? {} : { cursor }) });
      entries.push(...page.entries);
    } while (page.next_cursor !== null);
    if (flags.json === true) printJson({ path: page.path, entries, next_cursor: null });
    else process.stdout.write(filesView(entries));
  }));

  withClientFlags(
    draft.command('grep').description('search a draft\'s files (git grep -n)')
      .argument('<ns/name>').argument('<id>')
      .argument('<pattern>', 'a fixed string, or with -E an extended regular expression')
      .option('-E, --extended-regexp', 'the pattern is a POSIX extended regular expression')
      .option('-i, --ignore-case', 'ignore case')
      .option('-C, --context <n>', 'lines of context around each match (0-10)', parseContext)
      .option('--include <glob>', 'only files matching this glob (repeatable)', collectValue)
      .option('--exclude <glob>', 'not files or folders matching this glob (repeatable)', collectValue)
      .option('--path <folder>', 'search under this folder')
      .option('--max-count <n>', 'stop after n matches (at most 1000)', parsePositiveInteger),
  ).action(runAction(async (target: string, id: string, pattern: string, flags: ClientFlags & GrepFlags) => {
    const args: Omit<GrepToolArgs, 'pattern'> = {
      limit: Math.min(1000, flags.maxCount ?? 1000),
      ...(flags.extendedRegexp === true ? { regex: true } : {}),
      ...(flags.ignoreCase === true ? { ignore_case: true } : {}),
      ...(flags.context === undefined ? {} : { context: flags.context }),
      ...(flags.include === undefined ? {} : { include: flags.include }),
      ...(flags.exclude === undefined ? {} : { exclude: flags.exclude }),
      ...(flags.path === undefined ? {} : { path: flags.path }),
    };
    const found = await drafts(target, flags).grep(id, pattern, args);
    if (flags.json === true) printJson(found);
    else printGrep(found);
    if (found.matches.length === 0 && !found.skipped.some((s) => s.reason === 'binary')) process.exitCode = 1;
  }));

  withClientFlags(
    draft.command('exec').description('run a shell command over a draft\'s files (just-bash; changes land in the draft)')
      .argument('<ns/name>').argument('<id>')
      .argument('<command...>', 'after --: the command and its arguments, or one script')
      .option('--cwd <dir>', 'the working folder in the draft (default the root)')
      .option('--timeout <ms>', 'stop the command after this many milliseconds (default 30000)', parsePositiveInteger)
      .option('--env <name=value>', 'an environment variable (repeatable)', collectPair),
  ).action(runAction(async (target: string, id: string, command: string[], flags: ClientFlags & { cwd?: string; timeout?: number; env?: Array<[string, string]> }) => {
    const ran = await drafts(target, flags).exec(id, commandLine(command), {
      ...(flags.cwd === undefined ? {} : { cwd: flags.cwd }),
      ...(flags.timeout === undefined ? {} : { timeout_ms: flags.timeout }),
      ...(flags.env === undefined ? {} : { env: Object.fromEntries(flags.env) }),
    });
    if (flags.json === true) printJson(ran);
    else {
      process.stdout.write(ran.stdout);
      process.stderr.write(ran.stderr);
      if (ran.timed_out) process.stderr.write('grove: note: the command timed out\n');
      if (ran.truncated) process.stderr.write('grove: note: the output was cut at its cap\n');
    }
    process.exitCode = ran.exit_code;
  }));

  withClientFlags(
    draft.command('checkpoint').description('commit the draft\'s files as a revision on refs/drafts/<id>')
      .argument('<ns/name>').argument('<id>')
      .option('-m, --message <text>', 'the revision\'s message'),
  ).action(runAction(async (target: string, id: string, flags: ClientFlags & { message?: string }) => {
    const done = await drafts(target, flags).checkpoint(id, flags.message === undefined ? {} : { message: flags.message });
    if (flags.json === true) printJson(done);
    else if (done.created) process.stdout.write(`[draft ${id} ${shortSha(done.revision.sha)}] ${subject(done.revision.message)}\n`);
    else process.stdout.write(`nothing to checkpoint: the files are those of ${shortSha(done.revision.sha)}\n`);
  }));

  withClientFlags(
    draft.command('revisions').description('list a draft\'s revisions, newest first').argument('<ns/name>').argument('<id>'),
  ).action(runAction(async (target: string, id: string, flags: ClientFlags) => {
    const list = await drafts(target, flags).revisions(id);
    if (flags.json === true) printJson(list);
    else process.stdout.write(revisionTable(list.revisions));
  }));

  withClientFlags(
    draft.command('reset').description('move a draft onto one of its revisions, dropping what was not checkpointed')
      .argument('<ns/name>').argument('<id>')
      .argument('<rev>', 'a revision\'s sha (or 4+ digits of it), or base'),
  ).action(runAction(async (target: string, id: string, rev: string, flags: ClientFlags) => {
    const moved = await drafts(target, flags).reset(id, rev);
    if (flags.json === true) printJson(moved);
    else process.stdout.write(`draft ${id} is now at ${moved.head}\n`);
  }));

  withClientFlags(
    draft.command('diff').description('what a draft changes (git diff -M)')
      .argument('<ns/name>').argument('<id>')
      .addOption(new Option('--against <what>', 'base: since it was made; head: since its last revision; branch: the branch as it is now').choices(['base', 'head', 'branch']).default('base'))
      .option('--stat', 'the files changed and their line counts instead of the patch'),
  ).action(runAction(async (target: string, id: string, flags: ClientFlags & { against: 'base' | 'head' | 'branch'; stat?: boolean }) => {
    const stat = flags.stat === true;
    const diff = await drafts(target, flags).diff(id, { against: flags.against, patch: !stat });
    if (flags.json === true) return printJson(diff);
    process.stdout.write(stat ? statView(diff.files) : diff.files.map((f) => f.patch ?? '').join(''));
    if (diff.truncated) process.stderr.write('grove: note: the patches stopped at their size limit; some files are listed without theirs (see --json)\n');
  }));

  withClientFlags(
    draft.command('update').description('merge the branch\'s new commits into a draft (conflicts are left marked in the files)')
      .argument('<ns/name>').argument('<id>')
      .option('-m, --message <text>', 'the merge revision\'s message'),
  ).action(runAction(async (target: string, id: string, flags: ClientFlags & { message?: string }) => {
    const done = await drafts(target, flags).update(id, flags.message === undefined ? {} : { message: flags.message });
    if (flags.json === true) return printJson(done);
    if (done.revision === null) process.stdout.write(`draft ${id} is up to date with ${done.draft.branch ?? 'its branch'}\n`);
    else process.stdout.write(`[draft ${id} ${shortSha(done.revision.sha)}] ${subject(done.revision.message)}\n`);
    for (const c of done.conflicts) process.stdout.write(`CONFLICT (${c.kind}): ${c.path}\n`);
  }));

  withClientFlags(
    draft.command('apply').description('commit a draft onto its branch (fast-forward or three-way merge) and close it')
      .argument('<ns/name>').argument('<id>')
      .option('-m, --message <text>', 'the commit message')
      .option('--ff-only', 'refuse (REF_CONFLICT) when the branch moved since the draft was made')
      .option('--branch <branch>', 'commit onto this branch instead of the draft\'s'),
  ).action(runAction(async (target: string, id: string, flags: ClientFlags & { message?: string; ffOnly?: boolean; branch?: string }) => {
    let applied;
    try {
      applied = await drafts(target, flags).apply(id, {
        ...(flags.message === undefined ? {} : { message: flags.message }),
        ...(flags.ffOnly === true ? { strategy: 'ff-only' as const } : {}),
        ...(flags.branch === undefined ? {} : { branch: flags.branch }),
      });
    } catch (err) {
      throw withConflicts(err);
    }
    if (flags.json === true) printJson(applied);
    else if (!applied.created) process.stdout.write(`nothing to apply: ${applied.branch} stays at ${shortSha(applied.sha)}\n`);
    else process.stdout.write(`[${applied.branch} ${shortSha(applied.sha)}] applied draft ${id}${applied.merged ? ', merged with the branch\'s new commits' : ''}\n`);
  }));

  withClientFlags(
    draft.command('discard').description('discard a draft: its changes and revisions go, the branch is untouched').argument('<ns/name>').argument('<id>'),
  ).action(runAction(async (target: string, id: string, flags: ClientFlags) => {
    await drafts(target, flags).discard(id);
    if (flags.json !== true) process.stdout.write(`discarded draft ${id}\n`);
  }));

  withClientFlags(
    draft.command('token').description('mint a token that opens only this draft, limited to path globs (shown once)')
      .argument('<ns/name>').argument('<id>')
      .option('--read <glob>', 'paths it may read (repeatable; default **)', collectValue)
      .option('--write <glob>', 'paths it may change (repeatable; default none)', collectValue)
      .option('--ttl <duration>', 'lifetime: seconds, or 90m, 1h, 2d (default 1h)', parseTtl)
      .option('--label <text>', 'a note saying what the token is for'),
  ).action(runAction(async (target: string, id: string, flags: ClientFlags & { read?: string[]; write?: string[]; ttl?: number; label?: string }) => {
    const minted = await drafts(target, flags).mintToken(id, {
      ...(flags.read === undefined ? {} : { read: flags.read }),
      ...(flags.write === undefined ? {} : { write: flags.write }),
      ...(flags.ttl === undefined ? {} : { ttl_seconds: flags.ttl }),
      ...(flags.label === undefined ? {} : { label: flags.label }),
    });
    if (flags.json === true) printJson(minted);
    else process.stdout.write(draftTokenView(minted));
  }));
}

interface GrepFlags {
  extendedRegexp?: boolean;
  ignoreCase?: boolean;
  context?: number;
  include?: string[];
  exclude?: string[];
  path?: string;
  maxCount?: number;
}

function drafts(target: string, flags: ClientFlags): DraftApi {
  const { namespace, name } = parseRepoName(target);
  return clientFromFlags(flags).repo(namespace, name).drafts;
}

function printDraft(draft: Draft, flags: ClientFlags): void {
  if (flags.json === true) printJson(draft);
  else process.stdout.write(draftView(draft));
}

export function draftView(d: Draft): string {
  return formatFields([
    ['id', d.id],
    ['label', d.label],
    ['state', d.state],
    ['branch', d.branch],
    ['base', d.base],
    ['head', d.head],
    ['revision', d.revision],
    ['applied', d.applied],
    ['changed_paths', d.changed_paths],
    ['ref', d.ref],
    ['created_at', d.created_at],
    ['updated_at', d.updated_at],
    ['expires_at', d.expires_at],
  ]);
}

function draftTable(list: readonly Draft[]): string {
  return formatTable(['ID', 'STATE', 'BRANCH', 'CHANGED', 'LABEL', 'EXPIRES_AT'], list.map((d) => [d.id, d.state, d.branch, d.changed_paths, d.label, d.expires_at]));
}

function revisionTable(list: readonly DraftRevision[]): string {
  return formatTable(['SHA', 'CURRENT', 'CREATED_AT', 'MESSAGE'], list.map((r) => [r.sha, r.current, r.created_at, subject(r.message)]));
}

function draftTokenView(t: DraftToken): string {
  return formatFields([
    ['id', t.id],
    ['draft', t.draft],
    ['read', t.read.join(' ')],
    ['write', t.write.join(' ')],
    ['created_at', t.created_at],
    ['expires_at', t.expires_at],
    ['token', t.token],
  ]) + `${SHOWN_ONCE_NOTE}\n`;
}

/** Entries as `git ls-tree -l` lists them: `<mode> <type> <sha> <size>\t<path>` (a folder's sha and size: `-`). */
function filesView(entries: readonly DraftFileInfo[]): string {
  const type = { file: 'blob', symlink: 'blob', dir: 'tree', submodule: 'commit' } as const;
  return entries.map((e) => `${e.mode.padStart(6, '0')} ${type[e.kind]} ${e.sha ?? '-'.padEnd(40)} ${(e.kind === 'dir' || e.kind === 'submodule' ? '-' : String(e.size)).padStart(7)}\t${e.path}\n`).join('');
}

/** Matches as `git grep -n` prints them, through the content view; notes for what was not searched or not shown. */
function printGrep(found: GrepToolResult): void {
  const matches = found.matches.map((m) => ({ path: m.path, line_number: m.line, line: m.text, ...(m.before === undefined ? {} : { before: m.before }), ...(m.after === undefined ? {} : { after: m.after }) }));
  process.stdout.write(grepView(matches, found.skipped));
  for (const s of found.skipped) if (s.reason === 'too_large') process.stderr.write(`grove: note: ${s.path} is too large to search\n`);
  if (found.truncated) process.stderr.write('grove: note: the search stopped early; narrow it with --path or --include\n');
}

/** One argument is a script as it is; several are one command line, each quoted for bash when it needs to be. */
export function commandLine(words: readonly string[]): string {
  if (words.length === 1) return words[0]!;
  return words.map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** A MERGE_CONFLICT error whose message also names the conflicting paths (the error line is all a script sees). */
function withConflicts(err: unknown): unknown {
  if (!isGroveApiError(err) || err.code !== 'MERGE_CONFLICT') return err;
  const conflicts = err.details?.['conflicts'];
  if (!Array.isArray(conflicts) || conflicts.length === 0) return err;
  const paths = (conflicts as DraftConflict[]).map((c) => `${c.path} (${c.kind})`).join(', ');
  return new GroveApiError({ status: err.status, code: err.code, message: `${err.message} — conflicts: ${paths}`, details: err.details, request: err.request, cause: err });
}

function localFile(path: string): { executable: boolean } {
  let stat;
  try {
    stat = statSync(path);
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (!stat.isFile()) throw new UsageError(`${path} is not a file`);
  return { executable: (stat.mode & 0o111) !== 0 };
}

function parseContext(text: string): number {
  return text === '0' ? 0 : parsePositiveInteger(text);
}

function shortSha(sha: string | null): string {
  return sha === null ? '-' : sha.slice(0, 7);
}

function subject(message: string): string {
  return message.split('\n')[0] ?? '';
}
