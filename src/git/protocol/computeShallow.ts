/**
 * What a fetch from (or into) a shallow repository changes, as upload-pack.c
 * decides it (`send_shallow_list`, `deepen`, `deepen_by_rev_list`,
 * `send_unshallow`; Documentation/technical/shallow.txt):
 *
 * - `deepen <n>`: commits n-1 steps below the wants become shallow; with
 *   `deepen-relative` the n steps count from the client's shallow commits
 *   that our refs reach; `deepen 2147483647` (`--unshallow`) lifts every
 *   client boundary.
 * - `deepen-since` / `deepen-not`: `rev-list [--max-age] [--not refs --not]
 *   wants`, shallow where that list stops.
 * - A client shallow commit whose parents are now sent is answered with
 *   `unshallow`; its parents join the wants and it joins the haves.
 *
 * The pack is then walked with every client shallow commit and every new
 * shallow commit taken as parentless, on the wanted and the had side alike.
 *
 * A shallow repository (one imported with a depth) is walked, as git walks
 * its grafts, with its own shallow commits parentless (the caller passes the
 * store seen that way, withRepositoryShallow.ts), and shallow.c
 * `get_shallow_commits` reports each of them that the walk reaches as
 * shallow: "is_repository_shallow() && !commit->parents && graft". There
 * `deepen 2147483647` walks the whole history to find them, instead of
 * lifting every client boundary.
 */
import { GroveError } from '../../errors.ts';
import type { Oid } from '../objects/objectId.ts';
import type { ObjectInfo, ObjectStore, Ref } from '../ports.ts';
import { findUnreachable } from '../walk/reachability.ts';
import { peelTags } from '../walk/peelTags.ts';
import { repositoryShallowInOrder } from '../walk/repositoryShallowInOrder.ts';
import { shallowByDepth } from '../walk/shallowByDepth.ts';
import { shallowByRevList } from '../walk/shallowByRevList.ts';
import { deepens, INFINITE_DEPTH, type ShallowRequest } from './shallowRequest.ts';

export interface ShallowUpdate {
  /** A new boundary was asked for: the answer carries a shallow update (even an empty one). */
  deepen: boolean;
  /** The client's shallow commits that the repository holds. */
  clientShallow: Oid[];
  /** New shallow commits, to send as `shallow <oid>`. */
  shallow: Oid[];
  /** Client shallow commits whose parents are sent, to answer `unshallow <oid>`. */
  unshallow: Oid[];
  /** Commits to walk as parentless: the client's shallow commits and the new ones. */
  boundary: Set<Oid>;
  /** The wants, plus the parents of unshallowed commits. */
  wants: Oid[];
  /** Unshallowed commits: the client has them. */
  extraHaves: Oid[];
}

