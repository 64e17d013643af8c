/**
 * Receives a pack: parses it as it streams in, stages every entry's stored
 * bytes, resolves deltas base-first, hashes and validates every object, and
 * reports what the pack references outside itself (for the connectivity check).
 *
 * Like git's index-pack, each entry is inflated once while parsing; a delta
 * whose base is already known is resolved on the spot, with the base taken
 * from a bounded cache or rebuilt from staging. A delta whose base comes later
 * (REF_DELTA) or lives in the repository (a thin pack) waits; when its base is
 * resolved, its children are resolved right after it.
 */
import type { Codec } from '../codec.ts';
import { GroveError } from '../../errors.ts';
import { LruCache } from '../LruCache.ts';
import { TYPE_BY_CODE, hashObject, type ObjectType } from '../objects/gitObject.ts';
import type { Oid } from '../objects/objectId.ts';
import { checkObject, type ObjectCheck } from '../objects/checkObject.ts';
import { readCommitLinks } from '../objects/commit.ts';
import { parseTag } from '../objects/tag.ts';
import type { ObjectStore } from '../ports.ts';
import type { PackStaging, Resolution } from '../staging.ts';
import { applyDelta } from './applyDelta.ts';
import { OidNumbering } from '../walk/OidNumbering.ts';
import { TreeTable } from '../walk/TreeTable.ts';
import { PackLinks } from './PackLinks.ts';
import { readPack } from './readPack.ts';

const OFS_DELTA = 6;
const REF_DELTA = 7;

export interface IndexPackOptions {
  /** Largest pack accepted, in bytes. */
  maxBytes?: number;
  /** Bytes of resolved objects kept to resolve later deltas (default 32 MiB). */
  cacheBytes?: number;
  /** Deltas deeper than this are stored whole (default 100). */
  maxDepth?: number;
  /** Largest object accepted, in bytes (OBJECT_TOO_LARGE past it). */
  maxObjectBytes?: number;
}

export interface IndexedCommit {
  oid: Oid;
  tree: Oid;
  parents: Oid[];
  time: number;
}

export interface IndexedPack {
  objectCount: number;
  /** Type of an object of the pack; undefined for any other id. */
  typeOf(oid: Oid): ObjectType | undefined;
  /** Type of every object in the pack (built when read). */
  readonly types: Map<Oid, ObjectType>;
  commits: IndexedCommit[];
  /** Annotated tags of the pack: tag id → tagged object. */
  tagTargets: Map<Oid, Oid>;
  /** Ids that objects of the pack link to but the pack does not contain (those the repository holds have the linked type). */
  external: Set<Oid>;
  /** Objects that thin-pack deltas were resolved against (they are in the repository). */
  thinBases: Set<Oid>;
  /** Every tree of the pack, compactly (to work out what each commit brings). */
  trees: TreeTable;
}

interface Waiting {
  index: number;
  /** Inflated delta, when it was kept in hand; otherwise re-read from staging. */
  delta?: Uint8Array;
  /** The delta counts against the waiting budget (it was kept while its base was unknown). */
  held?: boolean;
}

interface Base {
  type: ObjectType;
  data: Uint8Array;
  oid: Oid;
  depth: number;
}

/** Bytes of inflated deltas kept in memory while they wait for their base. */
const WAITING_BUDGET = 16 * 1024 * 1024;

