/**
 * Repositories of the control plane: each has a row here (name, namespace,
 * settings) and a database of its own (objects and refs) reached through
 * `RepoStorage`. Namespaces are created implicitly by the first repository.
 */
import { GroveError } from '../errors.ts';
import { isValidRefName } from '../git/objects/refName.ts';
import type { SqlPort } from '../store/sqlPort.ts';
import { assertName } from './names.ts';
import { randomHex } from './randomId.ts';
import type { RepoHandle, RepoStorage } from './RepoStorage.ts';

export interface RepoRecord {
  id: string;
  namespace: string;
  name: string;
  description: string;
  defaultBranch: string;
  readOnly: boolean;
  createdAt: number;
  updatedAt: number;
  lastPushAt: number | null;
}

interface RepoRow {
  id: string;
  namespace: string;
  name: string;
  description: string;
  default_branch: string;
  read_only: number;
  created_at: number;
  updated_at: number;
  last_push_at: number | null;
}

export interface CreateRepoOptions {
  namespace: string;
  name: string;
  description?: string;
  defaultBranch?: string;
  readOnly?: boolean;
}

export class RepoService {
  readonly #sql: SqlPort;
  readonly #storage: RepoStorage;
  readonly #now: () => number;

  constructor(sql: SqlPort, storage: RepoStorage, options: { now?: () => number } = {}) {
    this.#sql = sql;
    this.#storage = storage;
    this.#now = options.now ?? Date.now;
  }

  create(options: CreateRepoOptions): RepoRecord {
    assertName('namespace', options.namespace);
    assertName('repository', options.name);
    const defaultBranch = options.defaultBranch ?? 'main';
    if (!isValidRefName(`refs/heads/${defaultBranch}`)) {
      throw new GroveError('BAD_REF_NAME', `invalid default branch name '${defaultBranch.slice(0, 80)}'`, { default_branch: defaultBranch });
    }
    const now = this.#now();
    const id = randomHex(16);
    this.#sql.transaction(() => {
      if (this.find(options.namespace, options.name) !== null) {
        throw new GroveError('ALREADY_EXISTS', `repository ${options.namespace}/${options.name} already exists`, { namespace: options.namespace, name: options.name });
      }
      this.#sql.run(`INSERT OR IGNORE INTO namespaces (name, created_at) VALUES (?, ?)`, options.namespace, now);
      this.#sql.run(
        `INSERT INTO repos (id, namespace, name, description, default_branch, read_only, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        id, options.namespace, options.name, options.description ?? '', defaultBranch, options.readOnly === true ? 1 : 0, now, now,
      );
      // Inside the transaction: if the database cannot be made, the row is not left behind.
      const handle = this.#storage.open(id, { create: true });
      try {
        handle.repo.setHead(`refs/heads/${defaultBranch}`);
      } finally {
        handle.release();
      }
    });
    return this.get(options.namespace, options.name);
  }

  find(namespace: string, name: string): RepoRecord | null {
    const row = this.#sql.query<RepoRow>(`SELECT * FROM repos WHERE namespace = ? AND name = ?`, namespace, name)[0];
    return row === undefined ? null : toRecord(row);
  }

  get(namespace: string, name: string): RepoRecord {
    const repo = this.find(namespace, name);
    if (repo === null) throw new GroveError('NOT_FOUND', `repository ${namespace}/${name} does not exist`, { namespace, name });
    return repo;
  }

  /** The storage of a repository known to exist, until the handle is released. */
  open(repo: RepoRecord): RepoHandle {
    return this.#storage.open(repo.id);
  }

  recordPush(repo: RepoRecord): void {
    const now = this.#now();
    this.#sql.run(`UPDATE repos SET last_push_at = ?, updated_at = ? WHERE id = ?`, now, now, repo.id);
  }
}

function toRecord(row: RepoRow): RepoRecord {
  return {
    id: row.id,
    namespace: row.namespace,
    name: row.name,
    description: row.description,
    defaultBranch: row.default_branch,
    readOnly: row.read_only !== 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastPushAt: row.last_push_at,
  };
}
