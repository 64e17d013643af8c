/**
 * A tar stream byte for byte as `git archive --format=tar` writes it
 * (archive-tar.c):
 *
 *   - first a pax global header `pax_global_header` (typeflag 'g') holding
 *     "52 comment=<commit id>\n";
 *   - per entry a POSIX ustar header: mode `%07o` of the permission bits —
 *     folders and submodules 0775, files 0664 or 0775 (git's default
 *     tar.umask 002 applied to 0666/0777), symlinks 0777 —, uid/gid 0, uname
 *     and gname "root", size only for files, mtime the commit's date, magic
 *     "ustar\0" version "00", checksum `%07o`; a path over 100 bytes split at
 *     a '/' into prefix (≤155) and name (≤100), else stored in a pax extended
 *     header (typeflag 'x', named "<id>.paxheader") as `path`, with the name
 *     "<id>.data"; a symlink target over 100 bytes likewise as `linkpath`;
 *   - contents padded with NULs to 512-byte records;
 *   - the end: NULs to the end of the 10240-byte block, and one more block
 *     when that left fewer than two records.
 */
import type { ArchiveEntry, ArchiveInfo } from './ArchiveEntry.ts';

const RECORD = 512;
const BLOCK = RECORD * 20;
const UMASK = 0o002;
const MAX_USTAR_SIZE = 0o77777777777;
const encoder = new TextEncoder();

export async function* writeTar(entries: AsyncIterable<ArchiveEntry>, info: ArchiveInfo): AsyncGenerator<Uint8Array> {
  let written = 0;
  const padded = function* (data: Uint8Array): Generator<Uint8Array> {
    yield data;
    written += data.length;
    const tail = data.length % RECORD;
    if (tail !== 0) {
      yield new Uint8Array(RECORD - tail);
      written += RECORD - tail;
    }
  };

  const global = paxRecords([['comment', encoder.encode(info.commit)]]);
  yield* padded(header(info, { name: encoder.encode('pax_global_header'), typeflag: 'g', mode: 0o666, size: global.length }));
  yield* padded(global);

  for await (const entry of entries) {
    const ext: [string, Uint8Array][] = [];
    const { name, prefix } = splitPath(entry.path, entry.oid, ext);
    let linkname: Uint8Array | undefined;
    if (entry.kind === 'symlink') {
      if (entry.data.length > 100) {
        linkname = encoder.encode(`see ${entry.oid}.paxheader`);
        ext.push(['linkpath', entry.data]);
      } else {
        linkname = entry.data;
      }
    }
    let size = 0;
    if (entry.kind === 'file') {
      size = entry.data.length;
      if (size > MAX_USTAR_SIZE) {
        ext.push(['size', encoder.encode(String(size))]);
        size = 0;
      }
    }
    if (ext.length > 0) {
      const records = paxRecords(ext);
      yield* padded(header(info, { name: encoder.encode(`${entry.oid}.paxheader`), typeflag: 'x', mode: 0o666, size: records.length }));
      yield* padded(records);
    }
    const mode = entry.kind === 'dir' ? 0o777 & ~UMASK : entry.kind === 'symlink' ? 0o777 : (entry.executable ? 0o777 : 0o666) & ~UMASK;
    const typeflag = entry.kind === 'dir' ? '5' : entry.kind === 'symlink' ? '2' : '0';
    yield* padded(header(info, { name, prefix, typeflag, mode, size, ...(linkname === undefined ? {} : { linkname }) }));
    if (entry.kind === 'file' && entry.data.length > 0) yield* padded(entry.data);
  }

  const tail = BLOCK - (written % BLOCK);
  yield new Uint8Array(tail < 2 * RECORD ? tail + BLOCK : tail);
}

interface HeaderFields {
  name: Uint8Array;
  prefix?: Uint8Array;
  typeflag: string;
  /** Permission bits. */
  mode: number;
  size: number;
  linkname?: Uint8Array;
}

function header(info: ArchiveInfo, fields: HeaderFields): Uint8Array {
  const h = new Uint8Array(RECORD);
  h.set(fields.name.subarray(0, 100), 0);
  octal(h, 100, 7, fields.mode);
  octal(h, 108, 7, 0);
  octal(h, 116, 7, 0);
  octal(h, 124, 11, fields.size);
  octal(h, 136, 11, info.time);
  h[156] = fields.typeflag.charCodeAt(0);
  if (fields.linkname !== undefined) h.set(fields.linkname, 157);
  h.set(encoder.encode('ustar\0'), 257);
  h.set(encoder.encode('00'), 263);
  h.set(encoder.encode('root'), 265);
  h.set(encoder.encode('root'), 297);
  octal(h, 329, 7, 0);
  octal(h, 337, 7, 0);
  if (fields.prefix !== undefined) h.set(fields.prefix, 345);
  let sum = 8 * 0x20;
  for (let i = 0; i < RECORD; i++) if (i < 148 || i >= 156) sum += h[i]!;
  octal(h, 148, 7, sum);
  return h;
}

/** `value` as `digits` octal digits and a NUL at `offset` (C's "%0<digits>o"). */
function octal(h: Uint8Array, offset: number, digits: number, value: number): void {
  const text = value.toString(8).padStart(digits, '0');
  h.set(encoder.encode(text.slice(-digits)), offset);
  h[offset + digits] = 0;
}

/** Where the path goes in the header: in `name` alone, split over `prefix` and `name`, or into a pax `path` record. */
function splitPath(path: Uint8Array, oid: string, ext: [string, Uint8Array][]): { name: Uint8Array; prefix?: Uint8Array } {
  if (path.length <= 100) return { name: path };
  // archive-tar.c get_path_prefix: the last '/' within the first 155 bytes, ignoring a trailing one.
  let i = path.length;
  if (i > 1 && path[i - 1] === 0x2f) i--;
  if (i > 155) i = 155;
  do i--;
  while (i > 0 && path[i] !== 0x2f);
  const rest = path.length - i - 1;
  if (i > 0 && rest <= 100) return { prefix: path.subarray(0, i), name: path.subarray(i + 1) };
  ext.push(['path', path]);
  return { name: encoder.encode(`${oid}.data`) };
}

/** pax records "<length> <keyword>=<value>\n", where <length> counts the whole record, itself included. */
function paxRecords(records: readonly [string, Uint8Array][]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [keyword, value] of records) {
    let length = 1 + 1 + keyword.length + 1 + value.length + 1;
    for (let digits = 1; Math.floor(length / 10) >= digits; digits *= 10) length++;
    parts.push(encoder.encode(`${length} ${keyword}=`), value, encoder.encode('\n'));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
