import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeCodec } from '../runtime/node/codec.ts';
import { openSqlite } from '../runtime/node/sqlite.ts';
import { Repository } from './Repository.ts';
import { SqlPackCache } from './SqlPackCache.ts';
import { CHUNK_BYTES } from './repoSchema.ts';

function fresh(): { sql: ReturnType<typeof openSqlite>; repo: Repository } {
  const sql = openSqlite(':memory:');
  return { sql, repo: new Repository(sql, nodeCodec) };
}

async function read(stream: AsyncIterable<Uint8Array> | undefined): Promise<Buffer | undefined> {
  if (stream === undefined) return undefined;
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

function chunkRows(sql: ReturnType<typeof openSqlite>): number {
  return sql.query<{ n: number }>('SELECT count(*) AS n FROM pack_cache_chunks')[0]!.n;
}

describe('SqlPackCache', () => {
  it('stores a pack in 1 MiB chunks and streams it back byte for byte', async () => {
    const { sql, repo } = fresh();
    const pack = randomBytes(2 * CHUNK_BYTES + 12345);
    const writer = repo.packCache.begin('clone')!;
    for (let at = 0; at < pack.length; at += 70_001) writer.write(pack.subarray(at, at + 70_001));
    expect(await read(repo.packCache.open('clone'))).toBeUndefined(); // not before commit
    writer.commit();
    expect((await read(repo.packCache.open('clone')))!.equals(pack)).toBe(true);
    const sizes = sql.query<{ n: number }>('SELECT length(data) AS n FROM pack_cache_chunks ORDER BY seq').map((r) => r.n);
    expect(sizes).toEqual([CHUNK_BYTES, CHUNK_BYTES, 12345]);
  });

  it('stays valid when refs change (its key names what the pack depends on), and records the refs version it was built in', async () => {
    const { sql, repo } = fresh();
    const writer = repo.packCache.begin('clone')!;
    writer.write(new Uint8Array([1, 2, 3]));
    repo.setHead('refs/heads/other');
    writer.commit();
    repo.setHead('refs/heads/main');
    expect(await read(repo.packCache.open('clone'))).toEqual(Buffer.from([1, 2, 3]));
    expect(sql.query('SELECT refs_version FROM pack_cache')).toEqual([{ refs_version: 0 }]); // the state when the build began
  });

  it('lets one build per key run at a time, and forgets an aborted build', async () => {
    const { sql, repo } = fresh();
    const first = repo.packCache.begin('k')!;
    expect(repo.packCache.begin('k')).toBeUndefined();
    first.write(randomBytes(CHUNK_BYTES + 1));
    first.abort();
    expect(chunkRows(sql)).toBe(0);
    expect(repo.packCache.begin('k')).toBeDefined();
  });

  it('keeps the newest entries only', async () => {
    const { sql } = fresh();
    const cache = new SqlPackCache(sql, { maxEntries: 2 });
    for (const key of ['a', 'b', 'c']) {
      const w = cache.begin(key)!;
      w.write(new TextEncoder().encode(key));
      w.commit();
    }
    expect(cache.open('a')).toBeUndefined();
    expect(await read(cache.open('b'))).toEqual(Buffer.from('b'));
    expect(await read(cache.open('c'))).toEqual(Buffer.from('c'));
    expect(chunkRows(sql)).toBe(2);
  });

  it('keeps the chunks a reader is streaming until it finishes, even when the entry is replaced', async () => {
    const { sql, repo } = fresh();
    const pack = randomBytes(20 * CHUNK_BYTES);
    const w = repo.packCache.begin('clone')!;
    w.write(pack);
    w.commit();
    const reader = repo.packCache.open('clone')![Symbol.asyncIterator]();
    const firstPart = await reader.next();
    repo.setHead('refs/heads/x'); // stale now; a rebuild replaces the entry
    const rebuild = repo.packCache.begin('clone')!;
    rebuild.write(new Uint8Array([9]));
    rebuild.commit();
    const rest: Uint8Array[] = [firstPart.value as Uint8Array];
    for (let step = await reader.next(); !step.done; step = await reader.next()) rest.push(step.value);
    expect(Buffer.concat(rest).equals(pack)).toBe(true);
    expect(chunkRows(sql)).toBe(1); // the old chunks went once the reader was done
  });

  it('deletes chunks that no entry points at when the database is opened again', () => {
    const { sql } = fresh();
    sql.run('INSERT INTO pack_cache_chunks (chunk_key, seq, data) VALUES (?, 0, ?)', 'orphan', new Uint8Array([1]));
    new SqlPackCache(sql);
    expect(chunkRows(sql)).toBe(0);
  });
});
