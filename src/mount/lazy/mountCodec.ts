/**
 * The engine's Codec port (src/git/codec.ts: SHA-1 and zlib) for the mount,
 * on node:crypto and node:zlib. The mount layer may not import
 * src/runtime/node, whose `nodeCodec` is the same thing for the server.
 */
import { createHash, hash } from 'node:crypto';
import { constants, deflateSync, inflateSync } from 'node:zlib';
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

/** zlib hands small results back as views of a 64 KiB chunk: copy them out so a cache does not pin the chunk. */
function exact(buffer: Buffer): Uint8Array {
  return buffer.buffer.byteLength > buffer.length + 4096 ? new Uint8Array(buffer) : buffer;
}

function chunkFor(size: number | undefined): { chunkSize?: number } {
  return size === undefined ? {} : { chunkSize: Math.max(64, Math.min(size, 16 * 1024 * 1024)) };
}

export const mountCodec: Codec = {
  sha1: hasher,
  sha1Digest: (data) => hash('sha1', data, 'buffer'),
  deflate: (data) => exact(deflateSync(data)),
  inflate: (data, size) => exact(inflateSync(data, chunkFor(size))),
  inflatePrefix(data, maxOutput): InflatedPrefix | undefined {
    try {
      const options = maxOutput === undefined
        ? { info: true }
        : { info: true, maxOutputLength: Math.max(1, maxOutput), ...chunkFor(maxOutput) };
      const { buffer, engine } = inflateSync(data, options) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
      return { data: exact(buffer), consumed: engine.bytesWritten };
    } catch (err) {
      const code = (err as { code?: unknown; errno?: unknown });
      if (code.code === 'Z_BUF_ERROR' || code.errno === constants.Z_BUF_ERROR) return undefined;
      throw err;
    }
  },
};
