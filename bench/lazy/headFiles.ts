/**
 * The files of a corpus's HEAD, from the corpus repository itself: every
 * path (for the read probe, in a seeded order) and the file a person opens
 * first — `package.json` at the top if there is one, else the first file
 * the mount fetches first (src/mount/lazy/hydrationClass.ts: manifests,
 * then code and configuration).
 */
import { runGit } from '../gitCli.ts';
import { hydrationClass } from '../../src/mount/lazy/hydrationClass.ts';

export interface HeadFiles {
  /** Regular files (no symlinks, no submodules), in a seeded shuffled order. */
  files: string[];
  /** The file whose first read is timed. */
  first: string;
}

export async function headFiles(gitDir: string, seed: number): Promise<HeadFiles> {
  const listed = (await runGit(['ls-tree', '-r', '-l', '-z', 'HEAD'], { cwd: gitDir })).stdout.split('\0').filter((l) => l !== '');
  const entries = listed.map((line) => {
    const [meta = '', path = ''] = line.split('\t');
    const [mode = '', , , size = '0'] = meta.split(/\s+/);
    return { path, mode, size: Number(size) };
  }).filter((e) => e.mode === '100644' || e.mode === '100755');
  const ranked = [...entries].sort((a, b) => hydrationClass(a.path, a.size, false) - hydrationClass(b.path, b.size, false) || (a.path < b.path ? -1 : 1));
  const first = entries.find((e) => e.path === 'package.json')?.path ?? ranked[0]?.path ?? '';
  let state = seed * 2654435761 + 1;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const files = entries.map((e) => e.path);
  for (let i = files.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [files[i], files[j]] = [files[j]!, files[i]!];
  }
  return { files, first };
}
