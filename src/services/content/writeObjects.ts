/**
 * Writes new whole objects — the blobs, trees and commits the content API
 * makes — and makes them visible together with one ref update, in one
 * transaction, through the staging a push uses (git/staging.ts): until
 * `commit`, nothing is visible; a compare-and-swap that loses changes
 * nothing. Each object is staged whole (no delta), zlib-compressed as a pack
 * entry stores it, with its resolution known.
 *
 * What a push is checked for, these are too: trees and commits pass
 * `git fsck --strict` (checkObject.ts), and the blobs a new tree names
 * `.gitmodules` or `.gitattributes` pass checkSpecialBlobs.ts before the
 * commit. Each new commit is recorded with its generation and, like a
 * pushed one, with the trees and blobs it brings (walk/introducedObjects.ts:
 * only the paths that differ from its parents are walked, so this is cheap).
 *
 * @example
 *   const sha = await writeObjects(repo, codec, {}, async (writer) => {
 *     const blob = writer.add('blob', bytes);
 *     const tree = writer.add('tree', serializeTree([{ mode: MODE_FILE, name: 'a.txt', oid: blob }]));
 *     const commit = writer.add('commit', serializeCommit({ tree, parents: [], ... }));
 *     await writer.commit({ name: 'refs/heads/main', old: ZERO_OID, new: commit });
 *     return commit;
 *   });
 */
import { GroveError } from '../../errors.ts';
import { concatBytes } from '../../git/bytes.ts';
import type { Codec } from '../../git/codec.ts';
import { checkObject } from '../../git/objects/checkObject.ts';
import { checkGitattributes, checkGitmodules, specialBlobError, type SpecialBlobKind } from '../../git/objects/checkSpecialBlobs.ts';
import { readCommitLinks } from '../../git/objects/commit.ts';
import { hashObject, objectHeader, type ObjectType } from '../../git/objects/gitObject.ts';
import { bytesToHex, type Oid } from '../../git/objects/objectId.ts';
import type { PackStaging, RefUpdate, StagedCommit } from '../../git/staging.ts';
import { introducedObjects, type CommitTrees } from '../../git/walk/introducedObjects.ts';
import { TreeTable } from '../../git/walk/TreeTable.ts';
import type { OpenRepository } from '../RepoService.ts';

export interface WriteLimits {
  /** Largest object accepted, in bytes (OBJECT_TOO_LARGE past it). */
  maxObjectBytes?: number;
  /** Largest the repository's own database may grow (REPO_TOO_LARGE past it). */
  maxRepoBytes?: number;
}

interface NewCommit extends CommitTrees {
  parents: Oid[];
  time: number;
}

/** Stages objects for one ref update; `writeObjects` opens and discards it. */
export class ObjectWriter {
  readonly #repo: OpenRepository;
  readonly #codec: Codec;
  readonly #limits: WriteLimits;
  readonly #staging: PackStaging;
  /** Staged objects: id → entry index and inflated size. */
  readonly #staged = new Map<Oid, { index: number; size: number }>();
  readonly #trees = new TreeTable();
  readonly #commits: NewCommit[] = [];
  readonly #special: Record<SpecialBlobKind, Set<Oid>> = { gitmodules: new Set(), gitattributes: new Set() };
  #stagedBytes = 0;

  constructor(repo: OpenRepository, codec: Codec, limits: WriteLimits = {}) {
    this.#repo = repo;
    this.#codec = codec;
    this.#limits = limits;
    this.#staging = repo.repo.beginPush();
  }

