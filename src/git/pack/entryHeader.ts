/**
 * The variable-length numbers at the start of a pack entry: the type-and-size
 * header, and the OFS_DELTA base distance.
 *
 * gitformat-pack:
 *
 *     packed object header:
 *       1-byte size extension bit (MSB)
 *              type (next 3 bit)
 *              size0 (lower 4-bit)
 *       n-byte sizeN (as long as MSB is set, each 7-bit)
 *         size0..sizeN form 4+7+7+..+7 bit integer, size0
 *         is the least significant part, and sizeN is the
 *         most significant part.
 *
 *     offset encoding:
 *       n bytes with MSB set in all but the last one.
 *       The offset is then the number constructed by
 *       concatenating the lower 7 bit of each byte, and
 *       for n >= 2 adding 2^7 + 2^14 + ... + 2^(7*(n-1))
 *       to the result.
 *
 *     Valid object types are: OBJ_COMMIT (1), OBJ_TREE (2), OBJ_BLOB (3),
 *     OBJ_TAG (4), OBJ_OFS_DELTA (6), OBJ_REF_DELTA (7).
 *     Type 5 is reserved for future expansion. Type 0 is invalid.
 *
 * Sizes and distances may exceed 2^32 ("not constrained to 32-bit"), so all
 * arithmetic here multiplies; `<<` would wrap at 31 bits. Values are limited
 * to Number.MAX_SAFE_INTEGER.
 */
import { GroveError } from '../../errors.ts';

export const OFS_DELTA = 6;
export const REF_DELTA = 7;

/** True for the type codes a pack entry may carry: 1–4, 6, 7. */
export function isPackTypeCode(typeCode: number): boolean {
  return (typeCode >= 1 && typeCode <= 4) || typeCode === OFS_DELTA || typeCode === REF_DELTA;
}

function checkCount(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new GroveError('INTERNAL', `${what} ${value} is not a non-negative safe integer`);
  }
}

/** The header bytes of an entry of `typeCode` (1–7) whose inflated data is `size` bytes. */
export function encodeEntryHeader(typeCode: number, size: number): Uint8Array {
  if (!Number.isInteger(typeCode) || typeCode < 1 || typeCode > 7) {
    throw new GroveError('INTERNAL', `pack type code ${typeCode} is not in 1..7`);
  }
  checkCount('entry size', size);
  const out: number[] = [(typeCode << 4) | (size % 16)];
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    out[out.length - 1]! |= 0x80;
    out.push(rest % 128);
    rest = Math.floor(rest / 128);
  }
  return Uint8Array.from(out);
}

export interface EntryHeader {
  typeCode: number;
  size: number;
  /** Bytes the header occupies. */
  length: number;
}

/**
 * The entry header at `offset` of `bytes`, or `undefined` when `bytes` ends
 * inside it. The type code is returned as found (callers reject 0 and 5).
 */
export function decodeEntryHeader(bytes: Uint8Array, offset: number): EntryHeader | undefined {
  let byte = bytes[offset];
  if (byte === undefined) return undefined;
  const typeCode = (byte >> 4) & 7;
  let size = byte & 15;
  let scale = 16;
  let i = offset + 1;
  while (byte & 0x80) {
    byte = bytes[i++];
    if (byte === undefined) return undefined;
    size += (byte & 0x7f) * scale;
    scale *= 128;
    if (size > Number.MAX_SAFE_INTEGER || scale > 2 ** 60) {
      throw new GroveError('BAD_PACK', `pack entry header at offset ${offset} encodes a size beyond 2^53`);
    }
  }
  return { typeCode, size, length: i - offset };
}

/** The OFS_DELTA distance bytes for a base `distance` bytes before the entry. */
export function encodeOfsDelta(distance: number): Uint8Array {
  checkCount('OFS_DELTA distance', distance);
  const out: number[] = [distance % 128];
  let rest = Math.floor(distance / 128);
  while (rest > 0) {
    rest -= 1;
    out.push(0x80 | (rest % 128));
    rest = Math.floor(rest / 128);
  }
  return Uint8Array.from(out.reverse());
}

/** The OFS_DELTA distance at `offset` of `bytes`, or `undefined` when `bytes` ends inside it. */
export function decodeOfsDelta(bytes: Uint8Array, offset: number): { distance: number; length: number } | undefined {
  let byte = bytes[offset];
  if (byte === undefined) return undefined;
  let distance = byte & 0x7f;
  let i = offset + 1;
  while (byte & 0x80) {
    byte = bytes[i++];
    if (byte === undefined) return undefined;
    if (distance + 1 > Math.floor(Number.MAX_SAFE_INTEGER / 128)) {
      throw new GroveError('BAD_PACK', `OFS_DELTA offset at ${offset} overflows 2^53`);
    }
    distance = (distance + 1) * 128 + (byte & 0x7f);
  }
  return { distance, length: i - offset };
}
