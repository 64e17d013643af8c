/**
 * `grep {pattern, regex?, ignore_case?, context?, include?, exclude?, path?,
 * limit?, max_file_bytes?}`: the lines of the files below a folder that
 * match, as `git grep -n [-i] -F|-E [-C n]` finds them (lineMatcher.ts:
 * literal, or POSIX extended regex in linear time; grepLines.ts: lines and
 * context). Files in walk order (walkTree.ts), regular files only;
 * `include` patterns (any of them) and `exclude` patterns (excluder.ts) are
 * globs relative to the folder searched.
 *
 * Files over `max_file_bytes` are not read and are listed in `skipped` as
 * `too_large`; a binary file (isTextFile.ts) in which the pattern matches is
 * listed as `binary`, without its lines (git's "Binary file matches").
 * Lines are cut at 2000 characters (sliceLines.ts `cutText`). The search stops — with
 * `truncated: true` — at `limit` matches, past MAX_OUTPUT_CHARS characters
 * of lines, MAX_GREP_BYTES bytes read or MAX_WALK_ENTRIES entries visited.
 */
import { isGroveError, GroveError } from '../../../errors.ts';
import type { FileView } from '../files.ts';
import { grepLines, matchingLines, splitLines } from '../../content/grep/grepLines.ts';
import { lineMatcher, type LineMatcher } from '../../content/match/lineMatcher.ts';
import { toolPath } from '../toolPath.ts';
import { compileGlob } from './compileGlob.ts';
import { couldMatchBelow } from './couldMatchBelow.ts';
import { excluder } from './excluder.ts';
import { folderAt } from './folderAt.ts';
import { MAX_PATTERNS, MAX_WALK_ENTRIES } from './globTool.ts';
import { isTextFile } from './isTextFile.ts';
import { cutText } from './sliceLines.ts';
import { boolArg, intArg, invalidArg, optionalStringArg, stringArg, stringListArg } from './toolArgs.ts';
import { walkTree } from './walkTree.ts';

export const GREP_MAX_LIMIT = 1000;
export const GREP_DEFAULT_LIMIT = 200;
export const GREP_MAX_CONTEXT = 10;
export const GREP_DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const GREP_MAX_FILE_BYTES = 64 * 1024 * 1024;
export const GREP_MAX_PATTERN_CHARS = 4096;
/** Bytes of files read at most by one grep. */
export const MAX_GREP_BYTES = 256 * 1024 * 1024;
/** Characters of matched and context lines at most in one answer. */
export const MAX_OUTPUT_CHARS = 4 * 1024 * 1024;
/** Entries of `skipped` at most. */
export const MAX_SKIPPED = 1000;

export interface GrepArgs {
  pattern: string;
  /** POSIX extended regex instead of a literal string (default false). */
  regex?: boolean;
  ignore_case?: boolean;
  /** Lines of context before and after each match, 0..10 (default 0). */
  context?: number;
  include?: string[];
  exclude?: string[];
  /** The folder searched (default: the root). */
  path?: string;
  /** Matches at most, 1..1000 (default 200). */
  limit?: number;
  /** Files larger than this are skipped (default 1 MiB). */
  max_file_bytes?: number;
}

export interface GrepToolMatch {
  path: string;
  /** 1-based. */
  line: number;
  text: string;
  /** With `context`: the lines before the match not already shown with the previous match. */
  before?: string[];
  /** With `context`: the lines after the match, up to the next match. */
  after?: string[];
}

