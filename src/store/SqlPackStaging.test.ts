import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPack, type EntrySpec } from '../../test/support/buildPack.ts';
import { diffDelta } from '../../test/support/deltaBytes.ts';
import { gitBytes, gitText } from '../../test/support/gitBytes.ts';
import { listPack } from '../../test/support/listPack.ts';
import { makeRepo, pseudoRandomBytes } from '../../test/support/makeRepo.ts';
import { objectId } from '../../test/support/rawObject.ts';
import { repositoryTables, stagedRows, storageViolations } from '../../test/support/storageRules.ts';
import { commitInfos, gitObjects, indexInto, openRepository, packObjects, revListObjects, storedOids, type OpenedRepository } from '../../test/support/storeRepo.ts';
import { useTempDir } from '../../test/support/tempDir.ts';
import { isGroveError } from '../errors.ts';
import { indexPack } from '../git/pack/indexPack.ts';
import type { RefUpdate, RefUpdateResult, Resolution } from '../git/staging.ts';
import { ZERO_OID } from '../git/objects/objectId.ts';
import { nodeCodec } from '../runtime/node/codec.ts';
import { Repository } from './Repository.ts';
import type { SqlPort } from './sqlPort.ts';

const MiB = 1024 * 1024;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const work = useTempDir('grove-staging-');
/** A generated repository: `main` is a chain of 12 commits. */
const src = join(work, 'src.git');
/** A repository whose commits carry a 2.5 MiB incompressible blob. */
const bigRepo = join(work, 'big.git');
let big: { blob: string; first: string; second: string };
/** `main~n` of `src`. */
const c = (n: number): string => commitsOfMain[n]!;
let commitsOfMain: string[];

/** A commit of `files` (flat tree) with `parents`, written with git plumbing. */
function gitCommit(dir: string, files: Record<string, Uint8Array | string>, parents: string[], message: string): string {
  const entries = Object.entries(files).map(([name, content]) => {
    const oid = gitText(['hash-object', '-w', '--stdin'], { cwd: dir, input: content });
    return `100644 blob ${oid}\t${name}`;
  });
  const tree = gitText(['mktree'], { cwd: dir, input: `${entries.join('\n')}\n` });
  return gitText(['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', message], { cwd: dir });
}

beforeAll(async () => {
  await makeRepo(src, { commits: 12 });
  commitsOfMain = gitText(['rev-list', '--first-parent', 'main'], { cwd: src }).split('\n');
  gitBytes(['init', '-q', '--bare', bigRepo]);
  const content = pseudoRandomBytes('staging big blob', 2.5 * MiB);
  const first = gitCommit(bigRepo, { 'big.bin': content }, [], 'big');
  const second = gitCommit(bigRepo, { 'big.bin': content, 'small.txt': 'small\n' }, [first], 'small');
  big = { blob: gitText(['rev-parse', `${first}:big.bin`], { cwd: bigRepo }), first, second };
});

/** Indexes a git pack of `revs` (from `dir`) into `opened` and commits it with `updates`. */
async function push(opened: OpenedRepository, revs: string[], updates: RefUpdate[], atomic = false, dir = src): Promise<RefUpdateResult[]> {
  const { staging, indexed } = await indexInto(opened, packObjects(dir, revs));
  return staging.commit(updates, await commitInfos(opened.repo.objects, indexed.commits), { atomic });
}

function refOf(opened: OpenedRepository, name: string): string | null | undefined {
  return opened.repo.listRefsSync().find((r) => r.name === name)?.oid;
}

/** The repository holding `main` → main~9 (so main~8.. are new to it). */
async function seeded(): Promise<OpenedRepository> {
  const opened = openRepository();
  expect(await push(opened, [c(9)], [{ name: 'refs/heads/main', old: ZERO_OID, new: c(9) }])).toEqual([{ name: 'refs/heads/main', ok: true }]);
  return opened;
}

function objectRow(opened: OpenedRepository, oid: string): { chunks: number; data: number; depth: number; base: string | null } | undefined {
  const row = opened.sql.query<{ chunks: number; data: Uint8Array; depth: number; base_oid: Uint8Array | null }>(
    'SELECT chunks, data, depth, base_oid FROM objects WHERE oid = unhex(?)', oid,
  )[0];
  return row === undefined ? undefined : { chunks: row.chunks, data: row.data.length, depth: row.depth, base: row.base_oid === null ? null : hex(row.base_oid) };
}

