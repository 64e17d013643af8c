import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPack, type EntrySpec } from '../../../test/support/buildPack.ts';
import { diffDelta } from '../../../test/support/deltaBytes.ts';
import { gitBytes, gitText } from '../../../test/support/gitBytes.ts';
import { listPack } from '../../../test/support/listPack.ts';
import { makeRepo } from '../../../test/support/makeRepo.ts';
import { objectId } from '../../../test/support/rawObject.ts';
import { commitInfos, gitObjects, indexInto, openRepository, packObjects, revListObjects, type OpenedRepository } from '../../../test/support/storeRepo.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { isGroveError } from '../../errors.ts';
import { ZERO_OID } from '../objects/objectId.ts';
import type { IndexedPack, IndexPackOptions } from './indexPack.ts';

const encoder = new TextEncoder();
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const work = useTempDir('grove-indexpack-');
const src = join(work, 'src.git');

beforeAll(async () => {
  await makeRepo(src, { commits: 200 });
  // fast-import writes few deltas; a full repack gives long OFS and REF chains to reuse.
  gitBytes(['repack', '-a', '-d', '-f', '-q', '--depth=50', '--window=20'], { cwd: src });
});

interface VerifyRow {
  type: string;
  /** Inflated size of the entry (the delta's size for a delta). */
  entrySize: number;
  offset: number;
  depth: number;
  base: string | null;
}

/** `git verify-pack -v` of `pack` (indexed by git in a scratch file), by object id. */
function verifyPack(pack: Uint8Array, name: string): Map<string, VerifyRow> {
  const file = join(work, `${name}.pack`);
  writeFileSync(file, pack);
  gitBytes(['index-pack', file], { cwd: src });
  const rows = new Map<string, VerifyRow>();
  const line = /^([0-9a-f]{40}) (commit|tree|blob|tag)\s+(\d+) (\d+) (\d+)(?: (\d+) ([0-9a-f]{40}))?$/;
  for (const text of gitText(['verify-pack', '-v', file.replace(/\.pack$/, '.idx')]).split('\n')) {
    const m = line.exec(text);
    if (m === null) continue;
    rows.set(m[1]!, { type: m[2]!, entrySize: +m[3]!, offset: +m[5]!, depth: m[6] === undefined ? 0 : +m[6], base: m[7] ?? null });
  }
  return rows;
}

/** Indexes `pack` into `opened` and commits it with `refs/heads/main` → `tip`. */
async function indexAndStore(opened: OpenedRepository, pack: Uint8Array, tip: string, options: IndexPackOptions = {}): Promise<IndexedPack> {
  const { staging, indexed } = await indexInto(opened, pack, options);
  const current = opened.repo.listRefsSync().find((r) => r.name === 'refs/heads/main')?.oid ?? ZERO_OID;
  const results = staging.commit([{ name: 'refs/heads/main', old: current, new: tip }], await commitInfos(opened.repo.objects, indexed.commits), { atomic: true });
  expect(results).toEqual([{ name: 'refs/heads/main', ok: true }]);
  return indexed;
}

interface ObjectRow {
  oid: string;
  type: number;
  size: number;
  base: string | null;
  depth: number;
  storedSize: number;
}

function objectRows(opened: OpenedRepository): Map<string, ObjectRow> {
  const rows = opened.sql.query<{ oid: Uint8Array; type: number; size: number; base_oid: Uint8Array | null; depth: number; stored_size: number }>(
    'SELECT oid, type, size, base_oid, depth, stored_size FROM objects',
  );
  return new Map(rows.map((r) => [hex(r.oid), {
    oid: hex(r.oid), type: r.type, size: r.size, base: r.base_oid === null ? null : hex(r.base_oid), depth: r.depth, storedSize: r.stored_size,
  }]));
}

