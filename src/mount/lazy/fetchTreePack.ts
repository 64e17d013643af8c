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
import type { Oid } from '../../git/objects/objectId.ts';
import { PackKeeper } from './packKeeper.ts';
import { requestPack, type PackRequest, type PackSource } from './requestPack.ts';

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
