/**
 * `glob {pattern, exclude?, path?, limit?}`: the paths of the files below a
 * folder that a wildmatch pattern matches (compileGlob.ts: `*` within a
 * component, `**` across), relative to that folder, in walk order
 * (walkTree.ts), as full paths from the root. Folders themselves are never
 * listed; symbolic links and submodules are. An exclude pattern drops the
 * files it matches, and prunes a folder it matches (`node_modules`,
 * `**\/dist`) or whose whole content it matches (`build/**`). Folders the
 * pattern cannot reach are not read (couldMatchBelow.ts). At most `limit`
 * paths, and at most MAX_WALK_ENTRIES entries visited: `truncated` says
 * when there may be more. ENOENT, ENOTDIR for `path`.
 */
import type { FileView } from '../files.ts';
import { toolPath } from '../toolPath.ts';
import { compileGlob } from './compileGlob.ts';
import { couldMatchBelow } from './couldMatchBelow.ts';
import { excluder } from './excluder.ts';
import { folderAt } from './folderAt.ts';
import { intArg, optionalStringArg, stringArg, stringListArg } from './toolArgs.ts';
import { walkTree } from './walkTree.ts';

export const GLOB_MAX_LIMIT = 10_000;
export const GLOB_DEFAULT_LIMIT = 1000;
export const MAX_PATTERNS = 100;
/** Entries a glob or grep visits at most. */
export const MAX_WALK_ENTRIES = 200_000;

export interface GlobArgs {
  pattern: string;
  exclude?: string[];
  /** The folder searched (default: the root); patterns are relative to it. */
  path?: string;
  limit?: number;
}

export interface GlobResult {
  paths: string[];
  truncated: boolean;
}

export async function globTool(files: FileView, args: GlobArgs): Promise<GlobResult> {
  const pattern = stringArg(args.pattern, 'pattern');
  const matches = compileGlob(pattern, 'pattern');
  const reaches = couldMatchBelow(pattern);
  const excluded = excluder(stringListArg(args.exclude, 'exclude', MAX_PATTERNS), 'exclude');
  const parts = toolPath(optionalStringArg(args.path, 'path', ''));
  const limit = intArg(args.limit, 'limit', 1, GLOB_MAX_LIMIT, GLOB_DEFAULT_LIMIT);
  await folderAt(files, parts);
  const base = parts.length;
  const paths: string[] = [];
  let visited = 0;
  const walk = walkTree(files, parts, {
    descend: (dir) => {
      const rel = dir.path.split('/').slice(base);
      return reaches(rel) && !excluded.folder(rel.join('/'));
    },
  });
  for await (const entry of walk) {
    if (++visited > MAX_WALK_ENTRIES) return { paths, truncated: true };
    if (entry.kind === 'dir') continue;
    const rel = entry.path.split('/').slice(base).join('/');
    if (!matches(rel) || excluded.file(rel)) continue;
    if (paths.length === limit) return { paths, truncated: true };
    paths.push(entry.path);
  }
  return { paths, truncated: false };
}
