import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../../test/support/tempDir.ts';
import type { ArchiveEntry, ArchiveInfo } from './ArchiveEntry.ts';
import { writeZip } from './writeZip.ts';

const INFO: ArchiveInfo = { commit: 'c'.repeat(40), time: 1_700_000_000, offsetMinutes: 120 };
const encoder = new TextEncoder();

async function* entriesOf(list: ArchiveEntry[]): AsyncGenerator<ArchiveEntry> {
  yield* list;
}

async function zipBytes(list: ArchiveEntry[], startOffset = 0): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of writeZip(entriesOf(list), INFO, { startOffset })) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Python's zipfile: test every CRC, then print "name size mode" per entry. */
function pythonList(file: string): string {
  const script = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nfor i in z.infolist(): print(i.filename, i.file_size, oct(i.external_attr >> 16))';
  const result = spawnSync('python3', ['-c', script, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

describe('writeZip', () => {
  const dir = useTempDir('grove-zip-');

  it('writes files (deflated, with data descriptors), symlinks, folders and UTF-8 names zipfile reads back', async () => {
    const big = new Uint8Array(300_000).map((_, i) => (i * 31) & 0xff);
    const file = join(dir, 'small.zip');
    writeFileSync(file, await zipBytes([
      { kind: 'dir', path: encoder.encode('p/'), oid: '1'.repeat(40) },
      { kind: 'file', path: encoder.encode('p/a.txt'), oid: '2'.repeat(40), executable: false, data: encoder.encode('hello\n') },
      { kind: 'file', path: encoder.encode('p/run'), oid: '3'.repeat(40), executable: true, data: big },
      { kind: 'file', path: encoder.encode('p/empty'), oid: '4'.repeat(40), executable: false, data: new Uint8Array() },
      { kind: 'symlink', path: encoder.encode('p/link'), oid: '5'.repeat(40), data: encoder.encode('a.txt') },
      { kind: 'file', path: encoder.encode('p/café.txt'), oid: '6'.repeat(40), executable: false, data: encoder.encode('é') },
    ]));
    expect(pythonList(file)).toBe([
      'p/ 0 0o40755', 'p/a.txt 6 0o100644', 'p/run 300000 0o100755', 'p/empty 0 0o100644', 'p/link 5 0o120777', 'p/café.txt 2 0o100644', '',
    ].join('\n'));
  });

  it('past 65535 entries, ends with the zip64 end of central directory record and locator', async () => {
    const list: ArchiveEntry[] = [];
    for (let i = 0; i < 70_000; i++) list.push({ kind: 'file', path: encoder.encode(`f/${i}`), oid: '7'.repeat(40), executable: false, data: new Uint8Array() });
    const bytes = await zipBytes(list);
    const file = join(dir, 'many.zip');
    writeFileSync(file, bytes);
    const lines = pythonList(file).trim().split('\n');
    expect(lines).toHaveLength(70_000);
    expect(lines[69_999]).toBe('f/69999 0 0o100644');
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const end = bytes.length - 22 - 40;
    expect(view.getUint32(end, true)).toBe(0x06054b50);
    expect(view.getUint16(end + 10, true)).toBe(0xffff);
    expect(view.getUint32(end - 20, true)).toBe(0x07064b50);
    const end64 = Number(view.getBigUint64(end - 20 + 8, true));
    expect(view.getUint32(end64, true)).toBe(0x06064b50);
    expect(Number(view.getBigUint64(end64 + 32, true))).toBe(70_000);
  });

  it('records local headers past 4 GiB in zip64 extra fields and the zip64 end record', async () => {
    const start = 2 ** 32 + 10;
    const bytes = await zipBytes([{ kind: 'symlink', path: encoder.encode('a'), oid: '8'.repeat(40), data: encoder.encode('x') }], start);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const local = 30 + 1 + 9 + 1; // header, name, extra field, stored data
    expect(view.getUint32(local, true)).toBe(0x02014b50);
    expect(view.getUint32(local + 42, true)).toBe(0xffffffff);
    const extra = local + 46 + 1;
    expect(view.getUint16(extra + 9, true)).toBe(0x0001);
    expect(Number(view.getBigUint64(extra + 13, true))).toBe(start);
    const end64 = local + 46 + 1 + 21;
    expect(view.getUint32(end64, true)).toBe(0x06064b50);
    expect(Number(view.getBigUint64(end64 + 48, true))).toBe(start + local);
  });
});
