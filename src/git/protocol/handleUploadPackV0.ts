/**
 * upload-pack for protocol v0/v1 over stateless HTTP (gitprotocol-pack,
 * "Packfile Negotiation"; gitprotocol-http). Each POST repeats the wants and
 * the haves known so far:
 *
 *   upload-request = want-list *shallow-line *1depth-request [filter-request] flush-pkt
 *   want-list = first-want *additional-want        first-want = PKT-LINE("want" SP obj-id SP capability-list)
 *   then: *(have-line) (flush-pkt | "done")
 *
 * With `multi_ack_detailed` the server answers `ACK <oid> common` per common
 * have, `ACK <oid> ready` once it could cut the pack, then `NAK`; with
 * `no-done` and `ready` sent it follows with `ACK <oid>` and the pack at once.
 * After `done`: `ACK <last common>` (or `NAK`), then the pack.
 *
 * A request that deepens (`deepen`, `deepen-since`, `deepen-not`) is first
 * answered with the shallow update, before any ACK/NAK:
 *
 *   shallow-update = *shallow-line *unshallow-line flush-pkt
 *
 * and over stateless HTTP the client's first POST ends right after its want
 * section, to learn only that; its next POSTs negotiate as usual. From then
 * on history is walked with the shallow commits as parentless (negotiation
 * included, as upload-pack registers them before reading haves).
 *
 * A shallow repository is walked with its own shallow commits parentless
 * too; a client learns them from the ref advertisement's `shallow` lines,
 * and from the shallow update when it deepens (withRepositoryShallow.ts).
 */
import { GroveError } from '../../errors.ts';
import { isOid, type Oid } from '../objects/objectId.ts';
import { enumerateObjects } from '../walk/enumerateObjects.ts';
import type { ObjectFilter } from '../walk/objectFilter.ts';
import { allReachCommon } from '../walk/reachability.ts';
import { withShallowBoundary } from '../walk/withShallowBoundary.ts';
import { computeShallow } from './computeShallow.ts';
import { parseFilterSpec } from './parseFilterSpec.ts';
import { FLUSH_PKT, pktLine } from './pktLine.ts';
import type { PktLineReader } from './PktLineReader.ts';
import { emptyShallowRequest, readShallowLine } from './shallowRequest.ts';
import type { UploadPackContext } from './uploadPackContext.ts';
import { validateWants } from './validateWants.ts';
import { withRepositoryShallow } from './withRepositoryShallow.ts';
import { writePackResponse } from './writePackResponse.ts';
import { packCacheOption } from './packCacheOption.ts';

/** Capabilities Grove's v0 upload-pack honours; the advertisement adds symref, object-format and agent. */
export const UPLOAD_PACK_V0_CAPABILITIES: readonly string[] = [
  'multi_ack_detailed',
  'no-done',
  'side-band-64k',
  'thin-pack',
  'ofs-delta',
  'shallow',
  'deepen-since',
  'deepen-not',
  'deepen-relative',
  'no-progress',
  'include-tag',
  'allow-tip-sha1-in-want',
  'allow-reachable-sha1-in-want',
  'filter',
];
const CLIENT_CAPABILITIES = new Set([...UPLOAD_PACK_V0_CAPABILITIES, 'agent', 'object-format', 'session-id']);

