import { describe, expect, it } from 'vitest';
import { DirtyPaths } from './DirtyPaths.ts';

describe('DirtyPaths', () => {
  it('clears after a sync only the paths not marked again while it ran', () => {
    const dirty = new DirtyPaths();
    dirty.mark('a');
    dirty.mark('b');
    const snapshot = dirty.begin();
    expect(snapshot.paths.sort()).toEqual(['a', 'b']);
    dirty.mark('b'); // written again while the sync ran
    dirty.mark('c');
    dirty.settle(snapshot);
    expect(dirty.paths().sort()).toEqual(['b', 'c']);
  });

  it('keeps what the sync could not send', () => {
    const dirty = new DirtyPaths();
    dirty.mark('a');
    dirty.mark('b');
    const snapshot = dirty.begin();
    dirty.settle(snapshot, new Set(['a']));
    expect(dirty.paths()).toEqual(['a']);
    expect(dirty.epoch).toBe(1);
  });
});
