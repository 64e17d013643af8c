/**
 * Packs built by hand, for the odd cases git never writes (a REF_DELTA before
 * its base, delta cycles, duplicates, invalid objects). Independent of Grove's
 * pack code on purpose: node:zlib and node:crypto only. From gitformat-pack(5):
 *
 *   "PACK", version 2, object count (4 bytes each, network order); each entry:
 *   type (3 bits) and inflated size (4 + 7n bits, little-endian groups, MSB =
 *   more), then for OBJ_OFS_DELTA the offset-encoded distance back to the base
 *   entry, for OBJ_REF_DELTA the 20-byte base id; then the zlib stream; finally
 *   the SHA-1 of everything before.
 *
 * A delta (gitformat-pack, "Deltified representation") is the base size and
 * the result size (7-bit groups), then instructions: copy `1xxxxxxx` with
 * offset and size bytes, insert `0nnnnnnn` followed by n literal bytes.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

export type HandType = 'commit' | 'tree' | 'blob' | 'tag';

export type HandEntry =
  | { type: HandType; data: Uint8Array; /** zlib level of this entry (default: zlib's). */ level?: number }
  | { refBase: string; delta: Uint8Array }
  | { ofsBase: number; delta: Uint8Array };

const TYPE_NUMBER: Record<HandType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };

/** The id git gives an object. */
export function objectId(type: HandType, data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return createHash('sha1').update(`${type} ${bytes.length}\0`).update(bytes).digest('hex');
}

function sizeBytes(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/** A delta turning `base` into `target`: copies the common prefix of both, inserts the rest. */
export function prefixDelta(base: Uint8Array, target: Uint8Array): Uint8Array {
  let common = 0;
  while (common < base.length && common < target.length && base[common] === target[common]) common++;
  const out: number[] = [...sizeBytes(base.length), ...sizeBytes(target.length)];
  for (let at = 0; at < common; at += 0x10000) {
    const size = Math.min(0x10000, common - at);
    // Copy: offset in up to 4 bytes, size in up to 3 (0x10000 is written as no size bytes).
    let op = 0x80;
    const args: number[] = [];
    for (let i = 0; i < 4; i++) {
      const byte = Math.floor(at / 2 ** (8 * i)) & 0xff;
      if (byte !== 0) {
        op |= 1 << i;
        args.push(byte);
      }
    }
    if (size !== 0x10000) {
      for (let i = 0; i < 3; i++) {
        const byte = (size >> (8 * i)) & 0xff;
        if (byte !== 0) {
          op |= 0x10 << i;
          args.push(byte);
        }
      }
    }
    out.push(op, ...args);
  }
  const bytes = Uint8Array.from(out);
  const inserts: number[] = [];
  for (let at = common; at < target.length; at += 127) {
    const part = target.subarray(at, Math.min(target.length, at + 127));
    inserts.push(part.length, ...part);
  }
  const all = new Uint8Array(bytes.length + inserts.length);
  all.set(bytes);
  all.set(inserts, bytes.length);
  return all;
}

function entryHeader(typeNumber: number, size: number): number[] {
  const out = [(typeNumber << 4) | (size % 16)];
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    out[out.length - 1]! |= 0x80;
    out.push(rest % 128);
    rest = Math.floor(rest / 128);
  }
  return out;
}

function ofsDistance(distance: number): number[] {
  const out = [distance % 128];
  let rest = Math.floor(distance / 128);
  while (rest > 0) {
    rest -= 1;
    out.unshift(0x80 | (rest % 128));
    rest = Math.floor(rest / 128);
  }
  return out;
}

/** The bytes of a version-2 pack holding `entries` in order. */
export function handPack(entries: readonly HandEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const head = Buffer.alloc(12);
  head.write('PACK', 0, 'latin1');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(entries.length, 8);
  parts.push(head);
  let offset = 12;
  const offsets: number[] = [];
  for (const entry of entries) {
    offsets.push(offset);
    let bytes: number[];
    let data: Uint8Array;
    if ('type' in entry) {
      bytes = entryHeader(TYPE_NUMBER[entry.type], entry.data.length);
      data = entry.data;
    } else if ('refBase' in entry) {
      bytes = [...entryHeader(7, entry.delta.length), ...Buffer.from(entry.refBase, 'hex')];
      data = entry.delta;
    } else {
      const base = offsets[entry.ofsBase];
      if (base === undefined) throw new Error(`entry ${entry.ofsBase} is not before this one`);
      bytes = [...entryHeader(6, entry.delta.length), ...ofsDistance(offset - base)];
      data = entry.delta;
    }
    const compressed = deflateSync(data, 'level' in entry && entry.level !== undefined ? { level: entry.level } : {});
    parts.push(Uint8Array.from(bytes), compressed);
    offset += bytes.length + compressed.length;
  }
  const body = Buffer.concat(parts);
  return new Uint8Array(Buffer.concat([body, createHash('sha1').update(body).digest()]));
}

