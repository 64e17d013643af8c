/** Reads a JSON object request body, refusing anything else with a clear error. */
import { GroveError } from '../errors.ts';

const MAX_JSON_BYTES = 1024 * 1024;

export async function readJson(request: Request): Promise<Record<string, unknown>> {
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > MAX_JSON_BYTES) throw new GroveError('PAYLOAD_TOO_LARGE', `JSON body exceeds ${MAX_JSON_BYTES} bytes`);
  const text = await request.text();
  if (text.length > MAX_JSON_BYTES) throw new GroveError('PAYLOAD_TOO_LARGE', `JSON body exceeds ${MAX_JSON_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw new GroveError('BAD_REQUEST', 'request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new GroveError('BAD_REQUEST', 'request body must be a JSON object');
  return value as Record<string, unknown>;
}
