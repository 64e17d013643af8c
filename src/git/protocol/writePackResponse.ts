/**
 * Streams a pack to a fetching client: multiplexed on side-band-64k (band 1
 * pack data, band 2 progress, band 3 fatal error) — always in v2's `packfile`
 * section, in v0 when the client asked for `side-band-64k` — or raw.
 */
import type { Codec } from '../codec.ts';
import { utf8 } from '../bytes.ts';
import type { Oid } from '../objects/objectId.ts';
import type { ObjectStore } from '../ports.ts';
import { writePack, type PackStats } from '../pack/writePack.ts';
import { sidebandPackets } from './pktLine.ts';

export interface PackResponseOptions {
  sideband: boolean;
  progress: boolean;
  ofsDelta: boolean;
  /** Objects the client has, when it accepts a thin pack. */
  thinBases?: ReadonlySet<Oid>;
}

export async function* writePackResponse(
  store: ObjectStore,
  codec: Codec,
  oids: readonly Oid[],
  options: PackResponseOptions,
): AsyncGenerator<Uint8Array> {
  const progress = (text: string): Iterable<Uint8Array> =>
    options.sideband && options.progress ? sidebandPackets(2, utf8(text)) : [];
  yield* progress(`Enumerating objects: ${oids.length}, done.\n`);
  const stats: PackStats = { objects: 0, deltas: 0, rebuilt: 0, bytes: 0 };
  const pack = writePack(store, codec, oids, {
    ofsDelta: options.ofsDelta,
    ...(options.thinBases === undefined ? {} : { thinBases: options.thinBases }),
  }, stats);
  try {
    for await (const chunk of pack) {
      if (options.sideband) yield* sidebandPackets(1, chunk);
      else yield chunk;
    }
  } catch (err) {
    // Headers and part of the pack are out: all that is left is to say why on the error band.
    if (options.sideband) yield* sidebandPackets(3, utf8(`error: ${(err as Error).message}\n`));
    throw err;
  }
  yield* progress(`Total ${stats.objects} (delta ${stats.deltas}), reused ${stats.objects - stats.rebuilt} (delta ${stats.deltas})\n`);
}
