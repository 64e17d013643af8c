/**
 * The objects of one new commit on top of the seed's `main`: `big.txt` with
 * line 51 changed (so it deltas well against the stored `big.txt`), its tree
 * and the commit. Tests put them in packs, whole or as deltas, right or wrong.
 */
import { commitBytes, type CommitSpec } from '../../support/commitBytes.ts';
import { rawObject, type RawObject } from '../../support/rawObject.ts';
import { treeBytes, type TreeEntry } from '../../support/treeBytes.ts';
import type { Seed } from './seed.ts';

export interface NextCommit {
  blob: RawObject;
  tree: RawObject;
  commit: RawObject;
}

export interface NextCommitOptions {
  /** Changes to the commit (its tree and parent default to the new tree and `main`). */
  commit?: Partial<CommitSpec>;
  /** The tree's entries instead of the seed's with the new `big.txt`. */
  treeEntries?: (blob: RawObject) => TreeEntry[];
}

export function nextCommit(seed: Seed, options: NextCommitOptions = {}): NextCommit {
  const text = new TextDecoder().decode(seed.big.data).replace('line 51: the quick', 'line 51: a changed');
  const blob = rawObject('blob', text);
  const entries = options.treeEntries?.(blob) ?? seed.treeEntries.map((e) => (e.name === 'big.txt' ? { ...e, oid: blob.oid } : e));
  const tree = rawObject('tree', treeBytes(entries));
  const commit = rawObject('commit', commitBytes({ tree: tree.oid, parents: [seed.third], ...options.commit }));
  return { blob, tree, commit };
}
