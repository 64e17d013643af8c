/**
 * Repositories of the control plane: each has a row here (name, namespace,
 * settings, parent) and a database of its own (objects and refs) reached
 * through `RepoStorage`. Namespaces are created implicitly by the first
 * repository.
 *
 * A fork's database holds refs and only the objects pushed to the fork; it
 * reads the rest through its parent's. Deleting a repository that forks
 * still read through keeps its database (a row in `retained`) until the last
 * of them is gone.
 */
import { GroveError } from '../errors.ts';
import { isValidRefName } from '../git/objects/refName.ts';
import type { PackCache } from '../git/packCache.ts';
import type { ObjectStore, Ref } from '../git/ports.ts';
import { ForkObjectStore } from '../store/ForkObjectStore.ts';
import type { Repository } from '../store/Repository.ts';
import type { SqlPort } from '../store/sqlPort.ts';
import { decodeCursor, pageOf, type CursorKey } from './cursor.ts';
import { assertName } from './names.ts';
import { randomHex } from './randomId.ts';
import type { RepoHandle, RepoStorage } from './RepoStorage.ts';

export type RepoStatus = 'ready' | 'importing' | 'failed';

export type RepoSource =
  | { kind: 'fork'; id: string; namespace: string; name: string }
  | { kind: 'import'; url: string; branch: string | null; depth: number | null };

export interface RepoRecord {
  id: string;
  namespace: string;
  name: string;
  description: string;
  defaultBranch: string;
  readOnly: boolean;
  status: RepoStatus;
  statusReason: string | null;
  createdAt: number;
  updatedAt: number;
  lastPushAt: number | null;
  /** The repository whose objects this one reads through (a fork's parent). */
  parentId: string | null;
  source: RepoSource | null;
}

interface RepoRow {
  id: string;
  namespace: string;
  name: string;
  description: string;
  default_branch: string;
  read_only: number;
  status: RepoStatus;
  status_reason: string | null;
  created_at: number;
  updated_at: number;
  last_push_at: number | null;
  parent_id: string | null;
  source: string | null;
}

export interface CreateRepoOptions {
  namespace: string;
  name: string;
  description?: string;
  defaultBranch?: string;
  readOnly?: boolean;
  status?: RepoStatus;
  source?: RepoSource;
}

export interface ForkOptions {
  namespace: string;
  name: string;
  description?: string;
  readOnly?: boolean;
  /** Copy HEAD and the default branch only (default), or every ref. */
  defaultBranchOnly?: boolean;
}

export type RepoSort = 'created_at' | 'updated_at' | 'last_push_at' | 'name';

export interface ListReposOptions {
  limit: number;
  cursor?: string;
  search?: string;
  sort?: RepoSort;
  direction?: 'asc' | 'desc';
}

/** A repository open for one use: its own database, and its objects with its ancestors'. */
export interface OpenRepository {
  record: RepoRecord;
  /** The repository's own database: refs, push staging. */
  repo: Repository;
  /** Every object the repository can read: its own, then its ancestors'. */
  objects: ObjectStore;
  packCache: PackCache;
  release(): void;
}

/** How deep a chain of forks may grow; each level is one more database per read. */
export const MAX_FORK_DEPTH = 64;

