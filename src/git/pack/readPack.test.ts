import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { chunked, oneChunk } from '../../../test/support/chunked.ts';
import { gitBytes, gitText } from '../../../test/support/gitBytes.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { concatBytes, utf8 } from '../bytes.ts';
import type { Codec } from '../codec.ts';
import { hashObject, TYPE_BY_CODE, TYPE_CODE, type ObjectType } from '../objects/gitObject.ts';
import { bytesToHex, hexToBytes } from '../objects/objectId.ts';
import { applyDelta } from './applyDelta.ts';
import { encodeEntryHeader, encodeOfsDelta, OFS_DELTA, REF_DELTA } from './entryHeader.ts';
import { readPack, type PackEntry, type PackSummary } from './readPack.ts';

// ---------------------------------------------------------------- helpers

async function parse(
  source: AsyncIterable<Uint8Array>,
  codec: Codec = nodeCodec,
  options: { maxBytes?: number } = {},
  onEntry?: (entry: PackEntry) => void,
): Promise<{ entries: PackEntry[]; summary: PackSummary }> {
  const entries: PackEntry[] = [];
  const reader = readPack(source, codec, options);
  for (;;) {
    const step = await reader.next();
    if (step.done === true) return { entries, summary: step.value };
    onEntry?.(step.value);
    entries.push(step.value);
  }
}

function expectSameBytes(actual: Uint8Array, expected: Uint8Array, label: string): void {
  if (actual.length === expected.length && Buffer.compare(actual, expected) === 0) return;
  let at = 0;
  while (at < Math.min(actual.length, expected.length) && actual[at] === expected[at]) at++;
  expect.fail(`${label}: ${actual.length} bytes vs ${expected.length} expected, first difference at ${at}`);
}

interface VerifyRow {
  oid: string;
  type: ObjectType;
  size: number;
  packedSize: number;
  offset: number;
  baseOid?: string;
}

/** `git verify-pack -v` of an index, by offset. */
function verifyPack(idxPath: string): Map<number, VerifyRow> {
  const rows = new Map<number, VerifyRow>();
  const pattern = /^([0-9a-f]{40}) (commit|tree|blob|tag)\s+(\d+) (\d+) (\d+)(?: \d+ ([0-9a-f]{40}))?$/;
  for (const line of gitText(['verify-pack', '-v', idxPath]).split('\n')) {
    const m = pattern.exec(line);
    if (m === null) continue;
    const row: VerifyRow = { oid: m[1]!, type: m[2] as ObjectType, size: +m[3]!, packedSize: +m[4]!, offset: +m[5]! };
    if (m[6] !== undefined) row.baseOid = m[6];
    rows.set(row.offset, row);
  }
  return rows;
}

/** `git cat-file --batch` for these ids. */
function catFile(repo: string, oids: string[]): Map<string, { type: ObjectType; data: Uint8Array }> {
  const out = gitBytes(['cat-file', '--batch'], { cwd: repo, input: oids.map((o) => `${o}\n`).join('') });
  const objects = new Map<string, { type: ObjectType; data: Uint8Array }>();
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    const [oid, type, size] = new TextDecoder().decode(out.subarray(at, eol)).split(' ');
    const start = eol + 1;
    objects.set(oid!, { type: type as ObjectType, data: out.subarray(start, start + Number(size)) });
    at = start + Number(size) + 1;
  }
  return objects;
}

