/** Turns any thrown value into the JSON error response `{error: {code, message, details}}`. */
import { HTTPException } from 'hono/http-exception';
import { GroveError, isGroveError, type ErrorCode } from '../errors.ts';
import { ERROR_STATUS } from './errorStatus.ts';
import type { Logger } from './logger.ts';

export function errorResponse(err: unknown, log: Logger): Response {
  const error = isGroveError(err) ? err : fromHttpException(err) ?? new GroveError('INTERNAL', 'internal server error');
  if (error.code === 'INTERNAL') log.error({ err }, 'request failed');
  const headers = new Headers({ 'content-type': 'application/json; charset=utf-8' });
  if (error.code === 'UNAUTHORIZED') headers.set('www-authenticate', 'Basic realm="Grove", charset="UTF-8"');
  const retryAfter = error.details?.['retry_after'];
  if (error.code === 'RATE_LIMITED' && typeof retryAfter === 'number') headers.set('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
  return new Response(JSON.stringify({ error: error.toJSON() }), { status: ERROR_STATUS[error.code], headers });
}

const CODE_OF_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Hono's own refusals (a body that is not JSON, or not declared as JSON) as the matching GroveError. */
function fromHttpException(err: unknown): GroveError | undefined {
  if (!(err instanceof HTTPException)) return undefined;
  const code = CODE_OF_STATUS[err.status];
  if (code === undefined) return undefined;
  const message = code === 'UNSUPPORTED_MEDIA_TYPE'
    ? 'send the request body as JSON with content-type: application/json'
    : code === 'BAD_REQUEST' ? `malformed request body: ${err.message}` : err.message;
  return new GroveError(code, message);
}