/** docs/STORAGE.md rule 3: every delta's base is stored and its depth is one more than the base's. */
function expectDeltaDepthsConsistent(opened: OpenedRepository): void {
  const rows = objectRows(opened);
  for (const row of rows.values()) {
    if (row.base === null) {
      expect(row.depth, `whole object ${row.oid}`).toBe(0);
      continue;
    }
    const base = rows.get(row.base);
    expect(base, `base ${row.base} of ${row.oid}`).toBeDefined();
    expect(row.depth, `depth of ${row.oid}`).toBe(base!.depth + 1);
  }
}

/** Every stored object reads back as git has it. */
async function expectSameAsGit(opened: OpenedRepository, oids: readonly string[]): Promise<void> {
  const ours = await opened.repo.objects.readObjects(oids);
  const theirs = gitObjects(src, oids);
  expect(ours.size).toBe(oids.length);
  for (const oid of oids) {
    const a = ours.get(oid)!;
    const b = theirs.get(oid)!;
    expect(a.type, oid).toBe(b.type);
    expect(Buffer.compare(a.data, b.data), `content of ${oid}`).toBe(0);
  }
}

async function expectCode(promise: Promise<unknown>, code: string, message?: RegExp): Promise<unknown> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(isGroveError(err), `expected a GroveError ${code}, got ${String(err)}`).toBe(true);
  expect((err as { code: string }).code).toBe(code);
  if (message !== undefined) expect((err as Error).message).toMatch(message);
  return err;
}

/** Object ids a git object references (tree entries but gitlinks, commit tree and parents, tag target). */
function referencesOf(type: string, data: Uint8Array): string[] {
  if (type === 'tree') {
    const refs: string[] = [];
    for (let at = 0; at < data.length; ) {
      const nul = data.indexOf(0, at);
      const mode = new TextDecoder().decode(data.subarray(at, data.indexOf(0x20, at)));
      if (mode !== '160000') refs.push(hex(data.subarray(nul + 1, nul + 21)));
      at = nul + 21;
    }
    return refs;
  }
  const text = new TextDecoder().decode(data);
  const head = text.slice(0, text.indexOf('\n\n'));
  return head.split('\n').flatMap((line) => {
    const [key, value] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
    return key === 'tree' || key === 'parent' || key === 'object' ? [value] : [];
  });
}

