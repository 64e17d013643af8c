import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitBytes, gitText } from '../../../test/support/gitBytes.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { concatBytes, fromUtf8, utf8 } from '../bytes.ts';
import {
  DELIM_PKT,
  errorPkt,
  FLUSH_PKT,
  MAX_PKT_LENGTH,
  MAX_PKT_PAYLOAD,
  MAX_SIDEBAND_DATA,
  pktLine,
  RESPONSE_END_PKT,
  sidebandPackets,
} from './pktLine.ts';

const text = (bytes: Uint8Array): string => fromUtf8(bytes);

describe('pktLine', () => {
  it('writes the examples of gitprotocol-common', () => {
    expect(text(pktLine('a\n'))).toBe('0006a\n');
    expect(text(pktLine('a'))).toBe('0005a');
    expect(text(pktLine('foobar\n'))).toBe('000bfoobar\n');
    expect(text(pktLine(''))).toBe('0004');
  });

  it('writes binary payloads verbatim and counts UTF-8 bytes', () => {
    expect([...pktLine(Uint8Array.of(0, 255, 10))]).toEqual([0x30, 0x30, 0x30, 0x37, 0, 255, 10]);
    expect(text(pktLine('é\n'))).toBe('0007é\n');
  });

  it('has the special packets', () => {
    expect(text(FLUSH_PKT)).toBe('0000');
    expect(text(DELIM_PKT)).toBe('0001');
    expect(text(RESPONSE_END_PKT)).toBe('0002');
  });

  it('accepts 65516 payload bytes and refuses one more', () => {
    const max = pktLine(new Uint8Array(MAX_PKT_PAYLOAD));
    expect(max.length).toBe(MAX_PKT_LENGTH);
    expect(text(max.subarray(0, 4))).toBe('fff0');
    expect(() => pktLine(new Uint8Array(MAX_PKT_PAYLOAD + 1))).toThrow(/65517 bytes exceeds 65516/);
  });
});

describe('errorPkt', () => {
  it('writes an ERR line', () => {
    expect(text(errorPkt('foo'))).toBe('000cERR foo\n');
    expect(text(errorPkt('two\nlines'))).toBe('0012ERR two lines\n');
  });

  it('cuts an overlong message to fit one packet', () => {
    const pkt = errorPkt('x'.repeat(70000));
    expect(pkt.length).toBe(MAX_PKT_LENGTH);
    expect(text(pkt.subarray(0, 8))).toBe('fff0ERR ');
    expect(pkt[pkt.length - 1]).toBe(0x0a);
  });
});

describe('sidebandPackets', () => {
  it('splits data into side-band-64k packets of at most 65520 bytes', () => {
    const data = new Uint8Array(200_000).map((_, i) => i % 251);
    const packets = [...sidebandPackets(1, data)];
    expect(packets.map((p) => p.length)).toEqual([65520, 65520, 65520, 200_000 - 3 * MAX_SIDEBAND_DATA + 5]);
    for (const p of packets) {
      expect(parseInt(text(p.subarray(0, 4)), 16)).toBe(p.length);
      expect(p[4]).toBe(1);
    }
    expect(concatBytes(packets.map((p) => p.subarray(5)))).toEqual(data);
  });

  it('honours a smaller packet size (plain side-band: 999) and other bands', () => {
    const packets = [...sidebandPackets(2, utf8('x'.repeat(2000)), 999)];
    expect(packets.map((p) => p.length)).toEqual([1004, 1004, 7]);
    expect(text(packets[2]!)).toBe('0007\x02xx');
    expect([...sidebandPackets(3, utf8('fatal\n'))].map(text)).toEqual(['000b\x03fatal\n']);
  });

  it('yields nothing for empty data and refuses impossible sizes', () => {
    expect([...sidebandPackets(1, new Uint8Array(0))]).toEqual([]);
    expect(() => [...sidebandPackets(1, utf8('x'), 0)]).toThrow();
    expect(() => [...sidebandPackets(1, utf8('x'), MAX_SIDEBAND_DATA + 1)]).toThrow();
  });
});

describe('requests written with pktLine, as git upload-pack reads them', () => {
  const repo = useTempDir('grove-pktline-');

  it('answers a protocol v2 ls-refs request', () => {
    gitBytes(['init', '-q', repo]);
    writeFileSync(join(repo, 'f'), 'x\n');
    gitBytes(['add', 'f'], { cwd: repo });
    gitBytes(['commit', '-q', '-m', 'one'], { cwd: repo });
    gitBytes(['tag', '-a', '-m', 'tag', 'v1'], { cwd: repo });
    const request = concatBytes([
      pktLine('command=ls-refs\n'),
      pktLine('object-format=sha1\n'),
      DELIM_PKT,
      pktLine('peel\n'),
      pktLine('symrefs\n'),
      FLUSH_PKT,
    ]);
    const response = gitBytes(['upload-pack', '--stateless-rpc', repo], { input: request, env: { GIT_PROTOCOL: 'version=2' } });
    const head = gitText(['rev-parse', 'HEAD'], { cwd: repo });
    const tag = gitText(['rev-parse', 'v1'], { cwd: repo });
    const expected = concatBytes([
      pktLine(`${head} HEAD symref-target:refs/heads/main\n`),
      pktLine(`${head} refs/heads/main\n`),
      pktLine(`${tag} refs/tags/v1 peeled:${head}\n`),
      FLUSH_PKT,
    ]);
    expect(text(response)).toBe(text(expected));
  });
});
