import type { Codec } from '../codec.ts';
import type { ObjectStore, RefStore } from '../ports.ts';
import type { PackStaging } from '../staging.ts';

/** What receive-pack needs of a repository. */
export interface PushTarget {
  objects: ObjectStore;
  refs: RefStore;
  codec: Codec;
  /** Staging for one push; committed or discarded by the caller. */
  beginPush(): PackStaging;
}
