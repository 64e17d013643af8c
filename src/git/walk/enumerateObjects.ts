/**
 * Which objects a fetch must send: everything reachable from the wants that
 * is not reachable from what the client has (`rev-list --objects wants --not
 * haves`). Trees of the boundary commits are walked first to learn what the
 * client holds; the wanted trees are then walked level by level (one batched
 * read per level), skipping every subtree the client already has — an
 * unchanged directory costs one lookup.
 *
 * A shallow fetch walks history with the shallow commits taken as parentless
 * (`withShallowBoundary`), and — as pack-objects does with `--shallow
 * --thin`, "--objects-edge-aggressive" — counts the trees of every commit the
 * client has as on the client, not only those of the boundary commits. A
 * partial clone's filter applies to the trees and blobs below the commits
 * (`walkWantedTrees`); objects wanted by id are sent whatever the filter.
 */
import { GroveError } from '../../errors.ts';
import type { Oid } from '../objects/objectId.ts';
import { parseTree, isGitlinkMode, isTreeMode } from '../objects/tree.ts';
import { parseTag } from '../objects/tag.ts';
import type { ObjectStore, Ref } from '../ports.ts';
import { keepsBlob, type ObjectFilter } from './objectFilter.ts';
import { walkCommits } from './walkCommits.ts';
import { walkWantedTrees } from './walkWantedTrees.ts';
import type { WalkProgress } from './WalkProgress.ts';
import { withShallowBoundary } from './withShallowBoundary.ts';

export interface EnumerateOptions {
  wants: readonly Oid[];
  /** Commits the client has (acknowledged haves). */
  haves: readonly Oid[];
  /** Refs, for `include-tag`: annotated tags whose target is sent are sent too. */
  includeTagsFrom?: readonly Ref[];
  /** Commits walked as if they had no parents: the client's shallow commits and the new boundary. */
  shallow?: ReadonlySet<Oid>;
  /** The trees of all `haves`, not only of the boundary commits, are on the client (a shallow client's thin pack). */
  aggressiveEdges?: boolean;
  /** Partial clone filter for the trees and blobs below the commits. */
  filter?: ObjectFilter;
  /** Counts the objects found and lets the event loop run now and then. */
  progress?: WalkProgress;
}

export interface Enumeration {
  /** Objects to send, commits first. */
  oids: Oid[];
  /** Objects known to be on the client (usable as thin-pack delta bases). */
  clientHas: Set<Oid>;
}

export async function enumerateObjects(store: ObjectStore, options: EnumerateOptions): Promise<Enumeration> {
  const send: Oid[] = [];
  const sent = new Set<Oid>();
  const add = (oid: Oid): void => {
    if (!sent.has(oid)) {
      sent.add(oid);
      send.push(oid);
    }
  };

  // Peel wanted tags; sort the wants by type.
  const wantCommits: Oid[] = [];
  const wantTrees: Oid[] = [];
  const wantBlobs: Oid[] = [];
  const tags: Oid[] = [];
  let pending = [...new Set(options.wants)];
  while (pending.length > 0) {
    const infos = await store.info(pending);
    const next: Oid[] = [];
    const tagObjects = await store.readObjects(pending.filter((oid) => infos.get(oid)?.type === 'tag'));
    for (const oid of pending) {
      const info = infos.get(oid);
      if (info === undefined) throw new GroveError('MISSING_OBJECT', `wanted object ${oid} is missing`, { oid });
      if (info.type === 'commit') wantCommits.push(oid);
      else if (info.type === 'tree') wantTrees.push(oid);
      else if (info.type === 'blob') wantBlobs.push(oid);
      else {
        tags.push(oid);
        next.push(parseTag(tagObjects.get(oid)!.data).object);
      }
    }
    pending = next.filter((oid) => !tags.includes(oid));
  }

  const history = options.shallow === undefined ? store : withShallowBoundary(store, options.shallow);
  const haves = await history.readCommits([...new Set(options.haves)]);
  const walk = await walkCommits(history, wantCommits, [...haves.keys()], options.progress === undefined ? {} : { progress: options.progress });

  // What the client has: every object below the boundary commits' trees (and the haves' own, if aggressive).
  const clientHas = new Set<Oid>();
  const hadTrees = walk.edges.map((c) => c.tree);
  if (options.aggressiveEdges === true) for (const commit of haves.values()) hadTrees.push(commit.tree);
  await walkTrees(store, hadTrees, clientHas, () => {}, options.progress);

  for (const commit of walk.commits) add(commit.oid);
  for (const tag of tags) add(tag);
  const seen = new Set<Oid>(clientHas);
  const brought = options.shallow === undefined && indexable(options.filter)
    ? await store.readIntroduced?.(walk.commits.map((c) => c.oid))
    : undefined;
  if (brought !== undefined) {
    // What the commits bring, less what the client has: the same set as the tree walk, without reading trees.
    let found = 0;
    for (const object of brought) {
      if (seen.has(object.oid)) continue;
      if (options.filter !== undefined && object.type === 'blob' && !keepsBlob(options.filter, 0, object.size)) continue;
      add(object.oid);
      found++;
    }
    await options.progress?.add(found);
    await walkWantedTrees(store, { given: wantTrees, roots: [] }, seen, options.filter, add, options.progress);
  } else {
    await walkWantedTrees(store, { given: wantTrees, roots: walk.commits.map((c) => c.tree) }, seen, options.filter, add, options.progress);
  }
  for (const blob of wantBlobs) if (!clientHas.has(blob)) add(blob);

  if (options.includeTagsFrom !== undefined) await includeTags(store, options.includeTagsFrom, sent, clientHas, add);
  return { oids: send, clientHas };
}

