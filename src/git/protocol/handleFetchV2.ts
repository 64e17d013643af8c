/**
 * The v2 `fetch` command (gitprotocol-v2, "fetch"), stateless: every request
 * carries all wants and the haves known so far.
 *
 *   output = acknowledgements flush-pkt |
 *            [acknowledgments delim-pkt] [shallow-info delim-pkt]
 *            [wanted-refs delim-pkt] [packfile-uris delim-pkt]
 *            packfile flush-pkt
 *   acknowledgments = PKT-LINE("acknowledgments" LF) (nak | *ack) (ready)
 *   packfile = PKT-LINE("packfile" LF) *PKT-LINE(%x01-03 *%x00-ff)
 *
 * With haves and no `done`, the server acknowledges the common ones and,
 * when it can already cut the pack, says `ready` and sends it; otherwise the
 * response ends after the acknowledgments and the client sends another round.
 */
import { GroveError } from '../../errors.ts';
import { isOid, type Oid } from '../objects/objectId.ts';
import { enumerateObjects } from '../walk/enumerateObjects.ts';
import { allReachCommon } from '../walk/reachability.ts';
import { DELIM_PKT, FLUSH_PKT, pktLine } from './pktLine.ts';
import type { UploadPackContext } from './uploadPackContext.ts';
import { validateWants } from './validateWants.ts';
import { writePackResponse } from './writePackResponse.ts';

interface FetchArgs {
  wants: Oid[];
  haves: Oid[];
  done: boolean;
  thinPack: boolean;
  noProgress: boolean;
  includeTag: boolean;
  ofsDelta: boolean;
  waitForDone: boolean;
}

export function parseFetchArgs(args: readonly string[]): FetchArgs {
  const parsed: FetchArgs = {
    wants: [], haves: [], done: false, thinPack: false, noProgress: false, includeTag: false, ofsDelta: false, waitForDone: false,
  };
  const seenWants = new Set<Oid>();
  for (const arg of args) {
    if (arg.startsWith('want ')) {
      const oid = arg.slice(5);
      if (!isOid(oid)) throw new GroveError('PROTOCOL_ERROR', `fetch: expected an object id in '${arg.slice(0, 80)}'`);
      if (!seenWants.has(oid)) parsed.wants.push(oid);
      seenWants.add(oid);
    } else if (arg.startsWith('have ')) {
      const oid = arg.slice(5);
      if (!isOid(oid)) throw new GroveError('PROTOCOL_ERROR', `fetch: expected an object id in '${arg.slice(0, 80)}'`);
      parsed.haves.push(oid);
    } else if (arg === 'done') parsed.done = true;
    else if (arg === 'thin-pack') parsed.thinPack = true;
    else if (arg === 'no-progress') parsed.noProgress = true;
    else if (arg === 'include-tag') parsed.includeTag = true;
    else if (arg === 'ofs-delta') parsed.ofsDelta = true;
    else if (arg === 'wait-for-done') parsed.waitForDone = true;
    else throw new GroveError('PROTOCOL_ERROR', `fetch: unexpected line '${arg.slice(0, 80)}'`);
  }
  return parsed;
}

export async function* handleFetchV2(ctx: UploadPackContext, rawArgs: readonly string[]): AsyncGenerator<Uint8Array> {
  const args = parseFetchArgs(rawArgs);
  if (args.wants.length === 0 && !args.waitForDone) {
    yield FLUSH_PKT;
    return;
  }
  const refs = await ctx.refs.listRefs();
  await validateWants(ctx, args.wants, refs);

  const present = await ctx.objects.has(args.haves);
  const common = [...new Set(args.haves.filter((oid) => present.has(oid)))];
  if (args.haves.length > 0 && !args.done) {
    yield pktLine('acknowledgments\n');
    if (common.length === 0) yield pktLine('NAK\n');
    for (const oid of common) yield pktLine(`ACK ${oid}\n`);
    const ready = !args.waitForDone && args.wants.length > 0 && (await allReachCommon(ctx.objects, args.wants, new Set(common)));
    if (!ready) {
      yield FLUSH_PKT;
      return;
    }
    yield pktLine('ready\n');
    yield DELIM_PKT;
  }

  const plan = await enumerateObjects(ctx.objects, {
    wants: args.wants,
    haves: common,
    ...(args.includeTag ? { includeTagsFrom: refs } : {}),
  });
  yield pktLine('packfile\n');
  yield* writePackResponse(ctx.objects, ctx.codec, plan.oids, {
    sideband: true,
    progress: !args.noProgress,
    ofsDelta: args.ofsDelta,
    ...(args.thinPack ? { thinBases: plan.clientHas } : {}),
  });
  yield FLUSH_PKT;
}
