/**
 * Every object of a self-contained pack, whole: entries are read as they
 * stream in (src/git/pack/readPack.ts) and deltas resolved against their
 * base, which is kept for the pack's lifetime (a blob batch is bounded by
 * the hydrator, see HydrationQueue.ts). gitformat-pack:
 *
 *   The delta data starts with the size of the base object and the size of
 *   the object to be reconstructed. [...] In an OFS_DELTA [the base is] a
 *   negative relative offset from the delta object's position in the pack;
 *   in a REF_DELTA, the base object name.
 *
 * A REF_DELTA whose base comes later waits for it. Every object is hashed
 * here: its id is what the caller checks against what it asked for.
 */
import { GroveError } from '../../errors.ts';
import type { Codec } from '../../git/codec.ts';
import { hashObject, TYPE_BY_CODE, type ObjectType } from '../../git/objects/gitObject.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import { applyDelta } from '../../git/pack/applyDelta.ts';
import { OFS_DELTA, REF_DELTA } from '../../git/pack/entryHeader.ts';
import { readPack, type PackEntry } from '../../git/pack/readPack.ts';

export interface UnpackedObject {
  oid: Oid;
  type: ObjectType;
  data: Uint8Array;
  /** Where its entry starts in the pack. */
  offset: number;
}

interface Resolved {
  type: ObjectType;
  data: Uint8Array;
}

export async function* unpackObjects(pack: AsyncIterable<Uint8Array>, codec: Codec): AsyncGenerator<UnpackedObject> {
  const byOffset = new Map<number, Resolved>();
  const byOid = new Map<Oid, Resolved>();
  const waiting = new Map<Oid, PackEntry[]>();
  const finish = (entry: PackEntry, type: ObjectType, data: Uint8Array): UnpackedObject => {
    const oid = hashObject(codec, type, data);
    const resolved = { type, data };
    byOffset.set(entry.offset, resolved);
    byOid.set(oid, resolved);
    return { oid, type, data, offset: entry.offset };
  };
  /** `entry` resolved, then every delta that waited for it, depth first. */
  function* settle(entry: PackEntry, type: ObjectType, data: Uint8Array): Generator<UnpackedObject> {
    const object = finish(entry, type, data);
    yield object;
    const children = waiting.get(object.oid);
    if (children === undefined) return;
    waiting.delete(object.oid);
    for (const child of children) yield* settle(child, type, applyDelta(data, child.data));
  }
  for await (const entry of readPack(pack, codec)) {
    if (entry.typeCode === OFS_DELTA) {
      const base = byOffset.get(entry.baseOffset ?? -1);
      if (base === undefined) throw new GroveError('BAD_PACK', `pack entry at ${entry.offset}: its OFS_DELTA base was not resolved`);
      yield* settle(entry, base.type, applyDelta(base.data, entry.data));
    } else if (entry.typeCode === REF_DELTA) {
      const baseOid = entry.baseOid ?? '';
      const base = byOid.get(baseOid);
      if (base !== undefined) yield* settle(entry, base.type, applyDelta(base.data, entry.data));
      else waiting.set(baseOid, [...(waiting.get(baseOid) ?? []), entry]);
    } else {
      const type = TYPE_BY_CODE[entry.typeCode];
      if (type === undefined) throw new GroveError('BAD_PACK', `pack entry at ${entry.offset} has type ${entry.typeCode}`);
      yield* settle(entry, type, entry.data);
    }
  }
  if (waiting.size > 0) {
    throw new GroveError('MISSING_OBJECT', `the pack has deltas against ${waiting.size} object(s) it does not hold, e.g. ${[...waiting.keys()][0]}`);
  }
}
