import { createHash, hash } from 'node:crypto';
import { deflateSync, inflateSync, constants } from 'node:zlib';
import type { Codec, Hasher, InflatedPrefix } from '../../git/codec.ts';

function hasher(): Hasher {
  const digest = createHash('sha1');
  const self: Hasher = {
    update(data) {
      digest.update(data);
      return self;
    },
    digest: () => new Uint8Array(digest.digest()),
  };
  return self;
}

function isTruncation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'Z_BUF_ERROR' || (err as { errno?: unknown }).errno === constants.Z_BUF_ERROR;
}

/**
 * zlib hands back small results as views of its 64 KiB output chunk: a
 * 100-byte tree kept in a cache would pin 64 KiB. Such results are copied out.
 */
function exact(buffer: Buffer): Uint8Array {
  return buffer.buffer.byteLength > buffer.length + 4096 ? new Uint8Array(buffer) : buffer;
}

/** zlib's output chunk size for an inflated size we know (its minimum is 64). */
function chunkFor(size: number | undefined): { chunkSize?: number } {
  return size === undefined ? {} : { chunkSize: Math.max(64, Math.min(size, 16 * 1024 * 1024)) };
}

/** The Codec port on node:crypto and node:zlib. */
export const nodeCodec: Codec = {
  sha1: hasher,
  sha1Digest: (data) => hash('sha1', data, 'buffer'),
  deflate: (data) => exact(deflateSync(data)),
  inflate: (data, size) => exact(inflateSync(data, chunkFor(size))),
  inflatePrefix(data, maxOutput): InflatedPrefix | undefined {
    try {
      const options = maxOutput === undefined
        ? { info: true }
        : { info: true, maxOutputLength: Math.max(1, maxOutput), ...chunkFor(maxOutput) };
      const { buffer, engine } = inflateSync(data, options) as unknown as {
        buffer: Buffer;
        engine: { bytesWritten: number };
      };
      return { data: exact(buffer), consumed: engine.bytesWritten };
    } catch (err) {
      if (isTruncation(err)) return undefined;
      throw err;
    }
  },
};
