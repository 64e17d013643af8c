/**
 * Checks that every wanted id is one the client may have: it exists and a ref
 * reaches it (what `allow-reachable-sha1-in-want` allows). Others get git's
 * own answer, "not our ref".
 */
import { GroveError } from '../../errors.ts';
import type { Oid } from '../objects/objectId.ts';
import type { Ref } from '../ports.ts';
import { findUnreachable } from '../walk/reachability.ts';
import type { UploadPackContext } from './uploadPackContext.ts';

export async function validateWants(ctx: UploadPackContext, wants: readonly Oid[], refs: readonly Ref[]): Promise<void> {
  const present = await ctx.objects.has(wants);
  const absent = wants.find((oid) => !present.has(oid));
  if (absent !== undefined) throw notOurRef(absent);
  const tips = refs.flatMap((r) => (r.oid === null || r.target !== undefined ? [] : [r.oid]));
  const unreachable = await findUnreachable(ctx.objects, wants, tips);
  if (unreachable.length > 0) throw notOurRef(unreachable[0]!);
}

function notOurRef(oid: Oid): GroveError {
  return new GroveError('PROTOCOL_ERROR', `upload-pack: not our ref ${oid}`, { oid });
}
