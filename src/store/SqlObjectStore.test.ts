import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPack } from '../../test/support/buildPack.ts';
import { gitBytes, gitText } from '../../test/support/gitBytes.ts';
import { makeRepo, pseudoRandomBytes } from '../../test/support/makeRepo.ts';
import { objectId } from '../../test/support/rawObject.ts';
import { readAllObjects } from '../../test/support/scratchRepo.ts';
import { storageViolations } from '../../test/support/storageRules.ts';
import { indexInto, loadGitRepository, openRepository, type OpenedRepository } from '../../test/support/storeRepo.ts';
import { useTempDir } from '../../test/support/tempDir.ts';
import { isGroveError } from '../errors.ts';
import { ZERO_OID } from '../git/objects/objectId.ts';
import { nodeCodec } from '../runtime/node/codec.ts';
import { SqlObjectStore } from './SqlObjectStore.ts';

const work = useTempDir('grove-objectstore-');
const src = join(work, 'src.git');
let opened: OpenedRepository;
/** Every object of the generated repository, as git reads it. */
let gitAll: { oid: string; type: string; data: Uint8Array }[];

beforeAll(async () => {
  await makeRepo(src);
  gitBytes(['repack', '-a', '-d', '-f', '-q', '--depth=50', '--window=20'], { cwd: src });
  gitAll = readAllObjects(src);
  opened = openRepository();
  await loadGitRepository(opened, src);
});

afterAll(() => {
  opened.close();
});

const absent = ['0123456789abcdef0123456789abcdef01234567', 'ffffffffffffffffffffffffffffffffffffffff', ZERO_OID];

async function expectCode(run: () => Promise<unknown>, code: string): Promise<void> {
  const err = await run().then(() => undefined, (e: unknown) => e);
  expect(isGroveError(err) ? err.code : String(err)).toBe(code);
}

