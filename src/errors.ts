/**
 * The closed set of Grove error codes. Every failure that crosses a layer is a
 * `GroveError` carrying one of these codes; callers check `err.code`, never
 * `instanceof` (errors cross RPC boundaries as JSON). The HTTP status of each
 * code is decided in exactly one table: `src/http/errorStatus.ts`.
 */
export const ERROR_CODES = [
  'BAD_REQUEST', // malformed input that fits no narrower code
  'UNAUTHORIZED', // no credentials, or credentials that are wrong, expired or revoked
  'FORBIDDEN', // valid credentials without the needed scope
  'NOT_FOUND', // no such repository, namespace, ref or object
  'ALREADY_EXISTS', // a create that collides with an existing name
  'NAMESPACE_NOT_EMPTY', // deleting a namespace that still holds repositories, without force
  'REPO_NOT_READY', // the repository is still importing, or its import failed
  'PAYLOAD_TOO_LARGE', // a request body over its configured limit
  'OBJECT_TOO_LARGE', // an object over the configured maximum object size
  'REPO_TOO_LARGE', // a push or import that would take a repository over its configured size
  'RANGE_NOT_SATISFIABLE', // a Range header asking for bytes the content does not have, or for several ranges
  'UNSUPPORTED_MEDIA_TYPE', // a body in an encoding or type we do not accept
  'PROTOCOL_ERROR', // a Git wire-protocol violation (bad pkt-line, unknown command or argument)
  'BAD_PACK', // a corrupt, truncated or inconsistent pack
  'BAD_OBJECT', // an object that fails validation (fsck)
  'MISSING_OBJECT', // an object that should be present is not (delta base, connectivity)
  'BAD_REF_NAME', // a ref name that `git check-ref-format` would refuse
  'REF_CONFLICT', // a compare-and-swap on a ref lost the race
  'MERGE_CONFLICT', // a revert or merge whose changes collide with later ones; nothing was written
  'REMOTE_NOT_ALLOWED', // an import URL with a scheme, credentials or an address the server does not allow
  'REMOTE_ERROR', // the remote of an import failed, or is not a Git remote
  'RATE_LIMITED', // too many requests for a token or a namespace; retry later
  'DRAFT_CLOSED', // a change to a draft that was applied: create a new draft to go on
  'ENOENT', // a file tool: no such file or folder in the draft
  'EEXIST', // a file tool: the path exists already
  'EISDIR', // a file tool: a folder where a file is needed
  'ENOTDIR', // a file tool: a file where a folder is needed (also on the way to a path)
  'ENOTEMPTY', // a file tool: removing or replacing a folder that is not empty
  'EINVAL', // a file tool: an invalid path or argument (NUL, `..` above the root, a folder moved into itself)
  'INTERNAL', // a bug or an unexpected failure of a dependency
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** The one error type that crosses layers. */
export class GroveError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GroveError';
    this.code = code;
    this.details = details;
  }

  toJSON(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** True when `err` is a GroveError (by shape, so it also holds across realms and RPC). */
export function isGroveError(err: unknown): err is GroveError {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'GroveError'
    && typeof (err as { code?: unknown }).code === 'string';
}

/** Shorthand for `new GroveError(...)`, handy in expressions. */
export function groveError(code: ErrorCode, message: string, details?: Record<string, unknown>): GroveError {
  return new GroveError(code, message, details);
}
