/**
 * The parts of a draft mount's cache that every piece shares: the local tree
 * (`upper/`, real files and folders mirroring the draft), a scratch folder on
 * the same file system (`tmp/`, for downloads renamed into place), the state
 * file and its in-memory tables, and the draft on the server.
 */
import { join } from 'node:path';
import type { DraftApi } from '../../sdk/DraftApi.ts';
import type { RepoContentApi } from '../../sdk/RepoContentApi.ts';
import type { BlobTable } from './BlobTable.ts';
import type { ServerIndex } from './ServerIndex.ts';
import type { StateDb } from './StateDb.ts';

export interface MountCache {
  upper: string;
  tmp: string;
  db: StateDb;
  server: ServerIndex;
  blobs: BlobTable;
  /** Local folders that stand for server folders whose entries are not local yet. */
  unlisted: Set<string>;
  drafts: DraftApi;
  content: RepoContentApi;
  draftId: string;
  log(line: string): void;
}

/** The cache path of draft path `key` ('' is the root). */
export function localPath(cache: Pick<MountCache, 'upper'>, key: string): string {
  return key === '' ? cache.upper : join(cache.upper, key);
}
