/**
 * The one error the SDK throws. A server error keeps the server's body
 * (`{"error": {"code", "message", "details"}}`, docs/API.md "Errors") and
 * HTTP status; failures that never got such an answer have codes of their own:
 *
 * - `NETWORK_ERROR` (status 0): the request did not get an HTTP answer;
 * - `HTTP_ERROR`: an error status without a Grove error body (e.g. from a proxy);
 * - `INVALID_RESPONSE`: a success status whose body is not the JSON expected;
 * - `PAGE_LIMIT` (status 0): an iterator went past its `maxPages`.
 */

/** The server's codes (docs/API.md) and the SDK's own; other strings may appear from newer servers. */
export type GroveErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'NAMESPACE_NOT_EMPTY'
  | 'REPO_NOT_READY'
  | 'REF_CONFLICT'
  | 'MERGE_CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'OBJECT_TOO_LARGE'
  | 'REPO_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RANGE_NOT_SATISFIABLE'
  | 'BAD_OBJECT'
  | 'MISSING_OBJECT'
  | 'BAD_REF_NAME'
  | 'REMOTE_NOT_ALLOWED'
  | 'REMOTE_ERROR'
  | 'RATE_LIMITED'
  | 'DRAFT_CLOSED'
  | 'ENOENT'
  | 'EEXIST'
  | 'EISDIR'
  | 'ENOTDIR'
  | 'ENOTEMPTY'
  | 'EINVAL'
  | 'INTERNAL'
  | 'NETWORK_ERROR'
  | 'HTTP_ERROR'
  | 'INVALID_RESPONSE'
  | 'PAGE_LIMIT'
  | (string & {});

export interface GroveApiErrorInit {
  status: number;
  code: GroveErrorCode;
  message: string;
  details?: Record<string, unknown> | undefined;
  /** Seconds to wait before retrying, from `Retry-After`. */
  retryAfter?: number | undefined;
  /** The method and path of the request that failed, e.g. `GET /v1/namespaces`. */
  request?: string | undefined;
  cause?: unknown;
}

/**
 * A failed Grove API call. Check `code`, not the message:
 *
 * ```ts
 * try {
 *   await client.repos.get('team', 'missing');
 * } catch (err) {
 *   if (err instanceof GroveApiError && err.code === 'NOT_FOUND') console.log('no such repository');
 *   else throw err;
 * }
 * ```
 */
export class GroveApiError extends Error {
  /** HTTP status; 0 when there was no HTTP answer. */
  readonly status: number;
  /** The server's stable code, or one of the SDK's own. */
  readonly code: GroveErrorCode;
  /** The offending field or value, when the server names one. */
  readonly details: Record<string, unknown> | undefined;
  /** Seconds to wait before retrying (from `Retry-After`, on 429 and some 503). */
  readonly retryAfter: number | undefined;
  /** The method and path that failed, e.g. `GET /v1/namespaces/team`. */
  readonly request: string | undefined;

  constructor(init: GroveApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GroveApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.retryAfter = init.retryAfter;
    this.request = init.request;
  }
}

/**
 * True when `err` is a GroveApiError (by shape, so it also holds across bundles and realms).
 *
 * ```ts
 * const repo = await client.repos.get('team', 'notes').catch((err) => (isGroveApiError(err) && err.status === 404 ? null : Promise.reject(err)));
 * ```
 */
export function isGroveApiError(err: unknown): err is GroveApiError {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'GroveApiError'
    && typeof (err as { code?: unknown }).code === 'string' && typeof (err as { status?: unknown }).status === 'number';
}
