/**
 * `mkdir {path, parents?}`: makes a folder and answers with its stat. With
 * `parents` (the default) the folders above are made too and an existing
 * folder is fine (`mkdir -p`); without, ENOENT for a missing parent and
 * EEXIST for anything already there. EEXIST for a file in the way, ENOTDIR
 * below a file.
 */
import type { FileEditor } from '../files.ts';
import { toolWritePath } from '../toolPath.ts';
import { boolArg, stringArg } from './toolArgs.ts';
import { toolEntry, type ToolEntry } from './toolEntry.ts';

export interface MkdirArgs {
  path: string;
  parents?: boolean;
}

export type MkdirResult = ToolEntry;

export async function mkdirTool(files: FileEditor, args: MkdirArgs): Promise<MkdirResult> {
  const parts = toolWritePath(stringArg(args.path, 'path'));
  const parents = boolArg(args.parents, 'parents', true);
  return toolEntry(await files.mkdir(parts, { parents }));
}
