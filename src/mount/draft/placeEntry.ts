/**
 * Makes one server entry local, without its bytes: a folder as a folder, a
 * submodule as an empty folder, a symlink with its target, an empty file as
 * an empty file, any other file as a placeholder — a sparse file of the
 * blob's size and the file's mode, with the sticky bit set (chmod through
 * the mount never sets it, so it marks placeholders and nothing else). The
 * row that records a file's blob id is returned for the caller to store.
 */
import { closeSync, fchmodSync, fstatSync, ftruncateSync, futimesSync, mkdirSync, openSync, symlinkSync } from 'node:fs';
import type { DraftFileInfo } from '../../sdk/draftTypes.ts';
import { PLACEHOLDER_BIT } from './BlobTable.ts';
import type { BlobRow } from './StateDb.ts';

export const EMPTY_BLOB = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';

/** Creates `entry` at cache path `local` (nothing may be there); `seconds` is the time files get. */
export function placeEntry(entry: DraftFileInfo, local: string, seconds: number, target: string | undefined): BlobRow | null {
  if (entry.kind === 'dir' || entry.kind === 'submodule') {
    mkdirSync(local, 0o755);
    return null;
  }
  if (entry.kind === 'symlink') {
    symlinkSync(target ?? '', local);
    return null;
  }
  const mode = entry.mode === '100755' ? 0o755 : 0o644;
  const placeholder = entry.size > 0;
  const fd = openSync(local, 'wx', mode);
  try {
    fchmodSync(fd, placeholder ? mode | PLACEHOLDER_BIT : mode);
    if (placeholder) ftruncateSync(fd, entry.size);
    futimesSync(fd, seconds, seconds);
    const stats = fstatSync(fd);
    return { ino: stats.ino, sha: entry.sha ?? EMPTY_BLOB, size: entry.size, mtimeMs: stats.mtimeMs, source: entry.path, placeholder };
  } finally {
    closeSync(fd);
  }
}
