/**
 * `rm {path, recursive?}`: removes a file, an empty folder, or (with
 * `recursive`) a folder and everything below it; answers with the number of
 * files removed. ENOENT, ENOTEMPTY for a folder with entries without
 * `recursive`, EINVAL for the root.
 */
import type { FileEditor } from '../files.ts';
import { joinPath, toolWritePath } from '../toolPath.ts';
import { boolArg, stringArg } from './toolArgs.ts';

export interface RmArgs {
  path: string;
  recursive?: boolean;
}

export interface RmResult {
  path: string;
  /** Files (and symbolic links, submodules) removed. */
  removed: number;
}

export async function rmTool(files: FileEditor, args: RmArgs): Promise<RmResult> {
  const parts = toolWritePath(stringArg(args.path, 'path'));
  const recursive = boolArg(args.recursive, 'recursive', false);
  const removed = await files.remove(parts, { recursive });
  return { path: joinPath(parts), removed };
}
