import { describe, expect, it } from 'vitest';
import { decodeLsCursor, encodeLsCursor } from './lsCursor.ts';

describe('ls cursor', () => {
  it('round-trips any path, and belongs to one listing', () => {
    const cursor = encodeLsCursor({ path: 'dössier', recursive: true, last: 'dössier/日本/😀.txt' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeLsCursor(cursor, 'dössier', true).last).toBe('dössier/日本/😀.txt');
    for (const [text, path, recursive] of [[cursor, 'dössier', false], [cursor, 'other', true], ['garbage!', 'dössier', true], ['', '', false]] as const) {
      expect(() => decodeLsCursor(text, path, recursive)).toThrow(expect.objectContaining({ code: 'EINVAL', details: expect.objectContaining({ field: 'cursor' }) }));
    }
  });
});
