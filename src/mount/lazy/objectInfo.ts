/**
 * Sizes of objects without their contents: the protocol v2 `object-info`
 * command (gitprotocol-v2, "object-info"):
 *
 *   size
 *     Requests size information to be returned for each listed object id.
 *   oid <oid>
 *     Indicates to the server an object which the client wants to obtain
 *     information for.
 *
 *   output = info flush-pkt
 *   info = PKT-LINE(attrs) LF)
 *          *PKT-LINE(obj-info LF)
 *   attrs = attr | attrs SP attrs
 *   obj-info = obj-id SP obj-size
 *
 * git 2.39 sends these lines without their LF; an object the remote lacks
 * comes back with an empty size (Grove) and is left out of the answer here.
 * Ids go in batches, a few at a time in parallel.
 */
import { concatBytes } from '../../git/bytes.ts';
import { isOid, type Oid } from '../../git/objects/objectId.ts';
import type { RemoteInfo } from '../../git/client/RemoteInfo.ts';
import { remoteError } from '../../git/client/remoteError.ts';
import { commandRequest } from './commandRequest.ts';

export interface ObjectInfoOptions {
  /** Ids per request (default 8,000). */
  batch?: number;
  /** Requests in flight at once (default 3). */
  parallel?: number;
}

/** True when the remote offers `object-info` with the `size` attribute (git 2.39 advertises it bare). */
export function offersObjectInfo(remote: RemoteInfo): boolean {
  if (remote.version !== 2) return false;
  const value = remote.capabilities.get('object-info');
  return value !== undefined && (value === '' || value.split(' ').includes('size'));
}

/** The size of each id the remote knows. */
export async function objectSizes(remote: RemoteInfo, oids: readonly Oid[], options: ObjectInfoOptions = {}): Promise<Map<Oid, number>> {
  const batch = options.batch ?? 8000;
  const sizes = new Map<Oid, number>();
  const batches: Oid[][] = [];
  for (let i = 0; i < oids.length; i += batch) batches.push(oids.slice(i, i + batch));
  let next = 0;
  const run = async (): Promise<void> => {
    while (next < batches.length) {
      const ids = batches[next++]!;
      for (const [oid, size] of await askSizes(remote, ids)) sizes.set(oid, size);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel ?? 3, batches.length) }, run));
  return sizes;
}

async function askSizes(remote: RemoteInfo, oids: readonly Oid[]): Promise<Map<Oid, number>> {
  const { transport } = remote;
  const body = commandRequest('object-info', remote.capabilities, ['size', ...oids.map((oid) => `oid ${oid}`)]);
  const response = await transport.uploadPack(body, 2);
  // The answer is small (under 80 bytes an id): read whole, then parsed in one go — a pkt-line
  // reader awaiting each of thousands of lines costs more than the request.
  const chunks: Uint8Array[] = [];
  let length = 0;
  const limit = 64 + oids.length * 80;
  for await (const chunk of response.chunks) {
    chunks.push(chunk);
    length += chunk.length;
    if (length > limit) {
      await response.cancel();
      throw remoteError(transport.url, `the object-info answer is longer than ${limit} bytes`);
    }
  }
  return parseSizes(concatBytes(chunks), transport.url);
}

/** `size` then `<oid> <size>` pkt-lines up to a flush; an `ERR` packet is the remote's refusal. */
function parseSizes(bytes: Uint8Array, url: string): Map<Oid, number> {
  const sizes = new Map<Oid, number>();
  const text = new TextDecoder().decode(bytes);
  let at = 0;
  let first = true;
  for (;;) {
    if (at + 4 > text.length) throw remoteError(url, 'the object-info answer ended without a flush');
    const length = parseInt(text.slice(at, at + 4), 16);
    if (Number.isNaN(length) || (length > 0 && length < 4)) throw remoteError(url, `bad pkt-line length in the object-info answer: ${JSON.stringify(text.slice(at, at + 4))}`);
    if (length === 0) return sizes;
    const line = text.slice(at + 4, at + length).replace(/\n$/, '');
    at += length;
    if (line.startsWith('ERR ')) throw remoteError(url, `the remote refused: ${line.slice(4).trim()}`);
    if (first) {
      if (line.trim() !== 'size') throw remoteError(url, `the object-info answer lists ${JSON.stringify(line.slice(0, 40))}, not size`);
      first = false;
      continue;
    }
    const space = line.indexOf(' ');
    const oid = line.slice(0, space);
    const size = line.slice(space + 1).trim();
    if (space !== 40 || !isOid(oid)) throw remoteError(url, `bad line in the object-info answer: ${JSON.stringify(line.slice(0, 80))}`);
    if (/^\d+$/.test(size)) sizes.set(oid, Number(size));
  }
}
