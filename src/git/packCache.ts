/**
 * The port of a cache of whole packs. Clones of an unchanged repository ask
 * for the same pack again and again; a cached pack is streamed as stored,
 * skipping enumeration and pack writing. The key must name everything the
 * pack depends on (objects never change, so the wants and options do).
 */
export interface PackCacheWriter {
  /** Appends pack bytes. */
  write(chunk: Uint8Array): void;
  /** Keeps the pack under its key. */
  commit(): void;
  /** Drops what was written. */
  abort(): void;
}

export interface PackCache {
  /** The pack stored under `key`, streamed; undefined when there is none. */
  open(key: string): AsyncIterable<Uint8Array> | undefined;
  /** Starts storing a pack under `key`; undefined when one is being stored already. */
  begin(key: string): PackCacheWriter | undefined;
}
