/**
 * Object reads from a repository database (docs/STORAGE.md, table `objects`).
 * Objects are kept packed; `readObjects` resolves delta chains base-first with
 * a bounded cache of whole objects, so walking history inflates each base once.
 */
import type { Codec } from '../git/codec.ts';
import { LruCache } from '../git/LruCache.ts';
import { applyDelta } from '../git/pack/applyDelta.ts';
import { concatBytes } from '../git/bytes.ts';
import { TYPE_BY_CODE, type GitObject } from '../git/objects/gitObject.ts';
import { bytesToHex, type Oid } from '../git/objects/objectId.ts';
import type { CommitInfo, ObjectInfo, ObjectStore, PackedObject } from '../git/ports.ts';
import { GroveError } from '../errors.ts';
import type { SqlPort } from './sqlPort.ts';
import { OIDS_PARAM, queryByOids } from './oidQuery.ts';

interface PackedRow {
  oid: Uint8Array;
  type: number;
  size: number;
  base_oid: Uint8Array | null;
  depth: number;
  stored_size: number;
  chunks: number;
  data: Uint8Array;
}

const EMPTY: ReadonlyMap<Oid, GitObject> = new Map();

export interface SqlObjectStoreOptions {
  /** Bytes of whole objects kept to resolve deltas and re-read trees (default 32 MiB). */
  cacheBytes?: number;
}

export class SqlObjectStore implements ObjectStore {
  readonly #sql: SqlPort;
  readonly #codec: Codec;
  readonly #cache: LruCache<Oid, GitObject>;

  constructor(sql: SqlPort, codec: Codec, options: SqlObjectStoreOptions = {}) {
    this.#sql = sql;
    this.#codec = codec;
    this.#cache = new LruCache(options.cacheBytes ?? 32 * 1024 * 1024, (o) => o.data.length + 64);
  }

  async has(oids: readonly Oid[]): Promise<Set<Oid>> {
    return this.hasSync(oids);
  }