/** Every entry's resolved object, deltas applied with applyDelta (thin bases read from `repo`). */
function resolveAll(entries: PackEntry[], repo: string): { type: ObjectType; data: Uint8Array; oid: string }[] {
  const byOffset = new Map(entries.map((e) => [e.offset, e.index]));
  const resolved: ({ type: ObjectType; data: Uint8Array; oid: string } | undefined)[] = [];
  const byOid = new Map<string, { type: ObjectType; data: Uint8Array }>();
  const settle = (index: number, type: ObjectType, data: Uint8Array): void => {
    const oid = hashObject(nodeCodec, type, data);
    resolved[index] = { type, data, oid };
    byOid.set(oid, { type, data });
  };
  let progress = true;
  while (progress) {
    progress = false;
    for (const e of entries) {
      if (resolved[e.index] !== undefined) continue;
      const type = TYPE_BY_CODE[e.typeCode];
      let base: { type: ObjectType; data: Uint8Array } | undefined;
      if (type !== undefined) base = undefined;
      else if (e.typeCode === OFS_DELTA) base = resolved[byOffset.get(e.baseOffset!)!];
      else base = byOid.get(e.baseOid!);
      if (type !== undefined) settle(e.index, type, e.data);
      else if (base !== undefined) settle(e.index, base.type, applyDelta(base.data, e.data));
      else continue;
      progress = true;
    }
    if (!progress) {
      const missing = entries.filter((e) => resolved[e.index] === undefined && e.typeCode === REF_DELTA);
      if (missing.length === 0) break;
      for (const [oid, object] of catFile(repo, missing.map((e) => e.baseOid!))) byOid.set(oid, object);
      progress = true;
    }
  }
  return entries.map((e) => resolved[e.index]!);
}

/** Checks parsed entries against `git verify-pack -v` and `git cat-file`. */
function checkAgainstGit(pack: Uint8Array, parsed: { entries: PackEntry[]; summary: PackSummary }, rows: Map<number, VerifyRow>, repo: string): void {
  const { entries, summary } = parsed;
  const declared = new DataView(pack.buffer, pack.byteOffset).getUint32(8);
  expect(summary).toEqual({ objectCount: declared, checksum: bytesToHex(pack.subarray(pack.length - 20)), bytes: pack.length });
  expect(entries.map((e) => e.index)).toEqual(entries.map((_, i) => i));
  expect(entries.length).toBe(declared);
  const offsetOf = new Map([...rows.values()].map((r) => [r.oid, r.offset]));
  entries.forEach((entry, i) => {
    const next = entries[i + 1]?.offset ?? pack.length - 20;
    const row = rows.get(entry.offset);
    expect(row, `verify-pack has an object at ${entry.offset}`).toBeDefined();
    expect(entry.size).toBe(row!.size);
    expect(entry.data.length).toBe(entry.size);
    expect(next - entry.offset).toBe(row!.packedSize);
    if (entry.typeCode <= 4) {
      expect(TYPE_BY_CODE[entry.typeCode]).toBe(row!.type);
      expect(row!.baseOid).toBeUndefined();
    } else if (entry.typeCode === OFS_DELTA) {
      expect(entry.baseOffset).toBe(offsetOf.get(row!.baseOid!));
    } else {
      expect(entry.typeCode).toBe(REF_DELTA);
      expect(entry.baseOid).toBe(row!.baseOid);
    }
    // The entry's bytes, re-assembled, are exactly the pack's: `compressed` is verbatim.
    const link =
      entry.typeCode === OFS_DELTA ? encodeOfsDelta(entry.offset - entry.baseOffset!)
      : entry.typeCode === REF_DELTA ? hexToBytes(entry.baseOid!)
      : new Uint8Array(0);
    expectSameBytes(concatBytes([encodeEntryHeader(entry.typeCode, entry.size), link, entry.compressed]), pack.subarray(entry.offset, next), `entry ${i}`);
  });
  const objects = resolveAll(entries, repo);
  const fromGit = catFile(repo, objects.map((o) => o.oid));
  objects.forEach((object, i) => {
    const row = rows.get(entries[i]!.offset)!;
    expect(object.oid).toBe(row.oid);
    expect(object.type).toBe(row.type);
    const expected = fromGit.get(object.oid)!;
    expect(expected.type).toBe(object.type);
    expectSameBytes(object.data, expected.data, `object ${object.oid}`);
  });
}

function countingCodec(): { codec: Codec; stats: { successes: number; windowBytes: number } } {
  const stats = { successes: 0, windowBytes: 0 };
  const codec: Codec = {
    ...nodeCodec,
    inflatePrefix(data) {
      stats.windowBytes += data.length;
      const result = nodeCodec.inflatePrefix(data);
      if (result !== undefined) stats.successes++;
      return result;
    },
  };
  return { codec, stats };
}

