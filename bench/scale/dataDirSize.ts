/**
 * What a directory takes on disk, every file below it counted: the bytes the
 * files hold (apparent size) and the bytes the file system allocated for them
 * (st_blocks × 512, what `du` shows), per file too, so that a growth can be
 * split into new files and grown ones.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface DirSize {
  files: number;
  /** Sum of the files' sizes. */
  bytes: number;
  /** Sum of the blocks allocated to them, in bytes. */
  allocated: number;
  /** Per file (path relative to the directory): [bytes, allocated]. */
  byFile: Map<string, [number, number]>;
}

export function dataDirSize(root: string): DirSize {
  const size: DirSize = { files: 0, bytes: 0, allocated: 0, byFile: new Map() };
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      const stat = lstatSync(path);
      size.files++;
      size.bytes += stat.size;
      size.allocated += stat.blocks * 512;
      size.byFile.set(relative(root, path), [stat.size, stat.blocks * 512]);
    }
  };
  walk(root);
  return size;
}
