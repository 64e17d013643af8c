import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../../../test/support/tempDir.ts';
import { ServerIndex } from './ServerIndex.ts';
import { StateDb } from './StateDb.ts';

const file = (sha: string, size: number) => ({ kind: 'file' as const, mode: '100644', sha, size });
const dir = { kind: 'dir' as const, mode: '40000', sha: null, size: 0 };

describe('ServerIndex', () => {
  it('keeps entries, children and counts, replaces a folder by a file with everything below it, and reads back the same from the state file', async () => {
    await withTempDir('grove-server-index-', async (tmp) => {
      const db = new StateDb(join(tmp, 'state.db'));
      const index = new ServerIndex(db);
      index.set('a', dir);
      index.set('a/x', file('1'.repeat(40), 10));
      index.set('a/b', dir);
      index.set('a/b/y', file('2'.repeat(40), 5));
      index.set('top', file('3'.repeat(40), 7));
      expect([...index.children('a')].sort()).toEqual(['b', 'x']);
      expect(index.files).toBe(3);
      expect(index.bytes).toBe(22);
      index.set('a', file('4'.repeat(40), 1));
      expect(index.get('a/b/y')).toBeUndefined();
      expect([...index.children('')].sort()).toEqual(['a', 'top']);
      expect(index.files).toBe(2);
      expect(index.bytes).toBe(8);
      index.set('d', dir);
      index.set('d/e', dir);
      index.set('d/e/f', file('5'.repeat(40), 3));
      index.remove('d');
      expect([...index.below('')].map(([p]) => p).sort()).toEqual(['a', 'top']);
      db.close();
      const again = new ServerIndex(new StateDb(join(tmp, 'state.db')));
      expect([...again.below('')].sort()).toEqual([...index.below('')].sort());
      expect(again.files).toBe(2);
    });
  });
});