function commitAll(repo: string, message: string): void {
  gitBytes(['add', '-A'], { cwd: repo });
  gitBytes(['commit', '-q', '-m', message], { cwd: repo });
}

function numberedLines(count: number, salt: string): string {
  let text = '';
  for (let i = 0; i < count; i++) text += `${i} ${createHash('sha1').update(`${salt}${i}`).digest('hex')}\n`;
  return text;
}

// ---------------------------------------------------------------- fixtures from git

const root = useTempDir('grove-readpack-');
let repo: string;
let bigRepo: string;

function indexed(name: string, pack: Uint8Array, cwd: string, extra: string[] = []): Map<number, VerifyRow> {
  const path = join(root, `${name}.pack`);
  if (extra.length > 0) gitBytes(['index-pack', ...extra, '--stdin', path], { cwd, input: pack });
  else {
    writeFileSync(path, pack);
    gitBytes(['index-pack', path], { cwd });
  }
  return verifyPack(join(root, `${name}.idx`));
}

beforeAll(() => {
  repo = join(root, 'repo');
  gitBytes(['init', '-q', repo]);
  mkdirSync(join(repo, 'src'));
  let text = numberedLines(3000, 'base');
  writeFileSync(join(repo, 'big.txt'), text);
  writeFileSync(join(repo, 'src', 'a.txt'), 'alpha\n');
  commitAll(repo, 'first');
  for (let round = 1; round <= 5; round++) {
    text = text.replace(`${round * 400} `, `${round * 400} changed in round ${round} `) + `appended ${round}\n`;
    writeFileSync(join(repo, 'big.txt'), text);
    writeFileSync(join(repo, 'src', `file${round}.txt`), numberedLines(50, `f${round}`));
    commitAll(repo, `round ${round}`);
    if (round === 2) gitBytes(['tag', '-a', '-m', 'annotated', 'v2'], { cwd: repo });
  }

  bigRepo = join(root, 'big');
  gitBytes(['init', '-q', bigRepo]);
  writeFileSync(join(bigRepo, 'random.bin'), randomBytes(50 * 1024 * 1024));
  writeFileSync(join(bigRepo, 'small.txt'), 'small\n');
  commitAll(bigRepo, 'big blob');
});

