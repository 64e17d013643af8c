/**
 * A Git object as tests make it by hand: its type, its bytes and the id git
 * gives it, computed here with node:crypto, independently of Grove's own
 * hashing. gitformat-object(5) / git hash-object(1): the object name is the
 * SHA-1 of `<type> SP <size in decimal> NUL <content>`.
 */
import { createHash } from 'node:crypto';
import { bytesOf, type Part } from './bytesOf.ts';

export type ObjectKind = 'commit' | 'tree' | 'blob' | 'tag';

export interface RawObject {
  type: ObjectKind;
  oid: string;
  data: Uint8Array;
}

/** The id git gives an object of `type` with content `data` (a string as UTF-8). */
export function objectId(type: ObjectKind, data: Part): string {
  const bytes = bytesOf(data);
  return createHash('sha1').update(bytesOf(`${type} ${bytes.length}\0`)).update(bytes).digest('hex');
}

/** The object of `type` with content `data`, and its id. */
export function rawObject(type: ObjectKind, data: Part): RawObject {
  const bytes = bytesOf(data);
  return { type, oid: objectId(type, bytes), data: bytes };
}

/** The 20 raw bytes of a 40-character lowercase hex object id; throws on anything else. */
export function oidBytes(oid: string): Uint8Array {
  if (!/^[0-9a-f]{40}$/.test(oid)) throw new Error(`not an object id: ${oid}`);
  return Uint8Array.from(Buffer.from(oid, 'hex'));
}
