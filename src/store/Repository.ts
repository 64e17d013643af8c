/**
 * One repository's storage: objects, refs and push staging over its own
 * database. This is what the protocol handlers and services are given.
 */
import type { Codec } from '../git/codec.ts';
import { bytesToHex } from '../git/objects/objectId.ts';
import type { Ref, RefStore } from '../git/ports.ts';
import { isValidRefName } from '../git/objects/refName.ts';
import { GroveError } from '../errors.ts';
import type { SqlPort } from './sqlPort.ts';
import { migrateRepoSchema } from './repoSchema.ts';
import { SqlObjectStore, type SqlObjectStoreOptions } from './SqlObjectStore.ts';
import { SqlPackStaging } from './SqlPackStaging.ts';
import { SqlPackCache } from './SqlPackCache.ts';
import { bumpRefsVersion } from './refsVersion.ts';

interface RefRow {
  name: string;
  oid: Uint8Array | null;
  target: string | null;
  peeled: Uint8Array | null;
}

export class Repository implements RefStore {
  readonly objects: SqlObjectStore;
  readonly packCache: SqlPackCache;
  readonly #sql: SqlPort;
  #nextPushId: number;
  readonly #activePushes = new Set<number>();

  constructor(sql: SqlPort, codec: Codec, options: SqlObjectStoreOptions = {}) {
    this.#sql = sql;
    migrateRepoSchema(sql);
    // Staging left by a process that died mid-push belongs to nobody now.
    sql.transaction(() => {
      sql.run(`DELETE FROM incoming`);
      sql.run(`DELETE FROM incoming_chunks`);
    });
    this.#nextPushId = 1;
    this.objects = new SqlObjectStore(sql, codec, options);
    this.packCache = new SqlPackCache(sql);
  }

  /** Points HEAD at `target` (a branch that may not exist yet). */
  setHead(target: string): void {
    if (!target.startsWith('refs/') || !isValidRefName(target)) {
      throw new GroveError('BAD_REF_NAME', `not a valid ref name for HEAD: ${target}`, { ref: target });
    }
    this.#sql.transaction(() => {
      this.#sql.run(`INSERT OR REPLACE INTO refs (name, oid, target, peeled) VALUES ('HEAD', NULL, ?, NULL)`, target);
      bumpRefsVersion(this.#sql);
    });
  }

  async listRefs(): Promise<Ref[]> {
    return this.listRefsSync();
  }

  listRefsSync(): Ref[] {
    const rows = this.#sql.query<RefRow>(`SELECT name, oid, target, peeled FROM refs ORDER BY name`);
    const byName = new Map(rows.map((r) => [r.name, r]));
    return rows.map((row): Ref => {
      if (row.target !== null) {
        const target = byName.get(row.target);
        return { name: row.name, oid: target?.oid == null ? null : bytesToHex(target.oid), target: row.target };
      }
      const ref: Ref = { name: row.name, oid: bytesToHex(row.oid!) };
      if (row.peeled !== null) ref.peeled = bytesToHex(row.peeled);
      return ref;
    });
  }

  /** Staging for one incoming push; the caller must `commit` or `discard` it. */
  beginPush(): SqlPackStaging {
    const pushId = this.#nextPushId++;
    this.#activePushes.add(pushId);
    return new SqlPackStaging(this.#sql, pushId, () => this.#activePushes.delete(pushId));
  }

  /** Pushes being received right now (a repository must not be closed under them). */
  get activePushes(): number {
    return this.#activePushes.size;
  }
}
