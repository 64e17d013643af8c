import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { beforeAll, describe, expect, it } from 'vitest';
import { gitBytes, gitText } from '../../test/support/gitBytes.ts';
import { makeRepo, pseudoRandomBytes } from '../../test/support/makeRepo.ts';
import { stagedRows, storageViolations } from '../../test/support/storageRules.ts';
import { gitRefs, loadGitRepository, openRepository, packObjects, pushPack, revListObjects } from '../../test/support/storeRepo.ts';
import { useTempDir } from '../../test/support/tempDir.ts';
import { writePack } from '../git/pack/writePack.ts';
import { enumerateObjects } from '../git/walk/enumerateObjects.ts';
import { nodeCodec } from '../runtime/node/codec.ts';
import { openSqlite } from '../runtime/node/sqlite.ts';
import { migrate } from './migrate.ts';
import { REPO_MIGRATIONS, SCHEMA_VERSION, migrateRepoSchema } from './repoSchema.ts';
import { Repository } from './Repository.ts';
import type { SqlPort, SqlRow } from './sqlPort.ts';

const work = useTempDir('grove-schema-');
const PAGE = 4096;

/** Whitespace is not schema: SQLite keeps each statement's text as written (and splices ALTER TABLE ADD COLUMN in). */
const normalize = (sql: string): string => sql.replace(/\s+/g, ' ').replace(/ ?([(),]) ?/g, '$1').trim();

/** Everything a schema is: sqlite_master, each table's columns, kind and indexes (with their columns), and `meta`. */
function schemaOf(sql: SqlPort): unknown {
  const master = sql.query<{ type: string; name: string; tbl_name: string; sql: string | null }>(
    `SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name`,
  ).map((r) => ({ ...r, sql: r.sql === null ? null : normalize(r.sql) }));
  const tables = master.filter((r) => r.type === 'table').map((t) => ({
    name: t.name,
    kind: sql.query(`SELECT type, ncol, wr, strict FROM pragma_table_list(?)`, t.name),
    columns: sql.query(`SELECT * FROM pragma_table_xinfo(?)`, t.name),
    indexes: sql.query<{ name: string }>(`SELECT * FROM pragma_index_list(?) ORDER BY name`, t.name).map((i) => ({
      ...i,
      seq: undefined,
      columns: sql.query(`SELECT * FROM pragma_index_xinfo(?)`, i.name),
    })),
  }));
  return { master, tables, meta: sql.query(`SELECT key, value FROM meta ORDER BY key`) };
}

describe('repository schema', () => {
  it('makes a new repository in at most 15 pages of 4 KiB, none of them free', () => {
    const file = join(work, 'new.sqlite');
    const sql = openSqlite(file);
    new Repository(sql, nodeCodec).setHead('refs/heads/main');
    sql.close();
    expect(statSync(file).size).toBeLessThanOrEqual(15 * PAGE);
    const db = new DatabaseSync(file, { readOnly: true });
    expect(db.prepare('PRAGMA page_size').get()).toEqual({ page_size: PAGE });
    expect(db.prepare('PRAGMA freelist_count').get()).toEqual({ freelist_count: 0 });
    db.close();
  });

  it('is the same made from the baseline as made by migration 1, then each of the others', () => {
    const fresh = openSqlite(':memory:');
    migrateRepoSchema(fresh);
    const stepwise = openSqlite(':memory:');
    for (let version = 1; version <= REPO_MIGRATIONS.length; version++) migrate(stepwise, REPO_MIGRATIONS.slice(0, version), 'repository');
    expect(schemaOf(fresh)).toEqual(schemaOf(stepwise));
    expect(fresh.query(`SELECT value FROM meta WHERE key = 'schema_version'`)).toEqual([{ value: String(SCHEMA_VERSION) }]);
    fresh.close();
    stepwise.close();
  });
});

