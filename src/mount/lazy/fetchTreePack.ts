/**
 * The commits and trees of the checkout, without a single blob: a v2 fetch
 * with `filter blob:none` (what `git clone --filter=blob:none` asks), stored
 * by `git index-pack --promisor` in the mount's git directory.
 *
 * To be listable fast, the mount first fetches the tip alone (`deepen 1`:
 * one commit and its trees, recorded in `shallow` as a shallow clone
 * would — gitformat-shallow: "one object ID per line ... the commits whose
 * parents are not present") and the whole history right after, in the
 * background (`completeHistory`). When the mount already holds an older
 * commit of the same history, it is sent as a `have` and only what is new
 * comes (a thin pack, completed by --fix-thin).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectType } from '../../git/objects/gitObject.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { PackKeeper } from './packKeeper.ts';
import { requestPack, type PackRequest, type PackSource } from './requestPack.ts';
import { unpackObjects } from './unpackObjects.ts';

export interface TreePackOptions {
  haves?: readonly Oid[];
  /** Fetch the tip only and mark the clone shallow. */
  tipOnly?: boolean;
}

export async function fetchTreePack(source: PackSource, gitDir: string, want: Oid, options: TreePackOptions = {}): Promise<void> {
  const haves = options.haves ?? [];
  const request: PackRequest = { wants: [want], haves, filter: 'blob:none', ...(options.tipOnly === true ? { depth: 1 } : {}) };
  const requested = await requestPack(source, request);
  const keeper = new PackKeeper(gitDir, { fixThin: haves.length > 0 });
  try {
    for await (const chunk of keeper.tee(requested.pack)) void chunk;
  } catch (err) {
    keeper.abort();
    await requested.cancel();
    throw err;
  }
  await keeper.finish();
  if (options.tipOnly === true && requested.shallow.length > 0) {
    writeFileSync(join(gitDir, 'shallow'), requested.shallow.map((oid) => `${oid}\n`).join(''));
  }
}

/** The commit and trees of a tip-only pack, read as it streams in while git stores it. */
export interface TipTrees {
  objects: Map<Oid, { type: ObjectType; data: Uint8Array }>;
  /** Resolves once git has stored the pack (and the shallow mark is written). */
  stored: Promise<void>;
}

/**
 * `fetchTreePack(…, { tipOnly: true })` that also hands over the commit and
 * its trees, parsed here while `git index-pack` stores the same bytes: the
 * tree can be listed (and mounted) without waiting for git.
 */
export async function fetchTipTrees(source: PackSource, gitDir: string, want: Oid): Promise<TipTrees> {
  const requested = await requestPack(source, { wants: [want], filter: 'blob:none', depth: 1 });
  const keeper = new PackKeeper(gitDir);
  const objects: TipTrees['objects'] = new Map();
  try {
    for await (const object of unpackObjects(keeper.tee(requested.pack), nodeCodec)) objects.set(object.oid, { type: object.type, data: object.data });
  } catch (err) {
    keeper.abort();
    await requested.cancel();
    throw err;
  }
  const stored = keeper.finish().then(() => {
    if (requested.shallow.length > 0) writeFileSync(join(gitDir, 'shallow'), requested.shallow.map((oid) => `${oid}\n`).join(''));
  });
  stored.catch(() => {}); // awaited by the caller; not an unhandled rejection meanwhile
  return { objects, stored };
}

/** True while the git directory holds only the tip of the history. */
export function isShallow(gitDir: string): boolean {
  return existsSync(join(gitDir, 'shallow'));
}

/** Fetches the whole history of `want` (commits and trees) and lifts the shallow mark. */
export async function completeHistory(source: PackSource, gitDir: string, want: Oid): Promise<void> {
  const marked = existsSync(join(gitDir, 'shallow')) ? readFileSync(join(gitDir, 'shallow'), 'utf8') : '';
  await fetchTreePack(source, gitDir, want);
  // Only the mark this mount wrote is lifted (a `git fetch --depth` in the mount may have changed it since).
  if (existsSync(join(gitDir, 'shallow')) && readFileSync(join(gitDir, 'shallow'), 'utf8') === marked) rmSync(join(gitDir, 'shallow'));
}
