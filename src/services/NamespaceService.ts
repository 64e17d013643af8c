/**
 * Namespaces: the top-level containers of repositories. The first repository
 * made in a namespace creates it; it can also be created, listed and deleted
 * on its own (deleting one that holds repositories needs `force`).
 */
import { GroveError } from '../errors.ts';
import type { SqlPort } from '../store/sqlPort.ts';
import { decodeCursor, pageOf } from './cursor.ts';
import { assertName } from './names.ts';
import type { RepoService } from './RepoService.ts';

export interface NamespaceRecord {
  name: string;
  createdAt: number;
  repoCount: number;
}

interface NamespaceRow {
  name: string;
  created_at: number;
  repo_count: number;
}

const SELECT = `SELECT n.name, n.created_at, (SELECT count(*) FROM repos r WHERE r.namespace = n.name) AS repo_count FROM namespaces n`;

export class NamespaceService {
  readonly #sql: SqlPort;
  readonly #repos: RepoService;
  readonly #now: () => number;

  constructor(sql: SqlPort, repos: RepoService, options: { now?: () => number } = {}) {
    this.#sql = sql;
    this.#repos = repos;
    this.#now = options.now ?? Date.now;
  }

  create(name: string): NamespaceRecord {
    assertName('namespace', name);
    const inserted = this.#sql.run(`INSERT OR IGNORE INTO namespaces (name, created_at) VALUES (?, ?)`, name, this.#now());
    if (inserted === 0) throw new GroveError('ALREADY_EXISTS', `namespace ${name} already exists`, { namespace: name });
    return this.get(name);
  }

  find(name: string): NamespaceRecord | null {
    const row = this.#sql.query<NamespaceRow>(`${SELECT} WHERE n.name = ?`, name)[0];
    return row === undefined ? null : toRecord(row);
  }

  get(name: string): NamespaceRecord {
    const ns = this.find(name);
    if (ns === null) throw new GroveError('NOT_FOUND', `namespace ${name} does not exist`, { namespace: name });
    return ns;
  }

  /** Namespaces by name. */
  list(options: { limit: number; cursor?: string }): { namespaces: NamespaceRecord[]; nextCursor: string | null } {
    const after = options.cursor === undefined ? null : decodeCursor(options.cursor, ['string'])[0]!;
    const rows = this.#sql.query<NamespaceRow>(
      `${SELECT} ${after === null ? '' : 'WHERE n.name > ?'} ORDER BY n.name LIMIT ?`,
      ...(after === null ? [] : [after]), options.limit + 1,
    );
    const page = pageOf(rows.map(toRecord), options.limit, (ns) => [ns.name]);
    return { namespaces: page.items, nextCursor: page.nextCursor };
  }

  /** Deletes the namespace; with `force`, its repositories first (else NAMESPACE_NOT_EMPTY). */
  delete(name: string, options: { force?: boolean } = {}): void {
    const ns = this.get(name);
    if (ns.repoCount > 0 && options.force !== true) {
      throw new GroveError('NAMESPACE_NOT_EMPTY', `namespace ${name} holds ${ns.repoCount} repositor${ns.repoCount === 1 ? 'y' : 'ies'}: delete them first, or pass force=true`, { namespace: name, repo_count: ns.repoCount });
    }
    // Bounded: each pass deletes a page; a namespace cannot grow faster than it is emptied here.
    for (let pass = 0; pass < 1_000_000; pass++) {
      const { repos } = this.#repos.list(name, { limit: 200, sort: 'name', direction: 'asc' });
      if (repos.length === 0) break;
      for (const repo of repos) this.#repos.delete(repo);
    }
    this.#sql.run(`DELETE FROM namespaces WHERE name = ? AND NOT EXISTS (SELECT 1 FROM repos WHERE namespace = ?)`, name, name);
  }
}

function toRecord(row: NamespaceRow): NamespaceRecord {
  return { name: row.name, createdAt: row.created_at, repoCount: row.repo_count };
}
