/**
 * The second half of a push, once its pack is received and verified
 * (indexPack.ts): check each command (ref name, objects present, the new
 * history complete), then apply the ref updates with compare-and-swap in one
 * transaction (receive-pack.c: connectivity check of the new tips, then
 * "verify each <old> still matches", then update the refs). Nothing becomes
 * visible unless it is all consistent.
 *
 * A push from a shallow clone names the client's shallow commits first. When
 * the pushed history ends at one of them (its parents are neither in the pack
 * nor in the repository), the ref is refused as receive-pack refuses it
 * without `receive.shallowUpdate`: "shallow update not allowed". Where every
 * parent is present the push is whole and goes through — git refuses that
 * too when the shallow commit is new to it; Grove checks instead.
 *
 * An import with a depth is the one writer allowed to leave parents out: it
 * names the commits the repository will hold as shallow (`acceptShallow`),
 * and only their parents may be missing.
 */
import { GroveError } from '../../errors.ts';
import type { ObjectType } from '../objects/gitObject.ts';
import { ZERO_OID, type Oid } from '../objects/objectId.ts';
import { isValidRefName } from '../objects/refName.ts';
import { parseTag } from '../objects/tag.ts';
import type { IndexedCommit, IndexedPack } from '../pack/indexPack.ts';
import type { CommitInfo, ObjectStore } from '../ports.ts';
import type { PackStaging, RefUpdate, StagedCommit } from '../staging.ts';
import { introducedObjects } from '../walk/introducedObjects.ts';
import type { PushCommand } from './parseReceivePackRequest.ts';

export interface PushReport {
  /** "ok", or why the pack was refused. */
  unpack: string;
  refs: { name: string; ok: boolean; reason?: string }[];
}

export interface CommitPushOptions {
  atomic: boolean;
  /** The client's shallow commits (`shallow` lines of the request). */
  shallow?: readonly Oid[];
  /** Commits of the pack that the repository will hold without their parents: those parents may be missing. */
  acceptShallow?: readonly Oid[];
}

/**
 * Checks `commands` against the received pack (`index`, undefined when the
 * push only deletes) and commits `staging` with the accepted ref updates.
 * The caller still owns `staging` (and discards it afterwards).
 */
export async function commitPush(
  objects: ObjectStore,
  staging: PackStaging,
  commands: readonly PushCommand[],
  index: IndexedPack | undefined,
  options: CommitPushOptions,
): Promise<PushReport> {
  const verdicts = new Map<string, string>(); // ref → why it is refused
  const inPack = (oid: Oid): ObjectType | undefined => index?.typeOf(oid);
  const newTips = commands.filter((c) => c.new !== ZERO_OID && inPack(c.new) === undefined).map((c) => c.new);
  const present = await objects.has([...(index?.external ?? [])]);
  const stored = await objects.info(newTips);
  const mayBeMissing = index === undefined ? new Set<Oid>() : parentsOf(index, options.acceptShallow ?? []);
  const incomplete = index !== undefined && [...index.external].some((oid) => !present.has(oid) && !mayBeMissing.has(oid));
  const missing = (oid: Oid): boolean => inPack(oid) === undefined && !present.has(oid);
  const needShallow = incomplete && index !== undefined ? reachShallow(index, options.shallow ?? [], missing, commands) : new Set<string>();
  const seen = new Set<string>();
  for (const c of commands) {
    if (seen.has(c.name)) verdicts.set(c.name, 'duplicate ref update');
    seen.add(c.name);
    if (!c.name.startsWith('refs/') || !isValidRefName(c.name)) {
      verdicts.set(c.name, 'funny refname');
      continue;
    }
    if (c.new === ZERO_OID) continue;
    const type = inPack(c.new) ?? stored.get(c.new)?.type;
    if (needShallow.has(c.name)) verdicts.set(c.name, 'shallow update not allowed');
    else if (incomplete || type === undefined) verdicts.set(c.name, 'missing necessary objects');
    else if (c.name.startsWith('refs/heads/') && type !== 'commit') verdicts.set(c.name, `a branch must point at a commit, not a ${type}`);
  }

  const accepted = commands.filter((c) => !verdicts.has(c.name));
  if (options.atomic && verdicts.size > 0) {
    return {
      unpack: 'ok',
      refs: commands.map((c) => ({ name: c.name, ok: false, reason: verdicts.get(c.name) ?? 'atomic push failure' })),
    };
  }
  const updates: RefUpdate[] = [];
  for (const c of accepted) {
    const update: RefUpdate = { name: c.name, old: c.old, new: c.new };
    const peeled = c.new === ZERO_OID ? undefined : await peel(objects, c.new, index);
    if (peeled !== undefined) update.peeled = peeled;
    updates.push(update);
  }
  // An incomplete pack must not enter the repository, even if a delete in the same push goes through.
  let commits: StagedCommit[] = [];
  if (incomplete) staging.discardObjects();
  else if (index !== undefined) {
    const introduced = await introducedObjects(index.commits, index.trees, objects);
    commits = (await withGenerations(objects, index.commits)).map((c) => ({ ...c, introduced: introduced.get(c.oid) ?? null }));
  }
  const results = staging.commit(updates, commits, { atomic: options.atomic });
  const byName = new Map(results.map((r) => [r.name, r]));
  return {
    unpack: 'ok',
    refs: commands.map((c) => {
      const refused = verdicts.get(c.name);
      if (refused !== undefined) return { name: c.name, ok: false, reason: refused };
      const r = byName.get(c.name)!;
      return r.ok ? { name: c.name, ok: true } : { name: c.name, ok: false, reason: r.reason };
    }),
  };
}

