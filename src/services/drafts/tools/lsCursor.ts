/**
 * The paging cursor of `ls`: the folder listed, whether recursively, and
 * the last path of the page, as base64url of UTF-8 JSON (paths may hold any
 * character). A cursor from another listing, or not a cursor, is EINVAL.
 */
import { decodeBase64, encodeBase64 } from '../../base64.ts';
import { invalidArg } from './toolArgs.ts';

export interface LsCursor {
  path: string;
  recursive: boolean;
  last: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeLsCursor(cursor: LsCursor): string {
  const json = JSON.stringify([cursor.path, cursor.recursive ? 1 : 0, cursor.last]);
  return encodeBase64(encoder.encode(json)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function decodeLsCursor(text: string, path: string, recursive: boolean): LsCursor {
  const bad = invalidArg('cursor', 'invalid cursor: pass back the next_cursor of the previous page unchanged, with the same path and recursive');
  const bytes = decodeBase64(text.replaceAll('-', '+').replaceAll('_', '/'));
  if (bytes === null) throw bad;
  let key: unknown;
  try {
    key = JSON.parse(decoder.decode(bytes));
  } catch {
    throw bad;
  }
  if (!Array.isArray(key) || key.length !== 3 || key[0] !== path || key[1] !== (recursive ? 1 : 0) || typeof key[2] !== 'string') throw bad;
  return { path, recursive, last: key[2] };
}