export async function computeShallow(
  store: ObjectStore,
  refs: readonly Ref[],
  wants: readonly Oid[],
  request: ShallowRequest,
  repositoryShallow: ReadonlySet<Oid> = new Set(),
): Promise<ShallowUpdate> {
  // upload-pack ignores shallow lines for objects it lacks and refuses those naming a non-commit.
  const named = [...new Set(request.clientShallow)];
  const infos = named.length === 0 ? new Map<Oid, ObjectInfo>() : await store.info(named);
  const clientShallow = named.filter((oid) => infos.has(oid));
  const notCommit = clientShallow.find((oid) => infos.get(oid)!.type !== 'commit');
  if (notCommit !== undefined) throw new GroveError('PROTOCOL_ERROR', `invalid shallow object ${notCommit}`, { oid: notCommit });
  const clientSet = new Set(clientShallow);

  const update: ShallowUpdate = {
    deepen: deepens(request),
    clientShallow,
    shallow: [],
    unshallow: [],
    boundary: new Set(clientShallow),
    wants: [...wants],
    extraHaves: [],
  };
  if (!update.deepen) return update;
  const cutByRevList = request.since !== null || request.not.length > 0;
  if (request.depth > 0 && cutByRevList) {
    throw new GroveError('PROTOCOL_ERROR', 'upload-pack: deepen and deepen-since (or deepen-not) cannot be used together');
  }

  let boundary: { shallow: Oid[]; notShallow: Set<Oid> };
  if (request.depth === INFINITE_DEPTH && repositoryShallow.size === 0) {
    boundary = { shallow: [], notShallow: clientSet };
  } else if (request.depth === INFINITE_DEPTH) {
    // What a v2 fetch from a shallow repository gets with no deepen asked; its order reaches the client's .git/shallow.
    boundary = await repositoryShallowInOrder(store, wants, repositoryShallow);
  } else if (request.depth > 0 && request.relative && request.depth !== INFINITE_DEPTH) {
    const unreachable = new Set(await findUnreachable(store, clientShallow, tipsOf(refs)));
    const heads = clientShallow.filter((oid) => !unreachable.has(oid));
    boundary = await shallowByDepth(store, heads, request.depth + 1);
  } else if (request.depth > 0) {
    boundary = await shallowByDepth(store, await peelTags(store, wants), request.depth);
  } else {
    const not = await peelTags(store, request.not.map((name) => resolveDeepenNot(refs, name)));
    boundary = await shallowByRevList(store, await peelTags(store, wants), {
      ...(request.since === null ? {} : { since: request.since }),
      not,
    });
  }

  if (repositoryShallow.size > 0) boundary = cutAtRepositoryShallow(boundary, repositoryShallow);

  for (const oid of boundary.shallow) {
    if (clientSet.has(oid) || boundary.notShallow.has(oid)) continue;
    // git sends a commit its walk found twice twice (send_shallow); the client takes both lines.
    update.shallow.push(oid);
    update.boundary.add(oid);
  }
  update.unshallow = clientShallow.filter((oid) => boundary.notShallow.has(oid));
  const unshallowed = await store.readCommits(update.unshallow);
  const wanted = new Set(update.wants);
  for (const oid of update.unshallow) {
    for (const parent of unshallowed.get(oid)?.parents ?? []) {
      if (!wanted.has(parent)) update.wants.push(parent);
      wanted.add(parent);
    }
    update.extraHaves.push(oid);
  }
  return update;
}

/** The boundary with the repository's own shallow commits that the walk reached made shallow (their parents are not here). */
function cutAtRepositoryShallow(
  boundary: { shallow: Oid[]; notShallow: Set<Oid> },
  repositoryShallow: ReadonlySet<Oid>,
): { shallow: Oid[]; notShallow: Set<Oid> } {
  const shallow = [...boundary.shallow];
  const notShallow = new Set<Oid>();
  for (const oid of boundary.notShallow) {
    if (repositoryShallow.has(oid)) shallow.push(oid);
    else notShallow.add(oid);
  }
  return { shallow, notShallow };
}

function tipsOf(refs: readonly Ref[]): Oid[] {
  return refs.flatMap((r) => (r.oid === null || r.target !== undefined ? [] : [r.oid]));
}

/**
 * The object a `deepen-not <ref>` names, the ref found as git's `expand_ref`
 * does (`<ref>`, `refs/<ref>`, `refs/tags/<ref>`, `refs/heads/<ref>`,
 * `refs/remotes/<ref>`, `refs/remotes/<ref>/HEAD`): exactly one must exist.
 */
function resolveDeepenNot(refs: readonly Ref[], name: string): Oid {
  const byName = new Map(refs.map((r) => [r.name, r]));
  const rules = [name, `refs/${name}`, `refs/tags/${name}`, `refs/heads/${name}`, `refs/remotes/${name}`, `refs/remotes/${name}/HEAD`];
  const found = rules.flatMap((candidate) => {
    const ref = byName.get(candidate);
    return ref?.oid == null ? [] : [ref.oid];
  });
  if (found.length !== 1) throw new GroveError('PROTOCOL_ERROR', `upload-pack: ambiguous deepen-not: deepen-not ${name}`.slice(0, 200));
  return found[0]!;
}
