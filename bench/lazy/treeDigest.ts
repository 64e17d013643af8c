/**
 * What a checkout holds, path by path — kind, size, executable bit, symlink
 * target, SHA-1 of the bytes — to check a lazy mount against a full clone
 * after the timed part of a run. `.git` at the top is left out.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export type TreeDigest = Map<string, string>;

export async function treeDigest(dir: string, prefix = '', out: TreeDigest = new Map()): Promise<TreeDigest> {
  for (const name of (await readdir(join(dir, prefix))).sort()) {
    if (prefix === '' && name === '.git') continue;
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const stats = await lstat(join(dir, path));
    if (stats.isDirectory()) {
      out.set(path, 'dir');
      await treeDigest(dir, path, out);
    } else if (stats.isSymbolicLink()) {
      out.set(path, `symlink ${await readlink(join(dir, path))}`);
    } else {
      const sha = createHash('sha1').update(await readFile(join(dir, path))).digest('hex');
      out.set(path, `file ${stats.size} ${(stats.mode & 0o100) !== 0 ? 'x' : '-'} ${sha}`);
    }
  }
  return out;
}

/** The first few differences between two digests (empty when equal). */
export function digestDifferences(expected: TreeDigest, actual: TreeDigest, max = 5): string[] {
  const out: string[] = [];
  for (const [path, value] of expected) {
    if (actual.get(path) !== value) out.push(`${path}: expected ${value}, got ${actual.get(path) ?? 'nothing'}`);
    if (out.length >= max) return out;
  }
  for (const path of actual.keys()) {
    if (!expected.has(path)) out.push(`${path}: not expected`);
    if (out.length >= max) return out;
  }
  return out;
}
