import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkRanges, ContentChunker, MAX_CHUNK, MIN_CHUNK } from './ContentChunker.ts';
import { frameHeader, readFrames } from './frames.ts';

function seeded(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

const ids = (data: Uint8Array): string[] => chunkRanges(data).map(([a, b]) => createHash('sha1').update(data.subarray(a, b)).digest('hex'));

describe('ContentChunker', () => {
  it('covers the data with chunks between the bounds', () => {
    const data = seeded(24 * 1024 * 1024, 1);
    const ranges = chunkRanges(data);
    expect(ranges[0]![0]).toBe(0);
    expect(ranges.at(-1)![1]).toBe(data.length);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1]);
    for (const [a, b] of ranges.slice(0, -1)) {
      expect(b - a).toBeGreaterThan(MIN_CHUNK);
      expect(b - a).toBeLessThanOrEqual(MAX_CHUNK);
    }
    // About 1 MiB past the minimum on average: neither one chunk nor hundreds.
    expect(ranges.length).toBeGreaterThan(6);
    expect(ranges.length).toBeLessThan(40);
  });

  it('cuts the same whatever the blocks the bytes come in', () => {
    const data = seeded(9 * 1024 * 1024 + 17, 2);
    const whole = chunkRanges(data).map(([, b]) => b);
    for (const size of [1, 4093, 65536, 1 << 20]) {
      const chunker = new ContentChunker();
      const ends: number[] = [];
      const step = size === 1 ? 7919 : size; // a byte at a time would be slow; an odd prime instead
      for (let at = 0; at < data.length; at += step) ends.push(...chunker.push(data.subarray(at, at + step)));
      const last = chunker.end();
      if (last !== null) ends.push(last);
      expect(ends).toEqual(whole);
    }
  });

  it('keeps every chunk but those next to bytes inserted in the middle', () => {
    const before = seeded(16 * 1024 * 1024, 3);
    const after = new Uint8Array(before.length + 100);
    const at = 8 * 1024 * 1024 + 12345;
    after.set(before.subarray(0, at));
    after.set(randomBytes(100), at);
    after.set(before.subarray(at), at + 100);
    const old = new Set(ids(before));
    const now = ids(after);
    const fresh = now.filter((id) => !old.has(id));
    expect(fresh.length).toBeGreaterThanOrEqual(1);
    expect(fresh.length).toBeLessThanOrEqual(2);
  });

  it('cuts a run of one byte at the maximum', () => {
    const ranges = chunkRanges(new Uint8Array(MAX_CHUNK * 2 + 5));
    expect(ranges.map(([a, b]) => b - a)).toEqual([MAX_CHUNK, MAX_CHUNK, 5]);
  });

  it('leaves empty data without chunks', () => {
    expect(chunkRanges(new Uint8Array(0))).toEqual([]);
  });
});

describe('frames', () => {
  it('reads back what was framed, and refuses a cut body', () => {
    const pieces = [new Uint8Array([1, 2, 3]), new Uint8Array(0), seeded(70000, 4)];
    const body = new Uint8Array(pieces.reduce((n, p) => n + 4 + p.length, 0));
    let at = 0;
    for (const p of pieces) {
      body.set(frameHeader(p.length), at);
      body.set(p, at + 4);
      at += 4 + p.length;
    }
    expect(readFrames(body)).toEqual(pieces);
    expect(readFrames(body.subarray(0, body.length - 1))).toBeNull();
    expect(readFrames(body.subarray(0, 2))).toBeNull();
    expect(readFrames(new Uint8Array(0))).toEqual([]);
  });
});