  /** The id `data` has as an object of `type` (nothing is staged). */
  hash(type: ObjectType, data: Uint8Array): Oid {
    return hashObject(this.#codec, type, data);
  }

  /**
   * Stages one object and returns its id. Trees and commits are checked as
   * `git fsck --strict` checks them (BAD_OBJECT, with `details.check`).
   */
  add(type: ObjectType, data: Uint8Array): Oid {
    this.#assertSize(data.length);
    if (type !== 'blob') this.#inspect(type, data);
    const oid = hashObject(this.#codec, type, data);
    if (type === 'tree') this.#trees.add(oid, data);
    if (type === 'commit' && !this.#staged.has(oid)) {
      const links = readCommitLinks(data);
      this.#commits.push({ oid, tree: links.tree, parents: links.parents, time: links.time });
    }
    if (!this.#staged.has(oid)) this.#put(oid, type, data.length, this.#codec.deflate(data));
    return oid;
  }

  /**
   * Stages a blob read from `chunks` — compressed as it arrives, so the
   * whole content is held only when `size` is unknown (the id's header needs
   * it before the first byte is hashed). BAD_REQUEST when the stream ends
   * short of, or runs past, a given `size`.
   */
  async addBlobStream(chunks: AsyncIterable<Uint8Array>, size?: number): Promise<Oid> {
    if (size !== undefined) this.#assertSize(size);
    const hasher = this.#codec.sha1();
    if (size !== undefined) hasher.update(objectHeader('blob', size));
    const held: Uint8Array[] = [];
    const deflate = new CompressionStream('deflate');
    const input = deflate.writable.getWriter();
    const output = collect(deflate.readable);
    let length = 0;
    try {
      for await (const chunk of chunks) {
        length += chunk.length;
        if (size !== undefined && length > size) throw new GroveError('BAD_REQUEST', `the content is longer than the ${size} bytes announced`);
        this.#assertSize(length);
        if (size === undefined) held.push(chunk);
        else hasher.update(chunk);
        await input.write(chunk as Uint8Array<ArrayBuffer>);
      }
      if (size !== undefined && length !== size) throw new GroveError('BAD_REQUEST', `the content ended after ${length} of the ${size} bytes announced`);
      await input.close();
    } catch (err) {
      await input.abort(err).catch(() => {});
      await output.catch(() => {});
      throw err;
    }
    if (size === undefined) {
      hasher.update(objectHeader('blob', length));
      for (const chunk of held) hasher.update(chunk);
    }
    const oid = bytesToHex(hasher.digest());
    const compressed = concatBytes(await output);
    if (!this.#staged.has(oid)) this.#put(oid, 'blob', length, compressed);
    return oid;
  }

  /** Of `oids`, those neither staged here nor in the repository. */
  async missing(oids: readonly Oid[]): Promise<Set<Oid>> {
    const candidates = [...new Set(oids)].filter((oid) => !this.#staged.has(oid));
    const present = await this.#repo.objects.has(candidates);
    return new Set(candidates.filter((oid) => !present.has(oid)));
  }

  /**
   * Makes the staged objects and the ref updates visible at once, with
   * whatever `alongside` writes to the repository's database, in one
   * transaction. REF_CONFLICT (nothing changed) when a ref no longer holds
   * its `old` value.
   */
  async commit(update: RefUpdate | readonly RefUpdate[], alongside?: () => void): Promise<void> {
    const updates = Array.isArray(update) ? (update as readonly RefUpdate[]) : [update as RefUpdate];
    await this.#checkSpecialBlobs();
    const max = this.#limits.maxRepoBytes;
    if (max !== undefined && this.#repo.repo.sizeBytes() + this.#stagedBytes > max) {
      throw new GroveError('REPO_TOO_LARGE', `the commit would take the repository over its maximum size of ${max} bytes`, { max });
    }
    const commits = await this.#stagedCommits();
    this.#repo.repo.transaction(() => {
      const results = this.#staging.commit(updates, commits, { atomic: true });
      if (results.length !== updates.length || results.some((r) => !r.ok)) {
        // With atomic, the updates that would have passed fail too: name the one that did not.
        const result = results.find((r) => !r.ok && r.reason !== 'atomic push failure') ?? results.find((r) => !r.ok);
        const failed = updates.find((u) => u.name === result?.name) ?? updates[0]!;
        const reason = result?.ok === false ? result.reason : 'not applied';
        throw new GroveError('REF_CONFLICT', `${failed.name} moved while the commit was being written (${reason}); nothing was changed`, {
          ref: failed.name,
          expected: failed.old,
        });
      }
      alongside?.();
    });
  }

  /** Forgets everything staged (nothing happens after a `commit`). */
  discard(): void {
    this.#staging.discard();
  }

  #put(oid: Oid, type: ObjectType, size: number, compressed: Uint8Array): void {
    const index = this.#staged.size;
    this.#staging.put({
      index,
      offset: index,
      storedSize: size,
      compressed,
      resolution: { oid, type, size, base: null, depth: 0 },
    });
    this.#staged.set(oid, { index, size });
    this.#stagedBytes += compressed.length;
  }

