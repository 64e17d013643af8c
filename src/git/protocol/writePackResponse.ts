/**
 * Streams a pack to a fetching client: multiplexed on side-band-64k (band 1
 * pack data, band 2 progress, band 3 fatal error) — always in v2's `packfile`
 * section, in v0 when the client asked for `side-band-64k` — or raw. The
 * objects are enumerated here too, with progress reports (or keep-alives)
 * while that runs, so the response is under way before the pack is known.
 */
import type { Codec } from '../codec.ts';
import { utf8 } from '../bytes.ts';
import type { PackCache } from '../packCache.ts';
import type { ObjectStore } from '../ports.ts';
import { writePack, type PackStats } from '../pack/writePack.ts';
import type { Enumeration } from '../walk/enumerateObjects.ts';
import type { WalkProgress } from '../walk/WalkProgress.ts';
import { enumerateWithProgress } from './enumerateWithProgress.ts';
import { sidebandPackets } from './pktLine.ts';

export interface PackResponseOptions {
  sideband: boolean;
  progress: boolean;
  ofsDelta: boolean;
  /** The client accepts a thin pack: deltas against objects it has. */
  thin: boolean;
  /** A cache and this pack's key in it (for clones): the pack is served from it, or built and stored. */
  cache?: { store: PackCache; key: string };
}

export async function* writePackResponse(
  store: ObjectStore,
  codec: Codec,
  enumerate: (progress: WalkProgress) => Promise<Enumeration>,
  options: PackResponseOptions,
): AsyncGenerator<Uint8Array> {
  const progress = (text: string): Iterable<Uint8Array> =>
    options.sideband && options.progress ? sidebandPackets(2, utf8(text)) : [];
  const fail = (err: unknown): Iterable<Uint8Array> =>
    options.sideband ? sidebandPackets(3, utf8(`error: ${(err as Error).message}\n`)) : [];
  const frame = (chunk: Uint8Array): Iterable<Uint8Array> => (options.sideband ? sidebandPackets(1, chunk) : [chunk]);

  const cached = options.cache?.store.open(options.cache.key);
  if (cached !== undefined) {
    let count: number | undefined;
    for await (const chunk of cached) {
      count ??= chunk.length >= 12 ? new DataView(chunk.buffer, chunk.byteOffset).getUint32(8) : undefined;
      yield* frame(chunk);
    }
    yield* progress(`Total ${count ?? 0} (from a cached pack)\n`);
    return;
  }
  const writer = options.cache?.store.begin(options.cache.key);

  let plan: Enumeration;
  try {
    plan = yield* enumerateWithProgress(enumerate, { sideband: options.sideband, progress: options.progress });
  } catch (err) {
    writer?.abort();
    yield* fail(err);
    throw err;
  }
  const stats: PackStats = { objects: 0, deltas: 0, rebuilt: 0, bytes: 0 };
  const pack = writePack(store, codec, plan.oids, {
    ofsDelta: options.ofsDelta,
    ...(options.thin ? { thinBases: plan.clientHas } : {}),
  }, stats);
  let complete = false;
  try {
    for await (const chunk of pack) {
      writer?.write(chunk);
      yield* frame(chunk);
    }
    complete = true;
  } catch (err) {
    // Headers and part of the pack are out: all that is left is to say why on the error band.
    yield* fail(err);
    throw err;
  } finally {
    // A client that went away mid-pack leaves no half pack in the cache.
    if (complete) writer?.commit();
    else writer?.abort();
  }
  yield* progress(`Total ${stats.objects} (delta ${stats.deltas}), reused ${stats.objects - stats.rebuilt} (delta ${stats.deltas})\n`);
}
