/** The JSON shapes of the notes routes (notesRoutes.ts), as zod schemas that also document /openapi.json. */
import { z } from '@hono/zod-openapi';
import { RepoParams } from '../schemas.ts';
import { IdentInput } from './writeSchemas.ts';

const Sha = z.string().regex(/^[0-9a-f]{40}$/).openapi({ description: 'a full object id (40 lowercase hex digits)' });
const NotesRef = z.string().min(1).max(1024).optional().openapi({
  description: 'the notes ref, as `git notes --ref` takes it: refs/notes/x, notes/x or x (default refs/notes/commits)',
  example: 'refs/notes/commits',
});

export const NoteParams = RepoParams.extend({
  object: z.string().min(1).max(1024).openapi({
    param: { name: 'object', in: 'path' },
    description: 'the annotated object: a full id (it need not exist, as in git), or a ref or revision (URL-encoded), resolved as `git notes` resolves it',
    example: 'e83c5163316f89bfbde7d9ab23ca2e25604af290',
  }),
});

export const NotesRefQuery = z.object({ ref: NotesRef });

export const Note = z
  .object({
    object: z.string().openapi({ description: 'the annotated object' }),
    note_sha: z.string().openapi({ description: 'the note blob' }),
    text: z.string().openapi({ description: 'the note as UTF-8 text (bytes that are not UTF-8 read as U+FFFD)' }),
    content_base64: z.string().optional().openapi({ description: 'the exact bytes, only when they are not valid UTF-8' }),
    notes_ref: z.string(),
  })
  .openapi('Note');

export const PutNote = z
  .object({
    text: z.string().max(1024 * 1024).optional().openapi({ description: 'the note, stored exactly as given (no newline added)' }),
    content_base64: z.string().max(2 * 1024 * 1024).optional().openapi({ description: 'the note as base64 bytes (give text or content_base64)' }),
    expected_notes_head: Sha.nullable().optional().openapi({
      description: 'compare-and-swap: the commit the notes ref must be at, null when it must not exist yet (409 REF_CONFLICT otherwise); '
        + 'without it, a concurrent change of another note is kept and this one applied on top',
    }),
    message: z.string().min(1).max(65536).optional().openapi({ description: 'the notes commit\'s message (default "Notes added by Grove")' }),
    author: IdentInput.optional().openapi({ description: 'default: the committer' }),
    committer: IdentInput.optional().openapi({ description: 'default: the server\'s identity (Grove <grove@localhost>), dated now' }),
  })
  .strict()
  .openapi('PutNote');

export const DeleteNoteQuery = z.object({
  ref: NotesRef,
  expected_notes_head: Sha.optional().openapi({ description: 'compare-and-swap: the commit the notes ref must be at (409 REF_CONFLICT otherwise)' }),
});

export const NoteWritten = z
  .object({
    object: z.string(),
    note_sha: z.string().nullable().openapi({ description: 'the note blob written; null after a delete' }),
    notes_ref: z.string(),
    notes_head: z.string().openapi({ description: 'the notes ref\'s commit after the change' }),
    changed: z.boolean().openapi({ description: 'false when the notes tree was already so (no commit made)' }),
  })
  .openapi('NoteWritten');

export const ListNotesQuery = z.object({
  ref: NotesRef,
  limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ description: 'page size, 1-1000' }),
  cursor: z.string().max(1024).optional().openapi({ description: 'next_cursor of the previous page' }),
});

export const NoteList = z
  .object({
    notes_ref: z.string(),
    notes_head: z.string().nullable().openapi({ description: 'the notes commit listed; null when the notes ref does not exist' }),
    notes: z.array(z.object({ object: z.string(), note_sha: z.string() })).openapi({ description: 'ordered by object id, as `git notes list`' }),
    next_cursor: z.string().nullable(),
  })
  .openapi('NoteList');
