/**
 * Sends the mount's changes to the draft, by content address:
 *
 *   1. the draft is fetched; if it moved without us (`updated_at`), the
 *      server's changes are merged first (RemoteChanges);
 *   2. the dirty paths are compared with what the server holds (planSync);
 *   3. each file whose id is not known is hashed, once, streamed;
 *   4. the server is asked which of the blobs it lacks (10,000 ids a
 *      request), and only those are uploaded (BlobUploader: small ones
 *      many to a request, large ones as the chunks the server lacks);
 *   5. the paths' new states go in batches of at most 10,000 changes
 *      (folders and puts by blob id and mode, removals; orderChanges).
 *
 * What the server confirmed is recorded batch by batch; a dirty path is
 * cleared only once sent, and only if not changed again meanwhile. A sync
 * that fails leaves everything dirty for the next one. A path the server
 * refuses (a name it cannot hold, a file over its limit) is reported and
 * left local until it changes again.
 */
import { lstatSync } from 'node:fs';
import type { SyncReport } from '../MountHandle.ts';
import { isGroveApiError } from '../../sdk/GroveApiError.ts';
import type { DraftChange } from '../../sdk/draftTypes.ts';
import { hashFile } from './blobId.ts';
import { BlobUploader } from './BlobUploader.ts';
import type { DirtyPaths, DirtySnapshot } from './DirtyPaths.ts';
import type { Hydrator } from './Hydrator.ts';
import type { MountCache } from './MountCache.ts';
import { planSync, type PlannedPut, type SyncPlan } from './planSync.ts';
import type { RemoteChanges } from './RemoteChanges.ts';
import { parentOf } from './ServerIndex.ts';

const BATCH = 10_000;
const DIVERGED = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENOTEMPTY']);

export interface DraftSyncDeps {
  cache: MountCache;
  dirty: DirtyPaths;
  hydrator: Hydrator;
  remote: RemoteChanges;
  /** A problem worth showing in the mount's status. */
  report(message: string): void;
}

interface Hashed {
  put: PlannedPut;
  ino: number;
  size: number;
  mtimeMs: number;
}

interface Outcome {
  report: SyncReport;
  /** Dirty paths to keep (they changed while being sent, or could not be). */
  keep: Set<string>;
}

export class DraftSync {
  readonly #deps: DraftSyncDeps;
  readonly #uploader: BlobUploader;
  #running: Promise<SyncReport> | null = null;
  #queued: Promise<SyncReport> | null = null;
  /** Set when the server answered as if it held something else than the index says. */
  #recheck = false;

  constructor(deps: DraftSyncDeps) {
    this.#deps = deps;
    this.#uploader = new BlobUploader(deps);
  }

  get running(): boolean {
    return this.#running !== null;
  }

