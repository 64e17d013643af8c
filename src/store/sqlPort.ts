/**
 * The synchronous SQL port the store is written against. Node's `node:sqlite`
 * and a Durable Object's `ctx.storage.sql` both satisfy it (src/runtime/*).
 * Synchronous on purpose: a transaction is a callback that cannot await, so
 * no other request can interleave with it.
 */
export type SqlValue = null | number | bigint | string | Uint8Array;
export type SqlRow = Record<string, SqlValue>;

export interface SqlPort {
  /** Runs one statement and returns its rows (none for statements without results). */
  query<T extends object = SqlRow>(sql: string, ...params: SqlValue[]): T[];
  /** Runs one statement for its effect; returns the number of rows it changed. */
  run(sql: string, ...params: SqlValue[]): number;
  /** Runs a script of several statements without parameters (migrations). */
  script(sql: string): void;
  /** Runs `fn` in a transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(fn: () => T): T;
}
