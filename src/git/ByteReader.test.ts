import { describe, expect, it } from 'vitest';
import { chunked, oneChunk } from '../../test/support/chunked.ts';
import { ByteReader } from './ByteReader.ts';
import { concatBytes } from './bytes.ts';

const bytes = (n: number): Uint8Array => new Uint8Array(n).map((_, i) => (i * 31 + 7) % 256);

describe('ByteReader', () => {
  it('gives contiguous views across chunk boundaries', async () => {
    const input = bytes(100_000);
    const reader = new ByteReader(chunked(input, { max: 97, seed: 2 }));
    const out: Uint8Array[] = [];
    for (const n of [1, 5000, 3, 65536, 20000]) {
      expect(await reader.fill(n)).toBe(true);
      expect(reader.peek(n)).toEqual(input.subarray(reader.position, reader.position + n));
      out.push(reader.consume(n).slice());
    }
    expect(reader.position).toBe(90540);
    expect(await reader.fill(10_000)).toBe(false);
    expect(reader.ended).toBe(true);
    expect(reader.available).toBe(100_000 - 90540);
    out.push(reader.consume(reader.available));
    expect(concatBytes(out)).toEqual(input);
  });

  it('never writes into the chunks it was given, and its views stay intact', async () => {
    const input = bytes(50_000);
    const chunks: Uint8Array[] = [];
    for await (const chunk of chunked(input, { max: 300, seed: 5 })) chunks.push(chunk);
    const copies = chunks.map((c) => c.slice());
    async function* source(): AsyncGenerator<Uint8Array> {
      yield* chunks;
    }
    const reader = new ByteReader(source());
    const views: [number, Uint8Array][] = [];
    for (let n = 1; reader.position < input.length; n = (n * 7) % 1000 + 1) {
      await reader.fill(n);
      const at = reader.position;
      views.push([at, reader.consume(Math.min(n, reader.available))]);
    }
    chunks.forEach((c, i) => expect(c).toEqual(copies[i]));
    for (const [at, view] of views) expect(view).toEqual(input.subarray(at, at + view.length));
  });

  it('hands over the rest: buffered bytes first, then the source', async () => {
    const input = bytes(10_000);
    const reader = new ByteReader(chunked(input, { max: 700 }));
    await reader.fill(1000);
    reader.consume(600);
    const rest: Uint8Array[] = [];
    for await (const chunk of reader.rest()) rest.push(chunk);
    expect(concatBytes(rest)).toEqual(input.subarray(600));
    expect(reader.position).toBe(10_000);
  });

  it('fails with PAYLOAD_TOO_LARGE past maxBytes', async () => {
    const reader = new ByteReader(chunked(bytes(1000), { max: 10 }), { maxBytes: 500, label: 'thing' });
    await expect(reader.fill(1000)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'thing exceeds the limit of 500 bytes' });
    const exact = new ByteReader(oneChunk(bytes(500)), { maxBytes: 500 });
    expect(await exact.fill(500)).toBe(true);
    expect(await exact.fill(501)).toBe(false);
  });

  it('closes the source early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield bytes(10);
        yield bytes(10);
      } finally {
        closed = true;
      }
    }
    const reader = new ByteReader(source());
    await reader.fill(5);
    await reader.close();
    expect(closed).toBe(true);
  });
});
