import { createHash } from 'node:crypto';
import { deflateSync, inflateSync, constants } from 'node:zlib';
import type { Codec, Hasher, InflatedPrefix } from '../../git/codec.ts';

function hasher(): Hasher {
  const hash = createHash('sha1');
  const self: Hasher = {
    update(data) {
      hash.update(data);
      return self;
    },
    digest: () => new Uint8Array(hash.digest()),
  };
  return self;
}

function isTruncation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'Z_BUF_ERROR' || (err as { errno?: unknown }).errno === constants.Z_BUF_ERROR;
}

/** The Codec port on node:crypto and node:zlib. */
export const nodeCodec: Codec = {
  sha1: hasher,
  deflate: (data) => deflateSync(data),
  inflate: (data) => inflateSync(data),
  inflatePrefix(data, maxOutput): InflatedPrefix | undefined {
    try {
      const options = maxOutput === undefined ? { info: true } : { info: true, maxOutputLength: Math.max(1, maxOutput) };
      const { buffer, engine } = inflateSync(data, options) as unknown as {
        buffer: Buffer;
        engine: { bytesWritten: number };
      };
      return { data: buffer, consumed: engine.bytesWritten };
    } catch (err) {
      if (isTruncation(err)) return undefined;
      throw err;
    }
  },
};