export interface GrepToolResult {
  matches: GrepToolMatch[];
  files_searched: number;
  files_with_matches: number;
  skipped: { path: string; reason: 'too_large' | 'binary' }[];
  truncated: boolean;
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

export async function grepTool(files: FileView, args: GrepArgs): Promise<GrepToolResult> {
  const pattern = stringArg(args.pattern, 'pattern');
  if (pattern === '') throw invalidArg('pattern', 'pattern is empty');
  if (pattern.length > GREP_MAX_PATTERN_CHARS) throw invalidArg('pattern', `pattern is longer than ${GREP_MAX_PATTERN_CHARS} characters`);
  const matcher = compileMatcher(pattern, boolArg(args.regex, 'regex', false), boolArg(args.ignore_case, 'ignore_case', false));
  const context = intArg(args.context, 'context', 0, GREP_MAX_CONTEXT, 0);
  const includePatterns = stringListArg(args.include, 'include', MAX_PATTERNS);
  const includes = includePatterns.map((p, i) => compileGlob(p, `include[${i}]`));
  const reaches = includePatterns.map((p) => couldMatchBelow(p));
  const excluded = excluder(stringListArg(args.exclude, 'exclude', MAX_PATTERNS), 'exclude');
  const parts = toolPath(optionalStringArg(args.path, 'path', ''));
  const limit = intArg(args.limit, 'limit', 1, GREP_MAX_LIMIT, GREP_DEFAULT_LIMIT);
  const maxFileBytes = intArg(args.max_file_bytes, 'max_file_bytes', 1, GREP_MAX_FILE_BYTES, GREP_DEFAULT_MAX_FILE_BYTES);
  await folderAt(files, parts);

  const result: GrepToolResult = { matches: [], files_searched: 0, files_with_matches: 0, skipped: [], truncated: false };
  const skip = (path: string, reason: 'too_large' | 'binary'): void => {
    if (result.skipped.length < MAX_SKIPPED) result.skipped.push({ path, reason });
  };
  const base = parts.length;
  const relative = (path: string): string => path.split('/').slice(base).join('/');
  let visited = 0;
  let bytesRead = 0;
  let chars = 0;
  const walk = walkTree(files, parts, {
    descend: (dir) => {
      const rel = relative(dir.path);
      return (reaches.length === 0 || reaches.some((r) => r(rel.split('/')))) && !excluded.folder(rel);
    },
  });
  for await (const entry of walk) {
    if (++visited > MAX_WALK_ENTRIES) return { ...result, truncated: true };
    if (entry.kind !== 'file') continue;
    const rel = relative(entry.path);
    if ((includes.length > 0 && !includes.some((t) => t(rel))) || excluded.file(rel)) continue;
    if (entry.size > maxFileBytes) {
      skip(entry.path, 'too_large');
      continue;
    }
    if (bytesRead + entry.size > MAX_GREP_BYTES) return { ...result, truncated: true };
    const bytes = await files.read(entry.path.split('/'));
    bytesRead += bytes.length;
    result.files_searched++;
    const lines = splitLines(decoder.decode(bytes));
    const hits = matchingLines(lines, matcher);
    if (hits.length === 0) continue;
    if (!isTextFile(bytes)) {
      skip(entry.path, 'binary');
      continue;
    }
    result.files_with_matches++;
    for (const hit of grepLines(lines, hits, context)) {
      if (result.matches.length === limit || chars > MAX_OUTPUT_CHARS) return { ...result, truncated: true };
      const match: GrepToolMatch = { path: entry.path, line: hit.lineNumber, text: cut(hit.line) };
      chars += match.text.length;
      if (context > 0) {
        match.before = hit.before.map(cut);
        match.after = hit.after.map(cut);
        chars += [...match.before, ...match.after].reduce((n, l) => n + l.length, 0);
      }
      result.matches.push(match);
    }
  }
  return result;
}

function compileMatcher(pattern: string, regex: boolean, ignoreCase: boolean): LineMatcher {
  try {
    return lineMatcher({ pattern, regex, ignoreCase });
  } catch (err) {
    if (isGroveError(err)) throw new GroveError('EINVAL', `pattern: ${err.message}`, { field: 'pattern' });
    throw err;
  }
}

function cut(line: string): string {
  return cutText(line).text;
}
