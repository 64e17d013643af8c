/**
 * The checked-out commit's tree, listed by git from the partial clone
 * (`git ls-tree -r -t -z`; git-ls-tree(1): "<mode> SP <type> SP <object>
 * TAB <file>" with -z, NUL-terminated, paths unquoted). No blob is needed for
 * it, and GIT_NO_LAZY_FETCH makes sure none is fetched.
 */
import type { Oid } from '../../git/objects/objectId.ts';
import { runGit } from './runGit.ts';

export interface ListedEntry {
  path: string;
  mode: number;
  type: 'blob' | 'tree' | 'commit';
  oid: Oid;
}

export async function listTree(gitDir: string, commit: Oid): Promise<ListedEntry[]> {
  const out = await runGit(gitDir, ['ls-tree', '-r', '-t', '-z', '--full-tree', commit], { env: { GIT_NO_LAZY_FETCH: '1' } });
  const entries: ListedEntry[] = [];
  let start = 0;
  while (start < out.length) {
    const end = out.indexOf(0, start);
    const record = out.toString('utf8', start, end < 0 ? out.length : end);
    start = end < 0 ? out.length : end + 1;
    const tab = record.indexOf('\t');
    const [mode = '', type = '', oid = ''] = record.slice(0, tab).split(' ');
    entries.push({ path: record.slice(tab + 1), mode: parseInt(mode, 8), type: type as ListedEntry['type'], oid });
  }
  return entries;
}
