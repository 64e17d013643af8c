/**
 * `grove notes`: git notes of a repository's objects, as `git notes` shows
 * and writes them (default notes ref `refs/notes/commits`, `--ref` another).
 *
 *   grove notes show <ns>/<name> <object> [--ref r]            the note's text, as it is
 *   grove notes add <ns>/<name> <object> (-m text | -F file) [--ref r]   write or replace it
 *   grove notes remove <ns>/<name> <object> [--ref r]
 *   grove notes list <ns>/<name> [--ref r]                     `<note blob> <object>` lines
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { NoteWritten } from '../sdk/types.ts';
import { clientFromFlags, withClientFlags, type ClientFlags } from './clientFromFlags.ts';
import { printJson } from './output.ts';
import { parseRepoName } from './parseRepoName.ts';
import { runAction } from './runAction.ts';
import { UsageError } from './UsageError.ts';

interface RefFlag extends ClientFlags {
  ref?: string;
}

export function registerNotesCommands(program: Command): void {
  const notes = program.command('notes').description('read and write git notes');
  const refOption = '--ref <notes-ref>';
  const refHelp = 'the notes ref: refs/notes/x, notes/x or x (default refs/notes/commits)';

  withClientFlags(notes.command('show').description('print the note of an object').argument('<ns/name>').argument('<object>', 'commit id or revision').option(refOption, refHelp))
    .action(runAction(async (target: string, object: string, flags: RefFlag) => {
      const { namespace, name } = parseRepoName(target);
      const note = await clientFromFlags(flags).repo(namespace, name).notes.get(object, refOf(flags));
      if (flags.json === true) return printJson(note);
      process.stdout.write(note.content_base64 === undefined ? note.text : Buffer.from(note.content_base64, 'base64'));
    }));

  withClientFlags(
    notes.command('add').description('write (or replace) the note of an object').argument('<ns/name>').argument('<object>', 'commit id or revision')
      .option('-m, --message <text>', 'the note; a newline is added, as git notes add -m does')
      .option('-F, --file <file>', 'read the note from a file, as it is')
      .option(refOption, refHelp),
  ).action(runAction(async (target: string, object: string, flags: RefFlag & { message?: string; file?: string }) => {
    const { namespace, name } = parseRepoName(target);
    if ((flags.message === undefined) === (flags.file === undefined)) throw new UsageError('give the note with -m <text> or -F <file>');
    const request = flags.file !== undefined
      ? { content_base64: readLocal(flags.file).toString('base64') }
      : { text: flags.message!.endsWith('\n') ? flags.message! : `${flags.message!}\n` };
    const written = await clientFromFlags(flags).repo(namespace, name).notes.put(object, request, refOf(flags));
    printWritten(written, flags, written.changed ? 'wrote' : 'unchanged:');
  }));

  withClientFlags(notes.command('remove').description('remove the note of an object').argument('<ns/name>').argument('<object>', 'commit id or revision').option(refOption, refHelp))
    .action(runAction(async (target: string, object: string, flags: RefFlag) => {
      const { namespace, name } = parseRepoName(target);
      const removed = await clientFromFlags(flags).repo(namespace, name).notes.delete(object, refOf(flags));
      printWritten(removed, flags, 'removed');
    }));

  withClientFlags(notes.command('list').description('list the notes of a notes ref (git notes list)').argument('<ns/name>').option(refOption, refHelp))
    .action(runAction(async (target: string, flags: RefFlag) => {
      const { namespace, name } = parseRepoName(target);
      const repo = clientFromFlags(flags).repo(namespace, name);
      const items = [];
      for await (const item of repo.notes.iterate({ ...refOf(flags), limit: 1000 })) items.push(item);
      if (flags.json === true) return printJson({ notes: items, next_cursor: null });
      process.stdout.write(items.map((n) => `${n.note_sha} ${n.object}\n`).join(''));
    }));
}

function refOf(flags: RefFlag): { ref?: string } {
  return flags.ref === undefined ? {} : { ref: flags.ref };
}

function printWritten(written: NoteWritten, flags: ClientFlags, verb: string): void {
  if (flags.json === true) printJson(written);
  else process.stdout.write(`${verb} note of ${written.object} in ${written.notes_ref}\n`);
}

function readLocal(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
