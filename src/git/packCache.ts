/**
 * The port of a cache of whole packs. Clones of an unchanged repository ask
 * for the same pack again and again; a cached pack is streamed as stored,
 * skipping enumeration and pack writing. An entry is valid only for the state
 * of the refs it was built under: any ref change makes it stale.
 */
export interface PackCacheWriter {
  /** Appends pack bytes. */
  write(chunk: Uint8Array): void;
  /** Keeps the pack, unless the refs changed since `begin` (then it is dropped). */
  commit(): void;
  /** Drops what was written. */
  abort(): void;
}

export interface PackCache {
  /** The pack stored under `key` for the current refs, streamed; undefined when there is none. */
  open(key: string): AsyncIterable<Uint8Array> | undefined;
  /** Starts storing a pack under `key`; undefined when one is being stored already. */
  begin(key: string): PackCacheWriter | undefined;
}
