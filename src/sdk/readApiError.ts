/**
 * Turns an HTTP error answer into a GroveApiError. Grove answers
 * `{"error": {"code": "...", "message": "...", "details": {...}}}` with one
 * status per code (docs/API.md, "Errors"); anything else (a proxy's HTML page,
 * an empty body) becomes `HTTP_ERROR` with the status it came with.
 */
import { GroveApiError } from './GroveApiError.ts';
import { parseRetryAfter } from './retryPolicy.ts';

export function readApiError(status: number, statusText: string, headers: Headers, text: string, request: string): GroveApiError {
  const retryAfter = parseRetryAfter(headers.get('retry-after'));
  const body = errorBody(text);
  if (body === null) {
    const message = `${request}: HTTP ${status}${statusText === '' ? '' : ` ${statusText}`}`;
    return new GroveApiError({ status, code: 'HTTP_ERROR', message, retryAfter, request });
  }
  return new GroveApiError({ status, code: body.code, message: body.message, details: body.details, retryAfter, request });
}

interface ErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown> | undefined;
}

function errorBody(text: string): ErrorBody | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const error = isObject(parsed) ? parsed['error'] : undefined;
  if (!isObject(error) || typeof error['code'] !== 'string') return null;
  const message = typeof error['message'] === 'string' ? error['message'] : error['code'];
  const details = isObject(error['details']) ? error['details'] : undefined;
  return { code: error['code'], message, details };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
