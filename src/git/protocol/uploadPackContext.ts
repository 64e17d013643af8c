import type { Codec } from '../codec.ts';
import type { PackCache } from '../packCache.ts';
import type { ObjectStore, RefStore } from '../ports.ts';

/** What the upload-pack handlers need of a repository. */
export interface UploadPackContext {
  objects: ObjectStore;
  refs: RefStore;
  codec: Codec;
  /** Where whole packs of repeated clones are kept; without it every pack is built. */
  packCache?: PackCache;
}