function chunkSizes(opened: OpenedRepository, oid: string): number[] {
  return opened.sql.query<{ data: Uint8Array }>('SELECT data FROM object_chunks WHERE oid = unhex(?) ORDER BY seq', oid).map((r) => r.data.length);
}

describe('SqlPackStaging.commit', () => {
  it('moves the staged objects and the commits rows into the repository and updates the refs', async () => {
    const opened = openRepository();
    const results = await push(opened, [c(4)], [
      { name: 'refs/heads/main', old: ZERO_OID, new: c(4) },
      { name: 'refs/heads/old', old: ZERO_OID, new: c(7) },
    ]);
    expect(results).toEqual([{ name: 'refs/heads/main', ok: true }, { name: 'refs/heads/old', ok: true }]);
    expect(new Set(storedOids(opened))).toEqual(revListObjects(src, [c(4)]));
    expect(opened.repo.listRefsSync()).toEqual([
      { name: 'HEAD', oid: c(4), target: 'refs/heads/main' },
      { name: 'refs/heads/main', oid: c(4) },
      { name: 'refs/heads/old', oid: c(7) },
    ]);
    const generations = await opened.repo.objects.readCommits(commitsOfMain.slice(4));
    expect(commitsOfMain.slice(4).map((oid) => generations.get(oid)?.generation)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(stagedRows(opened.sql)).toBe(0);
    expect(storageViolations(opened.sql)).toEqual([]);
    opened.close();
  });

  it('writes objects and refs in one transaction: a failure while writing a ref leaves the repository as it was', async () => {
    const opened = await seeded();
    const before = repositoryTables(opened.sql);
    let refWrites = 0;
    const failing: SqlPort = {
      query: (s, ...p) => opened.sql.query(s, ...p),
      run: (s, ...p) => {
        if (s.includes('INTO refs') && ++refWrites === 2) throw new Error('disk full (injected)');
        return opened.sql.run(s, ...p);
      },
      script: (s) => opened.sql.script(s),
      transaction: (fn) => opened.sql.transaction(fn),
    };
    const repo = new Repository(failing, nodeCodec);
    const staging = repo.beginPush();
    const pack = packObjects(src, [c(2), `^${c(9)}`]);
    const indexed = await indexPack((async function* () { yield pack; })(), nodeCodec, staging, repo.objects);
    const commits = await commitInfos(repo.objects, indexed.commits);
    expect(() => staging.commit([
      { name: 'refs/heads/main', old: c(9), new: c(2) },
      { name: 'refs/heads/next', old: ZERO_OID, new: c(3) },
    ], commits, { atomic: false })).toThrow(/injected/);
    expect(refWrites).toBe(2);
    expect(repositoryTables(opened.sql)).toBe(before);
    expect(stagedRows(opened.sql)).toBe(0);
    opened.close();
  });

  it('compares and swaps: a stale old value, a create of an existing ref and an update of HEAD are refused; deleting a ref already gone is ok', async () => {
    const opened = await seeded();
    await push(opened, [c(8)], [{ name: 'refs/heads/gone-soon', old: ZERO_OID, new: c(8) }]);
    const results = await push(opened, [c(5), `^${c(8)}`], [
      { name: 'refs/heads/main', old: c(8), new: c(5) }, // stale: main is at main~9
      { name: 'refs/heads/gone-soon', old: ZERO_OID, new: c(5) }, // exists
      { name: 'HEAD', old: c(9), new: c(5) }, // symbolic
      { name: 'refs/heads/never-was', old: c(7), new: ZERO_OID }, // already gone: what the pusher wanted
      { name: 'refs/heads/new', old: ZERO_OID, new: c(5) },
    ]);
    expect(results).toEqual([
      { name: 'refs/heads/main', ok: false, reason: 'failed to update ref: stale old value' },
      { name: 'refs/heads/gone-soon', ok: false, reason: 'reference already exists' },
      { name: 'HEAD', ok: false, reason: 'refusing to update a symbolic ref' },
      { name: 'refs/heads/never-was', ok: true },
      { name: 'refs/heads/new', ok: true },
    ]);
    expect(refOf(opened, 'refs/heads/main')).toBe(c(9));
    expect(refOf(opened, 'refs/heads/gone-soon')).toBe(c(8));
    expect(refOf(opened, 'refs/heads/new')).toBe(c(5));
    expect(refOf(opened, 'refs/heads/never-was')).toBeUndefined();

    // A right old value updates; a delete with the right old value removes.
    const staging = opened.repo.beginPush();
    expect(staging.commit([
      { name: 'refs/heads/main', old: c(9), new: c(5) },
      { name: 'refs/heads/gone-soon', old: c(8), new: ZERO_OID },
      { name: 'refs/heads/new', old: c(6), new: ZERO_OID }, // wrong old value: refused
    ], [], { atomic: false })).toEqual([
      { name: 'refs/heads/main', ok: true },
      { name: 'refs/heads/gone-soon', ok: true },
      { name: 'refs/heads/new', ok: false, reason: 'failed to update ref: stale old value' },
    ]);
    expect(refOf(opened, 'refs/heads/main')).toBe(c(5));
    expect(refOf(opened, 'refs/heads/gone-soon')).toBeUndefined();
    expect(storageViolations(opened.sql)).toEqual([]);
    opened.close();
  });

  it('checks the old value when it commits: of two pushes from the same old value, the second loses', async () => {
    const opened = await seeded();
    const first = await indexInto(opened, packObjects(src, [c(5), `^${c(9)}`]));
    const second = await indexInto(opened, packObjects(src, [c(3), `^${c(9)}`]));
    const secondCommits = await commitInfos(opened.repo.objects, second.indexed.commits);
    expect(first.staging.commit([{ name: 'refs/heads/main', old: c(9), new: c(5) }], await commitInfos(opened.repo.objects, first.indexed.commits), { atomic: false }))
      .toEqual([{ name: 'refs/heads/main', ok: true }]);
    const before = repositoryTables(opened.sql);
    expect(second.staging.commit([{ name: 'refs/heads/main', old: c(9), new: c(3) }], secondCommits, { atomic: false }))
      .toEqual([{ name: 'refs/heads/main', ok: false, reason: 'failed to update ref: stale old value' }]);
    expect(repositoryTables(opened.sql)).toBe(before);
    expect((await opened.repo.objects.has([c(3), c(4)])).size).toBe(0);
    expect(stagedRows(opened.sql)).toBe(0);
    opened.close();
  });

  it('with atomic, refuses every update when one fails and stores nothing', async () => {
    const opened = await seeded();
    const before = repositoryTables(opened.sql);
    const results = await push(opened, [c(2), `^${c(9)}`], [
      { name: 'refs/heads/feature', old: ZERO_OID, new: c(2) },
      { name: 'refs/heads/main', old: c(3), new: c(2) },
    ], true);
    expect(results).toEqual([
      { name: 'refs/heads/feature', ok: false, reason: 'atomic push failure' },
      { name: 'refs/heads/main', ok: false, reason: 'failed to update ref: stale old value' },
    ]);
    expect(repositoryTables(opened.sql)).toBe(before);
    expect(stagedRows(opened.sql)).toBe(0);
    opened.close();
  });

  it('without atomic, stores nothing when every update is refused, and the objects when one succeeds', async () => {
    const opened = await seeded();
    const before = repositoryTables(opened.sql);
    expect(await push(opened, [c(2), `^${c(9)}`], [
      { name: 'refs/heads/main', old: ZERO_OID, new: c(2) },
      { name: 'refs/heads/other', old: c(3), new: c(2) },
    ])).toEqual([
      { name: 'refs/heads/main', ok: false, reason: 'reference already exists' },
      { name: 'refs/heads/other', ok: false, reason: 'failed to update ref: stale old value' },
    ]);
    expect(repositoryTables(opened.sql)).toBe(before);
    expect(stagedRows(opened.sql)).toBe(0);

    expect(await push(opened, [c(2), `^${c(9)}`], [
      { name: 'refs/heads/main', old: ZERO_OID, new: c(2) },
      { name: 'refs/heads/other', old: ZERO_OID, new: c(2) },
    ])).toEqual([
      { name: 'refs/heads/main', ok: false, reason: 'reference already exists' },
      { name: 'refs/heads/other', ok: true },
    ]);
    expect(new Set(storedOids(opened))).toEqual(revListObjects(src, [c(2)]));
    expect(refOf(opened, 'refs/heads/main')).toBe(c(9));
    expect(storageViolations(opened.sql)).toEqual([]);
    opened.close();
  });
});

describe('SqlPackStaging, several pushes', () => {
  it('keeps two pushes staged at the same time apart (rule 10)', async () => {
    const opened = await seeded();
    const [one, two] = await Promise.all([
      indexInto(opened, packObjects(src, [c(5), `^${c(9)}`])),
      indexInto(opened, packObjects(src, [c(7), `^${c(9)}`])),
    ]);
    expect(two!.staging.commit([{ name: 'refs/heads/seven', old: ZERO_OID, new: c(7) }], await commitInfos(opened.repo.objects, two!.indexed.commits), { atomic: false }))
      .toEqual([{ name: 'refs/heads/seven', ok: true }]);
    expect(new Set(storedOids(opened))).toEqual(revListObjects(src, [c(7)]));
    expect(one!.staging.commit([{ name: 'refs/heads/main', old: c(9), new: c(5) }], await commitInfos(opened.repo.objects, one!.indexed.commits), { atomic: false }))
      .toEqual([{ name: 'refs/heads/main', ok: true }]);
    expect(new Set(storedOids(opened))).toEqual(revListObjects(src, [c(5)]));
    expect(stagedRows(opened.sql)).toBe(0);
    expect(storageViolations(opened.sql)).toEqual([]);
    opened.close();
  });

  it('refuses to commit entries that were never resolved, and discards them', async () => {
    const opened = await seeded();
    const before = repositoryTables(opened.sql);
    const staging = opened.repo.beginPush();
    staging.put({ index: 0, offset: 12, storedSize: 3, compressed: new Uint8Array(deflateSync('abc')), resolution: null });
    expect(staging.read(0).storedSize).toBe(3);
    let err: unknown;
    try {
      staging.commit([{ name: 'refs/heads/x', old: ZERO_OID, new: c(9) }], [], { atomic: false });
    } catch (e) {
      err = e;
    }
    expect(isGroveError(err) && err.code).toBe('INTERNAL');
    expect(repositoryTables(opened.sql)).toBe(before);
    expect(stagedRows(opened.sql)).toBe(0);
    expect(opened.repo.activePushes).toBe(0);
    opened.close();
  });
});

describe('SqlPackStaging rows (docs/STORAGE.md, incoming)', () => {
  /** Stored bytes of `MiB` length; staging keeps them as given. */
  const stream = (label: string, mib: number): Uint8Array => pseudoRandomBytes(label, mib * MiB);
  const resolution = (n: number): Resolution => ({ oid: objectId('blob', new TextEncoder().encode(`r${n}`)), type: 'blob', size: n, base: null, depth: 0 });
  const count = (sql: SqlPort, table: string): number => Number(sql.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n);

  it('keeps the pieces of each entry apart across two pushes, through a replacement and a drop, and frees them all', () => {
    const opened = openRepository();
    const a = opened.repo.beginPush();
    const b = opened.repo.beginPush();
    const streams = {
      a: [stream('a0', 3), stream('a1', 0.5), stream('a2', 2.5), stream('a3', 2.25)],
      b: [stream('b0', 2.5), stream('b1', 3), stream('b2', 1), stream('b3', 2)],
    };
    // Interleaved, and past 8 MiB per push so both are flushed to the tables.
    for (let i = 0; i < 4; i++) {
      a.put({ index: i, offset: 12 + i, storedSize: i, compressed: streams.a[i]!, resolution: null });
      b.put({ index: i, offset: 12 + i, storedSize: 10 + i, compressed: streams.b[i]!, resolution: i === 1 ? resolution(1) : null });
    }
    const pieces = (list: Uint8Array[]): number => list.reduce((n, s) => n + Math.ceil(s.length / MiB) - 1, 0);
    expect(count(opened.sql, 'incoming')).toBe(8);
    expect(count(opened.sql, 'incoming_chunks')).toBe(pieces(streams.a) + pieces(streams.b));
    // Entry seq of push push_id is row push_id × 2^32 + seq (beginPush numbers pushes 1, 2, …).
    expect(opened.sql.query<{ id: number }>('SELECT id FROM incoming ORDER BY id').map((r) => r.id))
      .toEqual([0, 1, 2, 3].map((i) => 2 ** 32 + i).concat([0, 1, 2, 3].map((i) => 2 * 2 ** 32 + i)));

    const replaced = stream('a2 whole', 1.5);
    a.resolve(2, resolution(2), { storedSize: 99, compressed: replaced });
    b.drop(0);
    streams.a[2] = replaced;
    expect(count(opened.sql, 'incoming_chunks')).toBe(pieces(streams.a) + pieces(streams.b.slice(1)));
    streams.a.forEach((s, i) => expect(Buffer.compare(a.read(i).compressed, s)).toBe(0));
    expect(a.read(2).storedSize).toBe(99);
    streams.b.slice(1).forEach((s, i) => expect(b.read(i + 1)).toEqual({ storedSize: 11 + i, compressed: s }));
    expect(() => b.read(0)).toThrow(/staged entry 0 is missing/);

    a.discard();
    expect(count(opened.sql, 'incoming')).toBe(3);
    expect(count(opened.sql, 'incoming_chunks')).toBe(pieces(streams.b.slice(1)));
    streams.b.slice(1).forEach((s, i) => expect(Buffer.compare(b.read(i + 1).compressed, s)).toBe(0));
    b.discard();
    expect(stagedRows(opened.sql)).toBe(0);
    opened.close();
  });
});

describe('SqlPackStaging.discard', () => {
  /** 600 small blobs after one 2.5 MiB blob: more than a flush of rows, and chunked staging rows. */
  function manyBlobs(): { pack: Uint8Array; oids: string[] } {
    const entries: EntrySpec[] = [{ type: 'blob', data: pseudoRandomBytes('discard big', 2.5 * MiB) }];
    for (let i = 0; i < 600; i++) entries.push({ type: 'blob', data: new TextEncoder().encode(`blob number ${i}\n`) });
    return { pack: buildPack(entries).bytes, oids: entries.map((e) => objectId('blob', (e as { data: Uint8Array }).data)) };
  }

  it('leaves no staged rows, and the staging cannot be used afterwards', async () => {
    const opened = await seeded();
    const before = repositoryTables(opened.sql);
    const { staging } = await indexInto(opened, manyBlobs().pack);
    // Rows were flushed to the staging tables while the pack streamed in, chunks included.
    expect(Number(opened.sql.query<{ n: number }>('SELECT count(*) AS n FROM incoming')[0]!.n)).toBeGreaterThanOrEqual(512);
    expect(Number(opened.sql.query<{ n: number }>('SELECT count(*) AS n FROM incoming_chunks')[0]!.n)).toBe(2);
    staging.discard();
    staging.discard(); // twice is harmless
    expect(stagedRows(opened.sql)).toBe(0);
    expect(repositoryTables(opened.sql)).toBe(before);
    const err = (() => {
      try {
        staging.commit([{ name: 'refs/heads/x', old: ZERO_OID, new: c(9) }], [], { atomic: false });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isGroveError(err) && err.code).toBe('INTERNAL');
    opened.close();
  });

  it('of one push leaves the staging of another push alone', async () => {
    const opened = await seeded();
    const kept = await indexInto(opened, manyBlobs().pack);
    const dropped = await indexInto(opened, packObjects(src, [c(1), `^${c(9)}`]));
    dropped.staging.discard();
    const { oids } = manyBlobs();
    expect(kept.staging.commit([{ name: 'refs/heads/blob', old: ZERO_OID, new: oids[0]! }], [], { atomic: false }))
      .toEqual([{ name: 'refs/heads/blob', ok: true }]);
    expect((await opened.repo.objects.has(oids)).size).toBe(oids.length);
    expect(stagedRows(opened.sql)).toBe(0);
    opened.close();
  });
});

describe('chunked objects (docs/STORAGE.md rule 2)', () => {
  it('splits a stream longer than 1 MiB into rows of exactly 1 MiB but the last, and reads it back byte-exact', async () => {
    const opened = openRepository();
    const pack = packObjects(bigRepo, [big.first]);
    const entry = listPack(pack).entries.find((e) => e.size === 2.5 * MiB)!;
    const stream = pack.subarray(entry.dataStart, entry.end);
    expect(stream.length).toBeGreaterThan(2.5 * MiB);

    expect(await push(opened, [big.first], [{ name: 'refs/heads/main', old: ZERO_OID, new: big.first }], false, bigRepo))
      .toEqual([{ name: 'refs/heads/main', ok: true }]);
    expect(objectRow(opened, big.blob)).toEqual({ chunks: 3, data: MiB, depth: 0, base: null });
    expect(chunkSizes(opened, big.blob)).toEqual([MiB, stream.length - 2 * MiB]);

    const packed = (await opened.repo.objects.readPacked([big.blob])).get(big.blob)!;
    expect(Buffer.compare(packed.data, stream)).toBe(0);
    const read = (await opened.repo.objects.readObjects([big.blob])).get(big.blob)!;
    expect(Buffer.compare(read.data, gitObjects(bigRepo, [big.blob]).get(big.blob)!.data)).toBe(0);
    expect(storageViolations(opened.sql)).toEqual([]);
    opened.close();
  });

  it('cuts at exactly 1 MiB: streams of 1 MiB, 1 MiB + 1 and 2 MiB', async () => {
    /** A blob whose stored (level 0) zlib stream is exactly `length` bytes. */
    const blobWithStream = (length: number): Uint8Array => {
      // Stored blocks: the stream's length depends on the data's length only.
      let size = length - 100;
      for (let tries = 0; tries < 30; tries++) {
        const got = deflateSync(Buffer.alloc(size), { level: 0 }).length;
        if (got === length) return pseudoRandomBytes(`exact ${length}`, size);
        size += length - got;
      }
      throw new Error(`no blob has a stored stream of ${length} bytes`);
    };
    const cases = [MiB, MiB + 1, 2 * MiB].map((length) => ({ length, data: blobWithStream(length) }));
    const opened = openRepository();
    const pack = buildPack(cases.map(({ data }) => ({ type: 'blob', data, level: 0 }))).bytes;
    const { staging } = await indexInto(opened, pack);
    const oids = cases.map(({ data }) => objectId('blob', data));
    staging.commit(oids.map((oid, i) => ({ name: `refs/blobs/${i}`, old: ZERO_OID, new: oid })), [], { atomic: true });

    expect(oids.map((oid) => objectRow(opened, oid)!.chunks)).toEqual([1, 2, 2]);
    expect(oids.map((oid) => chunkSizes(opened, oid))).toEqual([[], [1], [MiB]]);
    const packed = await opened.repo.objects.readPacked(oids);
    const read = await opened.repo.objects.readObjects(oids);
    cases.forEach(({ length, data }, i) => {
      expect(packed.get(oids[i]!)!.data.length).toBe(length);
      expect(Buffer.compare(read.get(oids[i]!)!.data, data)).toBe(0);
    });
    expect(storageViolations(opened.sql)).toEqual([]);
    opened.close();
  });

  it('stores an object pushed twice (in two pushes) once, with its own chunks', async () => {
    const opened = openRepository();
    await push(opened, [big.first], [{ name: 'refs/heads/main', old: ZERO_OID, new: big.first }], false, bigRepo);
    const before = { row: objectRow(opened, big.blob), chunks: chunkSizes(opened, big.blob) };
    // A full (not thin) pack of the second commit carries the big blob again.
    expect(revListObjects(bigRepo, [big.second]).has(big.blob)).toBe(true);
    expect(await push(opened, [big.second], [{ name: 'refs/heads/main', old: big.first, new: big.second }], false, bigRepo))
      .toEqual([{ name: 'refs/heads/main', ok: true }]);
    expect({ row: objectRow(opened, big.blob), chunks: chunkSizes(opened, big.blob) }).toEqual(before);
    expect(Number(opened.sql.query<{ n: number }>('SELECT count(*) AS n FROM objects WHERE oid = unhex(?)', big.blob)[0]!.n)).toBe(1);
    const read = (await opened.repo.objects.readObjects([big.blob])).get(big.blob)!;
    expect(Buffer.compare(read.data, gitObjects(bigRepo, [big.blob]).get(big.blob)!.data)).toBe(0);
    expect(storageViolations(opened.sql)).toEqual([]);
    opened.close();
  });

  it('stores an object twice in one pack once, with the chunks of the copy it keeps', async () => {
    const text = new TextEncoder().encode('a compressible line of text, repeated\n'.repeat(80_000)); // ~3 MiB
    const oid = objectId('blob', text);
    for (const levels of [[0, 9], [9, 0]]) {
      const opened = openRepository();
      const { staging } = await indexInto(opened, buildPack(levels.map((level) => ({ type: 'blob', data: text, level }))).bytes);
      staging.commit([{ name: 'refs/heads/text', old: ZERO_OID, new: oid }], [], { atomic: true });
      const row = objectRow(opened, oid)!;
      // The first copy is kept: stored whole (level 0: ~3 MiB, 3 chunks), or deflated into one piece.
      expect(row.chunks).toBe(levels[0] === 0 ? 3 : 1);
      expect(chunkSizes(opened, oid).length).toBe(row.chunks - 1);
      expect(Buffer.compare((await opened.repo.objects.readObjects([oid])).get(oid)!.data, text)).toBe(0);
      expect(storageViolations(opened.sql)).toEqual([]);
      opened.close();
    }
  });

  it('stores a delta longer than 1 MiB that waited for a later base, then was stored whole past maxDepth, in whole chunks', async () => {
    // The delta's base comes after 9 MiB of other blobs, so its staging row is flushed before it resolves.
    const base = pseudoRandomBytes('late base', 1.5 * MiB);
    const result = new Uint8Array(2 * MiB);
    result.set(base);
    result.set(pseudoRandomBytes('late tail', 0.5 * MiB), 1.5 * MiB);
    const entries: EntrySpec[] = [{ refBase: objectId('blob', base), delta: diffDelta(base, result, { suffix: false }) }];
    for (let i = 0; i < 3; i++) entries.push({ type: 'blob', data: pseudoRandomBytes(`filler ${i}`, 3 * MiB) });
    entries.push({ type: 'blob', data: base });
    const opened = openRepository();
    const { staging } = await indexInto(opened, buildPack(entries).bytes, { maxDepth: 0 });
    const oid = objectId('blob', result);
    staging.commit([{ name: 'refs/heads/result', old: ZERO_OID, new: oid }], [], { atomic: true });
    expect(objectRow(opened, oid)).toMatchObject({ chunks: 3, data: MiB, depth: 0, base: null });
    expect(chunkSizes(opened, oid)[0]).toBe(MiB);
    expect(Buffer.compare((await opened.repo.objects.readObjects([oid])).get(oid)!.data, result)).toBe(0);
    expect(storageViolations(opened.sql)).toEqual([]);
    opened.close();
  });
});

describe('delta bases of objects that arrive twice (docs/STORAGE.md rule 3)', () => {
  const x = new TextEncoder().encode('first version of the text\n'.repeat(8));
  const y = new TextEncoder().encode('second version of the text\n'.repeat(8));
  const X = objectId('blob', x);
  const Y = objectId('blob', y);

  // When one pack holds an object twice, the copy kept is the one resolved first, whose
  // base chain is sound: two deltas must never end up each other's base.
  it('never stores a cycle of delta bases from one pack', async () => {
    const opened = openRepository();
    // X as a delta of Y (waits), Y as a delta of X (waits), then Y whole: X resolves, then the second Y from X.
    const pack = buildPack([
      { refBase: Y, delta: diffDelta(y, x, { suffix: false }) },
      { refBase: X, delta: diffDelta(x, y, { suffix: false }) },
      { type: 'blob', data: y },
    ]).bytes;
    const { staging } = await indexInto(opened, pack);
    staging.commit([{ name: 'refs/heads/x', old: ZERO_OID, new: X }], [], { atomic: true });
    expect(storageViolations(opened.sql)).toEqual([]);
    opened.close();
  });

  // A base the repository already keeps is not stored again: the delta's depth counts from
  // the repository's copy, not from the pack's.
  it('keeps depth = 1 + the depth of the stored base when a pushed base is already stored as a delta', async () => {
    const opened = openRepository();
    const b = new TextEncoder().encode('base version of the text\n'.repeat(8));
    const first = buildPack([{ type: 'blob', data: b }, { ofsBase: 0, delta: diffDelta(b, x, { suffix: false }) }]).bytes;
    const one = await indexInto(opened, first);
    one.staging.commit([{ name: 'refs/heads/x', old: ZERO_OID, new: X }], [], { atomic: true });
    expect(objectRow(opened, X)).toMatchObject({ depth: 1 });
    const second = buildPack([{ type: 'blob', data: x }, { ofsBase: 0, delta: diffDelta(x, y, { suffix: false }) }]).bytes;
    const two = await indexInto(opened, second);
    two.staging.commit([{ name: 'refs/heads/y', old: ZERO_OID, new: Y }], [], { atomic: true });
    expect(storageViolations(opened.sql)).toEqual([]);
    opened.close();
  });
});