  hasSync(oids: readonly Oid[]): Set<Oid> {
    const rows = queryByOids<{ oid: Uint8Array }>(this.#sql, `SELECT oid FROM objects WHERE oid IN ${OIDS_PARAM}`, oids);
    return new Set(rows.map((r) => bytesToHex(r.oid)));
  }

  async info(oids: readonly Oid[]): Promise<Map<Oid, ObjectInfo>> {
    const rows = queryByOids<{ oid: Uint8Array; type: number; size: number; depth: number }>(
      this.#sql,
      `SELECT oid, type, size, depth FROM objects WHERE oid IN ${OIDS_PARAM}`,
      oids,
    );
    const out = new Map<Oid, ObjectInfo>();
    for (const row of rows) {
      const oid = bytesToHex(row.oid);
      out.set(oid, { oid, type: TYPE_BY_CODE[row.type]!, size: row.size, depth: row.depth });
    }
    return out;
  }

  async readPacked(oids: readonly Oid[]): Promise<Map<Oid, PackedObject>> {
    return this.readPackedSync(oids);
  }

  readPackedSync(oids: readonly Oid[]): Map<Oid, PackedObject> {
    const rows = queryByOids<PackedRow>(
      this.#sql,
      `SELECT oid, type, size, base_oid, depth, stored_size, chunks, data FROM objects WHERE oid IN ${OIDS_PARAM}`,
      oids,
    );
    const out = new Map<Oid, PackedObject>();
    for (const row of rows) {
      const oid = bytesToHex(row.oid);
      out.set(oid, {
        oid,
        type: TYPE_BY_CODE[row.type]!,
        size: row.size,
        base: row.base_oid === null ? null : bytesToHex(row.base_oid),
        storedSize: row.stored_size,
        depth: row.depth,
        data: row.chunks > 1 ? this.#joinChunks(row) : row.data,
      });
    }
    return out;
  }

  async readObjects(oids: readonly Oid[]): Promise<Map<Oid, GitObject>> {
    return this.readObjectsSync(oids);
  }

  readObjectsSync(oids: readonly Oid[]): Map<Oid, GitObject> {
    const { out, packed } = this.#gather(oids);
    for (const oid of oids) {
      if (!out.has(oid) && packed.has(oid)) out.set(oid, this.#resolve(oid, packed, EMPTY));
    }
    return out;
  }

  /**
   * Whole contents of objects held here or by `parent` (a fork reads through
   * to its parent): what this database lacks — objects, or the delta bases of
   * objects it stores — is read from `parent` in one batch.
   */
  async readObjectsOver(oids: readonly Oid[], parent: ObjectStore): Promise<Map<Oid, GitObject>> {
    const { out, packed, absent } = this.#gather(oids);
    const external = absent.length === 0 ? EMPTY : await parent.readObjects(absent);
    for (const oid of oids) {
      if (out.has(oid)) continue;
      if (packed.has(oid)) out.set(oid, this.#resolve(oid, packed, external));
      else if (external.has(oid)) out.set(oid, external.get(oid)!);
    }
    return out;
  }

  /** The commits among `oids` whose introduced objects this database has indexed. */
  indexedCommits(oids: readonly Oid[]): Set<Oid> {
    const rows = queryByOids<{ oid: Uint8Array }>(this.#sql, `SELECT oid FROM commits WHERE indexed = 1 AND oid IN ${OIDS_PARAM}`, oids);
    return new Set(rows.map((r) => bytesToHex(r.oid)));
  }

  /** True when the database holds no object (a fork nobody has pushed to). */
  isEmpty(): boolean {
    return this.#sql.query(`SELECT 1 FROM objects LIMIT 1`).length === 0;
  }

  /**
   * Cached objects, and the stored rows of the rest and of every delta base
   * below them, fetched a level at a time; `absent` lists the ids (asked for,
   * or bases) that this database does not hold.
   */
  #gather(oids: readonly Oid[]): { out: Map<Oid, GitObject>; packed: Map<Oid, PackedObject>; absent: Oid[] } {
    const out = new Map<Oid, GitObject>();
    const packed = new Map<Oid, PackedObject>();
    const absent: Oid[] = [];
    let wanted: Oid[] = [];
    for (const oid of oids) {
      const cached = this.#cache.get(oid);
      if (cached !== undefined) out.set(oid, cached);
      else wanted.push(oid);
    }
    while (wanted.length > 0) {
      const next: Oid[] = [];
      const rows = this.readPackedSync(wanted);
      for (const oid of wanted) {
        const row = rows.get(oid);
        if (row === undefined) {
          absent.push(oid);
          continue;
        }
        packed.set(oid, row);
        if (row.base !== null && !packed.has(row.base) && !this.#cache.has(row.base)) next.push(row.base);
      }
      wanted = [...new Set(next)];
    }
    return { out, packed, absent };
  }

  async readIntroduced(commits: readonly Oid[]): Promise<ObjectInfo[] | undefined> {
    const unique = [...new Set(commits)];
    const indexed = queryByOids<{ n: number }>(this.#sql, `SELECT count(*) AS n FROM commits WHERE indexed = 1 AND oid IN ${OIDS_PARAM}`, unique)
      .reduce((sum, row) => sum + row.n, 0);
    if (indexed !== unique.length) return undefined;
    const rows = queryByOids<{ id: number; oid: Uint8Array; type: number; size: number }>(
      this.#sql,
      `SELECT o.id, o.oid, o.type, o.size FROM objects o WHERE o.id IN
         (SELECT co.object_id FROM commit_objects co WHERE co.commit_id IN (SELECT id FROM objects WHERE oid IN ${OIDS_PARAM}))`,
      unique,
    );
    rows.sort((a, b) => a.id - b.id);
    const out: ObjectInfo[] = [];
    let last = -1;
    for (const row of rows) {
      if (row.id === last) continue;
      last = row.id;
      out.push({ oid: bytesToHex(row.oid), type: TYPE_BY_CODE[row.type]!, size: row.size });
    }
    return out;
  }

  async readCommits(oids: readonly Oid[]): Promise<Map<Oid, CommitInfo>> {
    return this.readCommitsSync(oids);
  }

  readCommitsSync(oids: readonly Oid[]): Map<Oid, CommitInfo> {
    const rows = queryByOids<{ oid: Uint8Array; tree: Uint8Array; parents: Uint8Array; time: number; generation: number }>(
      this.#sql,
      `SELECT oid, tree, parents, time, generation FROM commits WHERE oid IN ${OIDS_PARAM}`,
      oids,
    );
    const out = new Map<Oid, CommitInfo>();
    for (const row of rows) {
      const oid = bytesToHex(row.oid);
      const parents: Oid[] = [];
      for (let i = 0; i < row.parents.length; i += 20) parents.push(bytesToHex(row.parents, i, 20));
      out.set(oid, { oid, tree: bytesToHex(row.tree), parents, time: row.time, generation: row.generation });
    }
    return out;
  }

  /** Resolves one object from fetched rows: walks down to a cached or whole base, then applies deltas upward. */
  #resolve(oid: Oid, packed: Map<Oid, PackedObject>, external: ReadonlyMap<Oid, GitObject>): GitObject {
    const chain: PackedObject[] = [];
    let current: Oid | null = oid;
    let base: GitObject | undefined;
    while (current !== null) {
      base = this.#cache.get(current) ?? external.get(current);
      if (base !== undefined) break;
      const row = packed.get(current);
      if (row === undefined) throw new GroveError('MISSING_OBJECT', `object ${oid} needs delta base ${current}, which is missing`, { oid, base: current });
      chain.push(row);
      current = row.base;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const row = chain[i]!;
      const stored = this.#codec.inflate(row.data, row.storedSize);
      const data = row.base === null ? stored : applyDelta(base!.data, stored);
      if (data.length !== row.size) throw new GroveError('INTERNAL', `object ${row.oid} resolved to ${data.length} bytes, expected ${row.size}`);
      base = { type: row.type, data };
      // Keep delta bases and non-blob objects; a blob asked for once is not worth the room.
      if (i > 0 || row.type !== 'blob') this.#cache.set(row.oid, base);
    }
    return base!;
  }

  #joinChunks(row: PackedRow): Uint8Array {
    const rest = this.#sql.query<{ data: Uint8Array }>(`SELECT data FROM object_chunks WHERE oid = ? ORDER BY seq`, row.oid);
    if (rest.length !== row.chunks - 1) throw new GroveError('INTERNAL', `object ${bytesToHex(row.oid)} has ${rest.length + 1} of ${row.chunks} chunks`);
    return concatBytes([row.data, ...rest.map((r) => r.data)]);
  }
}