describe('readPack on packs made by git', () => {
  it('parses an OFS_DELTA pack, whole and in random small chunks', async () => {
    const pack = gitBytes(['pack-objects', '--all', '--stdout', '--delta-base-offset'], { cwd: repo });
    const rows = indexed('ofs', pack, repo);
    const whole = await parse(oneChunk(pack));
    expect(whole.entries.some((e) => e.typeCode === OFS_DELTA)).toBe(true);
    expect(whole.entries.some((e) => e.typeCode === TYPE_CODE.tag)).toBe(true);
    checkAgainstGit(pack, whole, rows, repo);
    for (const seed of [1, 2, 3]) checkAgainstGit(pack, await parse(chunked(pack, { seed })), rows, repo);
    checkAgainstGit(pack, await parse(chunked(pack, { min: 1, max: 3 })), rows, repo);
  });

  it('parses a REF_DELTA pack (no --delta-base-offset)', async () => {
    const pack = gitBytes(['pack-objects', '--all', '--stdout'], { cwd: repo });
    const rows = indexed('ref', pack, repo);
    const parsed = await parse(chunked(pack, { seed: 7 }));
    expect(parsed.entries.some((e) => e.typeCode === REF_DELTA)).toBe(true);
    expect(parsed.entries.some((e) => e.typeCode === OFS_DELTA)).toBe(false);
    checkAgainstGit(pack, parsed, rows, repo);
    checkAgainstGit(pack, await parse(oneChunk(pack)), rows, repo);
  });

  it('parses a thin pack whose REF_DELTA bases live outside it', async () => {
    const pack = gitBytes(['pack-objects', '--revs', '--thin', '--stdout', '--delta-base-offset'], {
      cwd: repo,
      input: 'HEAD\n^HEAD~2\n',
    });
    // index-pack --fix-thin appends the missing bases after the original entries, keeping their offsets.
    const rows = indexed('thin', pack, repo, ['--fix-thin']);
    const parsed = await parse(chunked(pack, { seed: 11, max: 300 }));
    const inPack = new Set(parsed.entries.map((e) => rows.get(e.offset)!.oid));
    expect(parsed.entries.some((e) => e.typeCode === REF_DELTA && !inPack.has(e.baseOid!))).toBe(true);
    checkAgainstGit(pack, parsed, rows, repo);
  });

  it('parses the empty pack', async () => {
    const pack = gitBytes(['pack-objects', '--stdout'], { cwd: repo });
    expect(pack.length).toBe(32);
    const parsed = await parse(oneChunk(pack));
    expect(parsed.entries).toEqual([]);
    expect(parsed.summary).toEqual({ objectCount: 0, checksum: bytesToHex(pack.subarray(12)), bytes: 32 });
    expect((await parse(chunked(pack, { max: 2 }))).summary.objectCount).toBe(0);
  });

  it('parses a pack with a 50 MiB random blob in O(size) work and bounded read-ahead', async () => {
    const pack = gitBytes(['pack-objects', '--all', '--stdout'], { cwd: bigRepo });
    const rows = indexed('big', pack, bigRepo);

    const whole = countingCodec();
    const parsedWhole = await parse(oneChunk(pack), whole.codec);
    checkAgainstGit(pack, parsedWhole, rows, bigRepo);
    expect(whole.stats.successes).toBe(parsedWhole.entries.length);

    const small = countingCodec();
    let pulled = 0;
    let worstOvershoot = 0;
    const parsedSmall = await parse(
      chunked(pack, { seed: 5, onPull: (n) => (pulled = n) }),
      small.codec,
      {},
      (entry) => {
        const entryEnd = entry.offset + encodeEntryHeader(entry.typeCode, entry.size).length + entry.compressed.length
          + (entry.typeCode === OFS_DELTA ? encodeOfsDelta(entry.offset - entry.baseOffset!).length : 0)
          + (entry.typeCode === REF_DELTA ? 20 : 0);
        // Never more buffered than this entry's stream again plus a chunk: not the whole pack.
        worstOvershoot = Math.max(worstOvershoot, pulled - entryEnd - entry.compressed.length);
      },
    );
    checkAgainstGit(pack, parsedSmall, rows, bigRepo);
    const blob = parsedSmall.entries.find((e) => e.size === 50 * 1024 * 1024)!;
    expect(blob.typeCode).toBe(TYPE_CODE.blob);
    expect(blob.compressed.length).toBeGreaterThan(50 * 1024 * 1024);
    // Each entry inflated exactly once to completion...
    expect(small.stats.successes).toBe(parsedSmall.entries.length);
    // ...and the failed attempts on growing windows cost O(size), not O(size²).
    expect(small.stats.windowBytes).toBeLessThan(6 * pack.length);
    expect(worstOvershoot).toBeLessThanOrEqual(7000 + 64);
  });
});

// ---------------------------------------------------------------- hand-built packs

const BLOB = TYPE_CODE.blob;
const baseText = utf8(numberedLines(40, 'hand'));
const baseOid = hashObject(nodeCodec, 'blob', baseText);

/** A delta: copy the whole base, then insert `tail`. */
function appendDelta(base: Uint8Array, tail: string): Uint8Array {
  const insert = utf8(tail);
  const sizes = [...varint(base.length), ...varint(base.length + insert.length)];
  // copy: offset bytes 1-2, size bytes 1-2
  const copy = [0x80 | 0x01 | 0x02 | 0x10 | 0x20, 0, 0, base.length & 0xff, base.length >> 8];
  return Uint8Array.from([...sizes, ...copy, insert.length, ...insert]);
}

function varint(n: number): number[] {
  const out = [n & 0x7f];
  for (n = Math.floor(n / 128); n > 0; n = Math.floor(n / 128)) {
    out[out.length - 1]! |= 0x80;
    out.push(n & 0x7f);
  }
  return out;
}

