/**
 * Paths as file tools take them, normalized the way a shell would: `/src/a`,
 * `src/a`, `./src//a/` and `src/x/../a` all name `src/a`; `/`, `.` and `''`
 * name the root. Refused with EINVAL (`details.path`): NUL, text that is not
 * valid Unicode, `..` above the root, more than 4096 bytes or a component of
 * more than 255. A path to write must also be one Git can check out
 * (parseWritePath.ts: no `.git` component).
 */
import { GroveError } from '../../errors.ts';
import { MAX_NAME_BYTES, MAX_WRITE_PATH_BYTES } from '../content/parseWritePath.ts';

const encoder = new TextEncoder();

/** The components of `path` (`[]` for the root); EINVAL when no file can have it. */
export function toolPath(path: string, field = 'path'): string[] {
  const bad = (why: string): GroveError => new GroveError('EINVAL', `invalid ${field} '${shown(path)}': ${why}`, { field, path: shown(path) });
  if (typeof path !== 'string') throw bad('is not a string');
  if (!path.isWellFormed()) throw bad('is not valid Unicode');
  if (path.includes('\0')) throw bad('contains NUL');
  if (encoder.encode(path).length > MAX_WRITE_PATH_BYTES) throw bad(`is longer than ${MAX_WRITE_PATH_BYTES} bytes`);
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw bad("goes above the root with '..'");
      parts.pop();
      continue;
    }
    if (encoder.encode(part).length > MAX_NAME_BYTES) throw bad(`has a component longer than ${MAX_NAME_BYTES} bytes`);
    parts.push(part);
  }
  return parts;
}

/** As toolPath, for a path a change will name: not the root, no `.git` component. */
export function toolWritePath(path: string, field = 'path'): string[] {
  const parts = toolPath(path, field);
  if (parts.length === 0) throw new GroveError('EINVAL', `${field} names the root folder`, { field, path: '/' });
  if (parts.some((p) => p.toLowerCase() === '.git')) {
    throw new GroveError('EINVAL', `invalid ${field} '${shown(path)}': has a '.git' component`, { field, path: shown(path) });
  }
  return parts;
}

/** A normalized path as shown back: `a/b`, or `''` for the root. */
export function joinPath(parts: readonly string[]): string {
  return parts.join('/');
}

function shown(path: string): string {
  return typeof path === 'string' && path.length > 200 ? `${path.slice(0, 200)}…` : String(path);
}
