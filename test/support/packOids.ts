/**
 * The ids of the objects of a complete (not thin) pack, as git reads them:
 * `git index-pack` writes the pack's index, `git show-index` lists it. For
 * unit tests that run no server in-process (git runs synchronously).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitBytes, gitText } from './gitBytes.ts';
import { tempDir } from './tempDir.ts';

export function packOids(pack: Uint8Array): Set<string> {
  const dir = tempDir('grove-pack-oids-');
  try {
    const file = join(dir.dir, 'p.pack');
    writeFileSync(file, pack);
    gitBytes(['index-pack', file], { cwd: dir.dir });
    const listing = gitText(['show-index'], { cwd: dir.dir, input: readFileSync(join(dir.dir, 'p.idx')) });
    return new Set(listing.split('\n').filter((line) => line !== '').map((line) => line.split(' ')[1]!));
  } finally {
    dir.remove();
  }
}
