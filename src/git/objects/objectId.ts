/**
 * Object ids. The engine passes ids around as 40-character lowercase hex
 * strings (cheap map keys, readable in errors); storage and the pack format
 * use the 20 raw bytes. These helpers convert between the two.
 */
export type Oid = string;

export const OID_BYTES = 20;
export const OID_HEX_LENGTH = 40;
export const ZERO_OID: Oid = '0'.repeat(OID_HEX_LENGTH);

const HEX = '0123456789abcdef';
const BYTE_TO_HEX: string[] = Array.from({ length: 256 }, (_, b) => HEX[b >> 4]! + HEX[b & 15]!);
const HEX_TO_NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_TO_NIBBLE[HEX.charCodeAt(i)] = i;

const OID_PATTERN = /^[0-9a-f]{40}$/;

/** True for a well-formed (lowercase) hex object id. */
export function isOid(value: string): boolean {
  return OID_PATTERN.test(value);
}

/** Hex of `length` bytes of `bytes` starting at `offset`. */
export function bytesToHex(bytes: Uint8Array, offset = 0, length = bytes.length - offset): string {
  let out = '';
  for (let i = offset; i < offset + length; i++) out += BYTE_TO_HEX[bytes[i]!]!;
  return out;
}

/** The 20-byte id at `offset` of `bytes`, as hex. */
export function readOid(bytes: Uint8Array, offset = 0): Oid {
  return bytesToHex(bytes, offset, OID_BYTES);
}

/** Bytes of a hex string of even length; throws on a non-hex character. */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) {
    const hi = HEX_TO_NIBBLE[hex.charCodeAt(2 * i)] ?? -1;
    const lo = HEX_TO_NIBBLE[hex.charCodeAt(2 * i + 1)] ?? -1;
    if (hi < 0 || lo < 0) throw new TypeError(`not a hex string: ${hex.slice(0, 48)}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Writes the 20 bytes of `oid` into `target` at `offset`. */
export function writeOid(oid: Oid, target: Uint8Array, offset: number): void {
  for (let i = 0; i < OID_BYTES; i++) {
    target[offset + i] = (HEX_TO_NIBBLE[oid.charCodeAt(2 * i)]! << 4) | HEX_TO_NIBBLE[oid.charCodeAt(2 * i + 1)]!;
  }
}
