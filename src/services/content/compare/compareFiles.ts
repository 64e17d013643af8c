/**
 * Per-file results of a comparison (`git diff -M <from> <to>` with
 * `--numstat`): path, old path, status, added and deleted lines, whether the
 * file is binary, and its patch. Blobs are read a batch of changes at a time,
 * so memory holds one batch, not the whole diff. Patches stop being included
 * once their total would pass `maxPatchBytes` (`truncated`); the counts are
 * always there.
 */
import type { Oid } from '../../../git/objects/objectId.ts';
import { isGitlinkMode } from '../../../git/objects/tree.ts';
import type { ObjectStore } from '../../../git/ports.ts';
import { diffTrees } from '../diff/diffTrees.ts';
import type { ChangeStatus, FileChange } from '../diff/FileChange.ts';
import { unifiedPatch } from '../diff/unifiedPatch.ts';

export interface ComparedFile {
  path: string;
  /** The path before: a rename's source; the same path when modified or deleted; null when added. */
  old_path: string | null;
  status: ChangeStatus;
  additions: number;
  deletions: number;
  binary: boolean;
  /** The file's part of `git diff -M`; null once the patches have reached their size limit; absent without patches. */
  patch?: string | null;
}

export interface CompareFilesOptions {
  /** Include patches (default true). */
  patch?: boolean;
  /** Most bytes of patch text in all (default 1 MiB). */
  maxPatchBytes?: number;
}

export const MAX_PATCH_BYTES = 1024 * 1024;
const BATCH = 32;
const encoder = new TextEncoder();

function blobsOf(change: FileChange): Oid[] {
  const out: Oid[] = [];
  if (change.old_sha !== null && change.old_mode !== null && !isGitlinkMode(change.old_mode)) out.push(change.old_sha);
  if (change.new_sha !== null && change.new_mode !== null && !isGitlinkMode(change.new_mode)) out.push(change.new_sha);
  return out;
}

/** The files that differ from tree `from` (null: the empty tree) to tree `to`. */
export async function compareFiles(objects: ObjectStore, from: Oid | null, to: Oid, options: CompareFilesOptions = {}): Promise<{ files: ComparedFile[]; truncated: boolean }> {
  const withPatch = options.patch !== false;
  let budget = options.maxPatchBytes ?? MAX_PATCH_BYTES;
  let truncated = false;
  const changes = await diffTrees(objects, from, to);
  const files: ComparedFile[] = [];
  for (let at = 0; at < changes.length; at += BATCH) {
    const batch = changes.slice(at, at + BATCH);
    const blobs = await objects.readObjects([...new Set(batch.flatMap(blobsOf))]);
    const bytes = (sha: Oid | null): Uint8Array | null => (sha === null ? null : blobs.get(sha)?.data ?? null);
    for (const change of batch) {
      const result = unifiedPatch(change, bytes(change.old_sha), bytes(change.new_sha));
      const file: ComparedFile = {
        path: change.path,
        old_path: change.old_path,
        status: change.status,
        additions: result.additions,
        deletions: result.deletions,
        binary: result.binary,
      };
      if (withPatch) {
        const size = truncated ? 0 : encoder.encode(result.patch).length;
        if (!truncated && size <= budget) {
          file.patch = result.patch;
          budget -= size;
        } else {
          file.patch = null;
          truncated = true;
        }
      }
      files.push(file);
    }
  }
  return { files, truncated };
}
