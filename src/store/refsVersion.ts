/**
 * A counter in `meta.refs_version` that every ref change increments, inside
 * the transaction that makes the change: anything derived from the refs (a
 * cached pack) records the version it was derived from and is stale once the
 * counter has moved.
 */
import type { SqlPort } from './sqlPort.ts';

export function readRefsVersion(sql: SqlPort): number {
  return Number(sql.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'refs_version'`)[0]?.value ?? 0);
}

export function bumpRefsVersion(sql: SqlPort): void {
  sql.run(`UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'refs_version'`);
}
