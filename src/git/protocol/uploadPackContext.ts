import type { Codec } from '../codec.ts';
import type { Oid } from '../objects/objectId.ts';
import type { PackCache } from '../packCache.ts';
import type { ObjectStore, RefStore } from '../ports.ts';

/**
 * A repository whose history may be cut short (one imported with a depth):
 * `shallow()` lists the commits it holds without their parents, as git's
 * `.git/shallow` does. `Repository` implements it.
 */
export interface ShallowSource {
  shallow(): Promise<Oid[]>;
}

/** What the upload-pack handlers need of a repository. */
export interface UploadPackContext {
  objects: ObjectStore;
  /** The refs; when it can also tell the repository's shallow commits, fetches honour them as git does. */
  refs: RefStore & Partial<ShallowSource>;
  codec: Codec;
  /** Where whole packs of repeated clones are kept; without it every pack is built. */
  packCache?: PackCache;
}
