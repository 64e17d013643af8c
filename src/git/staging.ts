/**
 * The port through which a push stages what it receives. Received objects are
 * kept aside (in the store: the `incoming` tables) until the whole push is
 * verified; only `commit` makes them and the ref updates visible, in one
 * transaction. `discard` forgets them. Staging is local to the repository's
 * own database, so it is synchronous.
 */
import type { ObjectType } from './objects/gitObject.ts';
import type { Oid } from './objects/objectId.ts';
import type { CommitInfo } from './ports.ts';

/** What is known of a staged object once its delta chain is resolved. */
export interface Resolution {
  oid: Oid;
  type: ObjectType;
  size: number;
  /** Delta base of the stored form, or null when stored whole. */
  base: Oid | null;
  depth: number;
}

/** One pack entry as staged: its stored bytes, and its resolution once known. */
export interface StagedEntry {
  index: number;
  offset: number;
  /** Inflated size of `compressed`. */
  storedSize: number;
  compressed: Uint8Array;
  resolution: Resolution | null;
}

export interface RefUpdate {
  name: string;
  /** Expected current value; ZERO_OID when the ref must not exist. */
  old: Oid;
  /** New value; ZERO_OID deletes the ref. */
  new: Oid;
  /** For a new value that is an annotated tag: the object its chain ends at. */
  peeled?: Oid;
}

/** A commit entering the repository, with the trees and blobs it brings (absent when not worked out). */
export interface StagedCommit extends CommitInfo {
  introduced?: readonly Oid[] | null;
}

export type RefUpdateResult = { name: string; ok: true } | { name: string; ok: false; reason: string };

export interface PackStaging {
  put(entry: StagedEntry): void;
  /** Records the resolution of an entry staged without one; `replacement` swaps its stored bytes (e.g. for a whole copy). */
  resolve(index: number, resolution: Resolution, replacement?: { storedSize: number; compressed: Uint8Array }): void;
  /** Forgets one staged entry (a second copy of an object already staged). */
  drop(index: number): void;
  /** Reads back a staged entry's stored bytes. */
  read(index: number): { storedSize: number; compressed: Uint8Array };
  /**
   * Applies ref updates and, if any succeeds (all must, when `atomic`), makes
   * the staged objects and `commits` part of the repository — in one
   * transaction. Staging is emptied either way.
   */
  commit(updates: readonly RefUpdate[], commits: readonly StagedCommit[], options: { atomic: boolean }): RefUpdateResult[];
  /** Forgets the staged objects but keeps the staging open, so ref updates that need no objects can still commit. */
  discardObjects(): void;
  discard(): void;
}
