/**
 * One repository's storage: objects, refs and push staging over its own
 * database. This is what the protocol handlers and services are given.
 */
import type { Codec } from '../git/codec.ts';
import { bytesToHex, hexToBytes, isOid, type Oid } from '../git/objects/objectId.ts';
import type { Ref, RefStore } from '../git/ports.ts';
import type { PackStaging } from '../git/staging.ts';
import { isValidRefName } from '../git/objects/refName.ts';
import { GroveError } from '../errors.ts';
import type { SqlPort } from './sqlPort.ts';
import { migrateRepoSchema } from './repoSchema.ts';
import { SqlObjectStore, type SqlObjectStoreOptions } from './SqlObjectStore.ts';
import { SqlPackStaging } from './SqlPackStaging.ts';
import { SqlPackCache } from './SqlPackCache.ts';
import { SqlDraftStore } from './SqlDraftStore.ts';
import { SqlUploadChunks } from './SqlUploadChunks.ts';
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
  /** The repository's drafts (tables made with the first one). */
  readonly drafts: SqlDraftStore;
  /** Chunks of large files uploaded to drafts (table made with the first one). */
  readonly uploadChunks: SqlUploadChunks;
  readonly #sql: SqlPort;
  #nextPushId: number;
  readonly #activePushes = new Set<number>();

  constructor(sql: SqlPort, codec: Codec, options: SqlObjectStoreOptions = {}) {
    this.#sql = sql;
    migrateRepoSchema(sql);
    // Staging left by a process that died mid-push belongs to nobody now. Looked for first: opening
    // a repository must not write (a connection that wrote syncs the disk when it closes).
    if (sql.query(`SELECT 1 FROM incoming LIMIT 1`).length > 0 || sql.query(`SELECT 1 FROM incoming_chunks LIMIT 1`).length > 0) {
      sql.transaction(() => {
        sql.run(`DELETE FROM incoming`);
        sql.run(`DELETE FROM incoming_chunks`);
      });
    }
    this.#nextPushId = 1;
    this.objects = new SqlObjectStore(sql, codec, options);
    this.packCache = new SqlPackCache(sql);
    this.drafts = new SqlDraftStore(sql);
    this.uploadChunks = new SqlUploadChunks(sql);
  }

  /** Runs `fn` in one transaction of the repository's database (nested calls are savepoints). */
  transaction<T>(fn: () => T): T {
    return this.#sql.transaction(fn);
  }

  /** Deletes direct ref `name` if it holds `expected`; false when it does not (nothing changed). */
  deleteRef(name: string, expected: Oid): boolean {
    return this.#sql.transaction(() => {
      const deleted = this.#sql.run(`DELETE FROM refs WHERE name = ? AND oid = ?`, name, hexToBytes(expected));
      if (deleted > 0) bumpRefsVersion(this.#sql);
      return deleted > 0;
    });
  }

  /** Points HEAD at `target` (a branch that may not exist yet). */
  setHead(target: string): void {
    if (!target.startsWith('refs/') || !isValidRefName(target)) {
      throw new GroveError('BAD_REF_NAME', `not a valid ref name for HEAD: ${target}`, { ref: target });
    }
    this.#sql.transaction(() => {
      const current = this.#sql.query<{ target: string | null }>(`SELECT target FROM refs WHERE name = 'HEAD'`)[0];
      if (current?.target === target) return; // nothing to write
      this.#sql.run(`INSERT OR REPLACE INTO refs (name, oid, target, peeled) VALUES ('HEAD', NULL, ?, NULL)`, target);
      bumpRefsVersion(this.#sql);
    });
  }

  /**
   * Writes refs as given, into a repository that has none yet (a new fork's
   * copy of its parent's refs): direct refs with their peeled ids, symbolic
   * refs by target.
   */
  copyRefs(refs: readonly Ref[]): void {
    this.#sql.transaction(() => {
      for (const ref of refs) {
        if (ref.target !== undefined) {
          this.#sql.run(`INSERT OR REPLACE INTO refs (name, oid, target, peeled) VALUES (?, NULL, ?, NULL)`, ref.name, ref.target);
        } else if (ref.oid !== null) {
          this.#sql.run(
            `INSERT OR REPLACE INTO refs (name, oid, target, peeled) VALUES (?, ?, NULL, ?)`,
            ref.name, hexToBytes(ref.oid), ref.peeled === undefined ? null : hexToBytes(ref.peeled),
          );
        }
      }
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

  /** Bytes the database takes. */
  sizeBytes(): number {
    return this.#sql.query<{ n: number }>(`SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()`)[0]!.n;
  }

  /** Staging for one incoming push; the caller must `commit` or `discard` it. */
  beginPush(): SqlPackStaging {
    const pushId = this.#nextPushId++;
    this.#activePushes.add(pushId);
    return new SqlPackStaging(this.#sql, pushId, () => this.#activePushes.delete(pushId));
  }

  /**
   * Staging for an import into this (empty) repository: a push whose commit,
   * when every ref update succeeds, also points HEAD at `finish().head` (when
   * not null) and records `finish().shallow` as the repository's shallow
   * commits — in the one transaction that writes the refs and the objects.
   */
  beginImport(finish: () => { head: string | null; shallow: readonly Oid[] }): PackStaging {
    const staging = this.beginPush();
    return {
      put: (entry) => staging.put(entry),
      resolve: (index, resolution, replacement) => staging.resolve(index, resolution, replacement),
      drop: (index) => staging.drop(index),
      read: (index) => staging.read(index),
      discardObjects: () => staging.discardObjects(),
      discard: () => staging.discard(),
      commit: (updates, commits, options) => {
        const { head, shallow } = finish();
        if (head !== null && (!head.startsWith('refs/') || !isValidRefName(head))) {
          throw new GroveError('BAD_REF_NAME', `not a valid ref name for HEAD: ${head}`, { ref: head });
        }
        return this.#sql.transaction(() => {
          const results = staging.commit(updates, commits, options);
          if (results.every((r) => r.ok)) {
            if (head !== null) this.#sql.run(`INSERT OR REPLACE INTO refs (name, oid, target, peeled) VALUES ('HEAD', NULL, ?, NULL)`, head);
            this.#writeShallow(shallow);
            bumpRefsVersion(this.#sql);
          }
          return results;
        });
      },
    };
  }

  /**
   * The commits this repository holds without their parents (it was imported
   * with a depth), sorted; empty for a whole repository. Kept in the `meta`
   * row `shallow`, one hex id a line, as git keeps `.git/shallow`.
   */
  shallowSync(): Oid[] {
    const value = this.#sql.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'shallow'`)[0]?.value ?? '';
    return value.split('\n').filter((line) => isOid(line));
  }

  async shallow(): Promise<Oid[]> {
    return this.shallowSync();
  }

  /** Replaces the repository's shallow commits (a fork of a shallow repository takes its parent's). */
  setShallow(oids: readonly Oid[]): void {
    this.#sql.transaction(() => {
      this.#writeShallow(oids);
      bumpRefsVersion(this.#sql);
    });
  }

  #writeShallow(oids: readonly Oid[]): void {
    const bad = oids.find((oid) => !isOid(oid));
    if (bad !== undefined) throw new GroveError('INTERNAL', `not an object id: ${bad.slice(0, 80)}`);
    if (oids.length === 0) this.#sql.run(`DELETE FROM meta WHERE key = 'shallow'`);
    else this.#sql.run(`INSERT OR REPLACE INTO meta (key, value) VALUES ('shallow', ?)`, [...new Set(oids)].sort().join('\n'));
  }

  /** Pushes being received right now (a repository must not be closed under them). */
  get activePushes(): number {
    return this.#activePushes.size;
  }
}
