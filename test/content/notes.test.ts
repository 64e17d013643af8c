/**
 * The notes routes against git itself, both ways:
 *
 * - a note written through REST is what `git fetch origin 'refs/notes/*:refs/notes/*'`
 *   then `git notes show <object>` returns, and the notes tree is the one
 *   `git notes add -f` / `git notes remove` would have written from the same
 *   notes commit (same tree id) — also for a notes tree of a few hundred
 *   notes that git has fanned out into 2/38 directories;
 * - a note written by git and pushed is what GET returns, and the listing
 *   equals `git notes list`;
 * - compare-and-swap on the notes ref, other notes refs, objects named by
 *   ref, non-UTF-8 notes, and who may read and write.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectFsckClean, git, gitOut } from '../support/git.ts';
import { useTempDir } from '../support/tempDir.ts';
import { uniqueName, useApiServer, type ApiServer } from '../api/support/apiServer.ts';
import { expectError, type RepoWithTokenJson } from '../api/support/shapes.ts';
import { ok, repoPath } from './support/readFixtures.ts';

interface NoteJson {
  object: string;
  note_sha: string;
  text: string;
  content_base64?: string;
  notes_ref: string;
}

interface WrittenJson {
  object: string;
  note_sha: string | null;
  notes_ref: string;
  notes_head: string;
  changed: boolean;
}

interface ListJson {
  notes_ref: string;
  notes_head: string | null;
  notes: { object: string; note_sha: string }[];
  next_cursor: string | null;
}

const work = useTempDir('grove-content-notes-');

function randomOid(): string {
  return randomBytes(20).toString('hex');
}

/** A clone of `repo` that fetches its notes; returns its directory. */
async function mirror(repo: RepoWithTokenJson, name: string): Promise<string> {
  const dir = join(work, name);
  await git(['clone', '--quiet', '--bare', repo.remote, dir], { token: repo.token });
  await fetchNotes(dir, repo);
  return dir;
}

async function fetchNotes(dir: string, repo: RepoWithTokenJson): Promise<void> {
  await git(['fetch', '--quiet', repo.remote, '+refs/notes/*:refs/notes/*'], { cwd: dir, token: repo.token });
}

/** The tree git makes from the notes ref `ref` of `dir` by running `git notes <args>` on a scratch copy of it. */
async function gitNotesTreeAfter(dir: string, ref: string, args: string[]): Promise<string> {
  await git(['update-ref', 'refs/notes/expected', ref], { cwd: dir });
  await git(['notes', '--ref=expected', ...args], { cwd: dir });
  return gitOut(['rev-parse', 'refs/notes/expected^{tree}'], { cwd: dir });
}

async function put(server: ApiServer, repo: RepoWithTokenJson, object: string, body: Record<string, unknown>, query = ''): Promise<WrittenJson> {
  return ok<WrittenJson>(await server.call('PUT', `${repoPath(repo)}/notes/${encodeURIComponent(object)}${query}`, { token: repo.token, json: body }), `put note ${object}`);
}

async function restList(server: ApiServer, repo: RepoWithTokenJson, limit: number, ref?: string): Promise<{ object: string; note_sha: string }[]> {
  const notes: { object: string; note_sha: string }[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const query = new URLSearchParams({ limit: String(limit), ...(ref === undefined ? {} : { ref }), ...(cursor === null ? {} : { cursor }) });
    const body = ok<ListJson>(await server.call('GET', `${repoPath(repo)}/notes?${query}`, { token: repo.token }));
    expect(body.notes.length).toBeLessThanOrEqual(limit);
    notes.push(...body.notes);
    cursor = body.next_cursor;
    if (cursor === null) return notes;
  }
  throw new Error('too many pages');
}

/** `git notes list` as REST lists notes: by object. */
async function gitList(dir: string, ref = 'refs/notes/commits'): Promise<{ object: string; note_sha: string }[]> {
  const out = await gitOut(['notes', `--ref=${ref}`, 'list'], { cwd: dir });
  if (out === '') return [];
  return out.split('\n').map((line) => ({ note_sha: line.split(' ')[0]!, object: line.split(' ')[1]! })).sort((a, b) => (a.object < b.object ? -1 : 1));
}

