/**
 * Repository databases on disk: `<dataDir>/repos/<id>.sqlite`, one per
 * repository. A bounded number stay open; past it the least recently used
 * are closed — but a database is only ever closed once nothing holds it (no
 * unreleased handle: no request streaming from it, no push being received).
 */
import { constants, copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Codec } from '../../git/codec.ts';
import { GroveError } from '../../errors.ts';
import type { RepoHandle, RepoStorage } from '../../services/RepoStorage.ts';
import { Repository } from '../../store/Repository.ts';
import { SCHEMA_VERSION } from '../../store/repoSchema.ts';
import { openSqlite, type NodeSqlite } from './sqlite.ts';

interface OpenRepo {
  sql: NodeSqlite;
  repo: Repository;
  users: number;
  /** Removed while in use: the files go when the last handle is released. */
  removed: boolean;
}

export class FileRepoStorage implements RepoStorage {
  readonly #dir: string;
  readonly #codec: Codec;
  readonly #maxOpen: number;
  readonly #open = new Map<string, OpenRepo>();
  /** The empty database new ones are copied from (per schema version). */
  readonly #template: string;

  constructor(dataDir: string, codec: Codec, options: { maxOpen?: number } = {}) {
    this.#dir = join(dataDir, 'repos');
    this.#codec = codec;
    this.#maxOpen = options.maxOpen ?? 256;
    mkdirSync(this.#dir, { recursive: true });
    this.#template = join(this.#dir, `.empty-v${SCHEMA_VERSION}.sqlite`);
  }

  /**
   * A new repository's database starts as a copy of an empty one made once
   * (HEAD → refs/heads/main), and its first refs are written before anyone
   * can see it, with no journal and no sync; only then is it switched to WAL.
   * Copying a closed file is far cheaper than creating a database and its
   * schema, and a database opened later closes without a checkpoint to sync.
   */
  create(id: string, init: (repo: Repository) => void): void {
    const path = this.pathOf(id);
    if (existsSync(path)) throw new GroveError('INTERNAL', `the database of repository ${id} exists already`);
    if (!existsSync(this.#template)) this.#buildTemplate();
    copyFileSync(this.#template, path, constants.COPYFILE_EXCL);
    try {
      const sql = openSqlite(path, { unjournaled: true });
      try {
        init(new Repository(sql, this.#codec));
        sql.script('PRAGMA journal_mode = WAL;');
      } finally {
        sql.close();
      }
    } catch (err) {
      this.#deleteFiles(id, undefined);
      throw err;
    }
  }

  #buildTemplate(): void {
    const building = `${this.#template}.${process.pid}.tmp`;
    rmSync(building, { force: true });
    const sql = openSqlite(building, { unjournaled: true });
    try {
      new Repository(sql, this.#codec).setHead('refs/heads/main');
    } finally {
      sql.close();
    }
    renameSync(building, this.#template);
  }

  /** Path of a repository's database file. */
  pathOf(id: string): string {
    if (!/^[0-9a-f]{8,64}$/.test(id)) throw new GroveError('INTERNAL', `bad repository id '${id}'`);
    return join(this.#dir, `${id}.sqlite`);
  }

  open(id: string): RepoHandle {
    let entry = this.#open.get(id);
    if (entry !== undefined) {
      this.#open.delete(id); // re-inserted below: most recently used last
    } else {
      const path = this.pathOf(id);
      if (!existsSync(path)) throw new GroveError('INTERNAL', `the database of repository ${id} is missing`);
      const sql = openSqlite(path);
      entry = { sql, repo: new Repository(sql, this.#codec), users: 0, removed: false };
    }
    this.#open.set(id, entry);
    entry.users++;
    this.#closeIdle();
    const held = entry;
    let released = false;
    return {
      repo: held.repo,
      release: () => {
        if (released) return;
        released = true;
        held.users--;
        if (held.removed && held.users === 0) this.#deleteFiles(id, held);
        this.#closeIdle();
      },
    };
  }

  remove(id: string): void {
    const entry = this.#open.get(id);
    if (entry !== undefined && entry.users > 0) {
      entry.removed = true;
      return;
    }
    this.#deleteFiles(id, entry);
  }

  #deleteFiles(id: string, entry: OpenRepo | undefined): void {
    if (entry !== undefined && this.#open.get(id) === entry) {
      entry.sql.close();
      this.#open.delete(id);
    }
    const path = this.pathOf(id);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  }

  /** Number of databases open right now. */
  get openCount(): number {
    return this.#open.size;
  }

  close(): void {
    for (const { sql } of this.#open.values()) sql.close();
    this.#open.clear();
  }

  #closeIdle(): void {
    for (const [id, entry] of this.#open) {
      if (this.#open.size <= this.#maxOpen) return;
      if (entry.users > 0) continue;
      entry.sql.close();
      this.#open.delete(id);
    }
  }
}
