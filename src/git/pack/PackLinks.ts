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

type Special = 'gitmodules' | 'gitattributes';

/** `#state` values: an object of the pack has its type code; a linked, unseen object has EXPECTED + the code. */
const CODE: Readonly<Record<ObjectType, number>> = { commit: 1, tree: 2, blob: 3, tag: 4 };
const TYPE: readonly ObjectType[] = ['commit', 'commit', 'tree', 'blob', 'tag'];
const EXPECTED = 8;

export class PackLinks {
  /** Type of every object of the pack. */
  readonly types = new Map<Oid, ObjectType>();
  /** One entry per id met: its type, or the type a link expects of it (one lookup per link on the hot path). */
  readonly #state = new Map<Oid, number>();
  readonly #special = new Map<Oid, Special>();

  /** Records a received object and the links its check found. */
  add(oid: Oid, type: ObjectType, check: ObjectCheck): void {
    const code = CODE[type];
    const known = this.#state.get(oid);
    if (known !== undefined && known > EXPECTED && known - EXPECTED !== code) {
      throw new GroveError('BAD_OBJECT', `object ${oid} is a ${type}, but an object of the pack links to it as a ${TYPE[known - EXPECTED]}`, {
        check: 'badType', link: oid, expected: TYPE[known - EXPECTED], actual: type,
      });
    }
    this.#state.set(oid, code);
    this.types.set(oid, type);
    for (const link of check.links) {
      const linked = CODE[link.type];
      const state = this.#state.get(link.oid);
      if (state === undefined) this.#state.set(link.oid, EXPECTED + linked);
      else if (state % EXPECTED !== linked) throw mismatch(oid, link.oid, link.type, TYPE[state % EXPECTED]!);
    }
    for (const blob of check.gitmodules) this.#special.set(blob, 'gitmodules');
    for (const blob of check.gitattributes) this.#special.set(blob, 'gitattributes');
  }

  /** Ids linked to from the pack that the pack does not contain, with the type their links expect. */
  #expected(): Map<Oid, ObjectType> {
    const out = new Map<Oid, ObjectType>();
    for (const [oid, state] of this.#state) if (state > EXPECTED) out.set(oid, TYPE[state - EXPECTED]!);
    return out;
  }

  /** Ids linked to from the pack that the pack does not contain. */
  external(): Set<Oid> {
    return new Set(this.#expected().keys());
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
