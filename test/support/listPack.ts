/**
 * Lists the entries of a pack with where each one's parts lie, to check what
 * Grove stores or writes, or what a client sent or received (a pack captured
 * with GIT_TRACE_PACKFILE, which may be followed by other bytes). Independent
 * of Grove's pack code on purpose. From gitformat-pack(5): a 12-byte header
 * ("PACK", version, count), then per entry a type-and-size header (3-bit
 * type, 4 + 7n size bits), for OBJ_OFS_DELTA (6) an offset-encoded distance
 * back to the base ("n bytes with MSB set in all but the last one [...]
 * adding 2^7 + 2^14 + ... + 2^(7*(n-1))"), for OBJ_REF_DELTA (7) the 20-byte
 * base id, then the zlib stream; a 20-byte SHA-1 of everything before ends
 * the pack.
 */
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { OFS_DELTA, REF_DELTA } from './packTypeCodes.ts';

export interface ListedEntry {
  offset: number;
  /** 1–4, 6 (OFS_DELTA) or 7 (REF_DELTA). */
  type: number;
  /** Inflated size from the header (of the delta, for delta entries). */
  size: number;
  /** OFS_DELTA: offset of the base entry. */
  baseOffset?: number;
  /** REF_DELTA: id of the base. */
  baseOid?: string;
  /** Where the zlib stream starts and ends (exclusive). */
  dataStart: number;
  end: number;
}

export interface ListedPack {
  version: number;
  count: number;
  entries: ListedEntry[];
  /** The trailer as hex. */
  trailer: string;
  /** The trailer is the SHA-1 of the bytes before it, and nothing follows it. */
  trailerOk: boolean;
  /** The trailer is the SHA-1 of the bytes before it, whatever follows it. */
  checksumOk: boolean;
  /** Offset just past the trailer: the pack's length within the bytes. */
  end: number;
}

/** Lists the pack at the start of `bytes`; throws if it is no pack or ends too early. */
export function listPack(bytes: Uint8Array): ListedPack {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < 12 || data.toString('latin1', 0, 4) !== 'PACK') throw new Error('not a pack: no PACK signature');
  const version = data.readUInt32BE(4);
  const count = data.readUInt32BE(8);
  const byteAt = (pos: number): number => {
    const byte = data[pos];
    if (byte === undefined) throw new Error(`pack truncated at offset ${pos}`);
    return byte;
  };
  const entries: ListedEntry[] = [];
  let pos = 12;
  for (let i = 0; i < count; i++) {
    const offset = pos;
    let byte = byteAt(pos++);
    const type = (byte >> 4) & 7;
    let size = byte & 15;
    let scale = 16;
    while (byte & 0x80) {
      byte = byteAt(pos++);
      size += (byte & 0x7f) * scale;
      scale *= 128;
    }
    const entry: ListedEntry = { offset, type, size, dataStart: 0, end: 0 };
    if (type === OFS_DELTA) {
      byte = byteAt(pos++);
      let distance = byte & 0x7f;
      while (byte & 0x80) {
        byte = byteAt(pos++);
        distance = (distance + 1) * 128 + (byte & 0x7f);
      }
      entry.baseOffset = offset - distance;
    } else if (type === REF_DELTA) {
      if (pos + 20 > data.length) throw new Error(`pack truncated at offset ${data.length}`);
      entry.baseOid = data.toString('hex', pos, pos + 20);
      pos += 20;
    }
    entry.dataStart = pos;
    const { engine } = inflateSync(data.subarray(pos), { info: true }) as unknown as { engine: { bytesWritten: number } };
    pos += engine.bytesWritten;
    entry.end = pos;
    entries.push(entry);
  }
  const trailer = data.toString('hex', pos, pos + 20);
  const checksumOk = pos + 20 <= data.length && createHash('sha1').update(data.subarray(0, pos)).digest('hex') === trailer;
  return { version, count, entries, trailer, trailerOk: checksumOk && pos + 20 === data.length, checksumOk, end: pos + 20 };
}
