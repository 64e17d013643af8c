/**
 * The v2 `fetch` command (gitprotocol-v2, "fetch"), stateless: every request
 * carries all wants and the haves known so far.
 *
 *   output = acknowledgements flush-pkt |
 *            [acknowledgments delim-pkt] [shallow-info delim-pkt]
 *            [wanted-refs delim-pkt] [packfile-uris delim-pkt]
 *            packfile flush-pkt
 *   acknowledgments = PKT-LINE("acknowledgments" LF) (nak | *ack) (ready)
 *   shallow-info = PKT-LINE("shallow-info" LF) *PKT-LINE((shallow | unshallow) LF)
 *   packfile = PKT-LINE("packfile" LF) *PKT-LINE(%x01-03 *%x00-ff)
 *
 * With haves and no `done`, the server acknowledges the common ones and,
 * when it can already cut the pack, says `ready` and sends it; otherwise the
 * response ends after the acknowledgments and the client sends another round.
 * `shallow-info` comes whenever the client deepens or says it is shallow
 * (upload-pack.c `send_shallow_info`), even with nothing in it — and, from a
 * shallow repository, always: with no deepen asked, such a repository
 * answers as if for `deepen 2147483647` (`deepen(data, INFINITE_DEPTH)`),
 * which lists its shallow commits that the wants reach. `filter` thins the
 * pack for a partial clone (parseFilterSpec.ts).
 */
import { GroveError } from '../../errors.ts';
import { isOid, type Oid } from '../objects/objectId.ts';
import { enumerateObjects } from '../walk/enumerateObjects.ts';
import type { ObjectFilter } from '../walk/objectFilter.ts';
import { allReachCommon } from '../walk/reachability.ts';
import { computeShallow } from './computeShallow.ts';
import { parseFilterSpec } from './parseFilterSpec.ts';
import { DELIM_PKT, FLUSH_PKT, pktLine } from './pktLine.ts';
import { deepens, emptyShallowRequest, INFINITE_DEPTH, readShallowLine, type ShallowRequest } from './shallowRequest.ts';
import type { UploadPackContext } from './uploadPackContext.ts';
import { validateWants } from './validateWants.ts';
import { withRepositoryShallow } from './withRepositoryShallow.ts';
import { writePackResponse } from './writePackResponse.ts';
import { packCacheOption } from './packCacheOption.ts';

export interface FetchArgs {
  wants: Oid[];
  haves: Oid[];
  done: boolean;
  thinPack: boolean;
  noProgress: boolean;
  includeTag: boolean;
  ofsDelta: boolean;
  waitForDone: boolean;
  shallow: ShallowRequest;
  filter: ObjectFilter | null;
}

export function parseFetchArgs(args: readonly string[]): FetchArgs {
  const parsed: FetchArgs = {
    wants: [], haves: [], done: false, thinPack: false, noProgress: false, includeTag: false, ofsDelta: false, waitForDone: false,
    shallow: emptyShallowRequest(), filter: null,
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
    else if (arg === 'deepen-relative') parsed.shallow.relative = true;
    else if (arg.startsWith('filter ')) {
      if (parsed.filter !== null) throw new GroveError('PROTOCOL_ERROR', 'multiple filter-specs cannot be combined');
      parsed.filter = parseFilterSpec(arg.slice(7));
    } else if (!readShallowLine(arg, parsed.shallow)) {
      throw new GroveError('PROTOCOL_ERROR', `fetch: unexpected line '${arg.slice(0, 80)}'`);
    }
  }
  return parsed;
}

export async function* handleFetchV2(repository: UploadPackContext, rawArgs: readonly string[]): AsyncGenerator<Uint8Array> {
  const args = parseFetchArgs(rawArgs);
  if (args.wants.length === 0 && !args.waitForDone) {
    yield FLUSH_PKT;
    return;
  }
  const ctx = await withRepositoryShallow(repository);
  const repositoryShallow = ctx.repositoryShallow.size > 0;
  const shallowRequest = repositoryShallow && !deepens(args.shallow) ? { ...args.shallow, depth: INFINITE_DEPTH } : args.shallow;
  const refs = await ctx.refs.listRefs();
  await validateWants(ctx, args.wants, refs);

  // Everything up to the pack is decided before a byte is sent, so that a refusal is the whole answer.
  const present = await ctx.objects.has(args.haves);
  const common = [...new Set(args.haves.filter((oid) => present.has(oid)))];
  const head: Uint8Array[] = [];
  if (args.haves.length > 0 && !args.done) {
    head.push(pktLine('acknowledgments\n'));
    if (common.length === 0) head.push(pktLine('NAK\n'));
    for (const oid of common) head.push(pktLine(`ACK ${oid}\n`));
    const ready = !args.waitForDone && args.wants.length > 0 && (await allReachCommon(ctx.objects, args.wants, new Set(common)));
    if (!ready) {
      yield* head;
      yield FLUSH_PKT;
      return;
    }
    head.push(pktLine('ready\n'), DELIM_PKT);
  }
  const shallow = await computeShallow(ctx.objects, refs, args.wants, shallowRequest, ctx.repositoryShallow);
  if (shallow.deepen || shallow.clientShallow.length > 0) {
    head.push(pktLine('shallow-info\n'));
    for (const oid of shallow.shallow) head.push(pktLine(`shallow ${oid}`));
    for (const oid of shallow.unshallow) head.push(pktLine(`unshallow ${oid}`));
    head.push(DELIM_PKT);
  }
  yield* head;

  yield pktLine('packfile\n');
  yield* writePackResponse(ctx.objects, ctx.codec, (progress) => enumerateObjects(ctx.objects, {
    wants: shallow.wants,
    haves: [...common, ...shallow.extraHaves],
    ...(args.includeTag ? { includeTagsFrom: refs } : {}),
    ...(shallow.boundary.size > 0 ? { shallow: shallow.boundary, aggressiveEdges: args.thinPack } : {}),
    ...(args.filter === null ? {} : { filter: args.filter }),
    progress,
  }), { sideband: true, progress: !args.noProgress, ofsDelta: args.ofsDelta, thin: args.thinPack, ...packCacheOption(ctx, {
    wants: args.wants, haves: common, shallowOrDeepen: shallow.deepen || shallow.clientShallow.length > 0 || repositoryShallow,
    filtered: args.filter !== null, ofsDelta: args.ofsDelta, includeTag: args.includeTag, refs,
  }) });
  yield FLUSH_PKT;
}
