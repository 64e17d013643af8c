/**
 * Trees kept in a compact form while a push is processed: every id and every
 * entry name is numbered once, and a tree is one Int32Array of
 * (name, child, kind) triples. Ten thousand trees of a few dozen entries fit
 * in a few megabytes, so the trees of a whole pack can be compared after it
 * arrived without reading them again.
 */
import type { Oid } from '../objects/objectId.ts';
import { isGitlinkMode, isTreeMode, parseTree } from '../objects/tree.ts';

/** Entry kinds in a compact tree. */
export const KIND_BLOB = 0;
export const KIND_TREE = 1;

export class TreeTable {
  readonly #numbers = new Map<Oid, number>();
  readonly #oids: Oid[] = [];
  readonly #names = new Map<string, number>();
  readonly #trees = new Map<number, Int32Array>();

  /** The number of an id (numbered on first sight). */
  number(oid: Oid): number {
    let n = this.#numbers.get(oid);
    if (n === undefined) {
      n = this.#oids.length;
      this.#oids.push(oid);
      this.#numbers.set(oid, n);
    }
    return n;
  }

  oid(number: number): Oid {
    return this.#oids[number]!;
  }

  /** Records a tree's entries (gitlinks are left out: nothing is sent below them). */
  add(oid: Oid, data: Uint8Array): void {
    const key = this.number(oid);
    if (this.#trees.has(key)) return;
    const entries = parseTree(data);
    const packed = new Int32Array(entries.length * 3);
    let at = 0;
    for (const entry of entries) {
      if (isGitlinkMode(entry.mode)) continue;
      let name = this.#names.get(entry.name);
      if (name === undefined) {
        name = this.#names.size;
        this.#names.set(entry.name, name);
      }
      packed[at++] = name;
      packed[at++] = this.number(entry.oid);
      packed[at++] = isTreeMode(entry.mode) ? KIND_TREE : KIND_BLOB;
    }
    this.#trees.set(key, at === packed.length ? packed : packed.slice(0, at));
  }

  /** The entries of a recorded tree, as (name, child, kind) triples; undefined if not recorded. */
  entries(number: number): Int32Array | undefined {
    return this.#trees.get(number);
  }
}
