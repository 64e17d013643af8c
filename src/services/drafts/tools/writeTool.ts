/**
 * `write {path, content, encoding?, executable?}`: puts a whole file,
 * making the folders above it. `encoding: 'base64'` takes the bytes in
 * base64 (binary files). `executable` sets the mode (true: 100755, false:
 * 100644); without it a file that is replaced keeps its mode, and a new file
 * (or one replacing a symbolic link) is 100644. EISDIR onto a folder,
 * ENOTDIR below a file, EINVAL for a path Git cannot check out.
 */
import type { Oid } from '../../../git/objects/objectId.ts';
import type { FileEditor } from '../files.ts';
import { joinPath, toolWritePath } from '../toolPath.ts';
import { decodeBase64 } from '../../base64.ts';
import { boolArg, invalidArg, optionalStringArg, stringArg } from './toolArgs.ts';

export interface WriteArgs {
  path: string;
  content: string;
  /** How `content` is written: 'utf8' (default) or 'base64'. */
  encoding?: 'utf8' | 'base64';
  executable?: boolean;
}

export interface WriteResult {
  path: string;
  size: number;
  sha: Oid;
  /** True when no file was at `path` before. */
  created: boolean;
}

export const FILE_MODE = 0o100644;
export const EXECUTABLE_MODE = 0o100755;
const encoder = new TextEncoder();

export async function writeTool(files: FileEditor, args: WriteArgs): Promise<WriteResult> {
  const parts = toolWritePath(stringArg(args.path, 'path'));
  const content = stringArg(args.content, 'content');
  const encoding = optionalStringArg(args.encoding, 'encoding', 'utf8');
  if (encoding !== 'utf8' && encoding !== 'base64') throw invalidArg('encoding', "encoding must be 'utf8' or 'base64'");
  const executable = args.executable === undefined ? undefined : boolArg(args.executable, 'executable', false);
  let data: Uint8Array;
  if (encoding === 'base64') {
    const decoded = decodeBase64(content);
    if (decoded === null) throw invalidArg('content', 'content is not valid base64 (RFC 4648, standard alphabet, no whitespace)');
    data = decoded;
  } else {
    data = encoder.encode(content);
  }
  const before = await files.stat(parts);
  const mode = executable === true ? EXECUTABLE_MODE
    : executable === false ? FILE_MODE
    : before?.kind === 'file' ? before.mode : FILE_MODE;
  const info = await files.write(parts, data, { mode });
  return { path: joinPath(parts), size: info.size, sha: info.sha!, created: before === null };
}