/** The parents of those of `commits` that the pack holds. */
function parentsOf(index: IndexedPack, commits: readonly Oid[]): Set<Oid> {
  if (commits.length === 0) return new Set();
  const wanted = new Set(commits);
  return new Set(index.commits.filter((c) => wanted.has(c.oid)).flatMap((c) => c.parents));
}

/** The refs whose new history, within the pack, reaches a shallow commit of the client with a `missing` parent. */
function reachShallow(index: IndexedPack, shallow: readonly Oid[], missing: (oid: Oid) => boolean, commands: readonly PushCommand[]): Set<string> {
  const commits = new Map(index.commits.map((c) => [c.oid, c]));
  const boundary = new Set(shallow.filter((oid) => commits.get(oid)?.parents.some(missing) === true));
  const refs = new Set<string>();
  if (boundary.size === 0) return refs;
  for (const command of commands) {
    const seen = new Set<Oid>();
    const pending = commits.has(command.new) ? [command.new] : [];
    while (pending.length > 0) {
      const oid = pending.pop()!;
      if (boundary.has(oid)) {
        refs.add(command.name);
        break;
      }
      for (const parent of commits.get(oid)?.parents ?? []) {
        if (!seen.has(parent) && commits.has(parent)) {
          seen.add(parent);
          pending.push(parent);
        }
      }
    }
  }
  return refs;
}

/** For an annotated tag: the object at the end of its chain; otherwise undefined. */
async function peel(objects: ObjectStore, oid: Oid, index: IndexedPack | undefined): Promise<Oid | undefined> {
  let current = oid;
  let peeled: Oid | undefined;
  for (let hops = 0; hops < 100; hops++) {
    let next = index?.tagTargets.get(current);
    if (next === undefined && index?.typeOf(current) === undefined) {
      const object = (await objects.readObjects([current])).get(current);
      if (object?.type === 'tag') next = parseTag(object.data).object;
    }
    if (next === undefined) return peeled;
    peeled = next;
    current = next;
  }
  throw new GroveError('BAD_OBJECT', `tag ${oid} starts a chain of more than 100 tags`);
}

/** Generation numbers for the pushed commits (parents first; parents already stored keep theirs). */
async function withGenerations(objects: ObjectStore, commits: readonly IndexedCommit[]): Promise<CommitInfo[]> {
  const byOid = new Map(commits.map((c) => [c.oid, c]));
  const outside = [...new Set(commits.flatMap((c) => c.parents).filter((p) => !byOid.has(p)))];
  const generation = new Map<Oid, number>();
  for (const [oid, info] of await objects.readCommits(outside)) generation.set(oid, info.generation);
  const out: CommitInfo[] = [];
  for (const start of commits) {
    const stack: IndexedCommit[] = [start];
    while (stack.length > 0) {
      const commit = stack[stack.length - 1]!;
      if (generation.has(commit.oid)) {
        stack.pop();
        continue;
      }
      const pending = commit.parents.map((p) => byOid.get(p)).filter((p): p is IndexedCommit => p !== undefined && !generation.has(p.oid));
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      stack.pop();
      const g = 1 + Math.max(0, ...commit.parents.map((p) => generation.get(p) ?? 0));
      generation.set(commit.oid, g);
      out.push({ ...commit, generation: g });
    }
  }
  return out;
}
