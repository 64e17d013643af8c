/**
 * The engine's storage ports. Reads are asynchronous and batched — ask for
 * many ids at once — because a fork reads through to its parent, which on
 * Cloudflare lives in another Durable Object. A missing id is simply absent
 * from the answer.
 */
import type { ObjectType, GitObject } from './objects/gitObject.ts';
import type { Oid } from './objects/objectId.ts';

/** An object as stored: the zlib stream of the whole object, or of a delta against `base`. */
export interface PackedObject {
  oid: Oid;
  type: ObjectType;
  /** Size of the whole object. */
  size: number;
  /** The delta base, or null when `data` holds the whole object. */
  base: Oid | null;
  /** Inflated size of `data`: the object size, or the delta's size. */
  storedSize: number;
  /** Length of the delta chain below this object (0 for a whole object). */
  depth: number;
  /** zlib-compressed bytes, exactly as they go into a pack entry. */
  data: Uint8Array;
}

export interface ObjectInfo {
  oid: Oid;
  type: ObjectType;
  size: number;
  /** Length of the stored delta chain, when the store keeps deltas. */
  depth?: number;
}

/** What history walks need of a commit, without inflating it. */
export interface CommitInfo {
  oid: Oid;
  tree: Oid;
  parents: Oid[];
  /** Committer timestamp (seconds). */
  time: number;
  /** 1 for a root commit, else 1 + the highest generation among its parents. */
  generation: number;
}

export interface ObjectStore {
  has(oids: readonly Oid[]): Promise<Set<Oid>>;
  info(oids: readonly Oid[]): Promise<Map<Oid, ObjectInfo>>;
  /** Whole contents, with stored deltas resolved. */
  readObjects(oids: readonly Oid[]): Promise<Map<Oid, GitObject>>;
  /** Stored representations, for copying into packs verbatim. */
  readPacked(oids: readonly Oid[]): Promise<Map<Oid, PackedObject>>;
  readCommits(oids: readonly Oid[]): Promise<Map<Oid, CommitInfo>>;
  /**
   * The trees and blobs the given commits bring (see walk/introducedObjects.ts),
   * in storage order, without duplicates; undefined when the store has not
   * worked that out for every one of them (the caller then walks trees).
   */
  readIntroduced?(commits: readonly Oid[]): Promise<ObjectInfo[] | undefined>;
}

/** A ref as advertised: a direct ref (`oid`) or a symbolic one (`target`). */
export interface Ref {
  name: string;
  /** The object the ref points at; null for a symref whose target does not exist (unborn). */
  oid: Oid | null;
  /** For symbolic refs (HEAD): the ref it points to. */
  target?: string;
  /** For refs pointing at annotated tags: the non-tag object the tag chain ends at. */
  peeled?: Oid;
}

export interface RefStore {
  /** Every ref sorted by name (bytewise), HEAD included. */
  listRefs(): Promise<Ref[]>;
}