const SORT_EXPR: Readonly<Record<RepoSort, string>> = {
  created_at: 'created_at',
  updated_at: 'updated_at',
  last_push_at: 'coalesce(last_push_at, 0)',
  name: 'name',
};

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
    const defaultBranch = options.defaultBranch ?? 'main';
    assertBranchName(defaultBranch);
    return this.#insert(options, defaultBranch, null, (repo) => repo.setHead(`refs/heads/${defaultBranch}`));
  }

  /** A new repository with `parent`'s refs (all, or HEAD and the default branch) that reads its objects through. */
  fork(parent: RepoRecord, options: ForkOptions): RepoRecord {
    assertReady(parent);
    if (this.#depth(parent.id) >= MAX_FORK_DEPTH) {
      throw new GroveError('BAD_REQUEST', `${parent.namespace}/${parent.name} is a fork ${MAX_FORK_DEPTH} levels deep: fork its parent instead`);
    }
    const handle = this.#storage.open(parent.id);
    let refs: Ref[];
    let shallow: string[];
    try {
      refs = handle.repo.listRefsSync();
      shallow = handle.repo.shallowSync();
    } finally {
      handle.release();
    }
    if (options.defaultBranchOnly !== false) {
      const head = refs.find((r) => r.name === 'HEAD');
      const branch = head?.target ?? `refs/heads/${parent.defaultBranch}`;
      refs = refs.filter((r) => r.name === 'HEAD' || r.name === branch);
    }
    return this.#insert(
      {
        namespace: options.namespace,
        name: options.name,
        description: options.description ?? parent.description,
        defaultBranch: parent.defaultBranch,
        readOnly: options.readOnly ?? false,
        source: { kind: 'fork', id: parent.id, namespace: parent.namespace, name: parent.name },
      },
      parent.defaultBranch,
      parent.id,
      (repo) => {
        repo.copyRefs(refs);
        // A shallow parent's boundary is the fork's too: it reads the same history.
        if (shallow.length > 0) repo.setShallow(shallow);
      },
    );
  }

  find(namespace: string, name: string): RepoRecord | null {
    const row = this.#sql.query<RepoRow>(`SELECT * FROM repos WHERE namespace = ? AND name = ?`, namespace, name)[0];
    return row === undefined ? null : toRecord(row);
  }

  /** The repository with id `id`; null when there is none. */
  byId(id: string): RepoRecord | null {
    const row = this.#sql.query<RepoRow>(`SELECT * FROM repos WHERE id = ?`, id)[0];
    return row === undefined ? null : toRecord(row);
  }

  get(namespace: string, name: string): RepoRecord {
    const repo = this.find(namespace, name);
    if (repo === null) throw new GroveError('NOT_FOUND', `repository ${namespace}/${name} does not exist`, { namespace, name });
    return repo;
  }

  list(namespace: string, options: ListReposOptions): { repos: RepoRecord[]; nextCursor: string | null } {
    const sort = options.sort ?? 'created_at';
    const desc = (options.direction ?? 'desc') === 'desc';
    const expr = SORT_EXPR[sort];
    const where = ['namespace = ?'];
    const params: (string | number)[] = [namespace];
    if (options.search !== undefined && options.search !== '') {
      where.push(`name LIKE ? ESCAPE '\\'`);
      params.push(`%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (options.cursor !== undefined) {
      const [value, id] = decodeCursor(options.cursor, [sort === 'name' ? 'string' : 'number', 'string']);
      where.push(`(${expr}, id) ${desc ? '<' : '>'} (?, ?)`);
      params.push(value!, id!);
    }
    const order = desc ? 'DESC' : 'ASC';
    const rows = this.#sql.query<RepoRow>(
      `SELECT * FROM repos WHERE ${where.join(' AND ')} ORDER BY ${expr} ${order}, id ${order} LIMIT ?`,
      ...params, options.limit + 1,
    );
    const page = pageOf(rows.map(toRecord), options.limit, (r): CursorKey => [sortValue(r, sort), r.id]);
    return { repos: page.items, nextCursor: page.nextCursor };
  }

  update(repo: RepoRecord, changes: { description?: string; defaultBranch?: string; readOnly?: boolean }): RepoRecord {
    if (changes.defaultBranch !== undefined) assertBranchName(changes.defaultBranch);
    const now = this.#now();
    this.#sql.transaction(() => {
      this.#sql.run(
        `UPDATE repos SET description = coalesce(?, description), default_branch = coalesce(?, default_branch),
           read_only = coalesce(?, read_only), updated_at = ? WHERE id = ?`,
        changes.description ?? null, changes.defaultBranch ?? null,
        changes.readOnly === undefined ? null : changes.readOnly ? 1 : 0, now, repo.id,
      );
      if (changes.defaultBranch !== undefined && changes.defaultBranch !== repo.defaultBranch) {
        const handle = this.#storage.open(repo.id);
        try {
          handle.repo.setHead(`refs/heads/${changes.defaultBranch}`);
        } finally {
          handle.release();
        }
      }
    });
    return this.get(repo.namespace, repo.name);
  }

  setStatus(repo: RepoRecord, status: RepoStatus, reason: string | null = null): void {
    this.#sql.run(`UPDATE repos SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?`, status, reason, this.#now(), repo.id);
  }

  /**
   * Deletes the repository and its tokens. Its database goes too, unless
   * forks still read through it; then it stays until the last fork is gone.
   */
  delete(repo: RepoRecord): void {
    const doomed = this.#sql.transaction(() => {
      this.#sql.run(`DELETE FROM repos WHERE id = ?`, repo.id);
      if (this.#dependents(repo.id) > 0) {
        this.#sql.run(`INSERT INTO retained (id, parent_id) VALUES (?, ?)`, repo.id, repo.parentId);
        return [];
      }
      return [repo.id, ...this.#releaseAncestors(repo.parentId)];
    });
    for (const id of doomed) this.#storage.remove(id);
  }

  /** Opens the repository's database and those of its ancestors, for one use. */
  open(record: RepoRecord): OpenRepository {
    const chain = this.#chain(record.id);
    const handles: RepoHandle[] = [];
    try {
      for (const id of chain) handles.push(this.#storage.open(id));
    } catch (err) {
      for (const h of handles) h.release();
      throw err;
    }
    // Build from the root down: each fork reads through the store below it.
    let objects: ObjectStore = handles[handles.length - 1]!.repo.objects;
    let packCache: PackCache = handles[handles.length - 1]!.repo.packCache;
    for (let i = handles.length - 2; i >= 0; i--) {
      const repo = handles[i]!.repo;
      objects = new ForkObjectStore(repo.objects, objects);
      // A fork holding objects of its own keeps its own packs; one that holds none serves its ancestors' packs (same wants, same pack).
      if (!repo.objects.isEmpty()) packCache = repo.packCache;
    }
    let released = false;
    return {
      record,
      repo: handles[0]!.repo,
      objects,
      packCache,
      release: () => {
        if (released) return;
        released = true;
        for (const h of handles) h.release();
      },
    };
  }

  recordPush(repo: RepoRecord): void {
    const now = this.#now();
    this.#sql.run(`UPDATE repos SET last_push_at = ?, updated_at = ? WHERE id = ?`, now, now, repo.id);
  }

  #insert(options: CreateRepoOptions, defaultBranch: string, parentId: string | null, init: (repo: Repository) => void): RepoRecord {
    assertName('namespace', options.namespace);
    assertName('repository', options.name);
    const now = this.#now();
    const id = randomHex(16);
    this.#sql.transaction(() => {
      if (this.find(options.namespace, options.name) !== null) {
        throw new GroveError('ALREADY_EXISTS', `repository ${options.namespace}/${options.name} already exists`, { namespace: options.namespace, name: options.name });
      }
      this.#sql.run(`INSERT OR IGNORE INTO namespaces (name, created_at) VALUES (?, ?)`, options.namespace, now);
      this.#sql.run(
        `INSERT INTO repos (id, namespace, name, description, default_branch, read_only, status, created_at, updated_at, parent_id, source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        id, options.namespace, options.name, options.description ?? '', defaultBranch, options.readOnly === true ? 1 : 0,
        options.status ?? 'ready', now, now, parentId, options.source === undefined ? null : JSON.stringify(options.source),
      );
      // Inside the transaction: if the database cannot be made, the row is not left behind.
      this.#storage.create(id, init);
    });
    return this.get(options.namespace, options.name);
  }

  /** The ids of a repository and its ancestors, the repository first. */
  #chain(id: string): string[] {
    const chain = [id];
    for (let parent = this.#parentOf(id); parent !== null; parent = this.#parentOf(parent)) {
      if (chain.length > MAX_FORK_DEPTH + 1 || chain.includes(parent)) throw new GroveError('INTERNAL', `repository ${id} has a broken chain of parents`);
      chain.push(parent);
    }
    return chain;
  }

  #depth(id: string): number {
    return this.#chain(id).length - 1;
  }

  #parentOf(id: string): string | null {
    const row = this.#sql.query<{ parent_id: string | null }>(
      `SELECT parent_id FROM repos WHERE id = ? UNION ALL SELECT parent_id FROM retained WHERE id = ?`, id, id,
    )[0];
    return row?.parent_id ?? null;
  }

  #dependents(id: string): number {
    return this.#sql.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM repos WHERE parent_id = ?) + (SELECT count(*) FROM retained WHERE parent_id = ?) AS n`, id, id,
    )[0]!.n;
  }

  /** Drops retained ancestors nothing reads through any more; their ids, for their databases to be removed. */
  #releaseAncestors(parentId: string | null): string[] {
    const doomed: string[] = [];
    let id = parentId;
    while (id !== null) {
      const row = this.#sql.query<{ parent_id: string | null }>(`SELECT parent_id FROM retained WHERE id = ?`, id)[0];
      if (row === undefined || this.#dependents(id) > 0) break;
      this.#sql.run(`DELETE FROM retained WHERE id = ?`, id);
      doomed.push(id);
      id = row.parent_id;
    }
    return doomed;
  }
}

export function assertReady(repo: RepoRecord): void {
  if (repo.status === 'ready') return;
  const why = repo.status === 'importing' ? 'is still importing' : `failed to import: ${repo.statusReason ?? 'unknown reason'}`;
  throw new GroveError('REPO_NOT_READY', `repository ${repo.namespace}/${repo.name} ${why}`, { namespace: repo.namespace, name: repo.name, status: repo.status });
}

function assertBranchName(branch: string): void {
  if (!isValidRefName(`refs/heads/${branch}`)) {
    throw new GroveError('BAD_REF_NAME', `invalid default branch name '${branch.slice(0, 80)}'`, { default_branch: branch.slice(0, 256) });
  }
}

function sortValue(repo: RepoRecord, sort: RepoSort): string | number {
  switch (sort) {
    case 'created_at': return repo.createdAt;
    case 'updated_at': return repo.updatedAt;
    case 'last_push_at': return repo.lastPushAt ?? 0;
    case 'name': return repo.name;
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
    status: row.status,
    statusReason: row.status_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastPushAt: row.last_push_at,
    parentId: row.parent_id,
    source: row.source === null ? null : (JSON.parse(row.source) as RepoSource),
  };
}
