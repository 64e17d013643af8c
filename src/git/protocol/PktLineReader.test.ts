import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chunked, oneChunk, splitAt } from '../../../test/support/chunked.ts';
import { collect } from '../../../test/support/collect.ts';
import { gitBytes, gitText } from '../../../test/support/gitBytes.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { concatBytes, fromUtf8, utf8 } from '../bytes.ts';
import { readPack } from '../pack/readPack.ts';
import { DELIM_PKT, FLUSH_PKT, pktLine } from './pktLine.ts';
import { PktLineReader, type Pkt } from './PktLineReader.ts';

async function readAll(source: AsyncIterable<Uint8Array>): Promise<Pkt[]> {
  const reader = new PktLineReader(source);
  const pkts: Pkt[] = [];
  for (;;) {
    const pkt = await reader.read();
    pkts.push(pkt);
    if (pkt.kind === 'eof') return pkts;
  }
}

const data = (payload: string): Pkt => ({ kind: 'data', payload: utf8(payload) });

const MIXED = utf8('0006a\n0005a000bfoobar\n0004000000010002');

describe('PktLineReader', () => {
  it('reads data, empty, flush, delim and response-end packets, then eof', async () => {
    const expected: Pkt[] = [
      data('a\n'),
      data('a'),
      data('foobar\n'),
      data(''),
      { kind: 'flush' },
      { kind: 'delim' },
      { kind: 'response-end' },
      { kind: 'eof' },
    ];
    expect(await readAll(oneChunk(MIXED))).toEqual(expected);
    for (let cut = 0; cut <= MIXED.length; cut++) expect(await readAll(splitAt(MIXED, cut))).toEqual(expected);
    expect(await readAll(chunked(MIXED, { max: 1 }))).toEqual(expected);
  });

  it('accepts upper-case hex lengths like git', async () => {
    expect(await readAll(oneChunk(utf8('000Aabcdef')))).toEqual([data('abcdef'), { kind: 'eof' }]);
  });

  it('returns lines without their trailing LF, and the markers', async () => {
    const reader = new PktLineReader(oneChunk(utf8('000bfoobar\n0007bar0006\n\n00000001')));
    expect(await reader.readLine()).toBe('foobar');
    expect(await reader.readLine()).toBe('bar');
    expect(await reader.readLine()).toBe('\n');
    expect(await reader.readLine()).toEqual({ kind: 'flush' });
    expect(await reader.readLine()).toEqual({ kind: 'delim' });
    expect(await reader.readLine()).toEqual({ kind: 'eof' });
    expect(await reader.readLine()).toEqual({ kind: 'eof' });
  });

  it('hands over the bytes after the last packet read', async () => {
    const pack = utf8('PACK\0\0\0\x02 and the rest of a pack');
    const body = concatBytes([pktLine('old new refs/heads/main\0report-status\n'), FLUSH_PKT, pack]);
    for (let cut = 0; cut <= body.length; cut++) {
      const reader = new PktLineReader(splitAt(body, cut));
      expect(await reader.readLine()).toBe('old new refs/heads/main\0report-status');
      expect(await reader.read()).toEqual({ kind: 'flush' });
      expect(reader.position).toBe(body.length - pack.length);
      expect(fromUtf8(await collect(reader.remaining()))).toBe(fromUtf8(pack));
    }
    const empty = new PktLineReader(oneChunk(FLUSH_PKT));
    await empty.read();
    expect((await collect(empty.remaining())).length).toBe(0);
  });

  it('rejects malformed input with PROTOCOL_ERROR', async () => {
    const cases: [string, RegExp][] = [
      ['00zzabc', /bad pkt-line length "00zz" at byte 0/],
      ['0005a0003', /invalid pkt-line length 0003 at byte 5/],
      ['fff1', /pkt-line length 65521 at byte 0 exceeds 65520/],
      ['0005a00', /stream ended inside a pkt-line length at byte 5/],
      ['0010abc', /stream ended inside a pkt-line at byte 0: 16 bytes announced, 7 present/],
      [' 004', /bad pkt-line length/],
    ];
    for (const [input, message] of cases) {
      for (const source of [oneChunk(utf8(input)), chunked(utf8(input), { max: 2 })]) {
        await expect(readAll(source), input).rejects.toMatchObject({ name: 'GroveError', code: 'PROTOCOL_ERROR', message: expect.stringMatching(message) });
      }
    }
  });

  it('enforces maxBytes on everything it pulls, remaining() included', async () => {
    const body = concatBytes([pktLine('x\n'), FLUSH_PKT, new Uint8Array(100)]);
    const tight = new PktLineReader(chunked(body, { max: 3 }), { maxBytes: 9 });
    await expect(tight.read()).resolves.toEqual(data('x\n'));
    await expect(tight.read()).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'request body exceeds the limit of 9 bytes' });

    const reader = new PktLineReader(chunked(body, { max: 3 }), { maxBytes: body.length - 1 });
    await reader.read();
    await reader.read();
    await expect(collect(reader.remaining())).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });

    const exact = new PktLineReader(oneChunk(body), { maxBytes: body.length });
    await exact.read();
    await exact.read();
    expect((await collect(exact.remaining())).length).toBe(100);
  });
});

