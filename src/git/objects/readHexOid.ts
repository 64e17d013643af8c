/**
 * Reads a hex object id embedded in an object's header ("tree <hex>\n").
 * Git's `get_oid_hex` accepts hex digits of either case, so a commit that
 * spells its tree in upper case is still valid; the id we return is always
 * the canonical lowercase `Oid`.
 */
import { OID_HEX_LENGTH, type Oid } from './objectId.ts';

const HEX = '0123456789abcdef';
/** Lowercase hex digit of each byte value, or '' when the byte is not a hex digit. */
const DIGIT: string[] = Array.from({ length: 256 }, (_, byte) => {
  const char = String.fromCharCode(byte).toLowerCase();
  return char.length === 1 && HEX.includes(char) ? char : '';
});

/** The 40 hex digits at `offset` as a lowercase `Oid`, or `undefined` if they are not all hex. */
export function readHexOid(data: Uint8Array, offset: number): Oid | undefined {
  if (offset + OID_HEX_LENGTH > data.length) return undefined;
  let oid = '';
  for (let i = offset; i < offset + OID_HEX_LENGTH; i++) {
    const digit = DIGIT[data[i]!]!;
    if (digit === '') return undefined;
    oid += digit;
  }
  return oid;
}
