import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cacheLayout } from './cacheLayout.ts';
import { DeferredOps, LAZY_OPERATIONS } from './DeferredOps.ts';
import { FileTree } from './FileTree.ts';
import type { FuseStat } from './fuseNative.ts';
import { LazyFileSystem } from './LazyFileSystem.ts';
import { OverlayJournal } from './OverlayJournal.ts';

function lazyFs(): LazyFileSystem {
  const root = join(tmpdir(), 'grove-deferred-never-written');
  const layout = cacheLayout(root);
  return new LazyFileSystem({
    tree: FileTree.fromBase([{ path: 'a.txt', mode: 0o100644, oid: 'a'.repeat(40), size: 3 }], 0),
    layout, journal: new OverlayJournal(layout.journal), hydrate: async () => {}, sizesReady: Promise.resolve(),
    gitfile: new Uint8Array(0), uid: 0, gid: 0, log: () => {},
  });
}

describe('DeferredOps', () => {
  it('offers exactly the operations the lazy file system implements', () => {
    expect([...LAZY_OPERATIONS].sort()).toEqual(Object.keys(lazyFs().ops()).sort());
    expect(Object.keys(new DeferredOps().ops()).sort()).toEqual([...LAZY_OPERATIONS].sort());
  });

  it('holds calls until the file system is ready, then answers them from it', async () => {
    const deferred = new DeferredOps();
    const ops = deferred.ops();
    const answers: Array<[number, FuseStat | undefined]> = [];
    ops.getattr!('/a.txt', (code, stat) => answers.push([code, stat]));
    ops.init!((code) => answers.push([code, undefined])); // init answers at once
    expect(answers).toEqual([[0, undefined]]);
    deferred.ready(lazyFs().ops());
    await new Promise((r) => setTimeout(r, 10));
    expect(answers[1]?.[0]).toBe(0);
    expect(answers[1]?.[1]?.size).toBe(3);
  });

  it('answers EIO when the mount failed before it was ready', () => {
    const deferred = new DeferredOps();
    const codes: number[] = [];
    deferred.ops().readdir!('/', (code) => codes.push(code));
    deferred.fail();
    deferred.ops().open!('/a.txt', 0, (code) => codes.push(code));
    expect(codes).toEqual([-5, -5]);
  });
});
