import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitBytes, gitText } from '../../../test/support/gitBytes.ts';
import { listPack, type ListedPack } from '../../../test/support/listPack.ts';
import { makeRepo } from '../../../test/support/makeRepo.ts';
import { readAllObjects } from '../../../test/support/scratchRepo.ts';
import { loadGitRepository, openRepository, packObjects, revListObjects, type OpenedRepository } from '../../../test/support/storeRepo.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { isGroveError } from '../../errors.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import type { PackedObject } from '../ports.ts';
import { writePack, type PackStats, type WritePackOptions } from './writePack.ts';

const work = useTempDir('grove-writepack-');
const src = join(work, 'src.git');
let opened: OpenedRepository;
let allOids: string[];
let packed: Map<string, PackedObject>;
let repoCount = 0;

beforeAll(async () => {
  await makeRepo(src, { commits: 200 });
  gitBytes(['repack', '-a', '-d', '-f', '-q', '--depth=50', '--window=20'], { cwd: src });
  opened = openRepository();
  await loadGitRepository(opened, src);
  allOids = opened.sql.query<{ oid: Uint8Array }>('SELECT oid FROM objects ORDER BY id').map((r) => Buffer.from(r.oid).toString('hex'));
  packed = await opened.repo.objects.readPacked(allOids);
});

afterAll(() => {
  opened.close();
});

async function written(oids: readonly string[], options: WritePackOptions): Promise<{ pack: Uint8Array; stats: PackStats; chunks: number }> {
  const stats: PackStats = { objects: 0, deltas: 0, rebuilt: 0, bytes: 0 };
  const parts: Uint8Array[] = [];
  for await (const part of writePack(opened.repo.objects, nodeCodec, oids, options, stats)) parts.push(part);
  return { pack: new Uint8Array(Buffer.concat(parts)), stats, chunks: parts.length };
}

/** A new empty bare repository. */
function emptyRepo(): string {
  const dir = join(work, `client${repoCount++}.git`);
  gitBytes(['init', '-q', '--bare', dir]);
  return dir;
}

interface GitEntry {
  oid: string;
  type: string;
  offset: number;
  base: string | null;
}

/**
 * Feeds `pack` to `git index-pack --stdin` in `dir`, then lists it with `git verify-pack -v`.
 * `--strict` (fsck every object, and check that everything they reference is there) suits
 * packs that are complete, alone or with what `dir` already holds.
 */
function gitIndex(dir: string, pack: Uint8Array, extra: string[] = ['--strict']): Map<string, GitEntry> {
  const out = gitText(['index-pack', '--stdin', ...extra], { cwd: dir, input: pack });
  const name = /^pack\t([0-9a-f]{40})$/.exec(out)?.[1];
  expect(name, out).toBeDefined();
  const idx = join(dir, 'objects', 'pack', `pack-${name}.idx`);
  const entries = new Map<string, GitEntry>();
  const line = /^([0-9a-f]{40}) (commit|tree|blob|tag)\s+\d+ \d+ (\d+)(?: \d+ ([0-9a-f]{40}))?$/;
  const listing = gitText(['verify-pack', '-v', idx], { cwd: dir });
  expect(listing).toMatch(/: ok$/);
  for (const text of listing.split('\n')) {
    const m = line.exec(text);
    if (m !== null) entries.set(m[1]!, { oid: m[1]!, type: m[2]!, offset: +m[3]!, base: m[4] ?? null });
  }
  return entries;
}

/** Structural checks every written pack must pass; returns the oid of each entry offset. */
function expectWellFormed(pack: Uint8Array, stats: PackStats, listing: ListedPack, git: Map<string, GitEntry>): Map<number, string> {
  expect(listing.version).toBe(2);
  expect(listing.trailerOk).toBe(true);
  expect(listing.count).toBe(listing.entries.length);
  expect(stats.objects).toBe(listing.count);
  expect(stats.bytes).toBe(pack.length);
  expect(stats.deltas).toBe(listing.entries.filter((e) => e.type >= 6).length);
  const oidAt = new Map([...git.values()].map((e) => [e.offset, e.oid]));
  const offsetOf = new Map([...git.values()].map((e) => [e.oid, e.offset]));
  for (const entry of listing.entries) {
    // Bases come before their deltas.
    if (entry.type === 6) {
      expect(oidAt.has(entry.baseOffset!)).toBe(true);
      expect(entry.baseOffset!).toBeLessThan(entry.offset);
    }
    if (entry.type === 7 && offsetOf.has(entry.baseOid!)) expect(offsetOf.get(entry.baseOid!)!).toBeLessThan(entry.offset);
  }
  return oidAt;
}

