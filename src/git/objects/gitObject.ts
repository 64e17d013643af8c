/**
 * The four Git object types and the loose-object framing that defines an id:
 * `id = SHA-1("<type> <size>\0" + content)` (gitformat-loose).
 */
import type { Codec } from '../codec.ts';
import { bytesToHex, type Oid } from './objectId.ts';

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';

/** An object's type and its full (inflated, undeltified) content. */
export interface GitObject {
  type: ObjectType;
  data: Uint8Array;
}

/** Pack type numbers (gitformat-pack): 1 commit, 2 tree, 3 blob, 4 tag. */
export const TYPE_CODE: Readonly<Record<ObjectType, number>> = { commit: 1, tree: 2, blob: 3, tag: 4 };
export const TYPE_BY_CODE: readonly (ObjectType | undefined)[] = [undefined, 'commit', 'tree', 'blob', 'tag'];

export function isObjectType(value: string): value is ObjectType {
  return value === 'commit' || value === 'tree' || value === 'blob' || value === 'tag';
}

/** The `"<type> <size>\0"` prefix that is hashed before an object's content. */
export function objectHeader(type: ObjectType, size: number): Uint8Array {
  const text = `${type} ${size}\0`;
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Objects up to this size are hashed in one call, header and content copied together. */
const ONE_SHOT_LIMIT = 1024 * 1024;

/** The id of an object with this type and content. */
export function hashObject(codec: Codec, type: ObjectType, data: Uint8Array): Oid {
  const header = objectHeader(type, data.length);
  if (data.length > ONE_SHOT_LIMIT) return bytesToHex(codec.sha1().update(header).update(data).digest());
  const framed = new Uint8Array(header.length + data.length);
  framed.set(header, 0);
  framed.set(data, header.length);
  return bytesToHex(codec.sha1Digest(framed));
}