describe('PktLineReader on what git upload-pack writes', () => {
  const repo = useTempDir('grove-pktreader-');
  beforeAll(() => {
    gitBytes(['init', '-q', repo]);
    for (let i = 0; i < 3; i++) {
      writeFileSync(join(repo, `f${i}`), `${i}\n`.repeat(20000 * (i + 1)));
      gitBytes(['add', '.'], { cwd: repo });
      gitBytes(['commit', '-q', '-m', `c${i}`], { cwd: repo });
      gitBytes(['branch', `b${i}`], { cwd: repo });
    }
  });

  it('reads the v0 ref advertisement', async () => {
    const advertisement = gitBytes(['upload-pack', '--stateless-rpc', '--advertise-refs', repo]);
    const refs = gitText(['show-ref', '--head'], { cwd: repo }).split('\n');
    for (const source of [oneChunk(advertisement), chunked(advertisement, { max: 13, seed: 9 })]) {
      const reader = new PktLineReader(source);
      const first = await reader.readLine();
      expect(typeof first === 'string' && first.split('\0')[0]).toBe(refs[0]);
      expect(first).toMatch(/\0.*multi_ack.*side-band-64k.*ofs-delta/);
      for (const ref of refs.slice(1)) expect(await reader.readLine()).toBe(ref);
      expect(await reader.read()).toEqual({ kind: 'flush' });
      expect(await reader.read()).toEqual({ kind: 'eof' });
    }
  });

  it('reads a v2 fetch response and demultiplexes its side-band pack', async () => {
    const head = gitText(['rev-parse', 'HEAD'], { cwd: repo });
    const request = concatBytes([
      pktLine('command=fetch\n'),
      pktLine('object-format=sha1\n'),
      DELIM_PKT,
      pktLine(`want ${head}\n`),
      pktLine('ofs-delta\n'),
      pktLine('no-progress\n'),
      pktLine('done\n'),
      FLUSH_PKT,
    ]);
    const response = gitBytes(['upload-pack', '--stateless-rpc', repo], { input: request, env: { GIT_PROTOCOL: 'version=2' } });
    const reader = new PktLineReader(chunked(response, { seed: 4, max: 5000 }));
    expect(await reader.readLine()).toBe('packfile');
    const packChunks: Uint8Array[] = [];
    let largest = 0;
    for (let pkt = await reader.read(); pkt.kind === 'data'; pkt = await reader.read()) {
      largest = Math.max(largest, pkt.payload.length + 4);
      expect(pkt.payload[0]).toBe(1);
      packChunks.push(pkt.payload.subarray(1));
    }
    expect(largest).toBeLessThanOrEqual(65520);
    expect(await reader.read()).toEqual({ kind: 'eof' });
    let count = 0;
    for await (const entry of readPack(oneChunk(concatBytes(packChunks)), nodeCodec)) count += entry.index >= 0 ? 1 : 0;
    expect(count).toBe(gitText(['rev-list', '--objects', 'HEAD'], { cwd: repo }).split('\n').length);
  });
});
