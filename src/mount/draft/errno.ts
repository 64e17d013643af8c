/**
 * FUSE answers failures with a negative errno. Errors of the cache's own
 * file operations carry Node's `code` ('ENOENT', …) and map to their number;
 * anything else (a failed download, a bug) is EIO.
 */
import { constants } from 'node:os';

const numbers = constants.errno as Record<string, number>;

/** A negative errno for `code` ('ENOENT'), EIO when unknown. */
export function errno(code: string): number {
  return -(numbers[code] ?? numbers['EIO'] ?? 5);
}

/** The negative errno a thrown error stands for. */
export function errnoOf(err: unknown): number {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && numbers[code] !== undefined ? -numbers[code] : errno('EIO');
}

/** An error whose code FUSE will answer with. */
export function fsError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}
