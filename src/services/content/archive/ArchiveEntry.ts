/**
 * One entry of an archive of a tree, in the order `git archive` writes them:
 * a folder (also a submodule, which git archives as an empty folder), a
 * file, or a symlink (whose data is its target). Paths are bytes — tree
 * names need not be UTF-8 — with the archive's prefix, and folders end in `/`.
 */
import type { Oid } from '../../../git/objects/objectId.ts';

export type ArchiveEntry =
  | { kind: 'dir'; path: Uint8Array; oid: Oid }
  | { kind: 'file'; path: Uint8Array; oid: Oid; executable: boolean; data: Uint8Array }
  | { kind: 'symlink'; path: Uint8Array; oid: Oid; data: Uint8Array };

/** What every writer needs besides the entries: the commit archived and its committer date. */
export interface ArchiveInfo {
  commit: Oid;
  /** Committer date, seconds since the epoch. */
  time: number;
  /** The committer's offset from UTC in minutes (local times in zip headers). */
  offsetMinutes: number;
}
