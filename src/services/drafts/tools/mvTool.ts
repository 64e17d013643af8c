/**
 * `mv {from, to}`: moves (renames) a file or folder as rename(2) does:
 * onto a file it replaces it, onto an empty folder it takes its place; the
 * folders above `to` are made. ENOENT for a missing `from`, EISDIR a file
 * onto a folder, ENOTDIR a folder onto a file, ENOTEMPTY onto a folder with
 * entries, EINVAL a folder into itself.
 */
import type { FileEditor } from '../files.ts';
import { joinPath, toolWritePath } from '../toolPath.ts';
import { stringArg } from './toolArgs.ts';

export interface MvArgs {
  from: string;
  to: string;
}

export interface MvResult {
  from: string;
  to: string;
}

export async function mvTool(files: FileEditor, args: MvArgs): Promise<MvResult> {
  const from = toolWritePath(stringArg(args.from, 'from'), 'from');
  const to = toolWritePath(stringArg(args.to, 'to'), 'to');
  await files.move(from, to);
  return { from: joinPath(from), to: joinPath(to) };
}
