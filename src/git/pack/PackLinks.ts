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

interface Expectation {
  type: ObjectType;
  /** The first object seen linking to it (for the message). */
  from: Oid;
}

type Special = 'gitmodules' | 'gitattributes';

export class PackLinks {
  /** Type of every object of the pack. */
  readonly types = new Map<Oid, ObjectType>();
  readonly #expected = new Map<Oid, Expectation>();
  readonly #special = new Map<Oid, Special>();

  /** Records a received object and the links its check found. */
  add(oid: Oid, type: ObjectType, check: ObjectCheck): void {
    const expected = this.#expected.get(oid);
    if (expected !== undefined) {
      if (expected.type !== type) throw mismatch(expected.from, oid, expected.type, type);
      this.#expected.delete(oid);
    }
    this.types.set(oid, type);
    for (const link of check.links) {
      const known = this.types.get(link.oid) ?? this.#expected.get(link.oid)?.type;
      if (known === undefined) this.#expected.set(link.oid, { type: link.type, from: oid });
      else if (known !== link.type) throw mismatch(oid, link.oid, link.type, known);
    }
    for (const blob of check.gitmodules) this.#special.set(blob, 'gitmodules');
    for (const blob of check.gitattributes) this.#special.set(blob, 'gitattributes');
  }

  /** Ids linked to from the pack that the pack does not contain. */
  external(): Set<Oid> {
    return new Set(this.#expected.keys());
  }

  /**
   * Once the whole pack is in: the linked objects the repository holds must
   * have the linked type (absent ones are the connectivity check's business),
   * and every `.gitmodules`/`.gitattributes` blob must pass git's checks.
   * `readPacked` gives the content of an object of the pack.
   */
  async verify(store: ObjectStore, readPacked: (oid: Oid) => Uint8Array): Promise<void> {
    const outside = [...this.#expected.keys()];
    const infos = await store.info(outside);
    for (const [oid, info] of infos) {
      const expected = this.#expected.get(oid)!;
      if (info.type !== expected.type) throw mismatch(expected.from, oid, expected.type, info.type);
    }
    const fromStore = [...this.#special.keys()].filter((oid) => !this.types.has(oid));
    const stored = await store.readObjects(fromStore);
    for (const [oid, kind] of this.#special) {
      const type = this.types.get(oid) ?? stored.get(oid)?.type;
      if (type === undefined) throw specialBlobError(kind, 'missing', oid);
      if (type !== 'blob') throw specialBlobError(kind, 'notBlob', oid);
      const data = this.types.has(oid) ? readPacked(oid) : stored.get(oid)!.data;
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
