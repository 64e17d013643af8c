/**
 * Trees kept in a compact form while a push is processed: a tree is one
 * Int32Array of (name hash, child number, kind) triples over a shared
 * `OidNumbering`. The trees of a whole pack fit in a few megabytes, so they
 * can be compared after it arrived without reading them again.
 *
 * Names are kept as 32-bit hashes. Two names of one tree with the same hash
 * can only make a comparison see a change where there is none — never the
 * reverse, since "unchanged" also needs the same child id — so what it derives
 * (introducedObjects.ts) can only grow, never lose an object.
 */
import type { Oid } from '../objects/objectId.ts';
import { oidAt } from '../objects/oidAt.ts';
import { OidNumbering } from './OidNumbering.ts';

/** Entry kinds in a compact tree. */
export const KIND_BLOB = 0;
export const KIND_TREE = 1;

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFGITLINK = 0o160000;

export class TreeTable {
  readonly numbering: OidNumbering;
  readonly #trees = new Map<number, Int32Array>();

  constructor(numbering = new OidNumbering()) {
    this.numbering = numbering;
  }

  number(oid: Oid): number {
    return this.numbering.number(oid);
  }

  oid(number: number): Oid {
    return this.numbering.oid(number);
  }

  /**
   * Records a tree's entries (gitlinks are left out: nothing is sent below
   * them). `children`, when the caller has them, are the numbers of the
   * entries' ids in order, gitlinks left out — saving a lookup per entry.
   */
  add(oid: Oid, data: Uint8Array, children?: ArrayLike<number>): void {
    const key = this.numbering.number(oid);
    if (this.#trees.has(key)) return;
    const out: number[] = [];
    let child = 0;
    for (let pos = 0; pos < data.length; ) {
      let mode = 0;
      for (; data[pos] !== 0x20; pos++) mode = mode * 8 + (data[pos]! - 0x30);
      pos++;
      let hash = 0x811c9dc5;
      for (; data[pos] !== 0; pos++) hash = Math.imul(hash ^ data[pos]!, 0x01000193);
      pos++;
      const kind = mode & S_IFMT;
      if (kind !== S_IFGITLINK) {
        out.push(hash | 0, children === undefined ? this.numbering.number(oidAt(data, pos)) : children[child++]!, kind === S_IFDIR ? KIND_TREE : KIND_BLOB);
      }
      pos += 20;
    }
    this.#trees.set(key, Int32Array.from(out));
  }

  /** The entries of a recorded tree, as (name hash, child, kind) triples; undefined if not recorded. */
  entries(number: number): Int32Array | undefined {
    return this.#trees.get(number);
  }
}
