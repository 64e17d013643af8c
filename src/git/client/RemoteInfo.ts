/**
 * What reference discovery (discoverRemote.ts) hands to the fetch
 * (fetchPack.ts): the remote's protocol, capabilities and refs, and the
 * limits on what a remote may send.
 */
import type { Oid } from '../objects/objectId.ts';
import type { Ref } from '../ports.ts';
import type { SmartHttpTransport } from './SmartHttpTransport.ts';

/** What discovery learnt of a remote: how to talk to it and what it holds. */
export interface RemoteInfo {
  /** Requests to the remote (its URL is the redirected one, if the discovery was redirected). */
  transport: SmartHttpTransport;
  /** The protocol the remote speaks: 2, or 0 when it did not answer a v2 request in v2. */
  version: 0 | 2;
  /** v2: the capability advertisement; v0: the capabilities of the first ref line. Name → value ('' when none). */
  capabilities: ReadonlyMap<string, string>;
  /**
   * HEAD (with `target` when the remote says which branch it points to; `oid`
   * null when that branch does not exist yet) and the refs asked for.
   */
  refs: Ref[];
  /** v0: the commits the remote holds without their parents (it is shallow). */
  shallow: Oid[];
}

/** Limits on what a remote may send. */
export interface RemoteLimits {
  /** Most pkt-lines read in a ref listing (v0 advertisement or ls-refs), and most shallow lines. */
  maxRefs: number;
  /** Most bytes of a ref listing. */
  maxListingBytes: number;
}

export const DEFAULT_REMOTE_LIMITS: RemoteLimits = {
  maxRefs: 200_000,
  maxListingBytes: 64 * 1024 * 1024,
};
