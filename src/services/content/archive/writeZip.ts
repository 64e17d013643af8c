/**
 * A zip stream (APPNOTE.TXT 6.3) of archive entries, written as it goes:
 *
 *   - files: "deflated" with `CompressionStream('deflate-raw')`, general
 *     purpose bit 3 set — "the fields crc-32, compressed size and uncompressed
 *     size are set to zero in the local header" and follow the data in a data
 *     descriptor (signature 0x08074b50), since the compressed size is known
 *     only once compressed; empty files, folders and symlinks are "stored"
 *     with their CRC and sizes in the local header;
 *   - every entry carries the extended timestamp extra field (0x5455, the
 *     commit's date) and a DOS date and time in the committer's local time;
 *   - the central directory records Unix modes in the high 16 bits of the
 *     external attributes (made by "UNIX", 3): files 0100644 or 0100755,
 *     symlinks 0120777 (data = target), folders 040755 plus the MS-DOS
 *     directory bit; bit 11 marks a UTF-8 name that is not ASCII;
 *   - the end of central directory record carries the commit id as its
 *     comment, as `git archive` does; past 65535 entries or 4 GiB of offsets
 *     it is preceded by the zip64 end record and locator, and an entry whose
 *     local header starts beyond 4 GiB has a zip64 extra field in the central
 *     directory. A single file of 4 GiB or more is refused.
 */
import { GroveError } from '../../../errors.ts';
import type { ArchiveEntry, ArchiveInfo } from './ArchiveEntry.ts';
import { crc32 } from './crc32.ts';

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const STORE = 0;
const DEFLATE = 8;
const MADE_BY_UNIX = (3 << 8) | 45;
const U16 = 0xffff;
const U32 = 0xffffffff;
/** Slices fed to the compressor at a time (views, not copies). */
const SLICE = 64 * 1024;
const encoder = new TextEncoder();

interface CentralRecord {
  path: Uint8Array;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  mode: number;
  offset: number;
}

export interface ZipOptions {
  /** Where the stream starts in the file (for tests of zip64 offsets); default 0. */
  startOffset?: number;
}

export async function* writeZip(entries: AsyncIterable<ArchiveEntry>, info: ArchiveInfo, options: ZipOptions = {}): AsyncGenerator<Uint8Array> {
  const dos = dosDateTime(info.time + info.offsetMinutes * 60);
  const central: CentralRecord[] = [];
  let offset = options.startOffset ?? 0;

  for await (const entry of entries) {
    const flags = isAscii(entry.path) ? 0 : FLAG_UTF8;
    const mode = entry.kind === 'dir' ? 0o40755 : entry.kind === 'symlink' ? 0o120777 : entry.executable ? 0o100755 : 0o100644;
    const data = entry.kind === 'dir' ? new Uint8Array() : entry.data;
    if (data.length >= U32) throw new GroveError('BAD_REQUEST', `file ${entry.oid} is too large for a zip archive without zip64 sizes; download a tar.gz`);
    const record: CentralRecord = { path: entry.path, flags, method: STORE, crc: crc32(data), compressed: data.length, size: data.length, mode, offset };
    if (entry.kind === 'file' && data.length > 0) {
      record.method = DEFLATE;
      record.flags |= FLAG_DESCRIPTOR;
      const head = localHeader(record, dos, info.time, true);
      yield head;
      let compressed = 0;
      for await (const chunk of deflateRaw(data)) {
        compressed += chunk.length;
        yield chunk;
      }
      record.compressed = compressed;
      const descriptor = new Bytes(16);
      descriptor.u32(DATA_DESCRIPTOR).u32(record.crc).u32(compressed).u32(record.size);
      yield descriptor.bytes;
      offset += head.length + compressed + 16;
    } else {
      const head = localHeader(record, dos, info.time, false);
      yield head;
      if (data.length > 0) yield data;
      offset += head.length + data.length;
    }
    central.push(record);
  }

  const directoryStart = offset;
  for (const record of central) {
    const zip64 = record.offset >= U32;
    const extra = new Bytes(9 + (zip64 ? 12 : 0));
    extra.u16(0x5455).u16(5).u8(1).u32(info.time);
    if (zip64) extra.u16(0x0001).u16(8).u64(record.offset);
    const head = new Bytes(46);
    head.u32(CENTRAL_HEADER).u16(MADE_BY_UNIX).u16(zip64 ? 45 : 20).u16(record.flags).u16(record.method)
      .u16(dos.time).u16(dos.date).u32(record.crc).u32(record.compressed).u32(record.size)
      .u16(record.path.length).u16(extra.bytes.length).u16(0).u16(0).u16(0)
      .u32(((record.mode << 16) | (record.mode & 0o40000 ? 0x10 : 0)) >>> 0).u32(zip64 ? U32 : record.offset);
    yield head.bytes;
    yield record.path;
    yield extra.bytes;
    offset += 46 + record.path.length + extra.bytes.length;
  }
  const directorySize = offset - directoryStart;
  const count = central.length;
  if (count >= U16 || directoryStart >= U32 || directorySize >= U32) {
    const end64 = new Bytes(56 + 20);
    end64.u32(ZIP64_END).u64(44).u16(MADE_BY_UNIX).u16(45).u32(0).u32(0).u64(count).u64(count).u64(directorySize).u64(directoryStart);
    end64.u32(ZIP64_LOCATOR).u32(0).u64(offset).u32(1);
    yield end64.bytes;
  }
  const comment = encoder.encode(info.commit);
  const end = new Bytes(22);
  end.u32(END_OF_CENTRAL).u16(0).u16(0).u16(Math.min(count, U16)).u16(Math.min(count, U16))
    .u32(Math.min(directorySize, U32)).u32(Math.min(directoryStart, U32)).u16(comment.length);
  yield end.bytes;
  yield comment;
}

