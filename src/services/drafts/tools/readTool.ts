/**
 * `read {path, offset?, limit?}`: a text file's lines (sliceLines.ts) with
 * where they lie in the file, or what a binary file is — and, for an image
 * or a PDF of at most BINARY_INLINE_BYTES, its bytes in base64. Text is
 * valid UTF-8 with no NUL in the first 8000 bytes (isTextFile.ts). A
 * symbolic link reads as its target. ENOENT, EISDIR (a folder or a
 * submodule), EINVAL for an offset past the end.
 */
import { GroveError } from '../../../errors.ts';
import type { Oid } from '../../../git/objects/objectId.ts';
import type { FileView } from '../files.ts';
import { joinPath, toolPath } from '../toolPath.ts';
import { encodeBase64 } from '../../base64.ts';
import { isTextFile } from './isTextFile.ts';
import { mediaTypeOf } from './mediaTypeOf.ts';
import { sliceLines } from './sliceLines.ts';
import { intArg, invalidArg, stringArg } from './toolArgs.ts';

export const READ_MAX_LINES = 2000;
/** Binary images and PDFs up to this size come back as `content_base64`. */
export const BINARY_INLINE_BYTES = 3.5 * 1024 * 1024;

export interface ReadArgs {
  path: string;
  /** The first line to return, 1-based (default 1). */
  offset?: number;
  /** How many lines, 1..2000 (default 2000). */
  limit?: number;
}

export interface ReadTextResult {
  path: string;
  kind: 'text';
  media_type: string;
  size: number;
  sha: Oid;
  content: string;
  from_line: number;
  to_line: number;
  total_lines: number;
  next_offset: number | null;
  truncated_lines: number;
}

export interface ReadBinaryResult {
  path: string;
  kind: 'binary';
  media_type: string;
  size: number;
  sha: Oid;
  content_base64?: string;
}

export type ReadResult = ReadTextResult | ReadBinaryResult;

export async function readTool(files: FileView, args: ReadArgs): Promise<ReadResult> {
  const parts = toolPath(stringArg(args.path, 'path'));
  const offset = intArg(args.offset, 'offset', 1, Number.MAX_SAFE_INTEGER, 1);
  const limit = intArg(args.limit, 'limit', 1, READ_MAX_LINES, READ_MAX_LINES);
  const path = joinPath(parts);
  const info = await files.stat(parts);
  if (info === null) throw new GroveError('ENOENT', `no such file: '${path}'`, { path });
  if (info.kind === 'dir') throw new GroveError('EISDIR', `'${path || '/'}' is a folder: list it with ls`, { path });
  if (info.kind === 'submodule') throw new GroveError('EISDIR', `'${path}' is a submodule (commit ${info.sha}), not a file`, { path });
  const bytes = await files.read(parts);
  const sha = info.sha!;
  const text = isTextFile(bytes);
  const media_type = mediaTypeOf(path, bytes, text);
  if (!text) {
    const result: ReadBinaryResult = { path, kind: 'binary', media_type, size: bytes.length, sha };
    if (bytes.length <= BINARY_INLINE_BYTES && (media_type.startsWith('image/') || media_type === 'application/pdf')) {
      result.content_base64 = encodeBase64(bytes);
    }
    return result;
  }
  const slice = sliceLines(bytes, offset, limit);
  if (offset > Math.max(slice.totalLines, 1)) {
    throw invalidArg('offset', `offset ${offset} is past the end of '${path}', which has ${slice.totalLines} lines`, { path, total_lines: slice.totalLines });
  }
  return {
    path,
    kind: 'text',
    media_type,
    size: bytes.length,
    sha,
    content: slice.content,
    from_line: slice.fromLine,
    to_line: slice.toLine,
    total_lines: slice.totalLines,
    next_offset: slice.toLine < slice.totalLines ? slice.toLine + 1 : null,
    truncated_lines: slice.truncatedLines,
  };
}
