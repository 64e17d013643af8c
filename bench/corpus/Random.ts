/**
 * The seeded pseudo-random source of the corpus generator (mulberry32, the
 * generator of test/support/seededRandom.ts), with the few draws it needs.
 * Same seed, same sequence: the same corpus, object for object.
 */
import { seededRandom } from '../../test/support/seededRandom.ts';

export class Random {
  readonly #next: () => number;

  constructor(seed: number) {
    this.#next = seededRandom(seed);
  }

  /** A number in [0, 1). */
  float(): number {
    return this.#next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.#next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.#next() * items.length)] as T;
  }

  /** `length` bytes of noise (incompressible, like media or archives). */
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    const view = new DataView(out.buffer);
    let i = 0;
    for (; i + 4 <= length; i += 4) view.setUint32(i, Math.floor(this.#next() * 4294967296));
    for (; i < length; i++) out[i] = Math.floor(this.#next() * 256);
    return out;
  }
}