function entry(typeCode: number, data: Uint8Array, link: Uint8Array = new Uint8Array(0), size = data.length): Uint8Array {
  return concatBytes([encodeEntryHeader(typeCode, size), link, deflateSync(data)]);
}

function buildPack(entries: Uint8Array[], { count = entries.length, version = 2 } = {}): Uint8Array {
  const header = new Uint8Array(12);
  header.set(utf8('PACK'));
  new DataView(header.buffer).setUint32(4, version);
  new DataView(header.buffer).setUint32(8, count);
  const body = concatBytes([header, ...entries]);
  return concatBytes([body, createHash('sha1').update(body).digest()]);
}

/** blob, OFS_DELTA on it (distance > 127), REF_DELTA on it. */
function samplePack(version = 2): Uint8Array {
  const first = entry(BLOB, baseText);
  const second = entry(OFS_DELTA, appendDelta(baseText, 'ofs tail\n'), encodeOfsDelta(first.length));
  const third = entry(REF_DELTA, appendDelta(baseText, 'ref tail\n'), hexToBytes(baseOid));
  return buildPack([first, second, third], { version });
}

async function expectRejects(pack: Uint8Array, code: string, message: RegExp, options: { maxBytes?: number } = {}): Promise<void> {
  for (const source of [oneChunk(pack), chunked(pack, { max: 5, seed: 3 })]) {
    await expect(parse(source, nodeCodec, options)).rejects.toMatchObject({ name: 'GroveError', code, message: expect.stringMatching(message) });
  }
}

