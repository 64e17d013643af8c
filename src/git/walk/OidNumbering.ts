/**
 * Small integers for object ids, handed out on first sight. Structures that
 * track hundreds of thousands of objects (a received pack's links, its trees)
 * share one numbering and keep their own data in typed arrays indexed by it:
 * one map lookup per id instead of one per structure.
 */
import type { Oid } from '../objects/objectId.ts';

export class OidNumbering {
  readonly #numbers = new Map<Oid, number>();
  readonly #oids: Oid[] = [];

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

  /** The number of an id already numbered, or undefined. */
  find(oid: Oid): number | undefined {
    return this.#numbers.get(oid);
  }

  oid(number: number): Oid {
    return this.#oids[number]!;
  }

  get size(): number {
    return this.#oids.length;
  }
}
