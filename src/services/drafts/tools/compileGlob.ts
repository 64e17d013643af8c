/**
 * A path glob of the tools (glob, grep include/exclude, scoped-token
 * policies), compiled with git's wildmatch (WM_PATHNAME): `*` within one
 * component, `**` across components (`**\/x`, `a/**`, `a/**\/b`), `?`,
 * `[...]`. A leading `/` or `./` is dropped: patterns are relative to the
 * folder searched. A bad pattern is EINVAL naming its argument.
 */
import { GroveError, isGroveError } from '../../../errors.ts';
import { wildmatcher } from '../../content/match/wildmatch.ts';

export type PathTest = (path: string) => boolean;

/** The pattern as matched: without a leading `/` or `./`. */
export function normalizeGlob(pattern: string): string {
  let p = pattern;
  for (;;) {
    if (p.startsWith('/')) p = p.slice(1);
    else if (p.startsWith('./')) p = p.slice(2);
    else return p;
  }
}

export function compileGlob(pattern: string, field: string): PathTest {
  const p = normalizeGlob(pattern);
  if (p === '') throw new GroveError('EINVAL', `${field}: the pattern is empty`, { field, pattern });
  try {
    return wildmatcher(p);
  } catch (err) {
    if (isGroveError(err)) throw new GroveError('EINVAL', `${field}: ${err.message}`, { field, pattern });
    throw err;
  }
}
