/**
 * What the hydration queue needs of a transport: fetch these blobs into the
 * blob store, saying as each one lands. The mount runs it in a worker thread
 * (WorkerBlobFetcher.ts) so that parsing packs never delays a FUSE call.
 */
import type { Oid } from '../../git/objects/objectId.ts';

export interface BlobFetcher {
  /** Resolves with the ids the remote did not send; rejects when the transfer failed. */
  fetch(oids: readonly Oid[], onBlob: (oid: Oid, size: number) => void): Promise<{ missing: Oid[]; keepError?: string }>;
  close(): Promise<void>;
}
