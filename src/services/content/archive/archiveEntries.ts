/**
 * The entries of a tree in the order `git archive --prefix=<prefix>` writes
 * them (archive.c `write_archive_entries`): the prefix folder first, then
 * the tree depth-first in tree order. A folder is written only when the
 * first file below it is (git queues folders and writes them on demand, so
 * a folder with no file below it is left out); a submodule is written as a
 * folder. .gitattributes (export-ignore, export-subst) are not applied.
 *
 * Each folder's subtrees are read in one batch, and its blobs in batches of
 * at most BATCH_BYTES (a larger blob alone), so memory holds one batch.
 */
import { GroveError } from '../../../errors.ts';
import type { Oid } from '../../../git/objects/objectId.ts';
import { isGitlinkMode, isSymlinkMode, isTreeMode, type TreeEntry } from '../../../git/objects/tree.ts';
import type { ObjectStore } from '../../../git/ports.ts';
import { readTrees } from '../entryAt.ts';
import type { ArchiveEntry } from './ArchiveEntry.ts';

const BATCH_BYTES = 8 * 1024 * 1024;
const SLASH = new Uint8Array([0x2f]);
const encoder = new TextEncoder();

/** `prefix` must end in '/'. */
export async function* archiveEntries(objects: ObjectStore, tree: Oid, prefix: Uint8Array): AsyncGenerator<ArchiveEntry> {
  yield { kind: 'dir', path: prefix, oid: tree };
  const pending: ArchiveEntry[] = [];
  const root = (await readTrees(objects, [tree])).get(tree)!;
  yield* walk(objects, root, prefix, pending);
}

async function* walk(objects: ObjectStore, entries: TreeEntry[], base: Uint8Array, pending: ArchiveEntry[]): AsyncGenerator<ArchiveEntry> {
  const subtrees = await readTrees(objects, entries.filter((e) => isTreeMode(e.mode)).map((e) => e.oid));
  const blobEntries = entries.filter((e) => !isTreeMode(e.mode) && !isGitlinkMode(e.mode));
  const sizes = await objects.info(blobEntries.map((e) => e.oid));
  let blobs = new Map<Oid, Uint8Array>();
  let next = 0; // the first entry of blobEntries not yet read

  for (const entry of entries) {
    const path = join(base, entry.rawName ?? encoder.encode(entry.name));
    if (isTreeMode(entry.mode)) {
      const dir: ArchiveEntry = { kind: 'dir', path: join(path, SLASH), oid: entry.oid };
      pending.push(dir);
      yield* walk(objects, subtrees.get(entry.oid)!, dir.path, pending);
      if (pending[pending.length - 1] === dir) pending.pop();
      continue;
    }
    yield* pending.splice(0);
    if (isGitlinkMode(entry.mode)) {
      yield { kind: 'dir', path: join(path, SLASH), oid: entry.oid };
      continue;
    }
    let data = blobs.get(entry.oid);
    if (data === undefined) {
      const batch: Oid[] = [];
      let bytes = 0;
      while (next < blobEntries.length && (batch.length === 0 || bytes + (sizes.get(blobEntries[next]!.oid)?.size ?? 0) <= BATCH_BYTES)) {
        const oid = blobEntries[next++]!.oid;
        batch.push(oid);
        bytes += sizes.get(oid)?.size ?? 0;
      }
      if (!batch.includes(entry.oid)) batch.push(entry.oid);
      const read = await objects.readObjects(batch);
      blobs = new Map();
      for (const [oid, object] of read) if (object.type === 'blob') blobs.set(oid, object.data);
      data = blobs.get(entry.oid);
      if (data === undefined) throw new GroveError('MISSING_OBJECT', `blob ${entry.oid} is missing`, { sha: entry.oid });
    }
    yield isSymlinkMode(entry.mode)
      ? { kind: 'symlink', path, oid: entry.oid, data }
      : { kind: 'file', path, oid: entry.oid, executable: (entry.mode & 0o100) !== 0, data };
  }
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