describe('SqlObjectStore', () => {
  it('holds long delta chains (the store under test is not trivial)', () => {
    const [row] = opened.sql.query<{ objects: number; deltas: number; deepest: number }>(
      'SELECT count(*) AS objects, sum(base_oid IS NOT NULL) AS deltas, max(depth) AS deepest FROM objects',
    );
    expect(row!.objects).toBe(gitAll.length);
    expect(row!.objects).toBeGreaterThan(2000);
    expect(row!.deltas).toBeGreaterThan(500);
    expect(row!.deepest).toBeGreaterThan(20);
    expect(storageViolations(opened.sql)).toEqual([]);
  });

  it('readObjects resolves every object, in one call of more than 2000 ids, exactly as git cat-file reads it', async () => {
    const oids = gitAll.map((o) => o.oid);
    const read = await opened.repo.objects.readObjects([...oids, ...absent]);
    expect(read.size).toBe(oids.length);
    for (const object of gitAll) {
      const ours = read.get(object.oid)!;
      expect(ours.type, object.oid).toBe(object.type);
      expect(Buffer.compare(ours.data, object.data), `content of ${object.oid}`).toBe(0);
    }
  });

  it('readObjects gives the same answers with no cache at all, one id at a time, deepest first', async () => {
    const store = new SqlObjectStore(opened.sql, nodeCodec, { cacheBytes: 0 });
    const byDepth = opened.sql.query<{ oid: Uint8Array }>('SELECT oid FROM objects WHERE depth > 0 ORDER BY depth DESC LIMIT 60')
      .map((r) => Buffer.from(r.oid).toString('hex'));
    const git = new Map(gitAll.map((o) => [o.oid, o]));
    for (const oid of byDepth) {
      const ours = (await store.readObjects([oid, oid])).get(oid)!;
      expect(Buffer.compare(ours.data, git.get(oid)!.data), oid).toBe(0);
    }
    // And a fresh store with a cache, asked for a chain top-down then bottom-up.
    const cached = new SqlObjectStore(opened.sql, nodeCodec);
    for (const order of [byDepth, [...byDepth].reverse()]) {
      const read = await cached.readObjects(order);
      for (const oid of order) expect(Buffer.compare(read.get(oid)!.data, git.get(oid)!.data), oid).toBe(0);
    }
  });

  it('has and info answer for present ids only, with git\'s types and sizes and the stored depth', async () => {
    const oids = gitAll.map((o) => o.oid);
    // More than two batches of 2000, with duplicates.
    const asked = [...oids, ...absent, ...oids.slice(0, 2000)];
    expect(asked.length).toBeGreaterThan(4000);
    expect(await opened.repo.objects.has(asked)).toEqual(new Set(oids));
    expect(await opened.repo.objects.has(absent)).toEqual(new Set());
    expect(await opened.repo.objects.has([])).toEqual(new Set());

    const info = await opened.repo.objects.info(asked);
    expect(info.size).toBe(oids.length);
    const depths = new Map(opened.sql.query<{ oid: Uint8Array; depth: number }>('SELECT oid, depth FROM objects')
      .map((r) => [Buffer.from(r.oid).toString('hex'), r.depth]));
    for (const object of gitAll) {
      expect(info.get(object.oid)).toEqual({ oid: object.oid, type: object.type, size: object.data.length, depth: depths.get(object.oid) });
    }
  });

  it('readPacked gives each stored stream with its base, and readCommits every commit with git\'s tree, parents, time and generation', async () => {
    const oids = gitAll.map((o) => o.oid);
    const packed = await opened.repo.objects.readPacked(oids);
    expect(packed.size).toBe(oids.length);
    for (const row of packed.values()) {
      const inflated = nodeCodec.inflate(row.data);
      expect(inflated.length).toBe(row.storedSize);
      if (row.base === null) expect(row.storedSize).toBe(row.size);
      else expect(packed.get(row.base)?.depth, `base of ${row.oid}`).toBe(row.depth - 1);
    }

    // Generation numbers from `git rev-list --parents`, parents before children.
    const generation = new Map<string, number>();
    const lines = gitText(['rev-list', '--all', '--parents', '--topo-order', '--reverse'], { cwd: src }).split('\n');
    for (const line of lines) {
      const [oid, ...parents] = line.split(' ');
      generation.set(oid!, 1 + Math.max(0, ...parents.map((p) => generation.get(p)!)));
    }
    const log = new Map(gitText(['log', '--all', '--format=%H %T %ct %P'], { cwd: src }).split('\n').map((line) => {
      const [oid, tree, time, ...parents] = line.trim().split(' ');
      return [oid!, { oid: oid!, tree: tree!, parents, time: Number(time), generation: generation.get(oid!)! }] as const;
    }));
    expect(log.size).toBe(lines.length);
    expect(Math.max(...generation.values())).toBeGreaterThan(250);

    const trees = gitAll.filter((o) => o.type === 'tree').map((o) => o.oid);
    const commits = await opened.repo.objects.readCommits([...log.keys(), ...trees, ...absent]);
    expect(new Map([...commits].sort())).toEqual(new Map([...log].sort()));
  });

  it('throws INTERNAL when a chunk of a stream is gone, and MISSING_OBJECT when a stored delta\'s base is', async () => {
    const corrupt = openRepository();
    const data = pseudoRandomBytes('chunked', 1.2 * 1024 * 1024);
    const big = objectId('blob', data);
    const { staging } = await indexInto(corrupt, buildPack([{ type: 'blob', data }]).bytes);
    staging.commit([{ name: 'refs/heads/big', old: ZERO_OID, new: big }], [], { atomic: false });
    expect((await corrupt.repo.objects.readPacked([big])).get(big)?.data.length).toBeGreaterThan(1024 * 1024);
    corrupt.sql.run('DELETE FROM object_chunks WHERE oid = unhex(?)', big);
    await expectCode(() => corrupt.repo.objects.readPacked([big]), 'INTERNAL');
    await expectCode(() => new SqlObjectStore(corrupt.sql, nodeCodec).readObjects([big]), 'INTERNAL');

    // A copy of one delta row, without its base.
    const delta = opened.sql.query<{ oid: Uint8Array }>('SELECT oid FROM objects WHERE depth = 1 LIMIT 1')[0]!.oid;
    const columns = 'oid, type, size, base_oid, depth, stored_size, chunks, data';
    const row = opened.sql.query<Record<string, Uint8Array | number>>(`SELECT ${columns} FROM objects WHERE oid = ?`, delta)[0]!;
    const copy = openRepository();
    copy.sql.run(`INSERT INTO objects (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, ...columns.split(', ').map((c) => row[c]!));
    const oid = Buffer.from(delta).toString('hex');
    expect((await copy.repo.objects.info([oid])).size).toBe(1);
    await expectCode(() => copy.repo.objects.readObjects([oid]), 'MISSING_OBJECT');
    corrupt.close();
    copy.close();
  });
});
