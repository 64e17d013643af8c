/**
 * A request body as a stream of chunks, decoded when the client compressed it
 * (git gzips large upload-pack requests: `Content-Encoding: gzip`).
 */
import { GroveError } from '../errors.ts';

export function requestBody(request: Request): AsyncGenerator<Uint8Array> {
  let body = request.body;
  if (body === null) return empty();
  const encoding = request.headers.get('content-encoding')?.trim().toLowerCase();
  const gzip = encoding === 'gzip' || encoding === 'x-gzip';
  if (gzip) body = body.pipeThrough(new DecompressionStream('gzip'));
  else if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw new GroveError('UNSUPPORTED_MEDIA_TYPE', `unsupported Content-Encoding '${encoding}'`);
  }
  return chunks(body, gzip);
}

async function* chunks(stream: ReadableStream<Uint8Array>, gzip: boolean): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      let step: Awaited<ReturnType<typeof reader.read>>;
      try {
        step = await reader.read();
      } catch (err) {
        const e = err as { message?: string; code?: string; cause?: { message?: string } };
        const reason = e.message || e.cause?.message || e.code || 'unknown error';
        const what = gzip ? 'could not decompress the gzip request body' : 'could not read the request body';
        throw new GroveError('BAD_REQUEST', `${what}: ${reason}`, undefined, { cause: err });
      }
      if (step.done) return;
      yield step.value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function* empty(): AsyncGenerator<Uint8Array> {}