function localHeader(record: CentralRecord, dos: { date: number; time: number }, time: number, descriptor: boolean): Uint8Array {
  const head = new Bytes(30 + record.path.length + 9);
  head.u32(LOCAL_HEADER).u16(20).u16(record.flags).u16(record.method).u16(dos.time).u16(dos.date)
    .u32(descriptor ? 0 : record.crc).u32(descriptor ? 0 : record.compressed).u32(descriptor ? 0 : record.size)
    .u16(record.path.length).u16(9);
  head.raw(record.path);
  head.u16(0x5455).u16(5).u8(1).u32(time);
  return head.bytes;
}

/** `data` through a raw-deflate CompressionStream, fed in slices while the output is read. */
async function* deflateRaw(data: Uint8Array): AsyncGenerator<Uint8Array> {
  const stream = new CompressionStream('deflate-raw') as unknown as TransformStream<Uint8Array, Uint8Array>;
  const writer = stream.writable.getWriter();
  const feeding = (async () => {
    for (let start = 0; start < data.length; start += SLICE) await writer.write(data.subarray(start, start + SLICE));
    await writer.close();
  })();
  feeding.catch(() => {}); // a failure surfaces through the reader, or through `await feeding` below
  const reader = stream.readable.getReader();
  let finished = false;
  try {
    for (;;) {
      const step = await reader.read();
      if (step.done) break;
      yield step.value;
    }
    finished = true;
    await feeding;
  } finally {
    // Stopped early (the download was cancelled): cancelling the output ends the feeding too.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** MS-DOS date and time fields of a local time given as seconds (before 1980 counts as 1980-01-01 00:00). */
function dosDateTime(localSeconds: number): { date: number; time: number } {
  const d = new Date(localSeconds * 1000);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1980) return { date: (1 << 5) | 1, time: 0 };
  const year = Math.min(d.getUTCFullYear(), 2107);
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
  };
}

function isAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return false;
  return true;
}

/** A little-endian writer over a buffer of known size. */
class Bytes {
  readonly bytes: Uint8Array;
  readonly #view: DataView;
  #at = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.#view = new DataView(this.bytes.buffer);
  }

  u8(value: number): this {
    this.#view.setUint8(this.#at, value);
    this.#at += 1;
    return this;
  }

  u16(value: number): this {
    this.#view.setUint16(this.#at, value, true);
    this.#at += 2;
    return this;
  }

  u32(value: number): this {
    this.#view.setUint32(this.#at, value >>> 0, true);
    this.#at += 4;
    return this;
  }

  u64(value: number): this {
    this.#view.setBigUint64(this.#at, BigInt(value), true);
    this.#at += 8;
    return this;
  }

  raw(data: Uint8Array): this {
    this.bytes.set(data, this.#at);
    this.#at += data.length;
    return this;
  }
}