describe('indexPack on packs made by git', () => {
  for (const ofsDelta of [true, false]) {
    const kind = ofsDelta ? 'OFS_DELTA' : 'REF_DELTA';
    it(`indexes a ${kind} pack to exactly what git verify-pack lists, storing each entry verbatim`, async () => {
      const tips = gitText(['for-each-ref', '--format=%(objectname)'], { cwd: src }).split('\n');
      const pack = packObjects(src, tips, { ofsDelta });
      const listing = listPack(pack);
      const [deltaType, otherDeltaType] = ofsDelta ? [6, 7] : [7, 6];
      expect(listing.entries.filter((e) => e.type === deltaType).length).toBeGreaterThan(100);
      expect(listing.entries.filter((e) => e.type === otherDeltaType)).toEqual([]);

      const verify = verifyPack(pack, `all-${kind}`);
      const opened = openRepository();
      const main = gitText(['rev-parse', 'main'], { cwd: src });
      const indexed = await indexAndStore(opened, pack, main);

      expect(indexed.objectCount).toBe(verify.size);
      expect(new Map([...indexed.types].sort())).toEqual(new Map([...verify].map(([oid, row]) => [oid, row.type] as const).sort()));
      expect(indexed.thinBases.size).toBe(0);
      // The gitlink in the generated tree points at a commit nobody has: it is not a reference.
      expect(indexed.external.size).toBe(0);

      const rows = objectRows(opened);
      const sizes = gitText(['cat-file', '--batch-check=%(objectname) %(objectsize)'], { cwd: src, input: [...verify.keys()].join('\n') });
      const sizeOf = new Map(sizes.split('\n').map((l) => [l.slice(0, 40), Number(l.slice(41))] as const));
      const byOffset = new Map(listing.entries.map((e) => [e.offset, e]));
      const packed = await opened.repo.objects.readPacked([...verify.keys()]);
      for (const [oid, row] of verify) {
        const stored = rows.get(oid)!;
        expect(stored, oid).toEqual({ oid, type: { commit: 1, tree: 2, blob: 3, tag: 4 }[row.type], size: sizeOf.get(oid), base: row.base, depth: row.depth, storedSize: row.entrySize });
        const entry = byOffset.get(row.offset)!;
        expect(Buffer.compare(packed.get(oid)!.data, pack.subarray(entry.dataStart, entry.end)), `stored stream of ${oid}`).toBe(0);
      }
      expectDeltaDepthsConsistent(opened);
      await expectSameAsGit(opened, [...verify.keys()]);
      opened.close();
    });
  }

  it('reports the commits (tree, parents, committer time) and the annotated tags with their targets', async () => {
    const tips = gitText(['for-each-ref', '--format=%(objectname)'], { cwd: src }).split('\n');
    const opened = openRepository();
    const { staging, indexed } = await indexInto(opened, packObjects(src, tips));
    staging.discard();
    const log = gitText(['log', '--all', '--format=%H %T %ct %P'], { cwd: src }).split('\n');
    const expected = log.map((line) => {
      const [oid, tree, time, ...parents] = line.trim().split(' ');
      return { oid: oid!, tree: tree!, parents, time: Number(time) };
    });
    const byOid = (a: { oid: string }, b: { oid: string }): number => (a.oid < b.oid ? -1 : 1);
    expect([...indexed.commits].sort(byOid)).toEqual(expected.sort(byOid));
    expect(expected.some((c) => c.parents.length === 2)).toBe(true);

    const tags = gitText(['for-each-ref', 'refs/tags', '--format=%(objecttype) %(objectname) %(object)'], { cwd: src })
      .split('\n')
      .filter((l) => l.startsWith('tag '))
      .map((l) => l.split(' ').slice(1) as [string, string]);
    expect(tags.length).toBeGreaterThan(3);
    expect(new Map([...indexed.tagTargets].sort())).toEqual(new Map(tags.sort()));
    // One of them is a tag of a tag.
    expect([...indexed.tagTargets.values()].some((target) => indexed.tagTargets.has(target))).toBe(true);
    opened.close();
  });

  it('lists in `external` exactly the ids the pack references but lacks', async () => {
    const pack = packObjects(src, ['main', '^main~40', 'release/1.x', '^v0.1']);
    const inPack = revListObjects(src, ['main', 'release/1.x', '--not', 'main~40', 'v0.1']);
    const objects = gitObjects(src, [...inPack]);
    const expected = new Set<string>();
    for (const { type, data } of objects.values()) for (const ref of referencesOf(type, data)) if (!inPack.has(ref)) expected.add(ref);
    expect(expected.size).toBeGreaterThan(10);

    const opened = openRepository();
    const { staging, indexed } = await indexInto(opened, pack);
    staging.discard();
    expect(new Set(indexed.types.keys())).toEqual(inPack);
    expect(new Set(indexed.external)).toEqual(expected);
    expect(indexed.thinBases.size).toBe(0);
    opened.close();
  });

  it('completes a thin pack from the store and reports the bases it used in `thinBases`', async () => {
    const opened = openRepository();
    const old = gitText(['rev-parse', 'main~40'], { cwd: src });
    const main = gitText(['rev-parse', 'main'], { cwd: src });
    await indexAndStore(opened, packObjects(src, [old]), old);

    const thin = packObjects(src, ['main', '^main~40'], { thin: true });
    const listing = listPack(thin);
    const inPack = revListObjects(src, ['main', '--not', 'main~40']);
    const expectedBases = new Set(listing.entries.flatMap((e) => (e.baseOid !== undefined && !inPack.has(e.baseOid) ? [e.baseOid] : [])));
    expect(expectedBases.size).toBeGreaterThan(0);
    expect(listing.count).toBe(inPack.size);

    const indexed = await indexAndStore(opened, thin, main);
    expect(indexed.objectCount).toBe(inPack.size);
    expect(new Set(indexed.types.keys())).toEqual(inPack);
    expect(new Set(indexed.thinBases)).toEqual(expectedBases);
    for (const base of expectedBases) expect(indexed.external.has(base) || !indexed.types.has(base)).toBe(true);
    expectDeltaDepthsConsistent(opened);
    await expectSameAsGit(opened, [...inPack]);
    opened.close();
  });

  it('stores deltas deeper than maxDepth whole, and they still read back as git has them', async () => {
    const tips = gitText(['for-each-ref', '--format=%(objectname)'], { cwd: src }).split('\n');
    const pack = packObjects(src, tips);
    const verify = verifyPack(pack, 'depth');
    const deepest = Math.max(...[...verify.values()].map((r) => r.depth));
    expect(deepest).toBeGreaterThan(10);
    const main = gitText(['rev-parse', 'main'], { cwd: src });

    for (const maxDepth of [0, 3]) {
      const opened = openRepository();
      await indexAndStore(opened, pack, main, { maxDepth });
      const rows = objectRows(opened);
      expect(rows.size).toBe(verify.size);
      let rewritten = 0;
      for (const [oid, row] of rows) {
        // Along git's chain, every (maxDepth + 1)-th delta is stored whole and starts a new chain.
        const gitRow = verify.get(oid)!;
        const depth = gitRow.depth % (maxDepth + 1);
        expect({ depth: row.depth, base: row.base }, oid).toEqual({ depth, base: depth === 0 ? null : gitRow.base });
        if (depth === 0) {
          expect(row.storedSize, `whole ${oid} stores its whole size`).toBe(row.size);
          if (gitRow.depth > 0) rewritten++;
        }
      }
      expect(rewritten).toBeGreaterThan(0);
      expectDeltaDepthsConsistent(opened);
      await expectSameAsGit(opened, [...verify.keys()]);
      opened.close();
    }
  });
});

