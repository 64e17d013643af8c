/** The folder a search starts from, checked: ENOENT when missing, ENOTDIR when not a folder. */
import { GroveError } from '../../../errors.ts';
import type { FileInfo, FileView } from '../files.ts';
import { joinPath } from '../toolPath.ts';

export async function folderAt(files: FileView, parts: readonly string[]): Promise<FileInfo> {
  const info = await files.stat(parts);
  const path = joinPath(parts);
  if (info === null) throw new GroveError('ENOENT', `no such folder: '${path}'`, { path });
  if (info.kind !== 'dir') throw new GroveError('ENOTDIR', `'${path}' is not a folder`, { path });
  return info;
}
