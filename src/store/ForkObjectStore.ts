/**
 * The objects of a fork: its own database first, then its parent's objects
 * (themselves possibly a fork's). A fork copies refs, never objects, so every
 * read that its own database cannot answer goes to the parent in one batch.
 * Objects the fork stores may be deltas against objects only the parent has
 * (a thin push completed from the parent); `readObjects` resolves those.
 */
import type { GitObject } from '../git/objects/gitObject.ts';
import type { Oid } from '../git/objects/objectId.ts';
import type { CommitInfo, ObjectInfo, ObjectStore, PackedObject } from '../git/ports.ts';
import type { SqlObjectStore } from './SqlObjectStore.ts';

export class ForkObjectStore implements ObjectStore {
  readonly #own: SqlObjectStore;
  readonly #parent: ObjectStore;

  constructor(own: SqlObjectStore, parent: ObjectStore) {
    this.#own = own;
    this.#parent = parent;
  }

  async has(oids: readonly Oid[]): Promise<Set<Oid>> {
    const found = await this.#own.has(oids);
    const rest = oids.filter((oid) => !found.has(oid));
    if (rest.length > 0) for (const oid of await this.#parent.has(rest)) found.add(oid);
    return found;
  }

  async info(oids: readonly Oid[]): Promise<Map<Oid, ObjectInfo>> {
    return this.#layered(oids, (store, ids) => store.info(ids));
  }

  async readPacked(oids: readonly Oid[]): Promise<Map<Oid, PackedObject>> {
    return this.#layered(oids, (store, ids) => store.readPacked(ids));
  }

  async readCommits(oids: readonly Oid[]): Promise<Map<Oid, CommitInfo>> {
    return this.#layered(oids, (store, ids) => store.readCommits(ids));
  }

  async readObjects(oids: readonly Oid[]): Promise<Map<Oid, GitObject>> {
    return this.#own.readObjectsOver(oids, this.#parent);
  }

  async readIntroduced(commits: readonly Oid[]): Promise<ObjectInfo[] | undefined> {
    if (this.#parent.readIntroduced === undefined) return undefined;
    const unique = [...new Set(commits)];
    const own = this.#own.indexedCommits(unique);
    const fromOwn = own.size === 0 ? [] : await this.#own.readIntroduced([...own]);
    const fromParent = own.size === unique.length ? [] : await this.#parent.readIntroduced(unique.filter((oid) => !own.has(oid)));
    if (fromOwn === undefined || fromParent === undefined) return undefined;
    if (fromOwn.length === 0) return fromParent;
    const seen = new Set<Oid>();
    const out: ObjectInfo[] = [];
    for (const info of [...fromParent, ...fromOwn]) {
      if (seen.has(info.oid)) continue;
      seen.add(info.oid);
      out.push(info);
    }
    return out;
  }

  /** Answers from the fork's own database, then asks the parent for the rest. */
  async #layered<T>(oids: readonly Oid[], read: (store: ObjectStore, ids: readonly Oid[]) => Promise<Map<Oid, T>>): Promise<Map<Oid, T>> {
    const found = await read(this.#own, oids);
    const rest = oids.filter((oid) => !found.has(oid));
    if (rest.length > 0) for (const [oid, value] of await read(this.#parent, rest)) found.set(oid, value);
    return found;
  }
}