  #assertSize(size: number): void {
    const max = this.#limits.maxObjectBytes;
    if (max !== undefined && size > max) {
      throw new GroveError('OBJECT_TOO_LARGE', `an object of ${size} bytes is over the largest allowed, ${max} bytes`, { size, max });
    }
  }

  #inspect(type: ObjectType, data: Uint8Array): void {
    const check = checkObject(type, data);
    for (const oid of check.gitmodules) this.#special.gitmodules.add(oid);
    for (const oid of check.gitattributes) this.#special.gitattributes.add(oid);
  }

  /** The contents of the blobs new trees name `.gitmodules` / `.gitattributes`, checked as fsck checks them. */
  async #checkSpecialBlobs(): Promise<void> {
    const kinds = Object.entries(this.#special) as [SpecialBlobKind, Set<Oid>][];
    const stored = [...new Set(kinds.flatMap(([, oids]) => [...oids]))].filter((oid) => !this.#staged.has(oid));
    const found = stored.length === 0 ? new Map() : await this.#repo.objects.readObjects(stored);
    for (const [kind, oids] of kinds) {
      for (const oid of oids) {
        const staged = this.#staged.get(oid);
        const object = staged === undefined ? found.get(oid) : { type: 'blob', data: this.#read(staged) };
        if (object === undefined) throw specialBlobError(kind, 'missing', oid);
        if (object.type !== 'blob') throw specialBlobError(kind, 'notBlob', oid);
        if (kind === 'gitmodules') checkGitmodules(object.data);
        else checkGitattributes(object.data);
      }
    }
  }

  #read(staged: { index: number; size: number }): Uint8Array {
    return this.#codec.inflate(this.#staging.read(staged.index).compressed, staged.size);
  }

  /** The new commits with their generation and what each brings; `introduced` is left out if it cannot be worked out. */
  async #stagedCommits(): Promise<StagedCommit[]> {
    if (this.#commits.length === 0) return [];
    const ours = new Set(this.#commits.map((c) => c.oid));
    const outside = [...new Set(this.#commits.flatMap((c) => c.parents).filter((p) => !ours.has(p)))];
    const generation = new Map<Oid, number>();
    for (const [oid, info] of await this.#repo.objects.readCommits(outside)) generation.set(oid, info.generation);
    let introduced: Map<Oid, Oid[]> | undefined;
    try {
      introduced = await introducedObjects(this.#commits, this.#trees, this.#repo.objects);
    } catch {
      introduced = undefined; // the commit is then indexed by a tree walk when a fetch needs it
    }
    // Commits are added parents first (a commit's id needs its parents' ids).
    return this.#commits.map((c) => {
      const g = 1 + Math.max(0, ...c.parents.map((p) => generation.get(p) ?? 0));
      generation.set(c.oid, g);
      return { oid: c.oid, tree: c.tree, parents: c.parents, time: c.time, generation: g, introduced: introduced?.get(c.oid) ?? null };
    });
  }
}

/** Runs `build` with a fresh writer over `repo`, and discards whatever it left staged. */
export async function writeObjects<T>(
  repo: OpenRepository,
  codec: Codec,
  limits: WriteLimits,
  build: (writer: ObjectWriter) => Promise<T>,
): Promise<T> {
  const writer = new ObjectWriter(repo, codec, limits);
  try {
    return await build(writer);
  } finally {
    writer.discard();
  }
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let step = await reader.read(); !step.done; step = await reader.read()) out.push(step.value);
  return out;
}
