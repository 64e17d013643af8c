/** `stat {path}`: what is at a path (the root is `''` or `/`); ENOENT when nothing is, ENOTDIR when a file is on the way. */
import { GroveError } from '../../../errors.ts';
import type { FileView } from '../files.ts';
import { joinPath, toolPath } from '../toolPath.ts';
import { stringArg } from './toolArgs.ts';
import { toolEntry, type ToolEntry } from './toolEntry.ts';

export interface StatArgs {
  path: string;
}

export type StatResult = ToolEntry;

export async function statTool(files: FileView, args: StatArgs): Promise<StatResult> {
  const parts = toolPath(stringArg(args.path, 'path'));
  const info = await files.stat(parts);
  if (info === null) throw new GroveError('ENOENT', `no such file or folder: '${joinPath(parts)}'`, { path: joinPath(parts) });
  return toolEntry(info);
}
