/**
 * Git notes through the content API: read, list, write and remove the note
 * of an object in a notes ref (git-notes(1)), so that a note written here
 * is what `git fetch origin 'refs/notes/*:refs/notes/*'` then
 * `git notes show <object>` returns, and a note pushed by git is what
 * `readNote` returns.
 *
 * The notes ref is named as `git notes --ref` names it (expand_notes_ref):
 * `refs/notes/x` as is, `notes/x` under `refs/`, anything else under
 * `refs/notes/`. Its commit's tree is read and rewritten as notes.c reads
 * and writes it (notes/NotesTree.ts: fan-out layouts, notes met twice,
 * non-notes kept). A write is one new commit on the notes ref whose parent
 * is the previous notes commit, made like `git notes add -f` / `git notes
 * remove` make theirs, and the ref moves by compare-and-swap: with
 * `expectedHead` a lost race is REF_CONFLICT; without, the change is simply
 * applied again on the new head (a note's write does not depend on the
 * others). A write that leaves the notes tree as it was makes no commit.
 *
 * Unlike `git notes add -m`, the content is stored exactly as given: no
 * whitespace clean-up, no final newline added.
 */
import { GroveError } from '../../errors.ts';
import type { Codec } from '../../git/codec.ts';
import { readCommitLinks, serializeCommit } from '../../git/objects/commit.ts';
import type { Ident } from '../../git/objects/ident.ts';
import { isOid, ZERO_OID, type Oid } from '../../git/objects/objectId.ts';
import { isValidRefName } from '../../git/objects/refName.ts';
import type { ObjectStore } from '../../git/ports.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import type { OpenRepository } from '../RepoService.ts';
import { commitIdents, type IdentInput } from './commitIdent.ts';
import { buildNotesTree } from './notes/buildNotesTree.ts';
import { NotesObjects } from './notes/NotesObjects.ts';
import { NotesTree, type WrittenEntry } from './notes/NotesTree.ts';
import { dwimRef, resolveRevision } from './resolveRevision.ts';
import { writeObjects, type WriteLimits } from './writeObjects.ts';

export const DEFAULT_NOTES_REF = 'refs/notes/commits';
/** A lost race means another write landed, so n concurrent writers need at most n - 1 retries. */
const MAX_ATTEMPTS = 32;

export interface Note {
  object: Oid;
  /** The note blob. */
  noteSha: Oid;
  content: Uint8Array;
}

export interface NoteWriteOptions {
  notesRef?: string;
  /** The notes ref's commit the change must apply to; null: the notes ref must not exist yet. */
  expectedHead?: Oid | null;
  author?: IdentInput;
  committer?: IdentInput;
  message?: string;
  limits?: WriteLimits;
  /** Clock for commit dates (ms); default Date.now. */
  now?: number;
}

export interface NoteWriteResult {
  notesRef: string;
  /** The notes ref's commit after the change. */
  notesHead: Oid;
  /** False when the change left the notes tree as it was (no commit was made). */
  changed: boolean;
}

/** The full notes ref `name` stands for, as `git notes --ref=<name>` expands it; BAD_REF_NAME when invalid. */
export function expandNotesRef(name: string | undefined): string {
  if (name === undefined || name === '') return DEFAULT_NOTES_REF;
  const full = name.startsWith('refs/notes/') ? name : name.startsWith('notes/') ? `refs/${name}` : `refs/notes/${name}`;
  if (!isValidRefName(full)) throw new GroveError('BAD_REF_NAME', `invalid notes ref '${name.slice(0, 200)}'`, { ref: name.slice(0, 256) });
  return full;
}

/**
 * The object `name` stands for, as `git notes` resolves it (get_oid): a
 * full object id as is (it need not exist, as in git), a ref name to the
 * object it points at (an annotated tag itself, not what it tags), a
 * revision such as `main~2` to its commit.
 */
export async function noteObject(repo: OpenRepository, name: string): Promise<Oid> {
  if (isOid(name.toLowerCase())) return name.toLowerCase();
  const ref = /[~^]/.test(name) ? undefined : dwimRef(repo.repo.listRefsSync(), name);
  if (ref?.oid !== undefined && ref.oid !== null) return ref.oid;
  return (await resolveRevision(repo, name)).sha;
}

/** The note of `object` in `notesRef`; NOT_FOUND when it has none. */
export async function readNote(repo: OpenRepository, codec: Codec, object: Oid, notesRef?: string): Promise<Note> {
  const ref = expandNotesRef(notesRef);
  const head = notesHead(repo, ref);
  const root = head === null ? null : await notesRoot(repo.objects, head);
  const source = new NotesObjects(codec);
  if (root !== null) await source.readPath(repo.objects, root, object);
  const noteSha = await source.run(repo.objects, () => new NotesTree(source, root).get(object));
  if (noteSha === undefined) throw new GroveError('NOT_FOUND', `object ${object} has no note in ${ref}`, { sha: object, ref });
  await source.read(repo.objects, [noteSha]);
  const content = source.blob(noteSha);
  if (content === undefined) throw new GroveError('BAD_OBJECT', `the note of ${object} in ${ref} is not a blob`, { sha: noteSha });
  return { object, noteSha, content };
}

