import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneChunk } from '../../../test/support/chunked.ts';
import { gitBytes } from '../../../test/support/gitBytes.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { utf8 } from '../bytes.ts';
import { applyDelta, readDeltaSizes } from './applyDelta.ts';
import { OFS_DELTA } from './entryHeader.ts';
import { readPack, type PackEntry } from './readPack.ts';

/** Size encoding: 7 bits a byte, least significant first. */
function size(n: number): number[] {
  const out: number[] = [];
  do {
    const low = n % 128;
    n = Math.floor(n / 128);
    out.push(n > 0 ? low | 0x80 : low);
  } while (n > 0);
  return out;
}

function delta(baseSize: number, resultSize: number, ...instructions: number[][]): Uint8Array {
  return Uint8Array.from([...size(baseSize), ...size(resultSize), ...instructions.flat()]);
}

const insert = (text: string): number[] => [text.length, ...utf8(text)];

function expectBadDelta(run: () => Uint8Array, message: RegExp): void {
  expect(run).toThrow(message);
  try {
    run();
  } catch (err) {
    expect(err).toMatchObject({ name: 'GroveError', code: 'BAD_PACK' });
  }
}

describe('readDeltaSizes', () => {
  it('reads both sizes, including sizes beyond 2^32', () => {
    expect(readDeltaSizes(delta(10, 20))).toEqual({ baseSize: 10, resultSize: 20, headerLength: 2 });
    expect(readDeltaSizes(delta(2 ** 35 + 3, 300))).toEqual({ baseSize: 2 ** 35 + 3, resultSize: 300, headerLength: 8 });
    expect(() => readDeltaSizes(Uint8Array.of(0x80))).toThrow(/truncated base size/);
    expect(() => readDeltaSizes(Uint8Array.of(0x05, 0x81))).toThrow(/truncated result size/);
  });
});

describe('applyDelta', () => {
  const base = utf8('0123456789abcdefghijklmnopqrstuvwxyz');
  const root = useTempDir('grove-applydelta-');

  it('copies and inserts', () => {
    const out = applyDelta(base, delta(base.length, 9, [0x91, 10, 3], insert('-'), [0x91, 0, 5]));
    expect(new TextDecoder().decode(out)).toBe('abc-01234');
  });

  it('reads offset and size bytes by position, not by count (gitformat-pack example)', () => {
    const big = randomBytes(0x30000);
    // 10000101: offset1 and offset3 present => offset = o1 + o3 * 2^16; then size3 only.
    const out = applyDelta(big, delta(big.length, 0x10000, [0x80 | 0x01 | 0x04 | 0x40, 0x07, 0x01, 0x01]));
    expect(Buffer.compare(out, big.subarray(0x10007, 0x20007))).toBe(0);
  });

  it('treats copy size 0 as 0x10000', () => {
    const big = randomBytes(0x10010);
    const out = applyDelta(big, delta(big.length, 0x10000, [0x80]));
    expect(Buffer.compare(out, big.subarray(0, 0x10000))).toBe(0);
    const shifted = applyDelta(big, delta(big.length, 0x10000, [0x81, 0x10]));
    expect(Buffer.compare(shifted, big.subarray(0x10, 0x10010))).toBe(0);
  });

  it('computes 4-byte copy offsets without 32-bit wrap-around', () => {
    // offset4 = 0x80 would be negative with `<<`; it must read as 2^31 and be out of range.
    expectBadDelta(() => applyDelta(base, delta(base.length, 1, [0x80 | 0x08 | 0x10, 0x80, 0x01])), /copy of 1 bytes at base offset 2147483648 exceeds/);
    expectBadDelta(() => applyDelta(base, delta(base.length, 1, [0x8f | 0x10, 0xff, 0xff, 0xff, 0xff, 0x01])), /base offset 4294967295 exceeds/);
  });

  it('rejects a base of the wrong size', () => {
    expectBadDelta(() => applyDelta(base, delta(base.length + 1, 1, insert('x'))), /base size is 36 bytes, the delta expects 37/);
  });

  it('rejects the reserved opcode 0', () => {
    expectBadDelta(() => applyDelta(base, delta(base.length, 1, [0x00], insert('x'))), /reserved instruction 0x00/);
  });

  it('rejects copies outside the base and writes past the result', () => {
    expectBadDelta(() => applyDelta(base, delta(base.length, 5, [0x91, 34, 5])), /copy of 5 bytes at base offset 34 exceeds the 36-byte base/);
    expectBadDelta(() => applyDelta(base, delta(base.length, 3, [0x91, 0, 5])), /copy overflows the 3-byte result/);
    expectBadDelta(() => applyDelta(base, delta(base.length, 2, insert('abc'))), /insert overflows the 2-byte result/);
  });

  it('rejects truncated instructions', () => {
    expectBadDelta(() => applyDelta(base, delta(base.length, 5, [0x91, 0])), /truncated copy instruction/);
    expectBadDelta(() => applyDelta(base, delta(base.length, 5, [5, 0x61, 0x62])), /truncated insert of 5 bytes/);
  });

  it('rejects a result shorter than declared', () => {
    expectBadDelta(() => applyDelta(base, delta(base.length, 10, [0x91, 0, 5])), /result is 5 bytes, the delta declares 10/);
    expectBadDelta(() => applyDelta(base, delta(base.length, 2 ** 40)), /declared result size 1099511627776 is impossible/);
  });

  it('rebuilds objects from deltas git wrote', async () => {
    gitBytes(['init', '-q', root]);
    let text = '';
    for (let i = 0; i < 6000; i++) text += `row ${i}: ${(i * 104729) % 65537}\n`; // > 64 KiB: 3-byte copy offsets
    writeFileSync(join(root, 'f.txt'), text);
    gitBytes(['add', '.'], { cwd: root });
    gitBytes(['commit', '-q', '-m', 'one'], { cwd: root });
    writeFileSync(join(root, 'f.txt'), `head\n${text.replace('row 3000:', 'ROW 3000:')}tail\n`);
    gitBytes(['commit', '-q', '-am', 'two'], { cwd: root });
    const pack = gitBytes(['pack-objects', '--all', '--stdout', '--delta-base-offset'], { cwd: root });
    const entries: PackEntry[] = [];
    for await (const entry of readPack(oneChunk(pack), nodeCodec)) entries.push(entry);
    const blobDelta = entries.find((e) => e.typeCode === OFS_DELTA && entries.find((b) => b.offset === e.baseOffset)?.typeCode === 3)!;
    const baseEntry = entries.find((e) => e.offset === blobDelta.baseOffset)!;
    const rebuilt = applyDelta(baseEntry.data, blobDelta.data);
    const versions = ['HEAD:f.txt', 'HEAD~1:f.txt'].map((rev) => gitBytes(['cat-file', 'blob', rev], { cwd: root }));
    expect(versions.some((v) => Buffer.compare(v, baseEntry.data) === 0)).toBe(true);
    expect(versions.some((v) => Buffer.compare(v, rebuilt) === 0)).toBe(true);
    expect(Buffer.compare(rebuilt, baseEntry.data)).not.toBe(0);
    expect(readDeltaSizes(blobDelta.data)).toMatchObject({ baseSize: baseEntry.data.length, resultSize: rebuilt.length });
  });
});
