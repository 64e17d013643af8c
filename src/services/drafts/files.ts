/**
 * The file system a draft (or any revision, read-only) shows to file tools,
 * the shell and mounts. Paths are the components of a normalized path
 * (toolPath.ts): `[]` is the root, `['src', 'a.ts']` is `src/a.ts`. Failures
 * are GroveErrors with POSIX-like codes — ENOENT, EEXIST, EISDIR, ENOTDIR,
 * ENOTEMPTY, EINVAL — and a failed call changes nothing.
 */
import type { Oid } from '../../git/objects/objectId.ts';

export type FileKind = 'file' | 'dir' | 'symlink' | 'submodule';

export interface FileInfo {
  /** The normalized path (`''` for the root). */
  path: string;
  /** The last component (`''` for the root). */
  name: string;
  kind: FileKind;
  /** Bytes of content (a symlink: of its target; a folder or submodule: 0). */
  size: number;
  /** Git mode: 0o100644, 0o100755, 0o120000, 0o40000 (folder), 0o160000 (submodule). */
  mode: number;
  /** The blob id of a file or symlink, the commit of a submodule; null for a folder. */
  sha: Oid | null;
}

export interface FileView {
  /** False for a revision: the write methods are absent. */
  readonly writable: boolean;
  /** What is at `path`; null when nothing is (ENOTDIR when a file is on the way). */
  stat(path: readonly string[]): Promise<FileInfo | null>;
  /** A folder's entries sorted by name (bytewise); ENOENT, ENOTDIR. */
  list(path: readonly string[]): Promise<FileInfo[]>;
  /** A file's bytes (a symlink: its target); ENOENT, EISDIR. */
  read(path: readonly string[]): Promise<Uint8Array>;
}

export interface WriteOptions {
  /** 0o100644, 0o100755 or 0o120000; default: the replaced file's mode, else 0o100644. */
  mode?: number;
}

export interface FileEditor extends FileView {
  /** Puts a file, making the folders above it; EISDIR onto a folder, ENOTDIR below a file. */
  write(path: readonly string[], data: Uint8Array, options?: WriteOptions): Promise<FileInfo>;
  /**
   * Puts the blob `sha` (one the repository or the draft's contents hold)
   * at `path`, as `write` puts bytes: for clients that upload contents by id
   * once (a mounted draft's sync). MISSING_OBJECT when the blob is unknown.
   */
  link(path: readonly string[], sha: Oid, options?: WriteOptions): Promise<FileInfo>;
  /** Makes a folder; EEXIST when something is there (with `parents`: unless it is a folder), ENOENT for a missing parent without `parents`. */
  mkdir(path: readonly string[], options?: { parents?: boolean }): Promise<FileInfo>;
  /** Removes a file or (with `recursive`) a folder and all below it; ENOENT, ENOTEMPTY, EINVAL for the root. Returns the number of files removed. */
  remove(path: readonly string[], options?: { recursive?: boolean }): Promise<number>;
  /**
   * Moves a file or folder, as rename(2): onto a file (replaced) or an empty
   * folder; EISDIR file onto folder, ENOTDIR folder onto file, ENOTEMPTY onto
   * a folder with entries, EINVAL into itself. Folders above `to` are made.
   */
  move(from: readonly string[], to: readonly string[]): Promise<void>;
}