describe('indexPack on packs built by hand', () => {
  const blob = (text: string): { data: Uint8Array; oid: string } => {
    const data = encoder.encode(text);
    return { data, oid: objectId('blob', data) };
  };
  const x = blob('base line one\nbase line two\n');
  const y = blob('base line one\nbase line two\nand a third\n');
  const z = blob('base line one\nbase line two\nand a third\nand a fourth\n');

  async function stored(pack: Uint8Array, tip: string): Promise<{ opened: OpenedRepository; indexed: IndexedPack }> {
    const opened = openRepository();
    const { staging, indexed } = await indexInto(opened, pack);
    expect(indexed.objectCount).toBe(listPack(pack).count);
    staging.commit([{ name: 'refs/heads/main', old: ZERO_OID, new: tip }], [], { atomic: true });
    return { opened, indexed };
  }

  it('resolves a REF_DELTA whose base comes later in the pack, and deltas on top of it', async () => {
    const entries: EntrySpec[] = [
      { refBase: x.oid, delta: diffDelta(x.data, y.data, { suffix: false }) },
      { ofsBase: 0, delta: diffDelta(y.data, z.data, { suffix: false }) },
      { type: 'blob', data: x.data },
    ];
    const pack = buildPack(entries).bytes;
    // git agrees that this pack is complete.
    const scratch = join(work, 'later.pack');
    writeFileSync(scratch, pack);
    expect(gitText(['index-pack', '-v', scratch], { cwd: src })).toMatch(/^[0-9a-f]{40}$/);

    const { opened, indexed } = await stored(pack, z.oid);
    expect(new Set(indexed.types.keys())).toEqual(new Set([x.oid, y.oid, z.oid]));
    expect(indexed.thinBases.size).toBe(0);
    expect(indexed.external.size).toBe(0);
    const rows = objectRows(opened);
    expect(rows.get(x.oid)).toMatchObject({ base: null, depth: 0 });
    expect(rows.get(y.oid)).toMatchObject({ base: x.oid, depth: 1 });
    expect(rows.get(z.oid)).toMatchObject({ base: y.oid, depth: 2 });
    const read = await opened.repo.objects.readObjects([x.oid, y.oid, z.oid]);
    for (const o of [x, y, z]) expect(Buffer.compare(read.get(o.oid)!.data, o.data)).toBe(0);
    opened.close();
  });

  it('throws BAD_PACK for a delta whose base is neither in the pack nor in the store', async () => {
    const opened = openRepository();
    const pack = buildPack([{ type: 'blob', data: z.data }, { refBase: x.oid, delta: diffDelta(x.data, y.data, { suffix: false }) }]).bytes;
    const err = await expectCode(indexInto(opened, pack), 'BAD_PACK', new RegExp(`pack has 1 unresolved delta: base ${x.oid} is neither in the pack nor in the repository`));
    expect((err as { details?: unknown }).details).toEqual({ oid: x.oid });
    expect(opened.sql.query('SELECT * FROM incoming')).toEqual([]);
    opened.close();
  });

  it('resolves a thin REF_DELTA from the store', async () => {
    const { opened } = await stored(buildPack([{ type: 'blob', data: x.data }]).bytes, x.oid);
    const { staging, indexed } = await indexInto(opened, buildPack([{ refBase: x.oid, delta: diffDelta(x.data, y.data, { suffix: false }) }]).bytes);
    expect([...indexed.thinBases]).toEqual([x.oid]);
    expect([...indexed.types]).toEqual([[y.oid, 'blob']]);
    staging.commit([{ name: 'refs/heads/y', old: ZERO_OID, new: y.oid }], [], { atomic: true });
    expect(objectRows(opened).get(y.oid)).toMatchObject({ base: x.oid, depth: 1 });
    opened.close();
  });

  // git calls a cycle of REF_DELTAs, like a missing base, "unresolved deltas".
  it('throws BAD_PACK for a cycle of REF_DELTAs', async () => {
    const opened = openRepository();
    const pack = buildPack([
      { refBase: y.oid, delta: diffDelta(y.data, x.data, { suffix: false }) },
      { refBase: x.oid, delta: diffDelta(x.data, y.data, { suffix: false }) },
    ]).bytes;
    // git calls this pack broken, not incomplete: "pack has 2 unresolved deltas".
    const scratch = join(work, 'cycle.pack');
    writeFileSync(scratch, pack);
    expect(() => gitBytes(['index-pack', scratch], { cwd: src })).toThrow(/unresolved deltas/);
    await expectCode(indexInto(opened, pack), 'BAD_PACK');
    opened.close();
  });

  it('throws BAD_OBJECT naming the id of an invalid object, also one built from a delta', async () => {
    // A tree whose entries are out of order (git fsck: treeNotSorted).
    const entry = (mode: string, name: string, oid: string): Buffer => Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(oid, 'hex')]);
    const good = Buffer.concat([entry('100644', 'a', x.oid), entry('100644', 'b', y.oid)]);
    const bad = Buffer.concat([entry('100644', 'b', y.oid), entry('100644', 'a', x.oid)]);
    const badOid = objectId('tree', bad);

    for (const entries of [
      [{ type: 'tree', data: bad }] as EntrySpec[],
      [{ type: 'tree', data: good }, { ofsBase: 0, delta: diffDelta(good, bad, { suffix: false }) }] as EntrySpec[],
    ]) {
      const pack = buildPack(entries).bytes;
      const scratch = join(work, 'bad.pack');
      writeFileSync(scratch, pack);
      expect(() => gitBytes(['index-pack', '--strict', scratch], { cwd: src })).toThrow(new RegExp(badOid));
      const opened = openRepository();
      const err = await expectCode(indexInto(opened, pack), 'BAD_OBJECT', new RegExp(`tree ${badOid}`));
      expect((err as { details?: Record<string, unknown> }).details?.['oid']).toBe(badOid);
      opened.close();
    }
  });
});
