/**
 * One hydration request: a v2 `fetch` of a batch of blobs by id (no filter,
 * no progress, `done` at once), its pack parsed as it arrives, every blob
 * checked against the ids asked for and written to the blob store. A copy of the pack goes to the git directory
 * when asked (keepPackFile.ts).
 *
 * The remote may send fewer blobs than asked (it lacks one): those come back
 * as `missing`, for the caller to retry or report — never a blob that was
 * not asked for, never one whose content does not hash to its id.
 */
import type { Codec } from '../../git/codec.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import { storeBlob } from './blobStore.ts';
import { KeptPackFile } from './keepPackFile.ts';
import { requestPack, type PackSource } from './requestPack.ts';
import { unpackObjects } from './unpackObjects.ts';

export interface BlobBatchContext {
  source: PackSource;
  codec: Codec;
  blobDir: string;
  /** Keep a copy of each pack in this git directory. */
  gitDir?: string;
  /** Write blobs through a temporary file (when sizes are unknown: see blobStore.ts). */
  atomicWrites: boolean;
}

export interface BlobBatchResult {
  missing: Oid[];
  /** Set when the copy into the git directory failed (the blobs are stored all the same). */
  keepError?: string;
}

export async function fetchBlobBatch(context: BlobBatchContext, oids: readonly Oid[], onBlob: (oid: Oid, size: number) => void): Promise<BlobBatchResult> {
  const wanted = new Set(oids);
  const requested = await requestPack(context.source, { wants: [...wanted] });
  const kept = context.gitDir === undefined ? undefined : new KeptPackFile(context.gitDir);
  try {
    const stream = kept === undefined ? requested.pack : kept.tee(requested.pack);
    for await (const object of unpackObjects(stream, context.codec)) {
      kept?.object(object.oid, object.offset);
      // Anything not asked for (a delta base sent along, a blob asked for twice) is passed over.
      if (object.type !== 'blob' || !wanted.has(object.oid)) continue;
      wanted.delete(object.oid);
      storeBlob(context.blobDir, object.oid, object.data, context.atomicWrites);
      onBlob(object.oid, object.data.length);
    }
  } catch (err) {
    kept?.abort();
    await requested.cancel();
    throw err;
  }
  const result: BlobBatchResult = { missing: [...wanted] };
  if (kept !== undefined) {
    try {
      kept.finish(context.codec);
    } catch (err) {
      result.keepError = (err as Error).message;
    }
  }
  return result;
}
