/**
 * A path inside a repository's tree as a request names it: components
 * separated by `/`, relative to the root. Refused (BAD_REQUEST, with
 * `details.field`): an absolute path, empty, `.` or `..` components, NUL, and
 * anything longer than git's PATH_MAX-like limit of 4096 bytes. One trailing
 * `/` is allowed (a directory). The empty path is the root.
 */
import { GroveError } from '../../errors.ts';

export const MAX_PATH_LENGTH = 4096;

/** The components of `path` ([] for the root). */
export function parseRepoPath(path: string, field = 'path'): string[] {
  const bad = (why: string): GroveError => new GroveError('BAD_REQUEST', `invalid ${field} '${path.slice(0, 120)}': ${why}`, { field });
  if (path === '' || path === '/') return [];
  if (path.length > MAX_PATH_LENGTH) throw bad(`longer than ${MAX_PATH_LENGTH} characters`);
  if (path.includes('\0')) throw bad('contains NUL');
  if (path.startsWith('/')) throw bad('must be relative to the root of the repository');
  if (!path.isWellFormed()) throw bad('is not valid Unicode');
  const parts = (path.endsWith('/') ? path.slice(0, -1) : path).split('/');
  for (const part of parts) {
    if (part === '') throw bad('has an empty component');
    if (part === '.' || part === '..') throw bad(`has a '${part}' component`);
  }
  return parts;
}