/** The notes of `notesRef` ordered by object, a page at a time; the cursor pins the notes commit listed. */
export async function listNotes(
  repo: OpenRepository,
  codec: Codec,
  options: { notesRef?: string; limit: number; cursor?: string },
): Promise<{ notesRef: string; notesHead: Oid | null; notes: { object: Oid; noteSha: Oid }[]; nextCursor: string | null }> {
  const ref = expandNotesRef(options.notesRef);
  let head = notesHead(repo, ref);
  let after = '';
  if (options.cursor !== undefined) {
    const [pinned, last] = decodeCursor(options.cursor, ['string', 'string']) as [string, string];
    if (!isOid(pinned)) throw new GroveError('BAD_REQUEST', 'invalid cursor: pass back the next_cursor of a previous page unchanged', { field: 'cursor' });
    head = pinned;
    after = last;
  }
  if (head === null) return { notesRef: ref, notesHead: null, notes: [], nextCursor: null };
  const root = await notesRoot(repo.objects, head);
  const source = new NotesObjects(codec);
  await source.readAll(repo.objects, root);
  const all = await source.run(repo.objects, () => new NotesTree(source, root).list());
  const rest = all.filter((n) => n.object > after);
  const page = rest.slice(0, options.limit).map((n) => ({ object: n.object, noteSha: n.note }));
  const nextCursor = rest.length > options.limit ? encodeCursor([head, page[page.length - 1]!.object]) : null;
  return { notesRef: ref, notesHead: head, notes: page, nextCursor };
}

/** Writes (or replaces) the note of `object`, as `git notes add -f` does. */
export async function writeNote(repo: OpenRepository, codec: Codec, object: Oid, content: Uint8Array, options: NoteWriteOptions = {}): Promise<NoteWriteResult & { noteSha: Oid }> {
  let noteSha: Oid = ZERO_OID;
  const result = await changeNotes(repo, codec, object, options, 'Notes added by Grove', (tree, source) => {
    noteSha = source.writeBlob(content);
    tree.set(object, noteSha);
    return true;
  });
  return { ...result, noteSha };
}

/** Removes the note of `object`, as `git notes remove` does; NOT_FOUND when it has none. */
export async function removeNote(repo: OpenRepository, codec: Codec, object: Oid, options: NoteWriteOptions = {}): Promise<NoteWriteResult> {
  return changeNotes(repo, codec, object, options, 'Notes removed by Grove', (tree) => tree.remove(object));
}

async function changeNotes(
  repo: OpenRepository,
  codec: Codec,
  object: Oid,
  options: NoteWriteOptions,
  defaultMessage: string,
  change: (tree: NotesTree, source: NotesObjects) => boolean,
): Promise<NoteWriteResult> {
  const ref = expandNotesRef(options.notesRef);
  const message = options.message ?? defaultMessage;
  if (message.includes('\0')) throw new GroveError('BAD_REQUEST', 'the message cannot contain NUL', { field: 'message' });
  const idents = commitIdents({ author: options.author, committer: options.committer }, undefined, options.now);
  for (let attempt = 1; ; attempt++) {
    const head = notesHead(repo, ref);
    if (options.expectedHead !== undefined && head !== options.expectedHead) {
      throw new GroveError('REF_CONFLICT', `${ref} is at ${head ?? 'nothing'}, not at the expected ${options.expectedHead ?? 'nothing'}`, {
        ref, expected: options.expectedHead, actual: head,
      });
    }
    const root = head === null ? null : await notesRoot(repo.objects, head);
    const source = new NotesObjects(codec);
    if (root !== null) await source.readAll(repo.objects, root);
    const outcome = await source.run(repo.objects, () => {
      const tree = new NotesTree(source, root);
      return change(tree, source) ? tree.entries() : null;
    });
    if (outcome === null) throw new GroveError('NOT_FOUND', `object ${object} has no note in ${ref}`, { sha: object, ref });
    try {
      return await commitNotes(repo, codec, options.limits ?? {}, { ref, head, root, entries: outcome, written: source.written, message, ...idents });
    } catch (err) {
      const lost = (err as { code?: unknown }).code === 'REF_CONFLICT';
      if (!lost || options.expectedHead !== undefined || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

interface NotesCommit {
  ref: string;
  head: Oid | null;
  root: Oid | null;
  entries: WrittenEntry[];
  written: Map<Oid, Uint8Array>;
  message: string;
  author: Ident;
  committer: Ident;
}

/** Stores the new notes tree and its commit, and moves the notes ref onto it by compare-and-swap. */
async function commitNotes(repo: OpenRepository, codec: Codec, limits: WriteLimits, c: NotesCommit): Promise<NoteWriteResult> {
  return writeObjects(repo, codec, limits, async (writer) => {
    const named = new Set(c.entries.map((e) => e.oid));
    for (const [oid, data] of c.written) if (named.has(oid)) writer.add('blob', data);
    const tree = buildNotesTree(c.entries, (data) => writer.add('tree', data));
    if (c.head !== null && tree === c.root) return { notesRef: c.ref, notesHead: c.head, changed: false };
    const commit = writer.add('commit', serializeCommit({
      tree,
      parents: c.head === null ? [] : [c.head],
      author: c.author,
      committer: c.committer,
      extraHeaders: [],
      message: c.message.endsWith('\n') ? c.message : `${c.message}\n`,
    }));
    await writer.commit({ name: c.ref, old: c.head ?? ZERO_OID, new: commit });
    return { notesRef: c.ref, notesHead: commit, changed: true };
  });
}

function notesHead(repo: OpenRepository, ref: string): Oid | null {
  return repo.repo.listRefsSync().find((r) => r.name === ref)?.oid ?? null;
}

/** The tree of the notes commit `head` (a notes ref may also point at a tree, as git allows). */
async function notesRoot(objects: ObjectStore, head: Oid): Promise<Oid> {
  const object = (await objects.readObjects([head])).get(head);
  if (object === undefined) throw new GroveError('MISSING_OBJECT', `notes commit ${head} is missing`, { sha: head });
  if (object.type === 'tree') return head;
  if (object.type !== 'commit') throw new GroveError('BAD_OBJECT', `notes ref points at a ${object.type}, not a commit`, { sha: head });
  return readCommitLinks(object.data).tree;
}