  /** Syncs now, or right after the sync under way (which may have missed the latest changes). */
  sync(): Promise<SyncReport> {
    if (this.#running === null) return this.#start();
    this.#queued ??= this.#running.catch(() => undefined).then(() => {
      this.#queued = null;
      return this.#start();
    });
    return this.#queued;
  }

  #start(): Promise<SyncReport> {
    const running = this.#run().finally(() => {
      this.#running = null;
    });
    this.#running = running;
    return running;
  }

  async #run(): Promise<SyncReport> {
    const { dirty, cache } = this.#deps;
    const snapshot = dirty.begin();
    const since = cache.blobs.now();
    let outcome: Outcome;
    try {
      try {
        outcome = await this.#once(snapshot, since);
      } catch (err) {
        if (!isGroveApiError(err) || !DIVERGED.has(err.code)) throw err;
        this.#recheck = true; // the index was stale: list the draft again and go once more
        outcome = await this.#once(snapshot, since);
      }
    } finally {
      cache.blobs.clearForgotten();
    }
    dirty.settle(snapshot, outcome.keep);
    return outcome.report;
  }

  async #once(snapshot: DirtySnapshot, since: number): Promise<Outcome> {
    const { cache, remote } = this.#deps;
    const draft = await cache.drafts.get(cache.draftId);
    if (draft.state !== 'open') throw draftClosed(cache.draftId, draft.state);
    let seen = draft.updated_at;
    if (this.#recheck || seen !== cache.db.meta('updated_at')) {
      const { merged, conflicts } = await remote.merge();
      this.#recheck = false;
      if (merged.length + conflicts.length > 0) {
        this.#deps.report(`the draft changed on the server while mounted: ${merged.length} path(s) merged into the mount${list(merged)}`
          + (conflicts.length === 0 ? '' : `; ${conflicts.length} changed on both sides keep the mount's version${list(conflicts)}`));
      }
    }
    const plan = planSync(cache, snapshot.paths);
    for (const path of plan.broken) this.#deps.report(`${path} is a placeholder the state file does not know: not sent`);
    if (plan.localOnly.length > 0) cache.log(`kept local (Git cannot hold them): ${plan.localOnly.slice(0, 5).join(', ')}${plan.localOnly.length > 5 ? ', …' : ''}`);
    const keep = new Set<string>();
    const hashed = await this.#hash(plan.puts, keep);
    const puts = plan.puts.filter((p) => p.sha !== null && !keep.has(p.path) && !this.#same(p));
    const { uploaded, uploadedBytes } = await this.#uploadMissing(puts, keep);
    const changes = orderChanges(plan, puts.filter((p) => !keep.has(p.path)));
    const sent = await this.#send(changes, keep);
    this.#remember(hashed, since);
    if (sent > 0) seen = (await cache.drafts.get(cache.draftId)).updated_at;
    cache.db.setMeta('updated_at', seen);
    const written = changes.filter((c) => c.change.op === 'put' && !keep.has(c.change.path)).length;
    const removed = changes.filter((c) => c.change.op === 'rm').length;
    if (sent > 0) cache.log(`synced: ${written} written, ${removed} removed, ${uploaded} blob(s) uploaded (${uploadedBytes} bytes)`);
    return { report: { written, removed, uploaded, uploadedBytes }, keep };
  }

  /** Hashes the puts whose id is not known; those that change while read are kept dirty. */
  async #hash(puts: PlannedPut[], keep: Set<string>): Promise<Hashed[]> {
    const done: Hashed[] = [];
    for (const put of puts) {
      if (put.sha !== null) continue;
      const file = await hashFile(put.local);
      if (file === null) {
        keep.add(put.path);
        continue;
      }
      put.sha = file.sha;
      put.size = file.size;
      done.push({ put, ino: file.ino, size: file.size, mtimeMs: file.mtimeMs });
    }
    return done;
  }

  /** True when the server has exactly this already. */
  #same(put: PlannedPut): boolean {
    const theirs = this.#deps.cache.server.get(put.path);
    const kind = put.mode === '120000' ? 'symlink' : 'file';
    return theirs?.kind === kind && theirs.sha === put.sha && (kind === 'symlink' || theirs.mode === put.mode);
  }

  /** Uploads the blobs the server lacks; a file that changed meanwhile is dropped from this sync. */
  async #uploadMissing(puts: PlannedPut[], keep: Set<string>): Promise<{ uploaded: number; uploadedBytes: number }> {
    const { cache } = this.#deps;
    const onServer = new Set<string>();
    for (const [, entry] of cache.server.below('')) if (entry.sha !== null) onServer.add(entry.sha);
    const bySha = new Map<string, PlannedPut[]>();
    for (const put of puts) {
      if (put.placeholder || onServer.has(put.sha!)) continue;
      const same = bySha.get(put.sha!);
      if (same === undefined) bySha.set(put.sha!, [put]);
      else same.push(put);
    }
    const missing: string[] = [];
    const shas = [...bySha.keys()];
    for (let i = 0; i < shas.length; i += BATCH) {
      missing.push(...(await cache.drafts.missingBlobs(cache.draftId, shas.slice(i, i + BATCH))).missing);
    }
    const sent = await this.#uploader.upload(missing.map((sha) => bySha.get(sha)![0]!));
    for (const failed of sent.failed) for (const put of bySha.get(failed.sha!) ?? []) keep.add(put.path);
    return { uploaded: sent.blobs, uploadedBytes: sent.bytes };
  }

  /** Sends the changes in batches, recording what the server confirmed; the number sent. */
  async #send(changes: Change[], keep: Set<string>): Promise<number> {
    const { cache } = this.#deps;
    let sent = 0;
    let retries = 0;
    for (let start = 0; start < changes.length;) {
      const batch = changes.slice(start, start + BATCH);
      try {
        await cache.drafts.changes(cache.draftId, batch.map((c) => c.change));
        this.#record(batch);
        sent += batch.length;
        start += batch.length;
        continue;
      } catch (err) {
        const index = isGroveApiError(err) ? err.details?.['index'] : undefined;
        if (!isGroveApiError(err) || typeof index !== 'number' || index < 0 || index >= batch.length) throw err;
        this.#record(batch.slice(0, index));
        sent += index;
        start += index;
        const failed = batch[index]!;
        if (err.code === 'MISSING_OBJECT' && failed.put !== undefined && retries++ < 3) {
          if ((await this.#uploader.upload([failed.put])).failed.length > 0) {
            keep.add(failed.put.path);
            start++;
          }
          continue;
        }
        if (err.code !== 'EINVAL' && err.code !== 'FORBIDDEN' && err.code !== 'PAYLOAD_TOO_LARGE' && err.code !== 'OBJECT_TOO_LARGE') throw err;
        const path = 'path' in failed.change ? failed.change.path : failed.change.from;
        this.#deps.report(`${path}: the server refused it (${err.message}); it stays local until it changes`);
        keep.delete(path);
        start++;
      }
    }
    return sent;
  }

  /** Records confirmed changes in the index. */
  #record(batch: Change[]): void {
    const { cache } = this.#deps;
    const server = cache.server;
    const folders = (path: string): void => {
      for (let p = parentOf(path); p !== '' && server.get(p)?.kind !== 'dir'; p = parentOf(p)) server.set(p, { kind: 'dir', mode: '40000', sha: null, size: 0 });
    };
    cache.db.transaction(() => {
      for (const { change, put } of batch) {
        if (change.op === 'rm') server.remove(change.path);
        else if (change.op === 'mkdir') {
          folders(change.path);
          server.set(change.path, { kind: 'dir', mode: '40000', sha: null, size: 0 });
        } else if (change.op === 'put' && put !== undefined) {
          folders(change.path);
          server.set(change.path, { kind: put.mode === '120000' ? 'symlink' : 'file', mode: put.mode, sha: put.sha, size: put.size ?? 0 });
          if (put.placeholder) this.#moveSource(put);
        }
      }
    });
  }

  /** A placeholder sent under a new path is fetched from there from now on (its old path may be gone). */
  #moveSource(put: PlannedPut): void {
    const { blobs } = this.#deps.cache;
    const stats = lstatSync(put.local, { throwIfNoEntry: false });
    const row = stats === undefined ? undefined : blobs.placeholder(stats);
    if (row !== undefined && row.source !== put.path) blobs.put({ ...row, source: put.path });
  }

  /** Keeps the ids of files hashed by this sync, for those not written since. */
  #remember(hashed: Hashed[], since: number): void {
    const { cache } = this.#deps;
    cache.db.transaction(() => {
      for (const { put, ino, size, mtimeMs } of hashed) {
        const stats = lstatSync(put.local, { throwIfNoEntry: false });
        if (stats?.ino !== ino || stats.size !== size || stats.mtimeMs !== mtimeMs || cache.blobs.forgottenSince(ino, since)) continue;
        cache.blobs.put({ ino, sha: put.sha!, size, mtimeMs, source: put.path, placeholder: false });
      }
    });
  }
}

