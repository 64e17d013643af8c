/** A whole request body (decoded as requestBody.ts decodes it), refused with PAYLOAD_TOO_LARGE past `max` bytes. */
import { concatBytes } from '../git/bytes.ts';
import { GroveError } from '../errors.ts';
import { requestBody } from './requestBody.ts';

export async function readAll(request: Request, max: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  const tooLarge = (): GroveError => new GroveError('PAYLOAD_TOO_LARGE', `the file exceeds the limit of ${max} bytes`, { max });
  if (Number.isFinite(declared) && declared > max && request.headers.get('content-encoding') === null) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of requestBody(request)) {
    length += chunk.length;
    if (length > max) throw tooLarge();
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}
