/**
 * The objects a NotesTree reads, held in memory so that its operations —
 * ported from notes.c, where reading a subtree is a synchronous call in the
 * middle of an insert — stay synchronous. Trees are read ahead in batches
 * (the whole notes tree a level at a time, or only the subtrees on the
 * path of one id); should an operation still reach an object not read yet,
 * it stops with {@link NeedObjects}, the object is read, and `run` starts
 * the operation over on a fresh NotesTree (operations are deterministic,
 * so the result is the same as if nothing had been missing).
 *
 * Blobs made by concatenating two notes of one object (a notes tree
 * holding a note twice) are kept here, to be stored with the tree that
 * names them.
 */
import { GroveError } from '../../../errors.ts';
import type { Codec } from '../../../git/codec.ts';
import { hashObject } from '../../../git/objects/gitObject.ts';
import type { Oid } from '../../../git/objects/objectId.ts';
import { isTreeMode, parseTree, type TreeEntry } from '../../../git/objects/tree.ts';
import type { ObjectStore } from '../../../git/ports.ts';
import type { NotesSource } from './NotesTree.ts';

/** Thrown by a NotesSource read of an object not held yet. */
export class NeedObjects extends Error {
  readonly oids: Oid[];

  constructor(oids: Oid[]) {
    super(`objects not read yet: ${oids.join(', ')}`);
    this.name = 'NeedObjects';
    this.oids = oids;
  }
}

/** Most times `run` reads more objects before giving up (a notes tree is at most 20 levels deep). */
const MAX_ROUNDS = 64;
const HEX_PAIR = /^[0-9a-fA-F]{2}$/;

export class NotesObjects implements NotesSource {
  readonly #codec: Codec;
  readonly #trees = new Map<Oid, TreeEntry[]>();
  /** Blob contents; null for an object that is not a blob. */
  readonly #blobs = new Map<Oid, Uint8Array | null>();
  /** Blobs made here, not in the store. */
  readonly written = new Map<Oid, Uint8Array>();

  constructor(codec: Codec) {
    this.#codec = codec;
  }

  tree(oid: Oid): TreeEntry[] {
    const entries = this.#trees.get(oid);
    if (entries !== undefined) return entries;
    if (this.#blobs.has(oid) || this.written.has(oid)) throw new GroveError('BAD_OBJECT', `object ${oid} of the notes tree is not a tree`, { sha: oid });
    throw new NeedObjects([oid]);
  }

  blob(oid: Oid): Uint8Array | undefined {
    const made = this.written.get(oid);
    if (made !== undefined) return made;
    const data = this.#blobs.get(oid);
    if (data !== undefined) return data ?? undefined;
    if (this.#trees.has(oid)) return undefined;
    throw new NeedObjects([oid]);
  }

  writeBlob(data: Uint8Array): Oid {
    const oid = hashObject(this.#codec, 'blob', data);
    this.written.set(oid, data);
    return oid;
  }

  /** Reads `oids` from `objects` into memory. */
  async read(objects: ObjectStore, oids: readonly Oid[]): Promise<void> {
    const wanted = [...new Set(oids)].filter((oid) => !this.#trees.has(oid) && !this.#blobs.has(oid) && !this.written.has(oid));
    if (wanted.length === 0) return;
    const found = await objects.readObjects(wanted);
    for (const oid of wanted) {
      const object = found.get(oid);
      if (object === undefined) throw new GroveError('MISSING_OBJECT', `object ${oid} of the notes tree is missing`, { sha: oid });
      if (object.type === 'tree') this.#trees.set(oid, parseTree(object.data));
      else this.#blobs.set(oid, object.type === 'blob' ? object.data : null);
    }
  }

  /** Reads the notes tree `root` and, a level at a time, every fan-out subtree below it (2-hex-digit directories). */
  async readAll(objects: ObjectStore, root: Oid): Promise<void> {
    let level = [root];
    for (let depth = 0; level.length > 0 && depth < 20; depth++) {
      await this.read(objects, level);
      level = level.flatMap((oid) => this.tree(oid).filter((e) => isTreeMode(e.mode) && HEX_PAIR.test(e.name)).map((e) => e.oid));
    }
  }

  /** Reads the notes tree `root` and the fan-out subtrees on the path of `object`. */
  async readPath(objects: ObjectStore, root: Oid, object: Oid): Promise<void> {
    let level: { oid: Oid; prefix: string }[] = [{ oid: root, prefix: '' }];
    while (level.length > 0) {
      await this.read(objects, level.map((t) => t.oid));
      level = level.flatMap(({ oid, prefix }) => this.tree(oid)
        .filter((e) => isTreeMode(e.mode) && HEX_PAIR.test(e.name) && object.startsWith(prefix + e.name.toLowerCase()))
        .map((e) => ({ oid: e.oid, prefix: prefix + e.name.toLowerCase() })));
    }
  }

  /** `operation()`, read again with whatever it found missing until it completes. */
  async run<T>(objects: ObjectStore, operation: () => T): Promise<T> {
    for (let round = 0; ; round++) {
      try {
        return operation();
      } catch (err) {
        if (!(err instanceof NeedObjects) || round >= MAX_ROUNDS) throw err;
        await this.read(objects, err.oids);
      }
    }
  }
}
