/**
 * A notes tree as git holds it in memory (notes.c), so that what Grove
 * reads is what `git notes show` reads and what it writes is laid out as
 * `git notes add` lays it out. This file is longer than most because the
 * layout git writes depends on the whole of notes.c's lazy 16-ary trie.
 *
 * On disk (git-notes(1), notes.c): "the notes tree … holds a note blob at
 * the path of the annotated object's hex id, optionally split into 2-hex
 * directories (fan-out: 2/38, 2/2/36, …)". Reading accepts any mix: in a
 * (sub)tree whose prefix is P, an entry named by the remaining hex digits
 * of an id is a note (a regular file), a directory named by two hex digits
 * is a subtree for P plus those, anything else is a "non-note" kept as is.
 * A note met twice is concatenated (combine_notes_concatenate).
 *
 * In memory: "a non-balancing simple 16-tree", one level per hex digit of
 * the id. A slot holds nothing, an internal node, a note, or a subtree not
 * yet read — subtrees are read only when a search passes through them.
 *
 * Writing (write_notes_tree): walk the trie in order; at every even level
 * 2k no deeper than twice the current fan-out, if all 16 slots are
 * internal nodes or unread subtrees, the fan-out grows by one
 * (determine_fanout). A note is written at its id split by the fan-out; an
 * unread subtree shallower than twice the fan-out is written back as the
 * same tree object, deeper ones are read and their notes written at this
 * fan-out. Hence the same notes can be laid out differently depending on
 * which subtrees an operation happened to read — Grove reads exactly what
 * git reads for the same operation.
 *
 * Non-notes are written back at their paths, and entries are sorted in
 * tree order (git writes them in walk order, which is the same for any
 * tree git itself would produce).
 */
import { ZERO_OID, type Oid } from '../../../git/objects/objectId.ts';
import { isFileMode, isTreeMode, MODE_FILE, MODE_TREE, type TreeEntry } from '../../../git/objects/tree.ts';

/** What the tree needs of the object store, synchronously (notesObjects.ts fills it ahead). */
export interface NotesSource {
  /** Entries of the tree `oid`. */
  tree(oid: Oid): TreeEntry[];
  /** Content of the blob `oid`, or undefined when `oid` is not a blob. */
  blob(oid: Oid): Uint8Array | undefined;
  /** Stores a new blob (a concatenation of two notes) and returns its id. */
  writeBlob(data: Uint8Array): Oid;
}

interface IntNode {
  kind: 'int';
  slots: Slot[];
}
interface NoteLeaf {
  kind: 'note';
  /** The annotated object's id. */
  key: Oid;
  /** The note blob's id. */
  val: Oid;
}
interface SubtreeLeaf {
  kind: 'subtree';
  /** Hex digits of the ids below it (an even number, 2 to 38). */
  prefix: string;
  /** The tree object. */
  val: Oid;
}
type Leaf = NoteLeaf | SubtreeLeaf;
type Slot = IntNode | Leaf | null;

type Combine = (current: Oid, incoming: Oid) => Oid;

/** One entry of the notes tree as written: a path below the root, with slashes. */
export interface WrittenEntry {
  path: string;
  mode: number;
  oid: Oid;
  /** The last component's bytes, when they are not valid UTF-8 (a non-note's name). */
  rawName?: Uint8Array;
}

type NonNote = WrittenEntry;

const HEX = /^[0-9a-fA-F]+$/;
const encoder = new TextEncoder();

function newNode(): IntNode {
  return { kind: 'int', slots: new Array<Slot>(16).fill(null) };
}

/** The 40-hex key of a leaf: a note's object id, a subtree's prefix padded with zeros. */
function keyOf(leaf: Leaf): string {
  return leaf.kind === 'note' ? leaf.key : leaf.prefix.padEnd(40, '0');
}

function nibble(n: number, key: string): number {
  return parseInt(key[n]!, 16);
}

/** `key`, with `fanout` leading pairs of hex digits each followed by "/". */
function pathWithFanout(key: string, fanout: number): string {
  let path = '';
  for (let i = 0; i < fanout; i++) path += `${key.slice(2 * i, 2 * i + 2)}/`;
  return path + key.slice(2 * fanout);
}

export class NotesTree {
  readonly #source: NotesSource;
  readonly #root = newNode();
  /** Sorted by path. */
  readonly #nonNotes: NonNote[] = [];

  /** The notes tree whose root tree object is `root` (null: an empty notes tree). */
  constructor(source: NotesSource, root: Oid | null) {
    this.#source = source;
    if (root !== null) this.#load({ kind: 'subtree', prefix: '', val: root }, this.#root, 0);
  }