describe('notes routes', () => {
  const server = useApiServer();
  let repo: RepoWithTokenJson;
  let source: string;
  const commits: string[] = [];

  beforeAll(async () => {
    source = join(work, 'source');
    await git(['init', '--quiet', '--initial-branch=main', source]);
    for (const message of ['one', 'two', 'three']) {
      await git(['commit', '--quiet', '--allow-empty', '-m', message], { cwd: source });
      commits.push(await gitOut(['rev-parse', 'HEAD'], { cwd: source }));
    }
    await git(['tag', '-a', 'v1', '-m', 'release', commits[0]!], { cwd: source });
    repo = await server().createRepo('notes', { name: uniqueName('notes') });
    await git(['push', '--quiet', repo.remote, 'main', 'v1'], { cwd: source, token: repo.token });
  });

  it('writes a note that git fetches and shows, laid out as git notes add lays it out', async () => {
    const written = await put(server(), repo, commits[1]!, { text: 'written over REST\n' });
    expect(written).toMatchObject({ object: commits[1], notes_ref: 'refs/notes/commits', changed: true });
    const dir = await mirror(repo, 'first-note');
    expect((await git(['notes', 'show', commits[1]!], { cwd: dir })).stdout).toBe('written over REST\n');
    expect(await gitOut(['rev-parse', 'refs/notes/commits'], { cwd: dir })).toBe(written.notes_head);
    expect(await gitOut(['notes', 'list', commits[1]!], { cwd: dir })).toBe(written.note_sha);
    expect(await gitOut(['log', '-1', '--format=%an <%ae>%n%s', 'refs/notes/commits'], { cwd: dir })).toBe('Grove <grove@localhost>\nNotes added by Grove');
    await expectFsckClean(dir);

    // A second note: a child commit of the first, with the tree git would make.
    const expected = await gitNotesTreeAfter(dir, 'refs/notes/commits', ['add', '-f', '-m', 'second', commits[2]!]);
    const second = await put(server(), repo, commits[2]!, { text: 'second\n', author: { name: 'Ada', email: 'ada@example.com', date: '2024-01-02T03:04:05+02:00' } });
    await fetchNotes(dir, repo);
    expect(await gitOut(['rev-parse', 'refs/notes/commits^{tree}'], { cwd: dir })).toBe(expected);
    expect(await gitOut(['rev-parse', 'refs/notes/commits^'], { cwd: dir })).toBe(written.notes_head);
    expect(await gitOut(['log', '-1', '--format=%an %aI', second.notes_head], { cwd: dir })).toBe('Ada 2024-01-02T03:04:05+02:00');
    await expectFsckClean(dir);
  });

  it('reads a note git wrote and pushed, and lists notes as git notes list does', async () => {
    await git(['fetch', '--quiet', repo.remote, '+refs/notes/*:refs/notes/*'], { cwd: source, token: repo.token });
    await git(['notes', 'add', '-f', '-m', 'from git', commits[0]!], { cwd: source });
    await git(['push', '--quiet', repo.remote, 'refs/notes/commits'], { cwd: source, token: repo.token });
    const note = ok<NoteJson>(await server().call('GET', `${repoPath(repo)}/notes/${commits[0]}`, { token: repo.token }));
    expect(note).toEqual({
      object: commits[0],
      note_sha: await gitOut(['notes', 'list', commits[0]!], { cwd: source }),
      text: (await git(['notes', 'show', commits[0]!], { cwd: source })).stdout,
      notes_ref: 'refs/notes/commits',
    });
    expect(await restList(server(), repo, 1)).toEqual(await gitList(source));
  });

  it('answers 404 for an object without a note, and for a notes ref that does not exist', async () => {
    const path = `${repoPath(repo)}/notes/${randomOid()}`;
    expectError(await server().call('GET', path, { token: repo.token }), 'NOT_FOUND');
    expectError(await server().call('GET', `${repoPath(repo)}/notes/${commits[0]}?ref=nothing-here`, { token: repo.token }), 'NOT_FOUND');
    expectError(await server().call('DELETE', path, { token: repo.token }), 'NOT_FOUND');
    const empty = ok<ListJson>(await server().call('GET', `${repoPath(repo)}/notes?ref=nothing-here`, { token: repo.token }));
    expect(empty).toEqual({ notes_ref: 'refs/notes/nothing-here', notes_head: null, notes: [], next_cursor: null });
  });

  it('reads, updates, adds and removes notes in a fanned-out tree of a few hundred notes written by git', async () => {
    const fanned = await server().createRepo('notes', { name: uniqueName('fanout') });
    const dir = join(work, 'fanout-source');
    await git(['init', '--quiet', '--initial-branch=main', dir]);
    const objects = Array.from({ length: 300 }, randomOid);
    for (const object of objects) await git(['notes', 'add', '-f', '-m', `note of ${object}`, object], { cwd: dir });
    const top = await gitOut(['ls-tree', 'refs/notes/commits'], { cwd: dir });
    expect(top.split('\n').every((line) => /^040000 tree [0-9a-f]{40}\t[0-9a-f]{2}$/.test(line))).toBe(true); // git fanned out
    await git(['push', '--quiet', fanned.remote, 'refs/notes/commits'], { cwd: dir, token: fanned.token });

    for (const object of [objects[0]!, objects[150]!, objects[299]!]) {
      const note = ok<NoteJson>(await server().call('GET', `${repoPath(fanned)}/notes/${object}`, { token: fanned.token }));
      expect(note.text).toBe(`note of ${object}\n`);
      expect(note.note_sha).toBe(await gitOut(['notes', 'list', object], { cwd: dir }));
    }
    expect(await restList(server(), fanned, 64)).toEqual(await gitList(dir));

    const steps: { args: string[]; rest: () => Promise<unknown> }[] = [
      { args: ['add', '-f', '-m', 'updated', objects[42]!], rest: () => put(server(), fanned, objects[42]!, { text: 'updated\n' }) },
      { args: ['add', '-f', '-m', 'brand new', 'ab'.padEnd(40, '7')], rest: () => put(server(), fanned, 'ab'.padEnd(40, '7'), { text: 'brand new\n' }) },
      { args: ['remove', objects[7]!], rest: async () => ok(await server().call('DELETE', `${repoPath(fanned)}/notes/${objects[7]}`, { token: fanned.token })) },
    ];
    const clone = await mirror(fanned, 'fanout-mirror');
    for (const step of steps) {
      const expected = await gitNotesTreeAfter(clone, 'refs/notes/commits', step.args);
      await step.rest();
      await fetchNotes(clone, fanned);
      expect(await gitOut(['rev-parse', 'refs/notes/commits^{tree}'], { cwd: clone })).toBe(expected);
    }
    // git still reads every note, old and new, of the tree written through REST.
    const listed = await gitList(clone);
    expect(listed).toHaveLength(300);
    expect((await git(['notes', 'show', objects[42]!], { cwd: clone })).stdout).toBe('updated\n');
    expect((await git(['notes', 'show', objects[41]!], { cwd: clone })).stdout).toBe(`note of ${objects[41]}\n`);
    expect((await git(['notes', 'show', objects[7]!], { cwd: clone, allowFailure: true })).code).not.toBe(0);
    expect(await restList(server(), fanned, 100)).toEqual(listed);
    await expectFsckClean(clone);
  });

  it('moves the notes ref by compare-and-swap', async () => {
    const cas = await server().createRepo('notes', { name: uniqueName('cas') });
    const object = randomOid();
    const first = await put(server(), cas, object, { text: 'one', expected_notes_head: null });
    expectError(await server().call('PUT', `${repoPath(cas)}/notes/${object}`, { token: cas.token, json: { text: 'two', expected_notes_head: null } }), 'REF_CONFLICT');
    expectError(await server().call('PUT', `${repoPath(cas)}/notes/${object}`, { token: cas.token, json: { text: 'two', expected_notes_head: randomOid() } }), 'REF_CONFLICT');
    const second = await put(server(), cas, object, { text: 'two', expected_notes_head: first.notes_head });
    expectError(await server().call('DELETE', `${repoPath(cas)}/notes/${object}?expected_notes_head=${first.notes_head}`, { token: cas.token }), 'REF_CONFLICT');
    const note = ok<NoteJson>(await server().call('GET', `${repoPath(cas)}/notes/${object}`, { token: cas.token }));
    expect(note.text).toBe('two');

    // Without expected_notes_head, concurrent writes of different notes all land.
    const others = Array.from({ length: 6 }, randomOid);
    const results = await Promise.all(others.map((o) => put(server(), cas, o, { text: `note ${o}` })));
    expect(results.every((r) => r.changed)).toBe(true);
    const listed = await restList(server(), cas, 100);
    expect(listed.map((n) => n.object).sort()).toEqual([object, ...others].sort());
    const heads = ok<ListJson>(await server().call('GET', `${repoPath(cas)}/notes`, { token: cas.token })).notes_head!;
    const dir = await mirror(cas, 'cas-mirror');
    expect(await gitOut(['rev-list', '--count', heads], { cwd: dir })).toBe(String(2 + others.length));
    expect(second.notes_head).not.toBe(first.notes_head);

    // Writing the note an object already has changes nothing.
    const same = await put(server(), cas, object, { text: 'two' });
    expect(same).toMatchObject({ changed: false, notes_head: heads });
  });

  it('writes to any notes ref, and names objects as git notes does', async () => {
    const review = await put(server(), repo, 'main', { text: 'looks good\n' }, '?ref=review');
    expect(review).toMatchObject({ object: commits[2], notes_ref: 'refs/notes/review' });
    const tag = await gitOut(['rev-parse', 'v1'], { cwd: source });
    const onTag = await put(server(), repo, 'v1', { text: 'on the tag object\n' }, '?ref=notes/review');
    expect(onTag.object).toBe(tag); // the annotated tag itself, not its commit, as `git notes add v1`
    const dir = await mirror(repo, 'review-mirror');
    expect((await git(['notes', '--ref=review', 'show', 'main'], { cwd: dir })).stdout).toBe('looks good\n');
    expect((await git(['notes', '--ref=review', 'show', 'v1'], { cwd: dir })).stdout).toBe('on the tag object\n');
    expect(await restList(server(), repo, 10, 'refs/notes/review')).toEqual(await gitList(dir, 'refs/notes/review'));
    expectError(await server().call('PUT', `${repoPath(repo)}/notes/main?ref=bad..ref`, { token: repo.token, json: { text: 'x' } }), 'BAD_REF_NAME');
    expectError(await server().call('PUT', `${repoPath(repo)}/notes/no-such-branch`, { token: repo.token, json: { text: 'x' } }), 'NOT_FOUND');
  });

  it('stores bytes exactly, and gives the bytes of a note that is not UTF-8 in base64', async () => {
    const object = randomOid();
    const bytes = new Uint8Array([0x66, 0x6f, 0xff, 0xfe, 0x00, 0x0a]);
    await put(server(), repo, object, { content_base64: Buffer.from(bytes).toString('base64') });
    const note = ok<NoteJson>(await server().call('GET', `${repoPath(repo)}/notes/${object}`, { token: repo.token }));
    expect(Buffer.from(note.content_base64!, 'base64')).toEqual(Buffer.from(bytes));
    const dir = await mirror(repo, 'bytes-mirror');
    const shown = await git(['cat-file', 'blob', note.note_sha], { cwd: dir });
    expect(shown.stdout).toBe(Buffer.from(bytes).toString('utf8'));
    expectError(await server().call('PUT', `${repoPath(repo)}/notes/${object}`, { token: repo.token, json: {} }), 'BAD_REQUEST');
    expectError(await server().call('PUT', `${repoPath(repo)}/notes/${object}`, { token: repo.token, json: { text: 'a', content_base64: 'YQ==' } }), 'BAD_REQUEST');
  });

  it('lets a read token read, not write; a read-only repository refuses writes', async () => {
    const read = await server().mintToken(repo.namespace, repo.name, { scope: 'read' });
    ok(await server().call('GET', `${repoPath(repo)}/notes/${commits[1]}`, { token: read.token }));
    expectError(await server().call('PUT', `${repoPath(repo)}/notes/${commits[1]}`, { token: read.token, json: { text: 'no' } }), 'FORBIDDEN');
    expectError(await server().call('DELETE', `${repoPath(repo)}/notes/${commits[1]}`, { token: read.token }), 'FORBIDDEN');
    expectError(await server().call('GET', `${repoPath(repo)}/notes/${commits[1]}`, { token: null }), 'UNAUTHORIZED');
    const frozen = await server().createRepo('notes', { name: uniqueName('frozen'), read_only: true });
    expectError(await server().call('PUT', `${repoPath(frozen)}/notes/${commits[1]}`, { token: frozen.token, json: { text: 'no' } }), 'FORBIDDEN');
    const dir = await mirror(repo, 'auth-mirror');
    expect((await git(['notes', 'show', commits[1]!], { cwd: dir })).stdout).toBe('written over REST\n');
  });
});
