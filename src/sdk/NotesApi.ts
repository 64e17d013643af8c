/**
 * `client.repo(ns, name).notes`: git notes of a repository, in any notes ref
 * (default `refs/notes/commits`), as `git notes show|add -f|remove|list` see them.
 */
import type { GroveTransport } from './GroveTransport.ts';
import { iteratePages } from './iteratePages.ts';
import { repoPath } from './paths.ts';
import type { DeleteNoteOptions, IterateOptions, ListNotesQuery, Note, NoteList, NoteListItem, NotesRefOptions, NoteWritten, PutNoteRequest } from './types.ts';

export class NotesApi {
  readonly #http: GroveTransport;
  readonly #base: string;

  constructor(http: GroveTransport, namespace: string, name: string) {
    this.#http = http;
    this.#base = `${repoPath(namespace, name)}/notes`;
  }

  /**
   * The note of an object (a full id, or a revision such as `main`); 404 `NOT_FOUND` when it has none.
   *
   * ```ts
   * const { text } = await client.repo('team', 'notes').notes.get(sha, { ref: 'refs/notes/review' });
   * ```
   */
  get(object: string, options: NotesRefOptions = {}): Promise<Note> {
    return this.#http.request('GET', this.#objectPath(object), { query: { ref: options.ref } });
  }

  /**
   * Writes or replaces the note of an object (`git notes add -f`). Idempotent,
   * so retried: writing the note it already has answers `changed: false`.
   *
   * ```ts
   * const { notes_head } = await client.repo('team', 'notes').notes.put(sha, { text: 'reviewed by bot\n' });
   * ```
   */
  put(object: string, request: PutNoteRequest, options: NotesRefOptions = {}): Promise<NoteWritten> {
    return this.#http.request('PUT', this.#objectPath(object), { query: { ref: options.ref }, body: request });
  }

  /**
   * Removes the note of an object (`git notes remove`); 404 when it has none.
   *
   * ```ts
   * await client.repo('team', 'notes').notes.delete(sha, { expected_notes_head: head });
   * ```
   */
  delete(object: string, options: DeleteNoteOptions = {}): Promise<NoteWritten> {
    return this.#http.request('DELETE', this.#objectPath(object), { query: { ref: options.ref, expected_notes_head: options.expected_notes_head } });
  }

  /**
   * One page of the notes of a notes ref, ordered by object (`git notes list`).
   *
   * ```ts
   * const { notes, notes_head, next_cursor } = await client.repo('team', 'notes').notes.list({ limit: 500 });
   * ```
   */
  list(query: ListNotesQuery = {}): Promise<NoteList> {
    const { ref, limit, cursor } = query;
    return this.#http.request('GET', this.#base, { query: { ref, limit, cursor } });
  }

  /**
   * Every note of a notes ref, page after page (the cursor pins the notes commit of the first page).
   *
   * ```ts
   * for await (const { object, note_sha } of client.repo('team', 'notes').notes.iterate()) console.log(object, note_sha);
   * ```
   */
  iterate(query: ListNotesQuery = {}, options: IterateOptions = {}): AsyncGenerator<NoteListItem, void, undefined> {
    return iteratePages('notes', query.cursor, (cursor) => this.list({ ...query, ...(cursor === undefined ? {} : { cursor }) }), options);
  }

  #objectPath(object: string): string {
    return `${this.#base}/${encodeURIComponent(object)}`;
  }
}
