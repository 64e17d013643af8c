/**
 * Repository databases on disk: `<dataDir>/repos/<id>.sqlite`, one per
 * repository, with a bounded set kept open (least recently used closed first,
 * never one that is receiving a push).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Codec } from '../../git/codec.ts';
import { GroveError } from '../../errors.ts';
import type { RepoStorage } from '../../services/RepoStorage.ts';
import { Repository } from '../../store/Repository.ts';
import { openSqlite, type NodeSqlite } from './sqlite.ts';

interface OpenRepo {
  sql: NodeSqlite;
  repo: Repository;
}

export class FileRepoStorage implements RepoStorage {
  readonly #dir: string;
  readonly #codec: Codec;
  readonly #maxOpen: number;
  readonly #open = new Map<string, OpenRepo>();

  constructor(dataDir: string, codec: Codec, options: { maxOpen?: number } = {}) {
    this.#dir = join(dataDir, 'repos');
    this.#codec = codec;
    this.#maxOpen = options.maxOpen ?? 256;
    mkdirSync(this.#dir, { recursive: true });
  }

  /** Path of a repository's database file. */
  pathOf(id: string): string {
    if (!/^[0-9a-f]{8,64}$/.test(id)) throw new GroveError('INTERNAL', `bad repository id '${id}'`);
    return join(this.#dir, `${id}.sqlite`);
  }

  open(id: string, options: { create?: boolean } = {}): Repository {
    const cached = this.#open.get(id);
    if (cached !== undefined) {
      this.#open.delete(id);
      this.#open.set(id, cached);
      return cached.repo;
    }
    const path = this.pathOf(id);
    if (options.create !== true && !existsSync(path)) throw new GroveError('INTERNAL', `the database of repository ${id} is missing`);
    const sql = openSqlite(path);
    const repo = new Repository(sql, this.#codec);
    this.#open.set(id, { sql, repo });
    this.#evict();
    return repo;
  }

  close(): void {
    for (const { sql } of this.#open.values()) sql.close();
    this.#open.clear();
  }

  #evict(): void {
    for (const [id, entry] of this.#open) {
      if (this.#open.size <= this.#maxOpen) return;
      if (entry.repo.activePushes > 0) continue;
      entry.sql.close();
      this.#open.delete(id);
    }
  }
}
