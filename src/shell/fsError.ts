/**
 * Errors as just-bash's commands expect them from a file system: a plain
 * `Error` whose message starts with the errno name, as Node's do
 * (`ENOENT: no such file or directory, open '/workspace/a'`), with `code`
 * set too. Commands test the message (`includes('ENOENT')`) to choose what
 * they print, as `cat: a: No such file or directory`.
 *
 * A GroveError from the draft maps by its code: the POSIX-like ones keep
 * theirs, FORBIDDEN (a scoped token) is EACCES, a size limit is EFBIG.
 * Anything else is not a file-system answer (the draft was applied, the
 * store failed): it shows in the shell as EIO and is kept by FatalErrors,
 * so runExec can throw it once the script has stopped.
 */
import { isGroveError, type ErrorCode } from '../errors.ts';

const TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'file already exists',
  EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory',
  ENOTEMPTY: 'directory not empty',
  EINVAL: 'invalid argument',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTSUP: 'operation not supported',
  EROFS: 'read-only file system',
  ELOOP: 'too many levels of symbolic links',
  EFBIG: 'file too large',
  EBUSY: 'resource busy or locked',
  EIO: 'input/output error',
};

const ERRNO_OF: Partial<Record<ErrorCode, string>> = {
  ENOENT: 'ENOENT',
  EEXIST: 'EEXIST',
  EISDIR: 'EISDIR',
  ENOTDIR: 'ENOTDIR',
  ENOTEMPTY: 'ENOTEMPTY',
  EINVAL: 'EINVAL',
  FORBIDDEN: 'EACCES',
  OBJECT_TOO_LARGE: 'EFBIG',
  PAYLOAD_TOO_LARGE: 'EFBIG',
  REPO_TOO_LARGE: 'EFBIG',
};

/** Codes whose own message adds to the errno's text (why a path is invalid, or out of the token's scope). */
const EXPLAINED = new Set<ErrorCode>(['EINVAL', 'FORBIDDEN', 'OBJECT_TOO_LARGE', 'PAYLOAD_TOO_LARGE', 'REPO_TOO_LARGE']);

export interface FsError extends Error {
  code: string;
}

/** `CODE: text, op 'path'`, with an optional reason after it. */
export function fsError(code: string, op: string, path: string, reason?: string): FsError {
  const text = `${code}: ${TEXT[code] ?? code.toLowerCase()}, ${op} '${path}'${reason === undefined ? '' : ` (${reason})`}`;
  return Object.assign(new Error(text), { code });
}

/** A failure the adapter decides itself, by errno; the operation and path are added where the call is known. */
export class Errno extends Error {
  readonly errno: string;
  readonly reason: string | undefined;

  constructor(errno: string, reason?: string) {
    super(reason === undefined ? errno : `${errno}: ${reason}`);
    this.errno = errno;
    this.reason = reason;
  }
}

/** Turns failures into FsErrors, and keeps the first one a shell cannot show as a file-system error. */
export class FatalErrors {
  first: unknown = undefined;

  /** `err` as just-bash should see it from `op` on `path`. */
  translate(err: unknown, op: string, path: string): FsError {
    if (err instanceof Errno) return fsError(err.errno, op, path, err.reason);
    if (isGroveError(err)) {
      const errno = ERRNO_OF[err.code];
      if (errno !== undefined) return fsError(errno, op, path, EXPLAINED.has(err.code) ? err.message : undefined);
    }
    this.first ??= err;
    return fsError('EIO', op, path, isGroveError(err) ? err.code : undefined);
  }
}

/** True for an error made by fsError (the shape just-bash's file systems throw). */
export function isFsError(err: unknown): err is FsError {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string' && /^E[A-Z]+: /.test(err.message);
}
