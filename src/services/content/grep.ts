/**
 * Searching the files of a commit (`GET …/grep`), as
 * `git grep -n [-i] [-F|-E] [-C <n>] <pattern> <commit> -- <pathspec>…`
 * reports it: matches in path order (tree order), then line order, each
 * with its line number and line (grepLines.ts for what a line and its
 * context are; lineMatcher.ts for the pattern; pathspecMatcher.ts for the
 * `:(glob)` pathspecs). Regular files only: no symbolic links, no
 * submodules.
 *
 * Where git prints "Binary file <path> matches" — a file with a NUL in its
 * first 8000 bytes in which the pattern matches — Grove lists the file in
 * `skipped` with reason `binary` (and no lines). Files over `maxFileBytes`
 * are not read: they are listed in `skipped` with reason `too_large`,
 * whether or not they would match. `.gitattributes` are not consulted.
 *
 * A page holds at most `limit` matches (and stops early past
 * {@link PAGE_LINE_BUDGET} characters of lines). Its `nextCursor` names the
 * commit searched and the last match returned, so the next page searches
 * the same commit even if the ref has moved, and resumes right after; it is
 * null on the last page. Blobs are read in batches, and only as far as the
 * page needs.
 */
import { GroveError } from '../../errors.ts';
import { readCommitLinks } from '../../git/objects/commit.ts';
import { isOid, type Oid } from '../../git/objects/objectId.ts';
import type { ObjectStore } from '../../git/ports.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import type { OpenRepository } from '../RepoService.ts';
import { isBinary } from './diff/isBinary.ts';
import { grepLines, matchingLines, splitLines, type LineMatch } from './grep/grepLines.ts';
import { listGrepFiles, type GrepFile } from './grep/listGrepFiles.ts';
import { lineMatcher, type LineMatcher } from './match/lineMatcher.ts';
import { pathspecMatcher } from './match/pathspecMatcher.ts';
import { resolveRevision } from './resolveRevision.ts';

export interface GrepOptions {
  /** The revision to search (resolveRevision.ts); default HEAD. Ignored with a cursor, which names its commit. */
  ref?: string;
  pattern: string;
  /** POSIX extended regex (`-E`) instead of a fixed string (`-F`). */
  regex?: boolean;
  ignoreCase?: boolean;
  /** Pathspecs with `:(glob)` semantics; `:!<spec>` excludes. */
  paths?: readonly string[];
  /** Lines of context before and after each match (`-C`). */
  context?: number;
  limit?: number;
  cursor?: string;
  /** Files larger than this are not searched (default 1 MiB). */
  maxFileBytes?: number;
}

export interface GrepMatch extends LineMatch {
  path: string;
}

export type SkipReason = 'binary' | 'too_large';

