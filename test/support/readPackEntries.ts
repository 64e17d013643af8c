/**
 * Lists the entries of a pack captured with GIT_TRACE_PACKFILE, to check what a
 * client sent or received (object count, REF_DELTA bases of a thin pack).
 * Independent of Grove's own pack code on purpose. From gitformat-pack(5):
 *
 *   4-byte signature 'PACK', 4-byte version (2 or 3), 4-byte number of objects,
 *   then each object: an n-byte type and length (3-bit type, (n-1)*7+4-bit length),
 *   for OBJ_OFS_DELTA an offset-encoded base position, for OBJ_REF_DELTA a 20-byte
 *   base object name, then the zlib-compressed data; a 20-byte SHA-1 trailer.
 *   Types: 1 commit, 2 tree, 3 blob, 4 tag, 6 OBJ_OFS_DELTA, 7 OBJ_REF_DELTA.
 */
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';

export const OBJ_OFS_DELTA = 6;
export const OBJ_REF_DELTA = 7;

export interface PackEntry {
  offset: number;
  type: number;
  /** Inflated size (of the delta, for delta entries). */
  size: number;
  /** Base object id of an OBJ_REF_DELTA entry. */
  baseOid?: string;
}

export interface PackListing {
  entries: PackEntry[];
  /** Offset just past the trailer: the pack's length in `bytes`. */
  end: number;
}

export function readPackEntries(bytes: Uint8Array): PackListing {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < 32 || data.toString('latin1', 0, 4) !== 'PACK') throw new Error('not a pack: no PACK signature');
  const count = data.readUInt32BE(8);
  const entries: PackEntry[] = [];
  let pos = 12;
  for (let i = 0; i < count; i++) {
    const offset = pos;
    let byte = at(data, pos++);
    const type = (byte >> 4) & 7;
    let size = byte & 15;
    let shift = 4;
    while (byte & 0x80) {
      byte = at(data, pos++);
      size += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    }
    const entry: PackEntry = { offset, type, size };
    if (type === OBJ_OFS_DELTA) {
      do byte = at(data, pos++);
      while (byte & 0x80);
    } else if (type === OBJ_REF_DELTA) {
      entry.baseOid = data.toString('hex', pos, pos + 20);
      pos += 20;
    }
    const { engine } = inflateSync(data.subarray(pos), { info: true }) as unknown as { engine: { bytesWritten: number } };
    pos += engine.bytesWritten;
    entries.push(entry);
  }
  const trailer = data.toString('hex', pos, pos + 20);
  const digest = createHash('sha1').update(data.subarray(0, pos)).digest('hex');
  if (trailer !== digest) throw new Error(`pack trailer ${trailer} does not match its SHA-1 ${digest}`);
  return { entries, end: pos + 20 };
}

function at(data: Buffer, pos: number): number {
  const byte = data[pos];
  if (byte === undefined) throw new Error(`pack truncated at offset ${pos}`);
  return byte;
}
