/**
 * What the mount knows the server holds: an entry per path of every folder
 * listed so far (kind, mode, blob id, size), with each folder's children,
 * kept in memory and written through to the state file. A sync compares the
 * local tree with it to know what to send, and updates it with what the
 * server confirmed.
 */
import type { ServerEntry, StateDb } from './StateDb.ts';

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinKey(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

export class ServerIndex {
  readonly #entries = new Map<string, ServerEntry>();
  readonly #children = new Map<string, Set<string>>();
  readonly #db: StateDb;
  #files = 0;
  #bytes = 0;

  constructor(db: StateDb) {
    this.#db = db;
    for (const [path, entry] of db.serverEntries()) this.#add(path, entry);
  }

  get(path: string): ServerEntry | undefined {
    if (path === '') return { kind: 'dir', mode: '40000', sha: null, size: 0 };
    return this.#entries.get(path);
  }

  /** The names of the server's entries in folder `path` (as far as it is listed). */
  children(path: string): ReadonlySet<string> {
    return this.#children.get(path) ?? EMPTY;
  }

  /** Files (and symlinks) known, and their bytes. */
  get files(): number {
    return this.#files;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Every path known at or below `path`. */
  *below(path: string): Generator<[string, ServerEntry]> {
    const entry = this.get(path);
    if (entry === undefined) return;
    if (path !== '') yield [path, entry];
    if (entry.kind !== 'dir') return;
    for (const name of this.children(path)) yield* this.below(joinKey(path, name));
  }

  /** Records that the server has `entry` at `path` (replacing what was there, and below it). */
  set(path: string, entry: ServerEntry): void {
    const old = this.#entries.get(path);
    if (old !== undefined && (old.kind === 'dir') !== (entry.kind === 'dir')) this.remove(path);
    else if (old !== undefined) this.#count(old, -1);
    this.#add(path, entry);
    this.#db.putServer(path, entry);
  }

  /** Records that the server has nothing at `path` nor below it. */
  remove(path: string): void {
    if (path === '') {
      for (const name of [...this.children('')]) this.remove(name);
      return;
    }
    const entry = this.#entries.get(path);
    if (entry === undefined) return;
    if (entry.kind === 'dir') for (const name of [...this.children(path)]) this.#forget(joinKey(path, name));
    this.#forget(path);
    this.#db.removeServerTree(path);
  }

  #forget(path: string): void {
    const entry = this.#entries.get(path);
    if (entry === undefined) return;
    if (entry.kind === 'dir') for (const name of [...this.children(path)]) this.#forget(joinKey(path, name));
    this.#count(entry, -1);
    this.#entries.delete(path);
    this.#children.delete(path);
    this.#children.get(parentOf(path))?.delete(nameOf(path));
  }

  #add(path: string, entry: ServerEntry): void {
    this.#entries.set(path, entry);
    this.#count(entry, 1);
    const parent = parentOf(path);
    let siblings = this.#children.get(parent);
    if (siblings === undefined) {
      siblings = new Set();
      this.#children.set(parent, siblings);
    }
    siblings.add(nameOf(path));
  }

  #count(entry: ServerEntry, sign: 1 | -1): void {
    if (entry.kind !== 'file' && entry.kind !== 'symlink') return;
    this.#files += sign;
    this.#bytes += sign * entry.size;
  }
}

const EMPTY: ReadonlySet<string> = new Set();