/** Every entry copies the stored stream verbatim, except the rebuilt ones (whole, where a delta is stored). */
function expectStoredBytes(pack: Uint8Array, listing: ListedPack, oidAt: Map<number, string>): number {
  let rebuilt = 0;
  for (const entry of listing.entries) {
    const row = packed.get(oidAt.get(entry.offset)!)!;
    const bytes = pack.subarray(entry.dataStart, entry.end);
    if (row.base !== null && entry.type < 6) {
      rebuilt++;
      expect(entry.size).toBe(row.size);
      expect(Buffer.compare(nodeCodec.inflate(bytes), nodeCodec.inflate(row.data))).not.toBe(0);
    } else {
      expect(Buffer.compare(bytes, row.data), row.oid).toBe(0);
    }
  }
  return rebuilt;
}

describe('writePack', () => {
  it('writes every object as a pack git index-pack accepts, with the same objects, reusing OFS_DELTA entries', async () => {
    const { pack, stats, chunks } = await written(allOids, { ofsDelta: true });
    expect(chunks).toBeGreaterThan(2);
    const listing = listPack(pack);
    const dir = emptyRepo();
    const git = gitIndex(dir, pack);
    expect(new Set(git.keys())).toEqual(new Set(allOids));
    const oidAt = expectWellFormed(pack, stats, listing, git);
    const storedDeltas = [...packed.values()].filter((r) => r.base !== null).length;
    expect(storedDeltas).toBeGreaterThan(500);
    expect(listing.entries.filter((e) => e.type === 6).length).toBe(storedDeltas);
    expect(stats.rebuilt).toBe(0);
    expect(expectStoredBytes(pack, listing, oidAt)).toBe(0);
    // The deltas are the stored ones: the same base for each object.
    for (const entry of git.values()) expect(entry.base).toBe(packed.get(entry.oid)!.base);
    expect(readAllObjects(dir).map((o) => `${o.oid} ${o.type} ${o.data.length}`).sort())
      .toEqual(readAllObjects(src).map((o) => `${o.oid} ${o.type} ${o.data.length}`).sort());
  });

  it('with ofsDelta false writes REF_DELTA entries only, each after its base', async () => {
    // Deepest objects first: every base has to be pulled in ahead of its delta.
    const order = [...allOids].sort((a, b) => packed.get(b)!.depth - packed.get(a)!.depth);
    const { pack, stats } = await written(order, { ofsDelta: false });
    const listing = listPack(pack);
    expect(listing.entries.filter((e) => e.type === 6)).toEqual([]);
    expect(listing.entries.filter((e) => e.type === 7).length).toBe([...packed.values()].filter((r) => r.base !== null).length);
    const git = gitIndex(emptyRepo(), pack);
    expect(new Set(git.keys())).toEqual(new Set(allOids));
    const oidAt = expectWellFormed(pack, stats, listing, git);
    expect(expectStoredBytes(pack, listing, oidAt)).toBe(0);
    for (const entry of listing.entries.filter((e) => e.type === 7)) expect(git.has(entry.baseOid!)).toBe(true);
  });

  it('writes each object once when asked twice, bases pulled ahead included', async () => {
    const deepest = [...packed.values()].sort((a, b) => b.depth - a.depth)[0]!;
    const chain: string[] = [];
    for (let at: string | null = deepest.oid; at !== null; at = packed.get(at)!.base) chain.push(at);
    expect(chain.length).toBeGreaterThan(10);
    const { pack, stats } = await written([...chain, ...[...chain].reverse(), chain[0]!], { ofsDelta: true });
    const listing = listPack(pack);
    expect(listing.count).toBe(chain.length);
    const git = gitIndex(emptyRepo(), pack, []);
    expect(new Set(git.keys())).toEqual(new Set(chain));
    expectWellFormed(pack, stats, listing, git);
  });

  describe('for a fetch of main~40..main', () => {
    let subset: string[];
    let have: Set<string>;
    beforeAll(() => {
      const wanted = revListObjects(src, ['main', '--not', 'main~40']);
      subset = allOids.filter((oid) => wanted.has(oid));
      have = revListObjects(src, ['main~40']);
    });

    it('writes deltas against the client\'s objects as REF_DELTA, and git index-pack --fix-thin completes the pack', async () => {
      const { pack, stats } = await written(subset, { ofsDelta: true, thinBases: have });
      const listing = listPack(pack);
      const inSubset = new Set(subset);
      const thin = listing.entries.filter((e) => e.type === 7);
      expect(thin.length).toBeGreaterThan(0);
      for (const entry of thin) {
        expect(inSubset.has(entry.baseOid!)).toBe(false);
        expect(have.has(entry.baseOid!)).toBe(true);
      }
      // Deltas on objects neither sent nor on the client (other branches) are rebuilt whole.
      const outside = subset.filter((oid) => {
        const base = packed.get(oid)!.base;
        return base !== null && !inSubset.has(base) && !have.has(base);
      });
      expect(stats.rebuilt).toBe(outside.length);
      expect(stats.deltas).toBe(subset.filter((oid) => packed.get(oid)!.base !== null).length - outside.length);
      expect(listing.trailerOk).toBe(true);
      expect(stats.bytes).toBe(pack.length);

      // A client holding main~40 completes and accepts it.
      const client = emptyRepo();
      gitIndex(client, packObjects(src, ['main~40']));
      const git = gitIndex(client, pack, ['--strict', '--fix-thin']);
      for (const oid of subset) expect(git.has(oid), oid).toBe(true);
      gitBytes(['update-ref', 'refs/heads/main', gitText(['rev-parse', 'main'], { cwd: src })], { cwd: client });
      const fsck = gitText(['fsck', '--full', '--strict', '--no-dangling', '--no-progress'], { cwd: client });
      expect(fsck).toBe('');
      // Without --fix-thin, git says the pack needs outside bases.
      expect(() => gitIndex(emptyRepo(), pack, [])).toThrow(/unresolved deltas|fix-thin/);
    });

    it('without thinBases rebuilds whole every delta whose base is not in the pack: a self-contained pack', async () => {
      const inSubset = new Set(subset);
      const outside = subset.filter((oid) => {
        const base = packed.get(oid)!.base;
        return base !== null && !inSubset.has(base);
      });
      expect(outside.length).toBeGreaterThan(0);
      for (const ofsDelta of [true, false]) {
        const { pack, stats } = await written(subset, { ofsDelta });
        const listing = listPack(pack);
        expect(stats.rebuilt).toBe(outside.length);
        const git = gitIndex(emptyRepo(), pack, []);
        expect(new Set(git.keys())).toEqual(inSubset);
        const oidAt = expectWellFormed(pack, stats, listing, git);
        expect(expectStoredBytes(pack, listing, oidAt)).toBe(outside.length);
        for (const entry of listing.entries.filter((e) => e.type === 7)) expect(inSubset.has(entry.baseOid!)).toBe(true);
      }
    });
  });

  it('throws MISSING_OBJECT for an id the store lacks', async () => {
    const missing = '0123456789abcdef0123456789abcdef01234567';
    const err = await written([allOids[0]!, missing], { ofsDelta: true }).then(() => undefined, (e: unknown) => e);
    expect(isGroveError(err) && err.code).toBe('MISSING_OBJECT');
    expect((err as Error).message).toContain(missing);
  });

  it('writes an empty pack git accepts', async () => {
    const { pack, stats } = await written([], { ofsDelta: true });
    expect(pack.length).toBe(32);
    expect(stats).toEqual({ objects: 0, deltas: 0, rebuilt: 0, bytes: 32 });
    expect(listPack(pack).trailerOk).toBe(true);
    expect(gitText(['index-pack', '--stdin'], { cwd: emptyRepo(), input: pack })).toMatch(/^pack\t[0-9a-f]{40}$/);
  });
});
