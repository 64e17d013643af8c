/**
 * One changed path between two trees, as `git diff --raw -M` lists it:
 * added (A), deleted (D), modified (M), renamed (R, with its similarity) or
 * type changed (T: between a file, a symlink and a submodule). Modes are
 * git's canonical modes (0o100644, 0o100755, 0o120000, 0o160000); the side a
 * change does not have is null.
 */
import type { Oid } from '../../../git/objects/objectId.ts';

export type ChangeStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'type_changed';

export interface FileChange {
  /** The path after the change (for a deletion, the path that was deleted). */
  path: string;
  /** The path before the change: the source of a rename, null for an addition. */
  old_path: string | null;
  status: ChangeStatus;
  old_mode: number | null;
  new_mode: number | null;
  old_sha: Oid | null;
  new_sha: Oid | null;
  /** For a rename: git's similarity index, 0–100 (100 for identical content). */
  similarity: number | null;
}

/** git's `--raw` status letter. */
export function statusLetter(status: ChangeStatus): string {
  return { added: 'A', deleted: 'D', modified: 'M', renamed: 'R', type_changed: 'T' }[status];
}
