import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashObject } from '../../../git/objects/gitObject.ts';
import type { Oid } from '../../../git/objects/objectId.ts';
import { parseTree } from '../../../git/objects/tree.ts';
import { nodeCodec } from '../../../runtime/node/codec.ts';
import { gitBytes, gitText } from '../../../../test/support/gitBytes.ts';
import { useTempDir } from '../../../../test/support/tempDir.ts';
import { buildNotesTree } from './buildNotesTree.ts';
import { NotesTree, type NotesSource } from './NotesTree.ts';

/** Reads the objects of a local repository with `git cat-file`; new blobs are only hashed. */
function gitSource(dir: string): NotesSource {
  return {
    tree: (oid) => parseTree(gitBytes(['cat-file', 'tree', oid], { cwd: dir })),
    blob: (oid) => (gitText(['cat-file', '-t', oid], { cwd: dir }) === 'blob' ? gitBytes(['cat-file', 'blob', oid], { cwd: dir }) : undefined),
    writeBlob: (data) => gitText(['hash-object', '-w', '--stdin'], { cwd: dir, input: data }),
  };
}

function randomOid(): Oid {
  return randomBytes(20).toString('hex');
}

/** The tree `git notes` points at now, or null. */
function notesTree(dir: string): Oid | null {
  try {
    return gitText(['rev-parse', '--verify', '-q', 'refs/notes/commits^{tree}'], { cwd: dir });
  } catch {
    return null;
  }
}

/** Writes `tree`'s entries as tree objects into the repository; the root's id. */
function writeTree(dir: string, tree: NotesTree): Oid {
  return buildNotesTree(tree.entries(), (data) => {
    const oid = hashObject(nodeCodec, 'tree', data);
    gitText(['hash-object', '-t', 'tree', '-w', '--stdin', '--literally'], { cwd: dir, input: data });
    return oid;
  });
}

function noteBlob(dir: string, text: string): Oid {
  return gitText(['hash-object', '-w', '--stdin'], { cwd: dir, input: `${text}\n` });
}

function newRepo(parent: string, name: string): string {
  const dir = `${parent}/${name}`;
  gitText(['init', '-q', dir]);
  return dir;
}

/** Adds notes with `git notes add -f`, one commit each (what a user's repository holds). */
function gitAddNotes(dir: string, objects: readonly Oid[]): void {
  for (const object of objects) gitText(['notes', 'add', '-f', '-m', `note for ${object}`, object], { cwd: dir });
}

/** After the same change in git and in a NotesTree read from the same tree, both trees are equal. */
function expectSameChange(dir: string, change: { set?: [Oid, string]; remove?: Oid[] }): void {
  const before = notesTree(dir);
  const tree = new NotesTree(gitSource(dir), before);
  if (change.set !== undefined) {
    tree.set(change.set[0], noteBlob(dir, change.set[1]));
    gitText(['notes', 'add', '-f', '-m', change.set[1], change.set[0]], { cwd: dir });
  } else if (change.remove !== undefined) {
    for (const object of change.remove) expect(tree.remove(object)).toBe(true);
    gitText(['notes', 'remove', ...change.remove], { cwd: dir });
  }
  expect(writeTree(dir, tree)).toBe(notesTree(dir));
}

/** Every note git lists, as `git notes list` prints them (note blob, then object), sorted by object. */
function gitList(dir: string): { object: Oid; note: Oid }[] {
  const out = gitText(['notes', 'list'], { cwd: dir });
  return out === '' ? [] : out.split('\n').map((l) => ({ note: l.split(' ')[0]!, object: l.split(' ')[1]! })).sort((a, b) => (a.object < b.object ? -1 : 1));
}

describe('NotesTree', () => {
  const root = useTempDir('grove-notes-tree-');

  it('writes a first note, then a few, as git notes add does (flat)', () => {
    const dir = newRepo(root, 'flat');
    expectSameChange(dir, { set: [randomOid(), 'first'] });
    for (let i = 0; i < 5; i++) expectSameChange(dir, { set: [randomOid(), `note ${i}`] });
    const tree = new NotesTree(gitSource(dir), notesTree(dir));
    expect(tree.list()).toEqual(gitList(dir));
  });

  it('reads, adds, replaces and removes in a fanned-out tree of a few hundred notes written by git', () => {
    const dir = newRepo(root, 'fanout');
    const objects = Array.from({ length: 300 }, randomOid);
    gitAddNotes(dir, objects);
    // git has moved to a 2/38 layout: every top-level entry is a two-digit directory.
    const top = gitText(['ls-tree', 'refs/notes/commits'], { cwd: dir }).split('\n');
    expect(top.every((line) => /^040000 tree [0-9a-f]{40}\t[0-9a-f]{2}$/.test(line))).toBe(true);

    const tree = new NotesTree(gitSource(dir), notesTree(dir));
    expect(tree.list()).toEqual(gitList(dir));
    expect(tree.get(objects[7]!)).toBe(gitText(['notes', 'list', objects[7]!], { cwd: dir }));
    expect(tree.get(randomOid())).toBeUndefined();

    expectSameChange(dir, { set: [objects[3]!, 'replaced'] });
    expectSameChange(dir, { set: [randomOid(), 'new one'] });
    expectSameChange(dir, { remove: [objects[9]!] });
  });

  it('flattens a fanned-out tree that has become small, as git does', () => {
    const dir = newRepo(root, 'shrink');
    const objects = Array.from({ length: 300 }, randomOid);
    gitAddNotes(dir, objects);
    expect(gitText(['ls-tree', 'refs/notes/commits'], { cwd: dir })).toMatch(/^040000/);
    expectSameChange(dir, { remove: objects.slice(0, 290) });
    expect(gitText(['ls-tree', 'refs/notes/commits'], { cwd: dir })).not.toMatch(/^040000/m); // git flattened it
    expectSameChange(dir, { set: [objects[291]!, 'again'] });
  });

  it('reads a mixed layout (flat notes beside fan-out directories, a note held twice, non-notes) as git does', () => {
    const dir = newRepo(root, 'mixed');
    const object = `ab${randomOid().slice(2)}`;
    const other = `ab${randomOid().slice(2)}`;
    const flat = randomOid();
    const first = noteBlob(dir, 'first half');
    const second = noteBlob(dir, 'second half');
    const readme = noteBlob(dir, 'not a note');
    const sub = gitText(['mktree'], { cwd: dir, input: `100644 blob ${second}\t${object.slice(2)}\n100644 blob ${first}\t${other.slice(2)}\n` });
    const rootTree = gitText(['mktree'], {
      cwd: dir,
      input: `100644 blob ${first}\t${object}\n040000 tree ${sub}\tab\n100644 blob ${first}\t${flat}\n100644 blob ${readme}\tREADME\n`,
    });
    const commit = gitText(['commit-tree', '-m', 'notes', rootTree], { cwd: dir });
    gitText(['update-ref', 'refs/notes/commits', commit], { cwd: dir });

    const tree = new NotesTree(gitSource(dir), rootTree);
    expect(tree.list()).toEqual(gitList(dir));
    const shown = gitBytes(['notes', 'show', object], { cwd: dir });
    expect(tree.get(object)).toBe(hashObject(nodeCodec, 'blob', shown));
    expectSameChange(dir, { set: [randomOid(), 'beside the mix'] });
    expect(gitText(['cat-file', '-p', 'refs/notes/commits:README'], { cwd: dir })).toBe('not a note');
  });
});
