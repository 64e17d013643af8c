/**
 * Which paths a list of pathspecs selects, as git reads `-- <pathspec>…`
 * with the `:(glob)` magic (gitglossary(7), "pathspec"):
 *
 * - a pathspec without glob characters names a file or a directory: it
 *   selects that path and everything below it (`src` and `src/` select
 *   `src/a.c` and `src/sub/b.c`);
 * - a pathspec with glob characters must match the whole path, by
 *   wildmatch.ts (`src/*` selects `src/a.c`, not `src/sub/b.c`; `src/**`
 *   selects both; `**\/*.c` every `.c` file) — once its part before the
 *   first glob character has matched literally, as git_fnmatch does (so
 *   `src**` selects `src/sub/b.c`: wildmatch sees a leading `**`);
 * - `:!<spec>` or `:^<spec>` excludes what `<spec>` selects.
 *
 * A path is selected when some pathspec selects it (or there are only
 * exclusions) and no exclusion does. No pathspec selects everything.
 * Pathspecs are normalized first, as git does: `a//b/./c` is `a/b/c`; an
 * absolute one, or one with `..`, is refused (BAD_REQUEST).
 */
import { GroveError } from '../../../errors.ts';
import { hasGlobSpecials, wildmatcher } from './wildmatch.ts';

export interface PathspecMatcher {
  /** True when the file at `path` is selected. */
  selects(path: string): boolean;
  /** False when nothing below the directory `dir` can be selected (the walk may skip it). */
  mayReach(dir: string): boolean;
}

interface Spec {
  selects: (path: string) => boolean;
  /** The part before any glob character: every selected path starts with it. */
  prefix: string;
}

const MAX_SPEC_LENGTH = 4096;

function bad(why: string): GroveError {
  return new GroveError('BAD_REQUEST', why, { field: 'paths' });
}

/** As git normalizes a pathspec (normalize_path_copy): runs of "/" become one, "." components go, ".." is refused. */
function normalize(spec: string): string {
  const trailing = spec.endsWith('/') || spec.endsWith('/.'); // "a/." is "a/"

  const parts = spec.split('/').filter((part) => part !== '' && part !== '.');
  if (spec.startsWith('/')) throw bad(`a pathspec is relative to the root of the repository: ${JSON.stringify(spec.slice(0, 200))}`);
  if (parts.includes('..')) throw bad(`a pathspec cannot leave the repository: ${JSON.stringify(spec.slice(0, 200))}`);
  return parts.join('/') + (trailing && parts.length > 0 ? '/' : '');
}

function compile(raw: string): Spec {
  if (raw.length > MAX_SPEC_LENGTH) throw bad(`a pathspec is longer than ${MAX_SPEC_LENGTH} characters`);
  if (raw.startsWith(':')) throw bad(`pathspec magic other than ":!" and ":^" is not supported: ${JSON.stringify(raw.slice(0, 200))}`);
  if (raw.includes('\0')) throw bad('a pathspec cannot contain NUL');
  const spec = normalize(raw);
  if (spec === '' || spec === '.') return { selects: () => true, prefix: '' };
  if (!hasGlobSpecials(spec)) {
    const dir = spec.endsWith('/') ? spec : `${spec}/`;
    const file = spec.endsWith('/') ? null : spec;
    return { selects: (path) => path === file || path.startsWith(dir), prefix: spec };
  }
  // Like git_fnmatch: the part before the first glob character is compared as is, and only the
  // rest goes to wildmatch — so a "**" right after that part counts as leading ("src**" selects src/a.c).
  const prefix = spec.slice(0, spec.search(/[*?[\\]/));
  const rest = wildmatcher(spec.slice(prefix.length));
  return { selects: (path) => path.startsWith(prefix) && rest(path.slice(prefix.length)), prefix };
}

export function pathspecMatcher(specs: readonly string[]): PathspecMatcher {
  const include: Spec[] = [];
  const exclude: Spec[] = [];
  for (const spec of specs) {
    if (spec.startsWith(':!') || spec.startsWith(':^')) exclude.push(compile(spec.slice(2)));
    else include.push(compile(spec));
  }
  if (include.length === 0) include.push(compile(''));
  return {
    selects: (path) => include.some((s) => s.selects(path)) && !exclude.some((s) => s.selects(path)),
    mayReach: (dir) => {
      const slashed = `${dir}/`;
      return include.some((s) => slashed.startsWith(s.prefix) || s.prefix.startsWith(slashed));
    },
  };
}