export async function* handleUploadPackV0(repository: UploadPackContext, reader: PktLineReader): AsyncGenerator<Uint8Array> {
  const wants: Oid[] = [];
  const wanted = new Set<Oid>();
  const caps = new Set<string>();
  const shallowRequest = emptyShallowRequest();
  let filterSpec: string | undefined;
  for (;;) {
    const line = await reader.readLine();
    if (typeof line !== 'string') {
      if (line.kind === 'flush' || line.kind === 'eof') break;
      throw new GroveError('PROTOCOL_ERROR', `upload-pack: unexpected ${line.kind} packet`);
    }
    if (readShallowLine(line, shallowRequest)) continue;
    if (line.startsWith('filter ')) {
      if (filterSpec !== undefined) throw new GroveError('PROTOCOL_ERROR', 'multiple filter-specs cannot be combined');
      filterSpec = line.slice(7);
      continue;
    }
    if (!line.startsWith('want ')) throw new GroveError('PROTOCOL_ERROR', `upload-pack: protocol error, expected to get object ID, not '${line.slice(0, 80)}'`);
    const [oid, ...rest] = line.slice(5).split(' ');
    if (oid === undefined || !isOid(oid)) throw new GroveError('PROTOCOL_ERROR', `upload-pack: protocol error, expected to get object ID, not '${line.slice(0, 80)}'`);
    if (wants.length === 0) {
      for (const cap of rest) {
        const name = cap.split('=')[0]!;
        if (!CLIENT_CAPABILITIES.has(name)) throw new GroveError('PROTOCOL_ERROR', `upload-pack: unsupported capability '${cap}'`);
        caps.add(name);
      }
    }
    if (!wanted.has(oid)) wants.push(oid);
    wanted.add(oid);
  }
  if (wants.length === 0) return; // nothing wanted: git's upload-pack answers nothing at all
  let filter: ObjectFilter | undefined;
  if (filterSpec !== undefined) {
    if (!caps.has('filter')) throw new GroveError('PROTOCOL_ERROR', 'upload-pack: filtering capability not negotiated');
    filter = parseFilterSpec(filterSpec);
  }
  shallowRequest.relative = caps.has('deepen-relative');

  const ctx = await withRepositoryShallow(repository);
  const refs = await ctx.refs.listRefs();
  await validateWants(ctx, wants, refs);
  const shallow = await computeShallow(ctx.objects, refs, wants, shallowRequest, ctx.repositoryShallow);
  const history = withShallowBoundary(ctx.objects, shallow.boundary);

  const multiAckDetailed = caps.has('multi_ack_detailed');
  const noDone = caps.has('no-done');
  const common: Oid[] = [];
  const commonSet = new Set<Oid>();
  let lastCommon: Oid | undefined;
  let gotCommon = false;
  let gotOther = false;
  let sentReady = false;
  let readyKnown = false;
  let checkedAt = -1;
  const okToGiveUp = async (): Promise<boolean> => {
    if (!readyKnown && checkedAt !== common.length) {
      checkedAt = common.length;
      readyKnown = await allReachCommon(history, shallow.wants, commonSet);
    }
    return readyKnown;
  };

  // The request is complete (stateless HTTP): read this round's haves first, to look them up in one batch.
  const lines: string[] = [];
  let end: 'flush' | 'done' | 'eof' = 'eof';
  for (;;) {
    const line = await reader.readLine();
    if (typeof line !== 'string') {
      if (line.kind !== 'flush' && line.kind !== 'eof') throw new GroveError('PROTOCOL_ERROR', `upload-pack: unexpected ${line.kind} packet`);
      end = line.kind;
      break;
    }
    if (line === 'done') {
      end = 'done';
      break;
    }
    if (!line.startsWith('have ') || !isOid(line.slice(5))) {
      throw new GroveError('PROTOCOL_ERROR', `upload-pack: expected SHA1 list, got '${line.slice(0, 80)}'`);
    }
    lines.push(line.slice(5));
  }
  const present = await ctx.objects.has(lines);

  if (shallow.deepen) {
    for (const oid of shallow.shallow) yield pktLine(`shallow ${oid}`);
    for (const oid of shallow.unshallow) yield pktLine(`unshallow ${oid}`);
    yield FLUSH_PKT;
  }
  if (end === 'eof' && lines.length === 0) return; // a stateless client asking only for the shallow update

  for (const oid of lines) {
    if (!present.has(oid)) {
      gotOther = true;
      if (multiAckDetailed && (await okToGiveUp())) {
        sentReady = true;
        yield pktLine(`ACK ${oid} ready\n`);
      }
      continue;
    }
    gotCommon = true;
    lastCommon = oid;
    if (!commonSet.has(oid)) {
      commonSet.add(oid);
      common.push(oid);
    }
    if (multiAckDetailed) yield pktLine(`ACK ${oid} common\n`);
    else if (common.length === 1) yield pktLine(`ACK ${oid}\n`);
  }

  let sendPack = false;
  if (end === 'done') {
    if (common.length > 0 && multiAckDetailed) yield pktLine(`ACK ${lastCommon}\n`);
    else if (common.length === 0) yield pktLine('NAK\n');
    sendPack = true;
  } else if (end === 'flush') {
    if (multiAckDetailed && gotCommon && !gotOther && (await okToGiveUp())) {
      sentReady = true;
      yield pktLine(`ACK ${lastCommon} ready\n`);
    }
    if (common.length === 0 || multiAckDetailed) yield pktLine('NAK\n');
    if (noDone && sentReady) {
      yield pktLine(`ACK ${lastCommon}\n`);
      sendPack = true;
    }
  }
  if (!sendPack) return;

  const sideband = caps.has('side-band-64k');
  const thin = caps.has('thin-pack');
  yield* writePackResponse(ctx.objects, ctx.codec, (progress) => enumerateObjects(ctx.objects, {
    wants: shallow.wants,
    haves: [...common, ...shallow.extraHaves],
    ...(caps.has('include-tag') ? { includeTagsFrom: refs } : {}),
    ...(shallow.boundary.size > 0 ? { shallow: shallow.boundary, aggressiveEdges: thin } : {}),
    ...(filter === undefined ? {} : { filter }),
    progress,
  }), { sideband, progress: !caps.has('no-progress'), ofsDelta: caps.has('ofs-delta'), thin, ...packCacheOption(ctx, {
    wants, haves: common, shallowOrDeepen: shallow.deepen || shallow.clientShallow.length > 0 || ctx.repositoryShallow.size > 0,
    filtered: filter !== undefined, ofsDelta: caps.has('ofs-delta'), includeTag: caps.has('include-tag'), refs,
  }) });
  if (sideband) yield FLUSH_PKT;
}
