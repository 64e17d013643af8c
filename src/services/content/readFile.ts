/**
 * Files and blobs as bytes: the blob at a path of a revision
 * (`GET …/files/{ref}/{path}`) and a blob by id (`GET …/blobs/{sha}`).
 * A symlink's blob holds its target, which is what it reads as. Finding a
 * file reads only trees, so a caller can answer "not modified" from the
 * blob id before reading the blob.
 */
import { GroveError } from '../../errors.ts';
import { isOid, type Oid } from '../../git/objects/objectId.ts';
import { isBlobMode, isGitlinkMode, isSymlinkMode, isTreeMode } from '../../git/objects/tree.ts';
import type { OpenRepository } from '../RepoService.ts';
import { entryAt } from './entryAt.ts';
import { parseRepoPath } from './parseRepoPath.ts';
import { resolveRevision } from './resolveRevision.ts';

export interface FileEntry {
  /** The blob's id. */
  sha: Oid;
  path: string;
  symlink: boolean;
  executable: boolean;
}

/** The blob at `path` of the commit `rev` names: NOT_FOUND when absent, BAD_REQUEST for a folder or a submodule. */
export async function findFile(repo: OpenRepository, rev: string, path: string): Promise<FileEntry> {
  const parts = parseRepoPath(path);
  const shown = parts.join('/');
  if (parts.length === 0) throw new GroveError('BAD_REQUEST', 'name a file: the root is a folder', { field: 'path' });
  const { sha: commit } = await resolveRevision(repo, rev);
  const info = (await repo.objects.readCommits([commit])).get(commit);
  if (info === undefined) throw new GroveError('MISSING_OBJECT', `commit ${commit} is missing`, { sha: commit });
  const entry = await entryAt(repo.objects, info.tree, parts);
  if (entry === null) throw new GroveError('NOT_FOUND', `path '${shown}' does not exist at ${rev.slice(0, 80)}`, { path: shown });
  if (isTreeMode(entry.mode)) throw new GroveError('BAD_REQUEST', `path '${shown}' is a folder, not a file`, { field: 'path' });
  if (isGitlinkMode(entry.mode) || !isBlobMode(entry.mode)) throw new GroveError('BAD_REQUEST', `path '${shown}' is a submodule, not a file`, { field: 'path' });
  return { sha: entry.oid, path: shown, symlink: isSymlinkMode(entry.mode), executable: (entry.mode & 0o111) !== 0 && !isSymlinkMode(entry.mode) };
}

/** The id of blob `sha` once it is known to exist (read from the object index: no inflating); NOT_FOUND when absent or not a blob. */
export async function findBlob(repo: OpenRepository, sha: string): Promise<Oid> {
  const oid = sha.toLowerCase();
  if (!isOid(oid)) throw new GroveError('BAD_REQUEST', 'a blob is named by its full id (40 hex digits)', { field: 'sha' });
  if ((await repo.objects.info([oid])).get(oid)?.type !== 'blob') throw new GroveError('NOT_FOUND', `blob ${oid} does not exist`, { sha: oid });
  return oid;
}

/** The bytes of blob `sha`; NOT_FOUND when it is absent or not a blob. */
export async function readBlob(repo: OpenRepository, sha: string): Promise<Uint8Array> {
  const oid = await findBlob(repo, sha);
  const object = (await repo.objects.readObjects([oid])).get(oid);
  if (object?.type !== 'blob') throw new GroveError('NOT_FOUND', `blob ${oid} does not exist`, { sha: oid });
  return object.data;
}