describe('readPack on hand-built packs', () => {
  it('reads a hand-built pack that git itself accepts', async () => {
    const pack = samplePack();
    expect(pack.length).toBeGreaterThan(12 + 200);
    const bare = join(root, 'hand.git');
    gitBytes(['init', '-q', '--bare', bare]);
    // Stored in the repository, so that cat-file can read the objects back.
    const name = gitText(['index-pack', '--stdin'], { cwd: bare, input: pack }).replace(/^pack\t/, '');
    expect(name).toBe(bytesToHex(pack.subarray(pack.length - 20)));
    const rows = verifyPack(join(bare, 'objects', 'pack', `pack-${name}.idx`));
    const parsed = await parse(chunked(pack, { max: 9 }));
    checkAgainstGit(pack, parsed, rows, bare);
    expect(parsed.entries.map((e) => e.typeCode)).toEqual([BLOB, OFS_DELTA, REF_DELTA]);
    expect(parsed.entries[1]!.baseOffset).toBe(12);
    expect(parsed.entries[2]!.baseOid).toBe(baseOid);
  });

  it('accepts version 3', async () => {
    const parsed = await parse(oneChunk(samplePack(3)));
    expect(parsed.summary.objectCount).toBe(3);
  });

  it('rejects a bad signature and unsupported versions', async () => {
    const pack = samplePack();
    const bad = pack.slice();
    bad[3] = 0x58; // PACX
    await expectRejects(bad, 'BAD_PACK', /not a pack: signature is 0x50414358/);
    await expectRejects(utf8('<html>hello</html>'), 'BAD_PACK', /not a pack/);
    await expectRejects(samplePack(1), 'BAD_PACK', /unsupported pack version 1/);
    await expectRejects(samplePack(4), 'BAD_PACK', /unsupported pack version 4/);
  });

  it('rejects the invalid type codes 0 and 5', async () => {
    for (const typeCode of [0, 5]) {
      const bad = entry(BLOB, baseText);
      bad[0] = (bad[0]! & 0x8f) | (typeCode << 4);
      await expectRejects(buildPack([bad]), 'BAD_PACK', new RegExp(`pack entry 0 at offset 12 has invalid type code ${typeCode}`));
    }
  });

  it('rejects an OFS_DELTA distance pointing before the pack start', async () => {
    for (const distance of [1, 12, 13, 1000]) {
      const bad = entry(OFS_DELTA, appendDelta(baseText, 'x'), encodeOfsDelta(distance));
      await expectRejects(buildPack([bad]), 'BAD_PACK', /OFS_DELTA distance \d+ points before the first entry/);
    }
  });

  it('rejects an OFS_DELTA base that is not the start of an earlier entry', async () => {
    const first = entry(BLOB, baseText);
    for (const distance of [0, first.length - 1, 1]) {
      const second = entry(OFS_DELTA, appendDelta(baseText, 'x'), encodeOfsDelta(distance));
      await expectRejects(buildPack([first, second]), 'BAD_PACK', /OFS_DELTA base offset \d+ is not the start of an earlier entry/);
    }
  });

  it('rejects an entry whose inflated length differs from its header', async () => {
    // Longer than declared: inflating stops at the declared size (a small entry cannot expand into gigabytes).
    for (const size of [baseText.length - 1, 0]) {
      const bad = entry(BLOB, baseText, undefined, size);
      await expectRejects(buildPack([bad]), 'BAD_PACK', new RegExp(`inflates to more than ${size} bytes, its header says ${size}`));
    }
    const short = entry(BLOB, baseText, undefined, baseText.length + 1);
    await expectRejects(buildPack([short]), 'BAD_PACK', new RegExp(`inflates to ${baseText.length} bytes, its header says ${baseText.length + 1}`));
  });

  it('rejects a corrupt zlib stream', async () => {
    const good = entry(BLOB, baseText);
    const headerLength = encodeEntryHeader(BLOB, baseText.length).length;
    const badHeader = good.slice();
    badHeader[headerLength] = 0x79; // zlib header check fails
    await expectRejects(buildPack([badHeader]), 'BAD_PACK', /pack entry 0 at offset 12: corrupt zlib stream/);
    const badAdler = good.slice();
    badAdler[badAdler.length - 1]! ^= 0xff; // adler-32 of the content fails
    await expectRejects(buildPack([badAdler]), 'BAD_PACK', /corrupt zlib stream/);
  });

  it('rejects every truncation of a pack', async () => {
    const pack = samplePack();
    for (let length = 0; length < pack.length; length++) {
      const cut = pack.subarray(0, length);
      const parsing = parse(length % 2 === 0 ? oneChunk(cut) : chunked(cut, { max: 4, seed: length }));
      await expect(parsing, `cut at ${length}`).rejects.toMatchObject({
        code: 'BAD_PACK',
        message: expect.stringMatching(/truncated|pack ends after/),
      });
    }
  });

  it('rejects a trailer mismatch', async () => {
    const bad = samplePack();
    bad[bad.length - 1]! ^= 1;
    await expectRejects(bad, 'BAD_PACK', /pack checksum mismatch: trailer is [0-9a-f]{40}, content hashes to [0-9a-f]{40}$/);
  });

  it('rejects an object count that does not match the entries', async () => {
    const first = entry(BLOB, baseText);
    const second = entry(BLOB, utf8('second\n'));
    await expectRejects(buildPack([first, second], { count: 3 }), 'BAD_PACK', /pack ends after 2 objects \(a trailer follows\), its header declares 3/);
    await expectRejects(buildPack([first, second], { count: 1 }), 'BAD_PACK', /checksum mismatch.*more data follows/);
  });

  it('rejects trailing data after the trailer', async () => {
    const pack = samplePack();
    await expectRejects(concatBytes([pack, utf8('0000')]), 'BAD_PACK', new RegExp(`trailing data after the pack trailer at offset ${pack.length}`));
  });

  it('enforces maxBytes', async () => {
    const pack = samplePack();
    await expectRejects(pack, 'PAYLOAD_TOO_LARGE', new RegExp(`pack exceeds the limit of ${pack.length - 1} bytes`), { maxBytes: pack.length - 1 });
    expect((await parse(chunked(pack), nodeCodec, { maxBytes: pack.length })).summary.bytes).toBe(pack.length);
  });

  it('stops the source when the consumer stops early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield* chunked(samplePack(), { max: 50 });
      } finally {
        closed = true;
      }
    }
    for await (const e of readPack(source(), nodeCodec)) {
      expect(e.index).toBe(0);
      break;
    }
    expect(closed).toBe(true);
  });
});
