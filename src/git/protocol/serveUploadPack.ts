/**
 * One upload-pack request over stateless HTTP: a v2 command (`ls-refs`,
 * `fetch`, `object-info`), or a v0/v1 negotiation round. Every handler reads
 * its whole request before writing anything, so a failure to parse it still
 * reaches the client as an `ERR` packet.
 */
import { GroveError, isGroveError } from '../../errors.ts';
import { errorPkt } from './pktLine.ts';
import { PktLineReader } from './PktLineReader.ts';
import { handleFetchV2 } from './handleFetchV2.ts';
import { handleLsRefs } from './handleLsRefs.ts';
import { handleObjectInfo } from './handleObjectInfo.ts';
import { handleUploadPackV0 } from './handleUploadPackV0.ts';
import { parseCommandRequest } from './parseCommandRequest.ts';
import type { UploadPackContext } from './uploadPackContext.ts';

export interface UploadPackRequest {
  body: AsyncIterable<Uint8Array>;
  /** 2 when the client sent `Git-Protocol: version=2`. */
  version: 0 | 1 | 2;
  /** Largest request body accepted, in bytes. */
  maxRequestBytes: number;
}

export async function* serveUploadPack(ctx: UploadPackContext, request: UploadPackRequest): AsyncGenerator<Uint8Array> {
  const reader = new PktLineReader(request.body, { maxBytes: request.maxRequestBytes });
  const response = request.version === 2 ? commandV2(ctx, reader) : handleUploadPackV0(ctx, reader);
  try {
    yield* response;
  } catch (err) {
    if (isGroveError(err) && err.code === 'PAYLOAD_TOO_LARGE') throw err;
    yield errorPkt(isGroveError(err) ? err.message : 'internal server error');
    if (!isGroveError(err) || err.code === 'INTERNAL') throw err;
  }
}

async function* commandV2(ctx: UploadPackContext, reader: PktLineReader): AsyncGenerator<Uint8Array> {
  const request = await parseCommandRequest(reader);
  switch (request.command) {
    case null:
      return;
    case 'ls-refs':
      yield* handleLsRefs(await ctx.refs.listRefs(), request.args);
      return;
    case 'fetch':
      yield* handleFetchV2(ctx, request.args);
      return;
    case 'object-info':
      yield* await handleObjectInfo(ctx.objects, request.args);
      return;
    default:
      throw new GroveError('PROTOCOL_ERROR', `invalid command '${request.command.slice(0, 80)}'`);
  }
}
