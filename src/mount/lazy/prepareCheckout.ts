/**
 * Everything before the mount: ask the remote for its refs (protocol v2),
 * choose the commit, fetch its trees into the cache's git directory unless
 * they are there already (the tip alone when the remote can cut history:
 * the rest comes later, fetchTreePack.ts), list the commit's tree, and ask
 * the sizes of its blobs (`object-info`, answered while the mount goes up).
 * A restart reuses what the cache holds: no tree pack is fetched when the
 * ref has not moved, and none at all when the remote cannot be reached (the
 * mount then serves what it has).
 *
 * When the ref has moved, the checkout follows it only if nothing was
 * changed through the mount and the local branch still points where the
 * mount left it; otherwise the mount keeps its commit and says so.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GroveError } from '../../errors.ts';
import { discoverRemote } from '../../git/client/discoverRemote.ts';
import type { RemoteInfo } from '../../git/client/RemoteInfo.ts';
import type { Oid } from '../../git/objects/objectId.ts';
import { listingFromObjects, loadListing, makeListing, unsizedBlobs, type BaseListing } from './baseListing.ts';
import type { CacheLayout } from './cacheLayout.ts';
import { chooseRef, refPrefixesFor, type ChosenRef } from './chooseRef.ts';
import { fetchTipTrees, fetchTreePack, type TipTrees } from './fetchTreePack.ts';
import { initGitDir } from './initGitDir.ts';
import { readState, type MountState } from './mountState.ts';
import { objectSizes, offersObjectInfo } from './objectInfo.ts';
import { offersFilter, offersShallow } from './requestPack.ts';
import { runGit } from './runGit.ts';

export interface CheckoutRequest {
  layout: CacheLayout;
  remote: string;
  headers: Record<string, string>;
  ref?: string;
  /** True when changes made through the mount are journaled (the checkout must then stay). */
  hasChanges: boolean;
  log(line: string): void;
  /** A problem worth showing in status (not fatal). */
  warn(message: string): void;
}

export interface Checkout {
  /** The remote, when it answered. */
  remote?: RemoteInfo;
  state: MountState;
  /** The listing; sizes still unknown (-1) come with `sizes`. */
  listing: BaseListing;
  /** The sizes of the listing's unsized blobs, from `object-info`, when they are being asked for. */
  sizes?: Promise<Map<Oid, number>>;
  /** The index must be (re)written for `state.commit`. */
  writeIndex: boolean;
  /** Resolves once the git directory holds the commit and its trees (git is still storing a fresh tip). */
  gitReady: Promise<void>;
}

export async function prepareCheckout(request: CheckoutRequest): Promise<Checkout> {
  const { layout } = request;
  const previous = readState(layout.state);
  if (previous !== undefined && previous.remote !== request.remote) {
    throw new GroveError('BAD_REQUEST', `the cache ${layout.root} holds a mount of ${previous.remote}, not of ${request.remote}: give another cache`);
  }
  const wanted = request.ref ?? previous?.ref.name;
  let remote: RemoteInfo | undefined;
  try {
    remote = await discoverRemote({ url: request.remote, fetch: globalThis.fetch, headers: request.headers, refPrefixes: refPrefixesFor(wanted) });
  } catch (err) {
    if (previous === undefined) throw err;
    request.warn(`the remote could not be reached; serving the cached checkout of ${previous.commit}: ${(err as Error).message}`);
  }
  if (remote !== undefined) {
    if (remote.version !== 2) throw new GroveError('REMOTE_ERROR', `remote ${remote.transport.url} speaks only protocol v0; a lazy mount needs protocol v2`);
    if (!offersFilter(remote)) throw new GroveError('REMOTE_ERROR', `remote ${remote.transport.url} does not allow filters (for C Git: uploadpack.allowFilter=true); a lazy mount needs filter blob:none`);
  }

  let state: MountState;
  let listing: BaseListing | undefined;
  let gitReady = Promise.resolve();
  if (remote === undefined) state = previous!;
  else {
    const chosen = chooseRef(remote.refs, wanted, remote.transport.url);
    const settled = await settleCommit(request, remote, previous, chosen);
    state = settled.state;
    if (settled.tip !== undefined) {
      listing = listingFromObjects(state.commit, settled.tip.objects);
      gitReady = settled.tip.stored;
    }
  }

  listing ??= loadListing(layout.base, state.commit);
  if (listing === undefined) {
    const start = performance.now();
    listing = await makeListing(layout.gitDir, state.commit);
    request.log(`listed ${listing.entries.length} paths in ${Math.round(performance.now() - start)} ms`);
  }
  const checkout: Checkout = { ...(remote === undefined ? {} : { remote }), state, listing, writeIndex: state.indexed !== state.commit, gitReady };
  const unsized = unsizedBlobs(listing);
  if (unsized.length > 0 && remote !== undefined) {
    if (offersObjectInfo(remote)) {
      const start = performance.now();
      checkout.sizes = objectSizes(remote, unsized).then((sizes) => {
        request.log(`sizes of ${unsized.length} blobs in ${Math.round(performance.now() - start)} ms`);
        return sizes;
      });
    } else {
      request.warn('the remote does not offer object-info: file sizes are learnt by fetching each file (ls -l waits for contents)');
    }
  }
  return checkout;
}

