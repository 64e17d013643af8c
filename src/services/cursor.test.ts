import { describe, expect, it } from 'vitest';
import { isGroveError } from '../errors.ts';
import { decodeCursor, encodeCursor, pageOf } from './cursor.ts';

describe('paging cursors', () => {
  it('round-trip the sort key, URL-safe', () => {
    const cursor = encodeCursor([1_700_000_000_123, 'repo-name_1.x']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, ['number', 'string'])).toEqual([1_700_000_000_123, 'repo-name_1.x']);
  });

  it('refuse anything that is not a cursor of the expected shape with BAD_REQUEST on field cursor', () => {
    const good = encodeCursor(['a', 'b']);
    for (const bad of ['', '!!!', 'e30', btoa('[1]'), btoa('["a",1]'), good.slice(0, -2), encodeCursor([1, 'b'])]) {
      let err: unknown;
      try {
        decodeCursor(bad, ['string', 'string']);
      } catch (e) {
        err = e;
      }
      expect(isGroveError(err) && err.code === 'BAD_REQUEST' && err.details?.['field'] === 'cursor', bad).toBe(true);
    }
  });

  it('cut a page at limit and give the next cursor only when there is more', () => {
    const rows = [1, 2, 3, 4];
    expect(pageOf(rows.slice(0, 3), 3, (n) => [n])).toEqual({ items: [1, 2, 3], nextCursor: null });
    const page = pageOf(rows, 3, (n) => [n]);
    expect(page.items).toEqual([1, 2, 3]);
    expect(decodeCursor(page.nextCursor!, ['number'])).toEqual([3]);
  });
});
