/** Turns any thrown value into the JSON error response `{error: {code, message, details}}`. */
import { GroveError, isGroveError } from '../errors.ts';
import { ERROR_STATUS } from './errorStatus.ts';
import type { Logger } from './logger.ts';

export function errorResponse(err: unknown, log: Logger): Response {
  const error = isGroveError(err) ? err : new GroveError('INTERNAL', 'internal server error');
  if (error.code === 'INTERNAL') log.error({ err }, 'request failed');
  const headers = new Headers({ 'content-type': 'application/json; charset=utf-8' });
  if (error.code === 'UNAUTHORIZED') headers.set('www-authenticate', 'Basic realm="Grove", charset="UTF-8"');
  return new Response(JSON.stringify({ error: error.toJSON() }), { status: ERROR_STATUS[error.code], headers });
}
