import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitBytes, gitText } from '../../../test/support/gitBytes.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { TYPE_CODE, type ObjectType } from '../objects/gitObject.ts';
import {
  decodeEntryHeader,
  decodeOfsDelta,
  encodeEntryHeader,
  encodeOfsDelta,
  isPackTypeCode,
  OFS_DELTA,
  REF_DELTA,
} from './entryHeader.ts';

const SIZES = [0, 1, 15, 16, 127, 128, 2047, 2048, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 2 ** 40 + 12345, Number.MAX_SAFE_INTEGER];

describe('entry header', () => {
  it('matches known encodings', () => {
    expect([...encodeEntryHeader(3, 0)]).toEqual([0x30]);
    expect([...encodeEntryHeader(3, 15)]).toEqual([0x3f]);
    expect([...encodeEntryHeader(3, 16)]).toEqual([0xb0, 0x01]);
    expect([...encodeEntryHeader(1, 161)]).toEqual([0x91, 0x0a]); // a commit of 161 bytes, as git wrote it
    expect([...encodeEntryHeader(3, 2 ** 32)]).toEqual([0xb0, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect([...encodeEntryHeader(7, 2 ** 32 + 1)]).toEqual([0xf1, 0x80, 0x80, 0x80, 0x80, 0x01]);
  });

  it('round-trips every type and sizes beyond 2^32', () => {
    for (const typeCode of [1, 2, 3, 4, 6, 7]) {
      for (const size of SIZES) {
        const bytes = encodeEntryHeader(typeCode, size);
        expect(decodeEntryHeader(bytes, 0)).toEqual({ typeCode, size, length: bytes.length });
        const shifted = new Uint8Array(bytes.length + 3);
        shifted.set(bytes, 2);
        expect(decodeEntryHeader(shifted, 2)).toEqual({ typeCode, size, length: bytes.length });
      }
    }
  });

  it('answers undefined while the header is incomplete', () => {
    const bytes = encodeEntryHeader(3, 2 ** 40);
    for (let n = 0; n < bytes.length; n++) expect(decodeEntryHeader(bytes.subarray(0, n), 0)).toBeUndefined();
  });

  it('reports the type code as found, and isPackTypeCode tells the valid ones', () => {
    expect(decodeEntryHeader(Uint8Array.of(0x05), 0)).toEqual({ typeCode: 0, size: 5, length: 1 });
    expect(decodeEntryHeader(Uint8Array.of(0x55), 0)).toEqual({ typeCode: 5, size: 5, length: 1 });
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(isPackTypeCode)).toEqual([false, true, true, true, true, false, true, true]);
  });

  it('rejects sizes beyond 2^53 and endless continuation bytes', () => {
    const huge = Uint8Array.of(0xbf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f);
    expect(() => decodeEntryHeader(huge, 0)).toThrow(expect.objectContaining({ code: 'BAD_PACK' }));
    const endless = new Uint8Array(64).fill(0x80);
    expect(() => decodeEntryHeader(endless, 0)).toThrow(/beyond 2\^53/);
  });

  it('refuses to encode impossible headers', () => {
    expect(() => encodeEntryHeader(0, 1)).toThrow();
    expect(() => encodeEntryHeader(8, 1)).toThrow();
    expect(() => encodeEntryHeader(3, -1)).toThrow();
    expect(() => encodeEntryHeader(3, 1.5)).toThrow();
    expect(() => encodeEntryHeader(3, 2 ** 53)).toThrow();
  });
});

describe('OFS_DELTA offset', () => {
  it('matches known encodings (git adds 1 per continuation byte)', () => {
    expect([...encodeOfsDelta(0)]).toEqual([0x00]);
    expect([...encodeOfsDelta(127)]).toEqual([0x7f]);
    expect([...encodeOfsDelta(128)]).toEqual([0x80, 0x00]);
    expect([...encodeOfsDelta(16511)]).toEqual([0xff, 0x7f]);
    expect([...encodeOfsDelta(16512)]).toEqual([0x80, 0x80, 0x00]);
  });

  it('round-trips distances beyond 2^32', () => {
    for (const distance of SIZES) {
      const bytes = encodeOfsDelta(distance);
      expect(decodeOfsDelta(bytes, 0)).toEqual({ distance, length: bytes.length });
      for (let n = 0; n < bytes.length; n++) expect(decodeOfsDelta(bytes.subarray(0, n), 0)).toBeUndefined();
    }
  });

  it('rejects an offset that overflows', () => {
    const bytes = new Uint8Array(10).fill(0xff);
    bytes[9] = 0x7f;
    expect(() => decodeOfsDelta(bytes, 0)).toThrow(expect.objectContaining({ code: 'BAD_PACK' }));
  });
});

describe('against a pack written by git', () => {
  const root = useTempDir('grove-entryheader-');

  it('decodes every entry header and OFS offset where verify-pack puts them', () => {
    const repo = join(root, 'repo');
    gitBytes(['init', '-q', repo]);
    let text = '';
    for (let i = 0; i < 4000; i++) text += `line ${i} ${(i * 7919) % 10007}\n`;
    writeFileSync(join(repo, 'f.txt'), text);
    gitBytes(['add', '.'], { cwd: repo });
    gitBytes(['commit', '-q', '-m', 'one'], { cwd: repo });
    writeFileSync(join(repo, 'f.txt'), `${text}more\n`);
    gitBytes(['commit', '-q', '-am', 'two'], { cwd: repo });
    const pack = gitBytes(['pack-objects', '--all', '--stdout', '--delta-base-offset'], { cwd: repo });
    writeFileSync(join(root, 'p.pack'), pack);
    gitBytes(['index-pack', join(root, 'p.pack')]);
    const rows = gitText(['verify-pack', '-v', join(root, 'p.idx')])
      .split('\n')
      .map((line) => /^([0-9a-f]{40}) (\w+)\s+(\d+) \d+ (\d+)(?: \d+ ([0-9a-f]{40}))?$/.exec(line))
      .filter((m) => m !== null);
    const offsetOf = new Map(rows.map((m) => [m[1]!, Number(m[4])]));
    let deltas = 0;
    for (const m of rows) {
      const offset = Number(m[4]);
      const header = decodeEntryHeader(pack, offset)!;
      expect(header.size).toBe(Number(m[3]));
      expect([...pack.subarray(offset, offset + header.length)]).toEqual([...encodeEntryHeader(header.typeCode, header.size)]);
      if (m[5] === undefined) {
        expect(header.typeCode).toBe(TYPE_CODE[m[2] as ObjectType]);
      } else {
        deltas++;
        expect(header.typeCode).toBe(OFS_DELTA);
        const ofs = decodeOfsDelta(pack, offset + header.length)!;
        expect(offset - ofs.distance).toBe(offsetOf.get(m[5]));
        expect([...encodeOfsDelta(ofs.distance)]).toEqual([...pack.subarray(offset + header.length, offset + header.length + ofs.length)]);
      }
    }
    expect(deltas).toBeGreaterThan(0);
    expect(REF_DELTA).toBe(7);
  });
});