/** Filters that judge a blob by itself (not by its depth): the per-commit index can serve them. */
function indexable(filter: ObjectFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (filter.kind === 'combine') return filter.filters.every(indexable);
  return filter.kind === 'blob:none' || filter.kind === 'blob:limit';
}

/**
 * Walks trees breadth-first from `roots`, skipping ids already in `seen` (and
 * adding every id it meets to it). `visit` is called for each new tree and blob.
 */
export async function walkTrees(
  store: ObjectStore,
  roots: readonly Oid[],
  seen: Set<Oid>,
  visit: (oid: Oid) => void,
  progress?: WalkProgress,
): Promise<void> {
  let level: Oid[] = [];
  for (const oid of roots) {
    if (!seen.has(oid)) {
      seen.add(oid);
      visit(oid);
      level.push(oid);
    }
  }
  while (level.length > 0) {
    const trees = await store.readObjects(level);
    const next: Oid[] = [];
    for (const oid of level) {
      const tree = trees.get(oid);
      if (tree === undefined) throw new GroveError('MISSING_OBJECT', `tree ${oid} is missing`, { oid });
      for (const entry of parseTree(tree.data)) {
        if (isGitlinkMode(entry.mode) || seen.has(entry.oid)) continue;
        seen.add(entry.oid);
        visit(entry.oid);
        if (isTreeMode(entry.mode)) next.push(entry.oid);
      }
    }
    await progress?.pace(level.length);
    level = next;
  }
}

/** `include-tag`: annotated tags (and tags of tags) whose target is being sent. */
async function includeTags(store: ObjectStore, refs: readonly Ref[], sent: Set<Oid>, clientHas: Set<Oid>, add: (oid: Oid) => void): Promise<void> {
  const candidates = refs.filter((r) => r.peeled !== undefined && r.oid !== null && !sent.has(r.oid) && !clientHas.has(r.oid));
  if (candidates.length === 0) return;
  const chains = new Map<Oid, Oid>(); // tag → object it tags
  let pending = candidates.map((r) => r.oid!);
  while (pending.length > 0) {
    const objects = await store.readObjects(pending);
    const next: Oid[] = [];
    for (const [oid, object] of objects) {
      if (object.type !== 'tag') continue;
      const target = parseTag(object.data).object;
      chains.set(oid, target);
      if (!chains.has(target)) next.push(target);
    }
    pending = next;
  }
  const included = (oid: Oid): boolean => {
    const target = chains.get(oid);
    if (target === undefined) return sent.has(oid);
    return included(target);
  };
  for (const ref of candidates) {
    if (!included(ref.oid!)) continue;
    for (let oid: Oid | undefined = ref.oid!; oid !== undefined && chains.has(oid); oid = chains.get(oid)) {
      if (!clientHas.has(oid)) add(oid);
    }
  }
}
