/**
 * Fetches a pack from a discovered remote into an empty repository: one
 * request (writeFetchRequest.ts), then the answer read up to the pack, which
 * is handed over as a stream.
 *
 * Protocol v2 answer (gitprotocol-v2, "fetch"), with `done` sent:
 *
 *   output = [shallow-info delim-pkt] [wanted-refs delim-pkt]
 *            [packfile-uris delim-pkt] packfile flush-pkt
 *   shallow-info = PKT-LINE("shallow-info" LF) *PKT-LINE((shallow | unshallow) LF)
 *   packfile = PKT-LINE("packfile" LF) *PKT-LINE(%x01-03 *%x00-ff)
 *
 * ("acknowledgments" is skipped if a server sends it anyway.) Protocol v0
 * answer (gitprotocol-pack): the shallow update when a depth was asked
 *
 *   shallow-update = *shallow-line *unshallow-line flush-pkt
 *
 * then `NAK` (nothing is had, so nothing is common), then the pack —
 * multiplexed when a side-band was asked for, raw otherwise.
 */
import { GroveError } from '../../errors.ts';
import { isOid, type Oid } from '../objects/objectId.ts';
import { demuxSideband } from './demuxSideband.ts';
import { features } from './parseCapabilitiesV2.ts';
import { RemoteReader } from './RemoteReader.ts';
import { DEFAULT_REMOTE_LIMITS, type RemoteInfo } from './RemoteInfo.ts';
import { uploadCapabilitiesV0, writeFetchRequestV2, writeUploadRequestV0, type WantRequest } from './writeFetchRequest.ts';

export interface FetchPackOptions {
  wants: readonly Oid[];
  /** Fetch only this many commits of history below each want. */
  depth?: number;
  /** Also fetch the annotated tags that point into what is sent (`include-tag`). */
  includeTag?: boolean;
  /** Receives the remote's progress messages (side-band 2); without it the remote is asked for none. */
  onProgress?: (text: string) => void;
  /** Most bytes the whole answer may take (the pack included); default unbounded. */
  maxResponseBytes?: number;
}

export interface FetchedPack {
  /** Commits the remote sends without their parents (from a depth, or because it is shallow itself). */
  shallow: Oid[];
  /** The pack's bytes as they arrive. Read it once, to its end. */
  pack: AsyncIterable<Uint8Array>;
  /** Stops the transfer (call it when the pack will not be read to its end). */
  cancel(): Promise<void>;
}

/**
 * @example
 * const remote = await discoverRemote({ url, fetch });
 * const fetched = await fetchPack(remote, { wants: [tip], depth: 1 });
 * for await (const chunk of fetched.pack) write(chunk);
 */
export async function fetchPack(remote: RemoteInfo, options: FetchPackOptions): Promise<FetchedPack> {
  if (options.wants.length === 0) throw new GroveError('INTERNAL', 'fetchPack needs at least one want');
  const request: WantRequest = {
    wants: options.wants,
    includeTag: options.includeTag === true,
    progress: options.onProgress !== undefined,
    ...(options.depth === undefined ? {} : { depth: options.depth }),
  };
  const maxBytes = options.maxResponseBytes ?? Number.POSITIVE_INFINITY;
  const { transport } = remote;
  if (remote.version === 2) {
    if (options.depth !== undefined && !features(remote.capabilities, 'fetch').has('shallow')) {
      throw new GroveError('REMOTE_ERROR', `remote ${transport.url}: does not support shallow fetches (no fetch=shallow)`, { url: transport.url });
    }
    const reader = new RemoteReader(await transport.uploadPack(writeFetchRequestV2(remote.capabilities, request), 2), transport.url, maxBytes);
    return opened(reader, async () => {
      const shallow = await readSectionsV2(reader);
      return { shallow, pack: demuxSideband(reader, options.onProgress) };
    });
  }
  if (options.depth !== undefined && !remote.capabilities.has('shallow')) {
    throw new GroveError('REMOTE_ERROR', `remote ${transport.url}: does not support shallow fetches (no shallow capability)`, { url: transport.url });
  }
  const { caps, sideband } = uploadCapabilitiesV0(remote.capabilities, request);
  const reader = new RemoteReader(await transport.uploadPack(writeUploadRequestV0(caps, request), 0), transport.url, maxBytes);
  return opened(reader, async () => {
    const shallow = options.depth === undefined ? [] : await readShallowUpdate(reader, 'flush');
    const ack = await reader.expectLine('NAK');
    if (ack !== 'NAK') throw reader.error(`expected NAK, got ${JSON.stringify(ack.slice(0, 80))}`);
    return { shallow, pack: sideband === 'none' ? reader.remaining() : demuxSideband(reader, options.onProgress) };
  });
}

/** Runs `read` on the answer; on failure the connection is closed before the error goes up. */
async function opened(reader: RemoteReader, read: () => Promise<Omit<FetchedPack, 'cancel'>>): Promise<FetchedPack> {
  try {
    const fetched = await read();
    const pack = fetched.pack;
    return {
      shallow: fetched.shallow,
      pack: (async function* () {
        try {
          yield* pack;
        } finally {
          await reader.close();
        }
      })(),
      cancel: () => reader.close(),
    };
  } catch (err) {
    await reader.close();
    throw err;
  }
}

/** The v2 sections before `packfile`; returns the shallow commits. */
async function readSectionsV2(reader: RemoteReader): Promise<Oid[]> {
  let shallow: Oid[] = [];
  for (;;) {
    const header = await reader.readLine();
    if (typeof header !== 'string') {
      throw reader.error(header.kind === 'eof' || header.kind === 'flush' ? 'the fetch answer has no packfile section' : `unexpected ${header.kind} packet in the fetch answer`);
    }
    if (header === 'packfile') return shallow;
    if (header === 'shallow-info') shallow = await readShallowUpdate(reader, 'delim');
    else if (header === 'acknowledgments' || header === 'wanted-refs') await skipSection(reader);
    else throw reader.error(`unexpected section ${JSON.stringify(header.slice(0, 80))} in the fetch answer`);
  }
}

/** `shallow <oid>` / `unshallow <oid>` lines up to the packet that ends the list. */
async function readShallowUpdate(reader: RemoteReader, end: 'flush' | 'delim'): Promise<Oid[]> {
  const shallow: Oid[] = [];
  for (let count = 0; ; count++) {
    const line = await reader.readLine();
    if (typeof line !== 'string') {
      if (line.kind === end) return shallow;
      throw reader.error(line.kind === 'eof' ? 'the answer ended inside the shallow list' : `unexpected ${line.kind} packet in the shallow list`);
    }
    if (count >= DEFAULT_REMOTE_LIMITS.maxRefs) throw reader.error(`more than ${DEFAULT_REMOTE_LIMITS.maxRefs} shallow lines`);
    if (line.startsWith('shallow ') && isOid(line.slice(8))) shallow.push(line.slice(8));
    else if (!(line.startsWith('unshallow ') && isOid(line.slice(10)))) throw reader.error(`bad line in the shallow list: ${JSON.stringify(line.slice(0, 80))}`);
  }
}

async function skipSection(reader: RemoteReader): Promise<void> {
  for (let count = 0; ; count++) {
    const line = await reader.readLine();
    if (typeof line !== 'string') {
      if (line.kind === 'delim') return;
      throw reader.error(line.kind === 'flush' ? 'the remote wants to negotiate, but the request said done' : `unexpected ${line.kind} packet in the fetch answer`);
    }
    if (count >= DEFAULT_REMOTE_LIMITS.maxRefs) throw reader.error('a section of the fetch answer is too long');
  }
}
