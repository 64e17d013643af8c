import { describe, expect, it } from 'vitest';
import { openSqlite } from '../runtime/node/sqlite.ts';
import { migrate } from './migrate.ts';
import type { SqlPort } from './sqlPort.ts';

const MIGRATIONS = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
   CREATE TABLE a (x INTEGER);`,
  `CREATE TABLE scratch (y INTEGER); INSERT INTO a VALUES (1);`,
  `DROP TABLE scratch; CREATE TABLE b (z INTEGER);`,
];
const BASELINE = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE a (x INTEGER);
  INSERT INTO a VALUES (1);
  CREATE TABLE b (z INTEGER);
`;

function tables(sql: SqlPort): string[] {
  return sql.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).map((r) => r.name);
}

function version(sql: SqlPort): string | undefined {
  return sql.query<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`)[0]?.value;
}

/** Counts the transactions `sql` is asked for. */
function counting(sql: SqlPort): { sql: SqlPort; transactions: () => number } {
  let n = 0;
  return {
    sql: {
      ...sql,
      transaction: (fn) => {
        n++;
        return sql.transaction(fn);
      },
    },
    transactions: () => n,
  };
}

describe('migrate', () => {
  it('makes a new database from the baseline, in one transaction, at the last version', () => {
    const db = openSqlite(':memory:');
    const { sql, transactions } = counting(db);
    migrate(sql, MIGRATIONS, 'test', { baseline: BASELINE });
    expect(transactions()).toBe(1);
    expect(tables(db)).toEqual(['a', 'b', 'meta']);
    expect(version(db)).toBe('3');
    expect(db.query('SELECT x FROM a')).toEqual([{ x: 1 }]);
    migrate(sql, MIGRATIONS, 'test', { baseline: BASELINE }); // current: nothing to do
    expect(transactions()).toBe(1);
    db.close();
  });

  it('brings an existing database up by the migrations it lacks, one transaction each, and never uses the baseline', () => {
    const db = openSqlite(':memory:');
    migrate(db, MIGRATIONS.slice(0, 2), 'test');
    expect(tables(db)).toEqual(['a', 'meta', 'scratch']);
    expect(version(db)).toBe('2');
    const { sql, transactions } = counting(db);
    migrate(sql, MIGRATIONS, 'test', { baseline: 'CREATE TABLE never (x);' });
    expect(transactions()).toBe(1);
    expect(tables(db)).toEqual(['a', 'b', 'meta']);
    expect(version(db)).toBe('3');
    db.close();
  });

  it('without a baseline, makes a new database by running every migration', () => {
    const db = openSqlite(':memory:');
    const { sql, transactions } = counting(db);
    migrate(sql, MIGRATIONS, 'test');
    expect(transactions()).toBe(3);
    expect(tables(db)).toEqual(['a', 'b', 'meta']);
    expect(version(db)).toBe('3');
    db.close();
  });

  it('keeps the version of the last migration that succeeded when one fails', () => {
    const db = openSqlite(':memory:');
    expect(() => migrate(db, [...MIGRATIONS, 'CREATE TABLE c (x); SELECT * FROM missing;'], 'test')).toThrow(/missing/);
    expect(version(db)).toBe('3');
    expect(tables(db)).toEqual(['a', 'b', 'meta']);
    db.close();
  });

  it('refuses a database newer than the migrations it knows', () => {
    const db = openSqlite(':memory:');
    migrate(db, MIGRATIONS, 'test');
    expect(() => migrate(db, MIGRATIONS.slice(0, 2), 'test', { baseline: BASELINE })).toThrow(/test schema version 3 is newer than this Grove knows \(2\)/);
    db.close();
  });
});
