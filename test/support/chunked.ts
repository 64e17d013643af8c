/**
 * Feeds bytes to a streaming parser the way a network would: in one chunk,
 * or split at arbitrary points. Deterministic (seeded) so a failure can be
 * replayed. collect.ts joins such a stream back into bytes.
 */
import { seededRandom } from './seededRandom.ts';

export interface ChunkingOptions {
  /** Smallest chunk (default 1). */
  min?: number;
  /** Largest chunk (default 7000). */
  max?: number;
  seed?: number;
  /** Called with the running total of bytes handed out, after each chunk is taken. */
  onPull?: (pulled: number) => void;
}

/** `bytes` as chunks of random sizes in [min, max], each a fresh copy. */
export async function* chunked(bytes: Uint8Array, options: ChunkingOptions = {}): AsyncGenerator<Uint8Array> {
  const min = options.min ?? 1;
  const max = options.max ?? 7000;
  const random = seededRandom(options.seed ?? 1);
  let offset = 0;
  while (offset < bytes.length) {
    const size = min + Math.floor(random() * (max - min + 1));
    const chunk = bytes.slice(offset, Math.min(bytes.length, offset + size));
    offset += chunk.length;
    options.onPull?.(offset);
    yield chunk;
  }
}

/** `bytes` as one chunk (what a whole request body looks like to a reader); nothing for no bytes. */
export async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  if (bytes.length > 0) yield bytes;
}

/** `bytes` split at the given offsets. */
export async function* splitAt(bytes: Uint8Array, ...offsets: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const end of [...offsets, bytes.length]) {
    yield bytes.slice(start, end);
    start = end;
  }
}