  /** The note blob of `object`, if any (get_note). */
  get(object: Oid): Oid | undefined {
    const at = this.#search(this.#root, 0, object);
    const slot = at.node.slots[at.i]!;
    return slot?.kind === 'note' && slot.key === object ? slot.val : undefined;
  }

  /** Sets the note of `object` to the blob `note`, replacing any (add_note with combine_notes_overwrite). */
  set(object: Oid, note: Oid): void {
    this.#insert(this.#root, 0, { kind: 'note', key: object, val: note }, (_, incoming) => incoming);
  }

  /** Removes the note of `object`; false when it has none (remove_note). */
  remove(object: Oid): boolean {
    return this.#remove(this.#root, 0, object);
  }

  /** Every note, ordered by object id (for_each_note, reading every subtree). */
  list(): { object: Oid; note: Oid }[] {
    const out: { object: Oid; note: Oid }[] = [];
    this.#forEach(this.#root, 0, 0, false, (leaf) => {
      if (leaf.kind === 'note') out.push({ object: leaf.key, note: leaf.val });
    });
    return out;
  }

  /**
   * The entries of the notes tree as git would write it now
   * (write_notes_tree): paths in walk order, notes as files, unread
   * subtrees as directories, non-notes where they were.
   */
  entries(): WrittenEntry[] {
    const out: WrittenEntry[] = [];
    let next = 0; // non-notes before this index are written
    const flushNonNotes = (until: string | null): void => {
      while (next < this.#nonNotes.length) {
        const nonNote = this.#nonNotes[next]!;
        const order = until === null ? -1 : compareStrings(nonNote.path, until);
        if (order > 0) break;
        if (order < 0) out.push({ ...nonNote });
        next++; // a non-note at a note's path gives way to the note
      }
    };
    this.#forEach(this.#root, 0, 0, true, (leaf, path) => {
      const dir = path.endsWith('/');
      const entryPath = dir ? path.slice(0, -1) : path;
      flushNonNotes(entryPath);
      out.push({ path: entryPath, mode: dir ? MODE_TREE : MODE_FILE, oid: leaf.val });
    });
    flushNonNotes(null);
    return out;
  }

  // note_tree_search: the slot where `key` belongs, reading the subtrees on the way.
  #search(node: IntNode, n: number, key: string): { node: IntNode; n: number; i: number } {
    for (;;) {
      const first = node.slots[0];
      if (first?.kind === 'subtree' && key.startsWith(first.prefix)) {
        node.slots[0] = null;
        this.#load(first, node, n);
        continue;
      }
      const i = nibble(n, key);
      const slot = node.slots[i];
      if (slot?.kind === 'int') {
        node = slot;
        n++;
        continue;
      }
      if (slot?.kind === 'subtree' && key.startsWith(slot.prefix)) {
        node.slots[i] = null;
        this.#load(slot, node, n);
        continue;
      }
      return { node, n, i };
    }
  }

  // note_tree_insert
  #insert(start: IntNode, level: number, entry: Leaf, combine: Combine): void {
    const { node, n, i } = this.#search(start, level, keyOf(entry));
    const slot = node.slots[i]!;
    if (slot === null) {
      if (entry.val !== ZERO_OID) node.slots[i] = entry;
      return;
    }
    if (slot.kind === 'note') {
      if (entry.kind === 'note' && slot.key === entry.key) {
        if (slot.val === entry.val) return;
        slot.val = combine(slot.val, entry.val);
        if (slot.val === ZERO_OID) this.#remove(node, n, entry.key);
        return;
      }
      if (entry.kind === 'subtree' && slot.key.startsWith(entry.prefix)) {
        this.#load(entry, node, n);
        return;
      }
    } else if (slot.kind === 'subtree' && keyOf(entry).startsWith(slot.prefix)) {
      node.slots[i] = null;
      this.#load(slot, node, n);
      this.#insert(node, n, entry, combine);
      return;
    }
    if (entry.val === ZERO_OID) return;
    const split = newNode();
    this.#insert(split, n + 1, slot as Leaf, combine);
    node.slots[i] = split;
    this.#insert(split, n + 1, entry, combine);
  }

  // note_tree_remove, with note_tree_consolidate on the way back up
  #remove(start: IntNode, level: number, key: Oid): boolean {
    const { node, n, i } = this.#search(start, level, key);
    const slot = node.slots[i];
    if (slot?.kind !== 'note' || slot.key !== key) return false;
    node.slots[i] = null;
    if (n === 0) return true;
    const stack: IntNode[] = [this.#root];
    for (let k = 0; k < n; k++) stack.push(stack[k]!.slots[nibble(k, key)] as IntNode);
    for (let k = n; k > 0; k--) {
      const live = stack[k]!.slots.filter((s) => s !== null);
      if (live.length > 1 || (live.length === 1 && live[0]!.kind !== 'note')) break;
      stack[k - 1]!.slots[nibble(k - 1, key)] = live[0] ?? null;
    }
    return true;
  }

  // load_subtree: the entries of `subtree`'s tree object, into `node` at level `n`.
  #load(subtree: SubtreeLeaf, node: IntNode, n: number): void {
    const prefixBytes = subtree.prefix.length / 2;
    for (const entry of this.#source.tree(subtree.val)) {
      const name = entry.rawName === undefined ? entry.name : null;
      let leaf: Leaf | undefined;
      if (name !== null && name.length === 2 * (20 - prefixBytes)) {
        if (isFileMode(entry.mode) && HEX.test(name)) leaf = { kind: 'note', key: subtree.prefix + name.toLowerCase(), val: entry.oid };
      } else if (name !== null && name.length === 2) {
        if (isTreeMode(entry.mode) && HEX.test(name)) leaf = { kind: 'subtree', prefix: subtree.prefix + name.toLowerCase(), val: entry.oid };
      }
      if (leaf !== undefined) {
        this.#insert(node, n, leaf, (current, incoming) => this.#concatenate(current, incoming));
        continue;
      }
      let dir = '';
      for (let k = 0; k < prefixBytes; k++) dir += `${subtree.prefix.slice(2 * k, 2 * k + 2)}/`;
      this.#addNonNote({ path: dir + entry.name, mode: entry.mode, oid: entry.oid, ...(entry.rawName === undefined ? {} : { rawName: entry.rawName }) });
    }
  }

  // combine_notes_concatenate: "<current without its last LF>\n\n<incoming>".
  #concatenate(current: Oid, incoming: Oid): Oid {
    const add = incoming === ZERO_OID ? undefined : this.#source.blob(incoming);
    if (add === undefined || add.length === 0) return current;
    const base = current === ZERO_OID ? undefined : this.#source.blob(current);
    if (base === undefined || base.length === 0) return incoming;
    const head = base[base.length - 1] === 0x0a ? base.subarray(0, base.length - 1) : base;
    const joined = new Uint8Array(head.length + 2 + add.length);
    joined.set(head, 0);
    joined.set([0x0a, 0x0a], head.length);
    joined.set(add, head.length + 2);
    return this.#source.writeBlob(joined);
  }

  #addNonNote(nonNote: NonNote): void {
    let lo = 0;
    let hi = this.#nonNotes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareStrings(this.#nonNotes[mid]!.path, nonNote.path) < 0) lo = mid + 1;
      else hi = mid;
    }
    const at = this.#nonNotes[lo];
    if (at !== undefined && at.path === nonNote.path) this.#nonNotes[lo] = nonNote;
    else this.#nonNotes.splice(lo, 0, nonNote);
  }

  // for_each_note_helper, with determine_fanout. `keepSubtrees`: FOR_EACH_NOTE_DONT_UNPACK_SUBTREES | _YIELD_SUBTREES.
  #forEach(node: IntNode, n: number, parentFanout: number, keepSubtrees: boolean, each: (leaf: Leaf, path: string) => void): void {
    const fanout = n % 2 === 0 && n <= 2 * parentFanout && node.slots.every((s) => s !== null && s.kind !== 'note')
      ? parentFanout + 1
      : parentFanout;
    for (let i = 0; i < 16; i++) {
      for (;;) {
        const slot = node.slots[i]!;
        if (slot === null) break;
        if (slot.kind === 'int') {
          this.#forEach(slot, n + 1, fanout, keepSubtrees, each);
          break;
        }
        if (slot.kind === 'note') {
          each(slot, pathWithFanout(slot.key, fanout));
          break;
        }
        if (n < 2 * fanout && keepSubtrees) {
          let path = pathWithFanout(keyOf(slot), fanout).slice(0, slot.prefix.length + fanout);
          if (!path.endsWith('/')) path += '/';
          each(slot, path);
          break;
        }
        node.slots[i] = null;
        this.#load(slot, node, n);
      }
    }
  }
}

/** strcmp on the UTF-8 bytes of two paths. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const length = Math.min(x.length, y.length);
  for (let i = 0; i < length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
