/**
 * Opaque paging cursors: the sort key of the last item of a page, so the next
 * page starts right after it whatever was added or removed meanwhile.
 */
import { GroveError } from '../errors.ts';

export type CursorKey = readonly (string | number)[];

export function encodeCursor(key: CursorKey): string {
  return btoa(JSON.stringify(key)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The key in `cursor`, which must hold `shape` (a type per position); BAD_REQUEST otherwise. */
export function decodeCursor(cursor: string, shape: readonly ('string' | 'number')[]): CursorKey {
  let key: unknown;
  try {
    key = JSON.parse(atob(cursor.replaceAll('-', '+').replaceAll('_', '/')));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((v, i) => typeof v !== shape[i])) {
    throw new GroveError('BAD_REQUEST', 'invalid cursor: pass back the next_cursor of a previous page unchanged', { field: 'cursor' });
  }
  return key as CursorKey;
}

/** One page of `rows` (fetched with one row more than `limit`) and the cursor of the next. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => CursorKey): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(keyOf(items[items.length - 1]!)) };
}
