/**
 * A pack's index, version 2 (gitformat-pack, "Version 2 pack-*.idx files
 * support packs larger than 4 GiB"):
 *
 *   - A 4-byte magic number '\377tOc' which is an unreasonable fanout[0]
 *     value.
 *   - A 4-byte version number (= 2)
 *   - A 256-entry fan-out table just like v1.
 *   - A table of sorted object names. [...]
 *   - A table of 4-byte CRC32 values of the packed object data.
 *   - A table of 4-byte offset values (in network byte order). [...] If
 *     the msb is set, the rest of the 31 bits are an index into the next
 *     table of 8-byte offset entries.
 *   - A table of 8-byte offset entries (empty for pack files less than
 *     2 GiB).
 *   - The same trailer as a v1 pack file: A copy of the pack checksum at
 *     the end of the corresponding packfile. Index checksum of all of the
 *     above.
 *
 * "The fanout table [...] N-th entry of this table records the number of
 * objects in the corresponding pack, the first byte of whose object name
 * is less than or equal to N." The CRC32 covers an entry's packed bytes,
 * header included: from its offset to the next entry's (or the trailer) —
 * see keepPackFile.ts.
 */
import type { Codec } from '../../git/codec.ts';
import { concatBytes } from '../../git/bytes.ts';
import { hexToBytes, type Oid } from '../../git/objects/objectId.ts';

export interface PackedAt {
  oid: Oid;
  offset: number;
  /** CRC32 of the entry's packed bytes. */
  crc: number;
}

/** The .idx of the pack whose trailer is `packChecksum` and whose objects are `objects`. */
export function writePackIndex(codec: Codec, packChecksum: Uint8Array, objects: readonly PackedAt[]): Uint8Array {
  const sorted = [...objects].sort((a, b) => (a.oid < b.oid ? -1 : a.oid > b.oid ? 1 : 0));
  const n = sorted.length;
  const large = sorted.filter((o) => o.offset >= 0x80000000);
  const out = new Uint8Array(8 + 256 * 4 + n * (20 + 4 + 4) + large.length * 8 + 20);
  const view = new DataView(out.buffer);
  out.set([0xff, 0x74, 0x4f, 0x63]);
  view.setUint32(4, 2);
  const fanout = new Uint32Array(256);
  for (const { oid } of sorted) fanout[parseInt(oid.slice(0, 2), 16)]!++;
  for (let i = 1; i < 256; i++) fanout[i]! += fanout[i - 1]!;
  for (let i = 0; i < 256; i++) view.setUint32(8 + i * 4, fanout[i]!);
  const names = 8 + 1024;
  const crcTable = names + n * 20;
  const offsets = crcTable + n * 4;
  const largeTable = offsets + n * 4;
  let nextLarge = 0;
  sorted.forEach(({ oid, offset, crc }, i) => {
    out.set(hexToBytes(oid), names + i * 20);
    view.setUint32(crcTable + i * 4, crc >>> 0);
    if (offset < 0x80000000) view.setUint32(offsets + i * 4, offset);
    else {
      view.setUint32(offsets + i * 4, (0x80000000 | nextLarge) >>> 0);
      view.setBigUint64(largeTable + nextLarge * 8, BigInt(offset));
      nextLarge++;
    }
  });
  const trailer = largeTable + large.length * 8;
  out.set(packChecksum, trailer);
  return concatBytes([out, codec.sha1Digest(out)]);
}
