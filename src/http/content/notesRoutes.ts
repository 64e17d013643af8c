/**
 * Git notes of a repository (services/content/notes.ts), in any notes ref
 * (`?ref=`, default refs/notes/commits):
 *
 *   GET    /namespaces/{ns}/repos/{name}/notes?ref=&limit=&cursor=   list {object, note_sha}, by object
 *   GET    /namespaces/{ns}/repos/{name}/notes/{object}?ref=         the note (404 when none)
 *   PUT    /namespaces/{ns}/repos/{name}/notes/{object}?ref=         write or replace it (git notes add -f)
 *   DELETE /namespaces/{ns}/repos/{name}/notes/{object}?ref=&expected_notes_head=   remove it (git notes remove)
 *
 * Reads need a read token of the repository (or admin), writes a write
 * token; a write is a commit on the notes ref and counts as a push.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { decodeBase64 } from '../../services/base64.ts';
import { GroveError } from '../../errors.ts';
import { expandNotesRef, listNotes, noteObject, readNote, removeNote, writeNote } from '../../services/content/notes.ts';
import type { WriteLimits } from '../../services/content/writeObjects.ts';
import { apiApp, authenticated, BODY_ERRORS, errors, SECURITY, withRepo, type ApiContext } from '../apiKit.ts';
import { RepoParams } from '../schemas.ts';
import { DeleteNoteQuery, ListNotesQuery, Note, NoteList, NoteParams, NotesRefQuery, NoteWritten, PutNote } from './notesSchemas.ts';

const TAG = ['notes'];
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder('utf-8', { ignoreBOM: true });

export function notesRoutes(ctx: ApiContext, limits: WriteLimits = {}): OpenAPIHono {
  const app = apiApp();
  const anyToken = authenticated(ctx, { admin: false });
  const { codec } = ctx.services;
  const writeLimits: WriteLimits = {
    ...(limits.maxObjectBytes === undefined ? {} : { maxObjectBytes: limits.maxObjectBytes }),
    ...(limits.maxRepoBytes === undefined ? {} : { maxRepoBytes: limits.maxRepoBytes }),
  };

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}/notes', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'List the notes of a notes ref, ordered by object (git notes list)',
      description: 'The cursor pins the notes commit of the first page, so paging is stable while notes are written.',
      request: { params: RepoParams, query: ListNotesQuery },
      responses: { 200: { description: 'a page of notes', content: { 'application/json': { schema: NoteList } } }, ...errors(404, 409) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await withRepo(ctx, c, 'read', (repo) => listNotes(repo, codec, {
        limit: query.limit,
        ...(query.ref === undefined ? {} : { notesRef: query.ref }),
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      }));
      return c.json({
        notes_ref: page.notesRef,
        notes_head: page.notesHead,
        notes: page.notes.map((n) => ({ object: n.object, note_sha: n.noteSha })),
        next_cursor: page.nextCursor,
      }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/namespaces/{ns}/repos/{name}/notes/{object}', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Read the note of an object (git notes show)',
      request: { params: NoteParams, query: NotesRefQuery },
      responses: { 200: { description: 'the note', content: { 'application/json': { schema: Note } } }, ...errors(404, 409, 422) },
    }),
    async (c) => {
      const { object } = c.req.valid('param');
      const { ref } = c.req.valid('query');
      const note = await withRepo(ctx, c, 'read', async (repo) => readNote(repo, codec, await noteObject(repo, object), ref));
      let text: string;
      let base64: string | undefined;
      try {
        text = utf8.decode(note.content);
      } catch {
        text = lossy.decode(note.content);
        base64 = encodeBase64(note.content);
      }
      return c.json({
        object: note.object,
        note_sha: note.noteSha,
        text,
        ...(base64 === undefined ? {} : { content_base64: base64 }),
        notes_ref: expandNotesRef(ref),
      }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put', path: '/namespaces/{ns}/repos/{name}/notes/{object}', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Write or replace the note of an object (git notes add -f)',
      description: 'One commit on the notes ref, laid out as git lays notes out (fan-out directories once there are many). '
        + 'With expected_notes_head, a compare-and-swap (409 REF_CONFLICT when the notes ref is elsewhere). '
        + 'Writing the note it already has makes no commit (changed: false).',
      request: { params: NoteParams, query: NotesRefQuery, body: { required: true, content: { 'application/json': { schema: PutNote } } } },
      responses: { 200: { description: 'the note written', content: { 'application/json': { schema: NoteWritten } } }, ...errors(...BODY_ERRORS, 404, 409, 422) },
    }),
    async (c) => {
      const { object: name } = c.req.valid('param');
      const { ref } = c.req.valid('query');
      const body = c.req.valid('json');
      if ((body.text === undefined) === (body.content_base64 === undefined)) {
        throw new GroveError('BAD_REQUEST', 'give text or content_base64', { field: 'text' });
      }
      const content = body.text !== undefined ? new TextEncoder().encode(body.text) : decodeField(body.content_base64!, 'content_base64');
      const written = await withRepo(ctx, c, 'write', async (repo) => {
        const object = await noteObject(repo, name);
        const result = await writeNote(repo, codec, object, content, {
          limits: writeLimits,
          ...(ref === undefined ? {} : { notesRef: ref }),
          ...(body.expected_notes_head === undefined ? {} : { expectedHead: body.expected_notes_head }),
          ...(body.message === undefined ? {} : { message: body.message }),
          ...(body.author === undefined ? {} : { author: body.author }),
          ...(body.committer === undefined ? {} : { committer: body.committer }),
        });
        if (result.changed) ctx.services.repos.recordPush(repo.record);
        return { object, ...result };
      });
      return c.json({
        object: written.object,
        note_sha: written.noteSha,
        notes_ref: written.notesRef,
        notes_head: written.notesHead,
        changed: written.changed,
      }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/namespaces/{ns}/repos/{name}/notes/{object}', tags: TAG, security: SECURITY, middleware: [anyToken] as const,
      summary: 'Remove the note of an object (git notes remove)',
      description: '404 when the object has no note. With expected_notes_head, a compare-and-swap (409 REF_CONFLICT when the notes ref is elsewhere).',
      request: { params: NoteParams, query: DeleteNoteQuery },
      responses: { 200: { description: 'removed', content: { 'application/json': { schema: NoteWritten } } }, ...errors(404, 409, 422) },
    }),
    async (c) => {
      const { object: name } = c.req.valid('param');
      const query = c.req.valid('query');
      const removed = await withRepo(ctx, c, 'write', async (repo) => {
        const object = await noteObject(repo, name);
        const result = await removeNote(repo, codec, object, {
          limits: writeLimits,
          ...(query.ref === undefined ? {} : { notesRef: query.ref }),
          ...(query.expected_notes_head === undefined ? {} : { expectedHead: query.expected_notes_head }),
        });
        ctx.services.repos.recordPush(repo.record);
        return { object, ...result };
      });
      return c.json({ object: removed.object, note_sha: null, notes_ref: removed.notesRef, notes_head: removed.notesHead, changed: removed.changed }, 200);
    },
  );

  return app;
}

function decodeField(text: string, field: string): Uint8Array {
  const bytes = decodeBase64(text);
  if (bytes === null) throw new GroveError('BAD_REQUEST', `${field} is not valid base64`, { field });
  return bytes;
}

function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