type Change = { change: DraftChange; put?: PlannedPut };

function draftClosed(id: string, state: string): Error & { code: string } {
  return Object.assign(new Error(`draft ${id} is ${state}: its changes cannot be sent (they stay in the cache)`), { code: 'DRAFT_CLOSED' });
}

/**
 * The order the changes go in. The server drops a draft's own blob (one
 * written to the draft, not yet in a commit) as soon as no path names it,
 * so a file moved away is put at its new path before its old path is
 * removed: puts and folders first, plain removals last. A removal that
 * makes room (a folder where a file was, or the other way) goes before
 * what takes its place, and only that.
 */
function orderChanges(plan: SyncPlan, puts: PlannedPut[]): Change[] {
  const room = plan.removals.filter((r) => r.replaced).map((r) => r.path);
  const inRoom = (path: string): boolean => room.some((r) => path === r || path.startsWith(`${r}/`));
  const rm = (r: SyncPlan['removals'][number]): Change => ({ change: { op: 'rm', path: r.path, ...(r.recursive ? { recursive: true } : {}) } });
  const adds: Change[] = [
    ...plan.folders.map((path) => ({ change: { op: 'mkdir', path } as DraftChange })),
    ...puts.map((put) => ({ change: { op: 'put', path: put.path, sha: put.sha!, mode: put.mode } as DraftChange, put })),
  ];
  const target = (c: Change): string => ('path' in c.change ? c.change.path : c.change.to);
  return [
    ...adds.filter((c) => !inRoom(target(c))),
    ...plan.removals.filter((r) => r.replaced).map(rm),
    ...adds.filter((c) => inRoom(target(c))),
    ...plan.removals.filter((r) => !r.replaced).map(rm),
  ];
}

function list(paths: string[]): string {
  return paths.length === 0 ? '' : ` (${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', …' : ''})`;
}
