/**
 * A path a write names (a file to put, delete or move): components separated
 * by `/`, relative to the root of the repository. Stricter than a path to
 * read (parseRepoPath.ts), because it becomes tree entries that every Git
 * client must be able to check out — git's `verify_path` refuses the same:
 *
 * - empty, absolute (`/a`), a trailing `/`, empty components (`a//b`);
 * - `.` and `..` components, NUL, text that is not valid Unicode;
 * - a `.git` component in any case (`.GIT/config`); the other spellings
 *   Windows and macOS read as `.git` (`git~1`, `.git.`, `.g\u200cit`) fail the
 *   fsck check of the tree that would hold them (checkTree.ts `hasDotgit`);
 * - more than 4096 bytes of UTF-8 (PATH_MAX), or a component of more than
 *   255 bytes (NAME_MAX of common file systems).
 *
 * Every refusal is BAD_REQUEST with `details.field` and `details.path`.
 */
import { GroveError } from '../../errors.ts';

export const MAX_WRITE_PATH_BYTES = 4096;
export const MAX_NAME_BYTES = 255;

const encoder = new TextEncoder();

/** The components of `path`; BAD_REQUEST when a write may not use it. */
export function parseWritePath(path: string, field = 'path'): string[] {
  const bad = (why: string): GroveError =>
    new GroveError('BAD_REQUEST', `invalid ${field} '${shown(path)}': ${why}`, { field, path: shown(path) });
  if (path === '') throw bad('is empty');
  if (!path.isWellFormed()) throw bad('is not valid Unicode');
  if (path.includes('\0')) throw bad('contains NUL');
  if (encoder.encode(path).length > MAX_WRITE_PATH_BYTES) throw bad(`is longer than ${MAX_WRITE_PATH_BYTES} bytes`);
  if (path.startsWith('/')) throw bad('must be relative to the root of the repository');
  if (path.endsWith('/')) throw bad('ends with "/"');
  const parts = path.split('/');
  for (const part of parts) {
    if (part === '') throw bad('has an empty component');
    if (part === '.' || part === '..') throw bad(`has a '${part}' component`);
    if (part.toLowerCase() === '.git') throw bad("has a '.git' component");
    if (encoder.encode(part).length > MAX_NAME_BYTES) throw bad(`has a component longer than ${MAX_NAME_BYTES} bytes`);
  }
  return parts;
}

/** A path cut short for messages and details (a refused path may be huge). */
function shown(path: string): string {
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}
