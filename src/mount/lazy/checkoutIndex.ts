/**
 * Writes `.git/index` for a fresh checkout, entry by entry from what the
 * mount's getattr reports for the same path (mtime, ctime, size, mode, ino,
 * dev, uid, gid), atomically (index.lock, then rename — git's own lock file,
 * so a git command running at the same time cannot interleave). The file is
 * written after every time it describes, so no entry is "racily clean".
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BaseListing } from './baseListing.ts';
import type { FileTree } from './FileTree.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { writeIndex, type IndexEntry } from './writeIndex.ts';

export interface StatIdentity {
  dev: number;
  uid: number;
  gid: number;
}

export function writeCheckoutIndex(gitDir: string, listing: BaseListing, tree: FileTree, who: StatIdentity): void {
  const entries: IndexEntry[] = [];
  for (const entry of listing.entries) {
    const node = tree.lookup(entry.path);
    if (node === undefined) continue;
    const mode = (entry.mode & 0o170000) === 0o100000 ? (node.kind === 'file' && (node.perm & 0o100) !== 0 ? 0o100755 : 0o100644) : entry.mode;
    entries.push({
      path: entry.path,
      mode,
      oid: entry.oid,
      size: node.kind === 'dir' ? 0 : Math.max(0, node.size),
      mtimeSec: Math.floor(node.mtimeMs / 1000),
      ctimeSec: Math.floor(node.ctimeMs / 1000),
      dev: who.dev,
      ino: node.ino,
      uid: who.uid,
      gid: who.gid,
    });
  }
  const lock = join(gitDir, 'index.lock');
  rmSync(lock, { force: true }); // left by a mount that died while writing it: nothing else runs in a checkout not yet shown
  writeFileSync(lock, writeIndex(nodeCodec, entries, listing.trees), { flag: 'wx' });
  renameSync(lock, join(gitDir, 'index'));
}
