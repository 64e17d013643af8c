/**
 * One protocol v2 `fetch` for the mount: the tree pack (`filter blob:none`,
 * maybe with the commits already held as `have`s) or a batch of blobs — the
 * two requests src/git/client/fetchPack.ts does not make. `done` is always
 * sent, so the remote answers with the pack at once (gitprotocol-v2, "fetch"):
 *
 *   filter <filter-spec>
 *     Request that various objects from the packfile be omitted using one
 *     of several filtering techniques. [...]
 *   done
 *     Indicates to the server that negotiation should terminate (or not
 *     even begin if performing a clone) and that the server should use the
 *     information supplied in the request to construct the packfile.
 *
 *   output = acknowledgements flush-pkt |
 *            [acknowledgments delim-pkt] [shallow-info delim-pkt]
 *            [wanted-refs delim-pkt] [packfile-uris delim-pkt]
 *            packfile flush-pkt
 *
 * Sections before `packfile` are skipped; the pack comes out of side-band 1
 * as it arrives.
 */
import { GroveError } from '../../errors.ts';
import { isOid, type Oid } from '../../git/objects/objectId.ts';
import { demuxSideband } from '../../git/client/demuxSideband.ts';
import { features } from '../../git/client/parseCapabilitiesV2.ts';
import type { RemoteInfo } from '../../git/client/RemoteInfo.ts';
import { RemoteReader } from '../../git/client/RemoteReader.ts';
import type { SmartHttpTransport } from '../../git/client/SmartHttpTransport.ts';
import { commandRequest } from './commandRequest.ts';

export interface PackRequest {
  wants: readonly Oid[];
  haves?: readonly Oid[];
  /** e.g. `blob:none`; the remote must advertise `fetch=… filter`. */
  filter?: string;
  /** `deepen <depth>`: only this many commits of history (the remote must advertise `fetch=… shallow`). */
  depth?: number;
}

/** What a remote needs to be asked for a pack: its transport and advertised capabilities. */
export interface PackSource {
  transport: SmartHttpTransport;
  capabilities: ReadonlyMap<string, string>;
}

export interface RequestedPack {
  /** Commits sent without their parents (`shallow-info`). */
  shallow: Oid[];
  pack: AsyncIterable<Uint8Array>;
  /** Stops the transfer early (harmless once the pack was read to its end). */
  cancel(): Promise<void>;
}

/** True when the remote accepts `filter` in a v2 fetch. */
export function offersFilter(remote: RemoteInfo): boolean {
  return remote.version === 2 && features(remote.capabilities, 'fetch').has('filter');
}

/** True when the remote accepts `deepen` in a v2 fetch. */
export function offersShallow(remote: RemoteInfo): boolean {
  return remote.version === 2 && features(remote.capabilities, 'fetch').has('shallow');
}

export async function requestPack(source: PackSource, request: PackRequest): Promise<RequestedPack> {
  if (request.wants.length === 0) throw new GroveError('INTERNAL', 'requestPack needs at least one want');
  const haves = request.haves ?? [];
  const args = ['ofs-delta', 'no-progress'];
  if (haves.length > 0) args.push('thin-pack');
  if (request.filter !== undefined) args.push(`filter ${request.filter}`);
  if (request.depth !== undefined) args.push(`deepen ${request.depth}`);
  for (const oid of new Set(request.wants)) args.push(`want ${oid}`);
  for (const oid of new Set(haves)) args.push(`have ${oid}`);
  args.push('done');
  const { transport } = source;
  const reader = new RemoteReader(await transport.uploadPack(commandRequest('fetch', source.capabilities, args), 2), transport.url, Number.POSITIVE_INFINITY);
  let shallow: Oid[];
  try {
    shallow = await skipToPackfile(reader);
  } catch (err) {
    await reader.close();
    throw err;
  }
  const pack = demuxSideband(reader);
  return {
    shallow,
    pack: (async function* () {
      try {
        yield* pack;
      } finally {
        await reader.close();
      }
    })(),
    cancel: () => reader.close(),
  };
}

/** Reads up to the packfile section; returns the `shallow <oid>` lines of a shallow-info section. */
async function skipToPackfile(reader: RemoteReader): Promise<Oid[]> {
  const shallow: Oid[] = [];
  for (let lines = 0; ; lines++) {
    const line = await reader.readLine();
    if (typeof line === 'string') {
      if (line === 'packfile') return shallow;
      if (lines > 1_000_000) throw reader.error('the fetch answer has no packfile section');
      if (line.startsWith('shallow ') && isOid(line.slice(8))) shallow.push(line.slice(8));
      continue; // a section header or one of its lines (acknowledgments, shallow-info, wanted-refs)
    }
    if (line.kind === 'delim') continue;
    throw reader.error(line.kind === 'flush' ? 'the remote wants to negotiate, but the request said done' : `the fetch answer ended (${line.kind}) before its packfile section`);
  }
}
