/**
 * Numbered, append-only schema migrations. `meta.schema_version` records how
 * many have been applied; each runs in its own transaction. Every migration
 * list starts by creating the `meta (key, value)` table.
 *
 * A database without `meta` is new: when a baseline is given (a script whose
 * result equals every migration run in order), it is made from that in one
 * transaction, so it never holds the freed pages of tables that later
 * migrations dropped, and costs one commit instead of one per migration.
 */
import type { SqlPort } from './sqlPort.ts';

export interface MigrateOptions {
  /** Creates a new database at version `migrations.length` in one step. */
  baseline?: string;
}

/**
 * @example
 * migrate(sql, [`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`], 'example');
 */
export function migrate(sql: SqlPort, migrations: readonly string[], label: string, options: MigrateOptions = {}): void {
  const hasMeta = sql.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).length > 0;
  if (!hasMeta && options.baseline !== undefined) {
    const baseline = options.baseline;
    sql.transaction(() => {
      sql.script(baseline);
      setVersion(sql, migrations.length);
    });
    return;
  }
  const current = hasMeta
    ? Number(sql.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`)[0]?.value ?? 0)
    : 0;
  if (current > migrations.length) {
    throw new Error(`${label} schema version ${current} is newer than this Grove knows (${migrations.length})`);
  }
  for (let version = current; version < migrations.length; version++) {
    sql.transaction(() => {
      sql.script(migrations[version]!);
      setVersion(sql, version + 1);
    });
  }
}

function setVersion(sql: SqlPort, version: number): void {
  sql.run(`INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)`, String(version));
}
