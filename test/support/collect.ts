/**
 * The other end of chunked.ts: everything a byte stream (an async or plain
 * iterable of chunks, such as a handler's answer or a reader's remaining
 * bytes) yields, joined into one array.
 */
import { bytesOf } from './bytesOf.ts';

/** Everything `chunks` yields, joined. */
export async function collect(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return bytesOf(...parts);
}
