/**
 * Batched lookups by object id. Ids travel to SQLite as one JSON array of hex
 * strings (`json_each` + `unhex`), so a batch costs one statement and one
 * bound parameter whatever its size — Durable Objects cap bound parameters.
 */
import type { SqlPort, SqlValue } from './sqlPort.ts';
import type { Oid } from '../git/objects/objectId.ts';

const BATCH = 2000;

/** The SQL fragment to use after `IN`: matches the ids bound as one parameter. */
export const OIDS_PARAM = '(SELECT unhex(value) FROM json_each(?))';

/**
 * Runs `sql` (which must contain `OIDS_PARAM` once, as the last parameter)
 * for batches of `oids`, concatenating the rows.
 */
export function queryByOids<T extends object>(sql: SqlPort, statement: string, oids: readonly Oid[], ...params: SqlValue[]): T[] {
  if (oids.length === 0) return [];
  if (oids.length <= BATCH) return sql.query<T>(statement, ...params, JSON.stringify(oids));
  const rows: T[] = [];
  for (let i = 0; i < oids.length; i += BATCH) {
    for (const row of sql.query<T>(statement, ...params, JSON.stringify(oids.slice(i, i + BATCH)))) rows.push(row);
  }
  return rows;
}