describe('a repository made at schema version 3', () => {
  const src = join(work, 'src.git');
  let big: { blob: string; tip: string };

  /** A commit of `files` (flat tree) with `parents`, written with git plumbing. */
  function gitCommit(files: Record<string, Uint8Array | string>, parents: string[], message: string): string {
    const entries = Object.entries(files).map(([name, content]) => {
      const oid = gitText(['hash-object', '-w', '--stdin'], { cwd: src, input: content });
      return `100644 blob ${oid}\t${name}`;
    });
    const tree = gitText(['mktree'], { cwd: src, input: `${entries.join('\n')}\n` });
    return gitText(['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', message], { cwd: src });
  }

  /** Copies every row of `table` from `from` into `to` (same columns in both). */
  function copyRows(from: SqlPort, to: SqlPort, table: string): void {
    for (const row of from.query<SqlRow>(`SELECT * FROM ${table}`)) {
      const columns = Object.keys(row);
      to.run(`INSERT OR REPLACE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, ...Object.values(row));
    }
  }

  beforeAll(async () => {
    await makeRepo(src, { commits: 30 });
  });

  it('is migrated when opened, keeps its content, and takes a push and a clone', async () => {
    // The content as pushed before the staging tables changed: the tables it lives in did not.
    const file = join(work, 'v3.sqlite');
    const filled = openRepository();
    await loadGitRepository(filled, src);
    const v3 = openSqlite(file);
    migrate(v3, REPO_MIGRATIONS.slice(0, 3), 'repository');
    v3.transaction(() => {
      for (const table of ['meta', 'objects', 'object_chunks', 'commits', 'commit_objects', 'refs']) copyRows(filled.sql, v3, table);
      v3.run(`UPDATE meta SET value = '3' WHERE key = 'schema_version'`);
      // Staging left by a process that died mid-push, in the old layout.
      v3.run(`INSERT INTO incoming (push_id, seq, pack_offset, stored_size, chunks, data) VALUES (1, 0, 12, 3, 2, x'01')`);
      v3.run(`INSERT INTO incoming_chunks (push_id, seq, chunk, data) VALUES (1, 0, 1, x'02')`);
    });
    filled.close();
    expect(v3.query(`SELECT value FROM meta WHERE key = 'schema_version'`)).toEqual([{ value: '3' }]);
    v3.close();

    const sql = openSqlite(file);
    const repo = new Repository(sql, nodeCodec);
    expect(sql.query(`SELECT value FROM meta WHERE key = 'schema_version'`)).toEqual([{ value: String(SCHEMA_VERSION) }]);
    expect(stagedRows(sql)).toBe(0);
    expect(storageViolations(sql)).toEqual([]);
    const refs = gitRefs(src);
    expect(new Map(repo.listRefsSync().filter((r) => r.name !== 'HEAD').map((r) => [r.name, r.oid]))).toEqual(refs);

    // A push (thin, with a blob stored in chunks) on top of main.
    const main = refs.get('refs/heads/main')!;
    const content = pseudoRandomBytes('migrated big blob', 2.5 * 1024 * 1024);
    const withBlob = gitCommit({ 'big.bin': content }, [main], 'big');
    big = { blob: gitText(['rev-parse', `${withBlob}:big.bin`], { cwd: src }), tip: gitCommit({ 'big.bin': content, 'small.txt': 'small\n' }, [withBlob], 'small') };
    const target = { objects: repo.objects, refs: repo, codec: nodeCodec, beginPush: () => repo.beginPush() };
    const report = await pushPack(target, packObjects(src, [big.tip, `^${main}`], { thin: true }), [{ name: 'refs/heads/main', old: main, new: big.tip }]);
    expect(report).toMatchObject({ unpack: 'ok', refs: [{ name: 'refs/heads/main', ok: true }] });
    expect(sql.query<{ chunks: number }>(`SELECT chunks FROM objects WHERE oid = unhex(?)`, big.blob)).toEqual([{ chunks: 3 }]);
    expect(stagedRows(sql)).toBe(0);
    expect(storageViolations(sql)).toEqual([]);

    // A clone of every ref: the pack git indexes holds exactly what git's rev-list lists.
    const wants = [...new Set(repo.listRefsSync().flatMap((r) => (r.name === 'HEAD' || r.oid === null ? [] : [r.oid])))];
    const { oids } = await enumerateObjects(repo.objects, { wants, haves: [] });
    expect(new Set(oids)).toEqual(revListObjects(src, wants));
    const parts: Uint8Array[] = [];
    for await (const part of writePack(repo.objects, nodeCodec, oids, { ofsDelta: true })) parts.push(part);
    const clone = join(work, 'clone.git');
    gitBytes(['init', '-q', '--bare', clone]);
    gitText(['index-pack', '--stdin', '--strict'], { cwd: clone, input: Buffer.concat(parts) });
    for (const r of repo.listRefsSync()) if (r.name !== 'HEAD') gitText(['update-ref', r.name, r.oid!], { cwd: clone });
    gitText(['fsck', '--strict', '--no-dangling'], { cwd: clone });
    expect(gitText(['rev-list', '--objects', '--all'], { cwd: clone }).split('\n').sort())
      .toEqual(gitText(['rev-list', '--objects', ...wants], { cwd: src }).split('\n').sort());
    sql.close();
  });
});