/**
 * The commit to show: the cached one, or the remote's after fetching its
 * trees — the tip alone first when the remote can cut the history (`tip`:
 * its objects in hand, git still storing them).
 */
async function settleCommit(request: CheckoutRequest, remote: RemoteInfo, previous: MountState | undefined, chosen: ChosenRef): Promise<{ state: MountState; tip?: TipTrees }> {
  const { layout } = request;
  const fresh = (): MountState => ({ version: 1, remote: request.remote, ref: chosen, commit: chosen.commit });
  const source = { transport: remote.transport, capabilities: remote.capabilities };
  if (previous === undefined || !existsSync(join(layout.gitDir, 'HEAD'))) {
    const start = performance.now();
    initGitDir(layout.gitDir, { remote: request.remote, ref: chosen });
    if (offersShallow(remote)) {
      const tip = await fetchTipTrees(source, layout.gitDir, chosen.commit);
      request.log(`fetched the trees of ${chosen.name} (${chosen.commit}) in ${Math.round(performance.now() - start)} ms`);
      return { state: fresh(), tip };
    }
    await fetchTreePack(source, layout.gitDir, chosen.commit);
    request.log(`fetched the commits and trees of ${chosen.name} (${chosen.commit}) in ${Math.round(performance.now() - start)} ms`);
    return { state: fresh() };
  }
  if (previous.commit === chosen.commit && previous.ref.name === chosen.name) return { state: previous };
  const local = await localCommit(layout.gitDir, previous.ref);
  if (request.hasChanges || local !== previous.commit) {
    request.warn(`${chosen.name} moved to ${chosen.commit} on the remote; the mount keeps ${previous.commit}, which has local changes (git pull in the mount to update)`);
    return { state: previous };
  }
  request.log(`${chosen.name} moved from ${previous.commit} to ${chosen.commit}: fetching what is new`);
  const haves = (await hasCommit(layout.gitDir, previous.commit)) ? [previous.commit] : [];
  await fetchTreePack(source, layout.gitDir, chosen.commit, { haves });
  initGitDir(layout.gitDir, { remote: request.remote, ref: chosen });
  return { state: fresh() };
}

/** Where the checkout's branch (or detached HEAD) points in the git directory. */
async function localCommit(gitDir: string, ref: ChosenRef): Promise<Oid | undefined> {
  try {
    return (await runGit(gitDir, ['rev-parse', '--verify', '-q', ref.branch === undefined ? 'HEAD' : `refs/heads/${ref.branch}`])).toString('utf8').trim();
  } catch {
    return undefined;
  }
}

async function hasCommit(gitDir: string, oid: Oid): Promise<boolean> {
  try {
    await runGit(gitDir, ['cat-file', '-e', `${oid}^{commit}`], { env: { GIT_NO_LAZY_FETCH: '1' } });
    return true;
  } catch {
    return false;
  }
}
