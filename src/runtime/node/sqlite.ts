import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqlPort, SqlValue } from '../../store/sqlPort.ts';
import { GroveError } from '../../errors.ts';

/** A SqlPort over one node:sqlite database file, with a cache of prepared statements. */
export interface NodeSqlite extends SqlPort {
  close(): void;
}

/**
 * Opens (or creates) a database in WAL mode. With `unjournaled`, writes go
 * straight to the file with no journal and no sync: only for a file nobody
 * else can see yet (a database being built), which is switched to WAL before
 * it is closed.
 */
export function openSqlite(path: string, options: { unjournaled?: boolean } = {}): NodeSqlite {
  const db = new DatabaseSync(path);
  db.exec(options.unjournaled === true
    ? 'PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = ON;'
    : 'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
  const statements = new Map<string, StatementSync>();
  let depth = 0;

  function prepare(sql: string): StatementSync {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = wrap(sql, [], () => db.prepare(sql));
      statements.set(sql, statement);
    }
    return statement;
  }

  return {
    query<T extends object>(sql: string, ...params: SqlValue[]): T[] {
      const statement = prepare(sql);
      return wrap(sql, params, () => statement.all(...params) as T[]);
    },
    run(sql: string, ...params: SqlValue[]): number {
      const statement = prepare(sql);
      return wrap(sql, params, () => Number(statement.run(...params).changes));
    },
    script(sql: string): void {
      wrap(sql, [], () => db.exec(sql));
    },
    transaction<T>(fn: () => T): T {
      const savepoint = `sp${depth}`;
      db.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
      depth++;
      try {
        const result = fn();
        depth--;
        db.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
        return result;
      } catch (err) {
        depth--;
        db.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
        throw err;
      }
    },
    close(): void {
      statements.clear();
      db.close();
    },
  };
}

/** Runs a SQLite call, wrapping its failure with the statement (and keeping the original as `cause`). */
function wrap<T>(sql: string, params: SqlValue[], call: () => T): T {
  try {
    return call();
  } catch (err) {
    if ((err as { name?: unknown }).name === 'GroveError') throw err;
    const shown = params.map((p) => (p instanceof Uint8Array ? `<${p.length} bytes>` : p));
    throw new GroveError('INTERNAL', `SQLite: ${(err as Error).message}`, { sql, params: shown.map(String) }, { cause: err });
  }
}