export interface GrepResult {
  /** The commit searched. */
  commit: Oid;
  matches: GrepMatch[];
  skipped: { path: string; reason: SkipReason }[];
  nextCursor: string | null;
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const DEFAULT_GREP_LIMIT = 100;
/** Characters of matched and context lines after which a page ends early. */
export const PAGE_LINE_BUDGET = 4 * 1024 * 1024;
/** Bytes of blobs read in one batch. */
const BATCH_BYTES = 8 * 1024 * 1024;
const BATCH_FILES = 256;

type GrepEvent = { kind: 'match'; match: GrepMatch } | { kind: 'skipped'; path: string; reason: SkipReason };

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

export async function grep(repo: OpenRepository, options: GrepOptions): Promise<GrepResult> {
  const matcher = lineMatcher({ pattern: options.pattern, regex: options.regex ?? false, ignoreCase: options.ignoreCase ?? false });
  const pathspec = pathspecMatcher(options.paths ?? []);
  const limit = Math.max(1, options.limit ?? DEFAULT_GREP_LIMIT);
  const context = options.context ?? 0;
  const resume = options.cursor === undefined ? undefined : readCursor(options.cursor);
  const commit = resume?.commit ?? (await resolveRevision(repo, options.ref ?? 'HEAD')).sha;
  const tree = await treeOf(repo.objects, commit);
  let files = await listGrepFiles(repo.objects, tree, pathspec);
  if (resume !== undefined) files = files.filter((f) => comparePaths(f.path, resume.path) >= 0);

  const result: GrepResult = { commit, matches: [], skipped: [], nextCursor: null };
  const held: GrepResult['skipped'] = []; // skipped files met once the page is full: theirs only if no match follows
  let budget = PAGE_LINE_BUDGET;
  const events = scan(repo.objects, files, matcher, context, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, resume);
  for await (const event of events) {
    const full = result.matches.length >= limit || budget <= 0;
    if (event.kind === 'skipped') {
      (full ? held : result.skipped).push({ path: event.path, reason: event.reason });
      continue;
    }
    if (full) {
      const last = result.matches[result.matches.length - 1]!;
      result.nextCursor = encodeCursor([commit, last.path, last.lineNumber]);
      return result;
    }
    result.matches.push(event.match);
    budget -= event.match.line.length + [...event.match.before, ...event.match.after].reduce((n, l) => n + l.length, 0);
  }
  result.skipped.push(...held);
  return result;
}

/** Matches and skipped files in path order, reading blobs a batch at a time. */
async function* scan(
  objects: ObjectStore,
  files: readonly GrepFile[],
  matcher: LineMatcher,
  context: number,
  maxFileBytes: number,
  resume: { path: string; line: number } | undefined,
): AsyncGenerator<GrepEvent> {
  const sizes = await objects.info(files.map((f) => f.oid));
  let i = 0;
  while (i < files.length) {
    const batch: GrepFile[] = [];
    let bytes = 0;
    for (; i < files.length && batch.length < BATCH_FILES && bytes < BATCH_BYTES; i++) {
      batch.push(files[i]!);
      bytes += Math.min(sizes.get(files[i]!.oid)?.size ?? 0, maxFileBytes + 1);
    }
    const wanted = batch.filter((f) => (sizes.get(f.oid)?.size ?? 0) <= maxFileBytes).map((f) => f.oid);
    const blobs = await objects.readObjects(wanted);
    for (const file of batch) {
      const size = sizes.get(file.oid)?.size;
      if (size === undefined) throw new GroveError('MISSING_OBJECT', `blob ${file.oid} (${file.path}) is missing`, { sha: file.oid });
      if (size > maxFileBytes) {
        yield { kind: 'skipped', path: file.path, reason: 'too_large' };
        continue;
      }
      const blob = blobs.get(file.oid);
      if (blob === undefined) throw new GroveError('MISSING_OBJECT', `blob ${file.oid} (${file.path}) is missing`, { sha: file.oid });
      const lines = splitLines(decoder.decode(blob.data));
      const hits = matchingLines(lines, matcher);
      if (hits.length === 0) continue;
      if (isBinary(blob.data)) {
        yield { kind: 'skipped', path: file.path, reason: 'binary' };
        continue;
      }
      const after = resume !== undefined && file.path === resume.path ? resume.line : 0;
      for (const match of grepLines(lines, hits, context)) {
        if (match.lineNumber > after) yield { kind: 'match', match: { path: file.path, ...match } };
      }
    }
  }
}

async function treeOf(objects: ObjectStore, commit: Oid): Promise<Oid> {
  const object = (await objects.readObjects([commit])).get(commit);
  if (object === undefined) throw new GroveError('NOT_FOUND', `commit ${commit} does not exist`, { sha: commit });
  if (object.type !== 'commit') throw new GroveError('NOT_FOUND', `object ${commit} is a ${object.type}, not a commit`, { sha: commit });
  return readCommitLinks(object.data).tree;
}

function readCursor(cursor: string): { commit: Oid; path: string; line: number } {
  const [commit, path, line] = decodeCursor(cursor, ['string', 'string', 'number']) as [string, string, number];
  if (!isOid(commit)) throw new GroveError('BAD_REQUEST', 'invalid cursor: pass back the next_cursor of a previous page unchanged', { field: 'cursor' });
  return { commit, path, line };
}

/** Git's order of two paths: their UTF-8 bytes compared. */
function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