export async function indexPack(
  source: AsyncIterable<Uint8Array>,
  codec: Codec,
  staging: PackStaging,
  store: ObjectStore,
  options: IndexPackOptions = {},
): Promise<IndexedPack> {
  const maxDepth = options.maxDepth ?? 100;
  const maxObjectBytes = options.maxObjectBytes ?? Number.POSITIVE_INFINITY;
  const cache = new LruCache<number, Uint8Array>(options.cacheBytes ?? 32 * 1024 * 1024, (d) => d.length + 64);
  const offsetToIndex = new Map<number, number>();
  const oidToIndex = new Map<Oid, number>();
  const resolutions: (Resolution | undefined)[] = [];
  const ofsBase: (number | undefined)[] = [];
  const waitingOnIndex = new Map<number, Waiting[]>();
  const waitingOnOid = new Map<Oid, Waiting[]>();
  let waitingBytes = 0;
  const duplicateOf: (number | undefined)[] = [];
  /** Repository objects that thin deltas were resolved against, kept until the end. */
  const thinBases = new Map<Oid, Uint8Array>();
  let resolvedCount = 0;
  const numbering = new OidNumbering();
  const links = new PackLinks(numbering);
  const result: IndexedPack = {
    objectCount: 0,
    typeOf: (oid) => links.typeOf(oid),
    get types() {
      return links.types();
    },
    commits: [],
    tagTargets: new Map(),
    external: new Set(),
    thinBases: new Set(),
    trees: new TreeTable(numbering),
  };

  function wait<K>(map: Map<K, Waiting[]>, key: K, index: number, delta: Uint8Array): void {
    const waiting: Waiting = { index };
    if (delta.length <= 64 * 1024 && waitingBytes + delta.length <= WAITING_BUDGET) {
      waiting.delta = delta;
      waiting.held = true;
      waitingBytes += delta.length;
    }
    const list = map.get(key);
    if (list === undefined) map.set(key, [waiting]);
    else list.push(waiting);
  }

  /**
   * Resolves `first` against `base`, then every delta that was waiting on the
   * result, and so on — iteratively, so long chains cannot exhaust the stack.
   */
  function resolveFrom(base: Base, first: Waiting): void {
    const work: [Base, Waiting][] = [[base, first]];
    for (let item = work.pop(); item !== undefined; item = work.pop()) {
      const [parent, child] = item;
      if (child.held === true) waitingBytes -= child.delta!.length;
      const delta = child.delta ?? inflateStaged(child.index);
      const data = applyDelta(parent.data, delta);
      let depth = parent.depth + 1;
      let stored: Oid | null = parent.oid;
      let replacement: { storedSize: number; compressed: Uint8Array } | undefined;
      if (depth > maxDepth) {
        depth = 0;
        stored = null;
        replacement = { storedSize: data.length, compressed: codec.deflate(data) };
      }
      const settled = settle(child.index, parent.type, data, stored, depth, replacement);
      for (const next of settled.children) work.push([settled.base, next]);
    }
  }

  /** Records a resolved object, validates it, and returns the deltas that were waiting on it. */
  function settle(
    index: number,
    type: ObjectType,
    data: Uint8Array,
    base: Oid | null,
    depth: number,
    replacement?: { storedSize: number; compressed: Uint8Array },
  ): { base: Base; children: Waiting[] } {
    if (data.length > maxObjectBytes) {
      throw new GroveError('OBJECT_TOO_LARGE', `pack has a ${type} of ${data.length} bytes; the largest object allowed is ${maxObjectBytes} bytes`, { size: data.length, max: maxObjectBytes });
    }
    const oid = hashObject(codec, type, data);
    const resolution: Resolution = { oid, type, size: data.length, base, depth };
    resolutions[index] = resolution;
    resolvedCount++;
    const first = oidToIndex.get(oid);
    if (first === undefined) {
      oidToIndex.set(oid, index);
      staging.resolve(index, resolution, replacement);
      inspect(oid, type, data);
    } else {
      // The same object twice: keep the copy resolved first (its base chain is sound), drop this one.
      duplicateOf[index] = first;
      staging.drop(index);
    }
    cache.set(index, data);
    const children = [...(waitingOnIndex.get(index) ?? []), ...(waitingOnOid.get(oid) ?? [])];
    waitingOnIndex.delete(index);
    waitingOnOid.delete(oid);
    const storedDepth = first === undefined ? depth : resolutions[first]!.depth;
    return { base: { type, data, oid, depth: storedDepth }, children };
  }

  function inspect(oid: Oid, type: ObjectType, data: Uint8Array): void {
    let check: ObjectCheck;
    try {
      check = checkObject(type, data);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'BAD_OBJECT') {
        const e = err as GroveError;
        throw new GroveError('BAD_OBJECT', `${type} ${oid}: ${e.message}`, { ...e.details, oid });
      }
      throw err;
    }
    const number = numbering.number(oid);
    const linked = new Int32Array(check.links.length);
    for (let i = 0; i < linked.length; i++) linked[i] = numbering.number(check.links[i]!.oid);
    links.add(number, oid, type, check, linked);
    if (type === 'tree') result.trees.add(oid, data, linked);
    else if (type === 'commit') result.commits.push({ oid, ...readCommitLinks(data) });
    else if (type === 'tag') result.tagTargets.set(oid, parseTag(data).object);
  }

  /** The content of an already-resolved entry: from the cache, or rebuilt from staging. */
  function contentOf(index: number): Uint8Array {
    const chain: number[] = [];
    let data: Uint8Array | undefined;
    for (let at = duplicateOf[index] ?? index; ; ) {
      data = cache.get(at);
      if (data !== undefined) break;
      const resolution: Resolution = resolutions[at]!;
      chain.push(at);
      if (resolution.base === null) break;
      const next = ofsBase[at] ?? oidToIndex.get(resolution.base);
      if (next === undefined) {
        data = thinBases.get(resolution.base);
        if (data === undefined) throw new GroveError('INTERNAL', `a delta base of staged entry ${index} is not in hand`);
        break;
      }
      at = duplicateOf[next] ?? next;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const at = chain[i]!;
      const stored = inflateStaged(at);
      data = data === undefined || resolutions[at]!.base === null ? stored : applyDelta(data, stored);
      cache.set(at, data);
    }
    return data!;
  }

  function inflateStaged(index: number): Uint8Array {
    const { storedSize, compressed } = staging.read(index);
    return codec.inflate(compressed, storedSize);
  }

  function baseOf(index: number): Base {
    const r = resolutions[index]!;
    return { type: r.type, data: contentOf(index), oid: r.oid, depth: r.depth };
  }

  const entries = readPack(source, codec, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
  for (;;) {
    const step = await entries.next();
    if (step.done) {
      result.objectCount = step.value.objectCount;
      break;
    }
    const entry = step.value;
    const { index } = entry;
    offsetToIndex.set(entry.offset, index);
    staging.put({ index, offset: entry.offset, storedSize: entry.size, compressed: entry.compressed, resolution: null });
    const type = TYPE_BY_CODE[entry.typeCode];
    if (type !== undefined) {
      const settled = settle(index, type, entry.data, null, 0);
      for (const child of settled.children) resolveFrom(settled.base, child);
    } else if (entry.typeCode === OFS_DELTA) {
      const baseIndex = offsetToIndex.get(entry.baseOffset!);
      if (baseIndex === undefined) throw new GroveError('BAD_PACK', `entry at offset ${entry.offset} has a delta base offset that starts no entry`);
      ofsBase[index] = baseIndex;
      if (resolutions[baseIndex] === undefined) wait(waitingOnIndex, baseIndex, index, entry.data);
      else resolveFrom(baseOf(baseIndex), { index, delta: entry.data });
    } else if (entry.typeCode === REF_DELTA) {
      const baseIndex = oidToIndex.get(entry.baseOid!);
      if (baseIndex === undefined) wait(waitingOnOid, entry.baseOid!, index, entry.data);
      else resolveFrom(baseOf(baseIndex), { index, delta: entry.data });
    } else {
      throw new GroveError('BAD_PACK', `entry at offset ${entry.offset} has unknown type ${entry.typeCode}`);
    }
  }

  // Deltas still waiting on an id the pack lacks: a thin pack, completed from the repository.
  const thin = [...waitingOnOid.keys()];
  if (thin.length > 0) {
    const bases = await store.readObjects(thin);
    const infos = await store.info(thin);
    for (const oid of thin) {
      const base = bases.get(oid);
      const children = waitingOnOid.get(oid);
      if (base === undefined || children === undefined) continue;
      waitingOnOid.delete(oid);
      result.thinBases.add(oid);
      thinBases.set(oid, base.data);
      const depth = infos.get(oid)?.depth ?? 0;
      for (const child of children) resolveFrom({ type: base.type, data: base.data, oid, depth }, child);
    }
  }
  const unresolved = result.objectCount - resolvedCount;
  if (unresolved > 0) {
    // A base missing everywhere, or deltas that are each other's bases: git calls both "unresolved deltas".
    const missing = [...waitingOnOid.keys()][0];
    const why = missing === undefined ? 'their bases form a cycle' : `base ${missing} is neither in the pack nor in the repository`;
    throw new GroveError('BAD_PACK', `pack has ${unresolved} unresolved delta${unresolved === 1 ? '' : 's'}: ${why}`, missing === undefined ? {} : { oid: missing });
  }
  await links.verify(store, (oid) => contentOf(oidToIndex.get(oid)!));
  result.external = links.external();
  return result;
}
