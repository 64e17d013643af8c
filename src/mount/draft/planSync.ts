/**
 * What a sync must send: the local tree compared with what the server holds
 * (ServerIndex), at and below each dirty path. A path is a state, not an
 * event: a file is `put` (by blob id, with its mode) when its id or mode
 * differs from the server's, a path the server has and the cache does not is
 * removed (recursively for a folder), a folder the server lacks and that
 * holds nothing is made. A removal says whether something local takes the
 * path's place (a file for a folder, or the other way round): the sync
 * orders the changes by it (DraftSync.ts).
 *
 * A file's id is known without reading it when it is a placeholder or when
 * its size and time are those it had when last hashed or fetched; other
 * files are left for the sync to hash, once. Names Git cannot hold in a tree
 * (`.git`), libfuse's `.fuse_hidden*` files and a merge's scratch files stay
 * local.
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import type { BlobTable } from './BlobTable.ts';
import { isPlaceholder } from './BlobTable.ts';
import { blobIdOf } from './blobId.ts';
import { localPath } from './MountCache.ts';
import { MERGE_PREFIX } from './RemoteChanges.ts';
import { joinKey, type ServerIndex } from './ServerIndex.ts';

export type FileMode = '100644' | '100755' | '120000';

export interface PlannedPut {
  path: string;
  mode: FileMode;
  /** Null until the file is hashed. */
  sha: string | null;
  /** The cache file (for a symlink: its target's bytes are in `bytes`). */
  local: string;
  bytes?: Uint8Array;
  /** Bytes, once known. */
  size?: number;
  placeholder: boolean;
}

export interface SyncPlan {
  /** `replaced`: something local takes the path's place (a file for a folder, or the other way). */
  removals: { path: string; recursive: boolean; replaced: boolean }[];
  /** Folders to make (empty ones the server lacks). */
  folders: string[];
  puts: PlannedPut[];
  /** Paths kept local: Git cannot hold them. */
  localOnly: string[];
  /** Placeholders the state file does not know (never sent). */
  broken: string[];
}

export interface PlanSources {
  upper: string;
  server: ServerIndex;
  blobs: BlobTable;
  unlisted: ReadonlySet<string>;
}

/** True for a name that must not leave the cache. */
export function isLocalOnly(name: string): boolean {
  return name.toLowerCase() === '.git' || name.startsWith('.fuse_hidden') || name.startsWith(MERGE_PREFIX);
}

/** The paths of `dirty` that no other of them contains. */
export function topmost(dirty: Iterable<string>): string[] {
  const all = new Set(dirty);
  if (all.has('')) return [''];
  const tops: string[] = [];
  for (const path of [...all].sort()) {
    let covered = false;
    for (let i = path.indexOf('/'); i >= 0 && !covered; i = path.indexOf('/', i + 1)) covered = all.has(path.slice(0, i));
    if (!covered) tops.push(path);
  }
  return tops;
}

export function planSync(sources: PlanSources, dirty: Iterable<string>): SyncPlan {
  const plan: SyncPlan = { removals: [], folders: [], puts: [], localOnly: [], broken: [] };
  for (const root of topmost(dirty)) {
    if (root !== '' && root.split('/').some(isLocalOnly)) {
      if (lstatSync(localPath(sources, root), { throwIfNoEntry: false }) !== undefined) plan.localOnly.push(root);
      continue;
    }
    visit(sources, root, plan);
  }
  return plan;
}

function visit(sources: PlanSources, path: string, plan: SyncPlan): void {
  const { server, blobs } = sources;
  const theirs = server.get(path);
  const local = localPath(sources, path);
  const stats = lstatSync(local, { throwIfNoEntry: false });
  if (stats === undefined || (!stats.isFile() && !stats.isDirectory() && !stats.isSymbolicLink())) {
    if (theirs !== undefined) plan.removals.push({ path, recursive: theirs.kind === 'dir', replaced: false });
    return;
  }
  if (stats.isDirectory()) {
    if (theirs?.kind === 'submodule') {
      if (readdirSync(local).length === 0) return; // a submodule shows as an empty folder
      plan.removals.push({ path, recursive: false, replaced: true });
    } else if (theirs !== undefined && theirs.kind !== 'dir') {
      plan.removals.push({ path, recursive: false, replaced: true });
    }
    if (theirs?.kind === 'dir' && sources.unlisted.has(path)) return; // never listed: as on the server
    const names = new Set(readdirSync(local));
    if (theirs?.kind === 'dir') for (const name of server.children(path)) names.add(name);
    if (theirs?.kind !== 'dir' && path !== '' && ![...names].some((n) => !isLocalOnly(n))) plan.folders.push(path);
    for (const name of [...names].sort()) {
      const child = joinKey(path, name);
      if (isLocalOnly(name)) {
        if (server.get(child) === undefined) plan.localOnly.push(child);
        continue;
      }
      visit(sources, child, plan);
    }
    return;
  }
  if (theirs?.kind === 'dir') plan.removals.push({ path, recursive: true, replaced: true });
  else if (theirs?.kind === 'submodule') plan.removals.push({ path, recursive: false, replaced: true });
  if (stats.isSymbolicLink()) {
    const bytes = new TextEncoder().encode(readlinkSync(local));
    const sha = blobIdOf(bytes);
    if (theirs?.kind === 'symlink' && theirs.sha === sha) return;
    plan.puts.push({ path, mode: '120000', sha, local, bytes, size: bytes.length, placeholder: false });
    return;
  }
  const mode: FileMode = (stats.mode & 0o100) !== 0 ? '100755' : '100644';
  const placeholder = isPlaceholder(stats);
  const sha = blobs.known(stats) ?? null;
  if (placeholder && sha === null) {
    plan.broken.push(path);
    return;
  }
  if (sha !== null && theirs?.kind === 'file' && theirs.sha === sha && theirs.mode === mode) return;
  plan.puts.push({ path, mode, sha, local, size: stats.size, placeholder });
}
