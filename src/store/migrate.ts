/**
 * Numbered, append-only schema migrations. `meta.schema_version` records how
 * many have been applied; each runs in its own transaction. Every migration
 * list starts by creating the `meta (key, value)` table.
 */
import type { SqlPort } from './sqlPort.ts';

export function migrate(sql: SqlPort, migrations: readonly string[], label: string): void {
  const hasMeta = sql.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).length > 0;
  const current = hasMeta
    ? Number(sql.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`)[0]?.value ?? 0)
    : 0;
  if (current > migrations.length) {
    throw new Error(`${label} schema version ${current} is newer than this Grove knows (${migrations.length})`);
  }
  for (let version = current; version < migrations.length; version++) {
    sql.transaction(() => {
      sql.script(migrations[version]!);
      sql.run(`INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)`, String(version + 1));
    });
  }
}
