/**
 * What the objects of an incoming pack link to, checked the way `git
 * index-pack --strict` does: every link implies a type (a commit's tree is a
 * tree, its parents commits, a tree entry's mode says tree or blob, a tag's
 * `type` header names its target's type), and the object found at the other
 * end must have it — in the pack or in the repository. Blobs that a tree names
 * `.gitmodules` or `.gitattributes` get git's content checks.
 */
import { GroveError } from '../../errors.ts';
import type { ObjectType } from '../objects/gitObject.ts';
import type { Oid } from '../objects/objectId.ts';
import type { ObjectCheck } from '../objects/checkObject.ts';
import { checkGitattributes, checkGitmodules, specialBlobError } from '../objects/checkSpecialBlobs.ts';
import type { ObjectStore } from '../ports.ts';
import type { OidNumbering } from '../walk/OidNumbering.ts';

type Special = 'gitmodules' | 'gitattributes';

/** `#state` values: an object of the pack has its type code; a linked, unseen object has EXPECTED + the code. */
const CODE: Readonly<Record<ObjectType, number>> = { commit: 1, tree: 2, blob: 3, tag: 4 };
const TYPE: readonly ObjectType[] = ['commit', 'commit', 'tree', 'blob', 'tag'];
const EXPECTED = 8;

export class PackLinks {
  readonly #numbering: OidNumbering;
  /** Per number: its type code when the pack holds it, EXPECTED + the code a link expects when not (yet), 0 when neither. */
  #state = new Uint8Array(1024);
  readonly #special = new Map<Oid, Special>();

  constructor(numbering: OidNumbering) {
    this.#numbering = numbering;
  }

  /** Records a received object (numbered `number`) and the links its check found (numbered `links`, in order). */
  add(number: number, oid: Oid, type: ObjectType, check: ObjectCheck, links: ArrayLike<number>): void {
    const code = CODE[type];
    this.#grow(this.#numbering.size);
    const known = this.#state[number]!;
    if (known > EXPECTED && known - EXPECTED !== code) {
      throw new GroveError('BAD_OBJECT', `object ${oid} is a ${type}, but an object of the pack links to it as a ${TYPE[known - EXPECTED]}`, {
        check: 'badType', link: oid, expected: TYPE[known - EXPECTED], actual: type,
      });
    }
    this.#state[number] = code;
    for (let i = 0; i < links.length; i++) {
      const link = check.links[i]!;
      const linked = CODE[link.type];
      const at = links[i]!;
      const state = this.#state[at]!;
      if (state === 0) this.#state[at] = EXPECTED + linked;
      else if (state % EXPECTED !== linked) throw mismatch(oid, link.oid, link.type, TYPE[state % EXPECTED]!);
    }
    for (const blob of check.gitmodules) this.#special.set(blob, 'gitmodules');
    for (const blob of check.gitattributes) this.#special.set(blob, 'gitattributes');
  }

  /** The type of an object of the pack. */
  typeOf(oid: Oid): ObjectType | undefined {
    const n = this.#numbering.find(oid);
    const state = n === undefined ? 0 : (this.#state[n] ?? 0);
    return state > 0 && state < EXPECTED ? TYPE[state] : undefined;
  }

  /** Every object of the pack with its type (built on demand). */
  types(): Map<Oid, ObjectType> {
    const out = new Map<Oid, ObjectType>();
    for (let n = 0; n < this.#numbering.size; n++) {
      const state = this.#state[n] ?? 0;
      if (state > 0 && state < EXPECTED) out.set(this.#numbering.oid(n), TYPE[state]!);
    }
    return out;
  }

  /** Ids linked to from the pack that the pack does not contain, with the type their links expect. */
  #expected(): Map<Oid, ObjectType> {
    const out = new Map<Oid, ObjectType>();
    for (let n = 0; n < this.#numbering.size; n++) {
      const state = this.#state[n] ?? 0;
      if (state > EXPECTED) out.set(this.#numbering.oid(n), TYPE[state - EXPECTED]!);
    }
    return out;
  }

  /** Ids linked to from the pack that the pack does not contain. */
  external(): Set<Oid> {
    return new Set(this.#expected().keys());
  }

  #grow(size: number): void {
    if (size <= this.#state.length) return;
    const grown = new Uint8Array(Math.max(size, this.#state.length * 2));
    grown.set(this.#state);
    this.#state = grown;
  }

  /**
   * Once the whole pack is in: the linked objects the repository holds must
   * have the linked type (absent ones are the connectivity check's business),
   * and every `.gitmodules`/`.gitattributes` blob must pass git's checks.
   * `readPacked` gives the content of an object of the pack.
   */
  async verify(store: ObjectStore, readPacked: (oid: Oid) => Uint8Array): Promise<void> {
    const expected = this.#expected();
    const infos = await store.info([...expected.keys()]);
    for (const [oid, info] of infos) {
      const type = expected.get(oid)!;
      if (info.type !== type) {
        throw new GroveError('BAD_OBJECT', `object ${oid} is a ${info.type}, but an object of the pack links to it as a ${type}`, {
          check: 'badType', link: oid, expected: type, actual: info.type,
        });
      }
    }
    const fromStore = [...this.#special.keys()].filter((oid) => this.typeOf(oid) === undefined);
    const stored = await store.readObjects(fromStore);
    for (const [oid, kind] of this.#special) {
      const inPack = this.typeOf(oid);
      const type = inPack ?? stored.get(oid)?.type;
      if (type === undefined) throw specialBlobError(kind, 'missing', oid);
      if (type !== 'blob') throw specialBlobError(kind, 'notBlob', oid);
      const data = inPack !== undefined ? readPacked(oid) : stored.get(oid)!.data;
      try {
        if (kind === 'gitmodules') checkGitmodules(data);
        else checkGitattributes(data);
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'BAD_OBJECT') throw err;
        const e = err as GroveError;
        throw new GroveError('BAD_OBJECT', `blob ${oid} (.${kind}): ${e.message}`, { ...e.details, oid });
      }
    }
  }
}

function mismatch(from: Oid, to: Oid, expected: ObjectType, actual: ObjectType): GroveError {
  return new GroveError('BAD_OBJECT', `object ${from} links to ${to} as a ${expected}, but it is a ${actual}`, {
    check: 'badType', oid: from, link: to, expected, actual,
  });
}
