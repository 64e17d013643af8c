/**
 * A pack writer for tests: correct packs (whole objects, OFS_DELTA,
 * REF_DELTA, in any order, duplicates and delta cycles included) and, through
 * its overrides, every kind of broken one. Written from the format documents
 * with node:zlib and node:crypto, independently of Grove's own pack code.
 *
 * gitformat-pack:
 *
 *     - A header appears at the beginning and consists of the following:
 *       4-byte signature: The signature is: {'P', 'A', 'C', 'K'}
 *       4-byte version number (network byte order) [...]
 *       4-byte number of objects contained in the pack (network byte order)
 *     - The header is followed by a number of object entries, each of
 *       which looks like this:
 *       (undeltified representation)
 *       n-byte type and length (3-bit type, (n-1)*7+4-bit length)
 *       compressed data
 *       (deltified representation)
 *       n-byte type and length (3-bit type, (n-1)*7+4-bit length)
 *       base object name if OBJ_REF_DELTA or a negative relative
 *         offset from the delta object's position in the pack if this
 *         is an OBJ_OFS_DELTA object
 *       compressed delta data
 *     - The trailer records a pack checksum of all of the above.
 *
 *     offset encoding:
 *       n bytes with MSB set in all but the last one.
 *       The offset is then the number constructed by
 *       concatenating the lower 7 bit of each byte, and
 *       for n >= 2 adding 2^7 + 2^14 + ... + 2^(7*(n-1))
 *       to the result.
 *
 * Deltas themselves are made by deltaBytes.ts.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { bytesOf } from './bytesOf.ts';
import { OFS_DELTA, REF_DELTA, TYPE_CODE } from './packTypeCodes.ts';
import { oidBytes, type ObjectKind } from './rawObject.ts';

/** What every entry may override to make it wrong. */
interface EntryOverrides {
  /** The entry's zlib stream, instead of deflating its content. */
  zlib?: Uint8Array;
  /** The size written in the entry header, instead of the real one. */
  headerSize?: number;
}

export type EntrySpec = EntryOverrides &
  (
    /** A whole object; `level` is the zlib level of its stream (default: zlib's). */
    | { type: ObjectKind; data: Uint8Array; level?: number }
    /** A delta on the earlier entry with this index. */
    | { ofsBase: number; delta: Uint8Array }
    /** A delta whose base lies `ofsDistance` bytes before the entry (any number, to point anywhere). */
    | { ofsDistance: number; delta: Uint8Array }
    /** A delta on the object with this id (in the pack, in the repository, or nowhere). */
    | { refBase: string; delta: Uint8Array }
  );

export interface PackOptions {
  /** The object count of the header (default: the number of entries). */
  count?: number;
  /** Default 2. */
  version?: number;
  /** Default "PACK". */
  signature?: string;
}

export interface BuiltPack {
  /** The whole pack, trailer included. */
  bytes: Uint8Array;
  /** Byte offset of each entry's header. */
  offsets: number[];
  /** Byte offset of each entry's zlib stream. */
  zlibOffsets: number[];
  /** Byte offset of the 20-byte trailer. */
  trailerOffset: number;
}

/** SHA-1 of `bytes`, as 20 raw bytes. */
export function sha1(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(bytes).digest());
}

/** The type-and-size header of an entry. */
function entryHeader(typeCode: number, size: number): Uint8Array {
  const out = [(typeCode << 4) | (size & 0x0f)];
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    out[out.length - 1]! |= 0x80;
    out.push(rest & 0x7f);
    rest = Math.floor(rest / 128);
  }
  return Uint8Array.from(out);
}

/** The OFS_DELTA distance bytes (git's "offset encoding" above). */
function ofsDistance(distance: number): Uint8Array {
  const out = [distance & 0x7f];
  let rest = Math.floor(distance / 128);
  while (rest > 0) {
    rest -= 1;
    out.unshift(0x80 | (rest & 0x7f));
    rest = Math.floor(rest / 128);
  }
  return Uint8Array.from(out);
}

/** Writes a pack of `entries`; see `EntrySpec` and `PackOptions` for what can be made wrong. */
export function buildPack(entries: readonly EntrySpec[], options: PackOptions = {}): BuiltPack {
  const header = new Uint8Array(12);
  header.set(bytesOf(options.signature ?? 'PACK'), 0);
  const view = new DataView(header.buffer);
  view.setUint32(4, options.version ?? 2);
  view.setUint32(8, options.count ?? entries.length);
  const parts: Uint8Array[] = [header];
  const offsets: number[] = [];
  const zlibOffsets: number[] = [];
  let at = header.length;
  for (const entry of entries) {
    const offset = at;
    offsets.push(offset);
    let typeCode: number;
    let content: Uint8Array;
    let extra: Uint8Array = new Uint8Array(0);
    let level: number | undefined;
    if ('type' in entry) {
      typeCode = TYPE_CODE[entry.type];
      content = entry.data;
      level = entry.level;
    } else if ('ofsBase' in entry) {
      const base = offsets[entry.ofsBase];
      if (base === undefined || entry.ofsBase >= offsets.length - 1) throw new Error(`ofsBase ${entry.ofsBase} is not an earlier entry`);
      typeCode = OFS_DELTA;
      content = entry.delta;
      extra = ofsDistance(offset - base);
    } else if ('ofsDistance' in entry) {
      typeCode = OFS_DELTA;
      content = entry.delta;
      extra = ofsDistance(entry.ofsDistance);
    } else {
      typeCode = REF_DELTA;
      content = entry.delta;
      extra = oidBytes(entry.refBase);
    }
    const head = entryHeader(typeCode, entry.headerSize ?? content.length);
    const zlib = entry.zlib ?? new Uint8Array(deflateSync(content, level === undefined ? {} : { level }));
    parts.push(head, extra, zlib);
    zlibOffsets.push(offset + head.length + extra.length);
    at += head.length + extra.length + zlib.length;
  }
  const body = bytesOf(...parts);
  return { bytes: bytesOf(body, sha1(body)), offsets, zlibOffsets, trailerOffset: body.length };
}

/** `pack` with its last 20 bytes replaced by the SHA-1 of all the others (after editing a pack). */
export function resealed(pack: Uint8Array): Uint8Array {
  const body = pack.subarray(0, pack.length - 20);
  return bytesOf(body, sha1(body));
}
