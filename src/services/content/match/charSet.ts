/**
 * Bracket expressions and class escapes of a POSIX extended regex
 * (regex(7)): ranges of code points, named classes such as `[:alpha:]`, and
 * negation. Under `ignore_case` a code point is in the set when it, its
 * lowercase or its uppercase is.
 */
import { foldCodePoint, upperCodePoint } from './caseFold.ts';

export const CLASS_NAMES = ['alpha', 'digit', 'alnum', 'upper', 'lower', 'space', 'blank', 'punct', 'print', 'graph', 'cntrl', 'xdigit', 'word'] as const;
export type ClassName = (typeof CLASS_NAMES)[number];

export interface CharSet {
  negated: boolean;
  /** Inclusive code point ranges. */
  ranges: [number, number][];
  classes: ClassName[];
}

const CLASS_TESTS: Record<ClassName, RegExp> = {
  alpha: /^\p{L}$/u,
  digit: /^[0-9]$/,
  alnum: /^[\p{L}\p{Nd}]$/u,
  upper: /^\p{Lu}$/u,
  lower: /^\p{Ll}$/u,
  space: /^[\t\n\v\f\r \u0085\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]$/u,
  blank: /^[\t \u1680\u2000-\u2006\u2008-\u200a\u205f\u3000]$/u,
  punct: /^[\p{P}\p{S}]$/u,
  print: /^[^\p{C}]$/u,
  graph: /^[^\p{C}\p{Z}]$/u,
  cntrl: /^\p{Cc}$/u,
  xdigit: /^[0-9A-Fa-f]$/,
  word: /^[\p{L}\p{Nd}_]$/u,
};

/** True when `cp` is in the named class. */
export function inClass(name: ClassName, cp: number): boolean {
  if (cp < 0x80) return asciiClass(name, cp);
  return CLASS_TESTS[name].test(String.fromCodePoint(cp));
}

function asciiClass(name: ClassName, c: number): boolean {
  switch (name) {
    case 'alpha': return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
    case 'digit': return c >= 0x30 && c <= 0x39;
    case 'alnum': return asciiClass('alpha', c) || asciiClass('digit', c);
    case 'upper': return c >= 0x41 && c <= 0x5a;
    case 'lower': return c >= 0x61 && c <= 0x7a;
    case 'space': return c === 0x20 || (c >= 0x09 && c <= 0x0d);
    case 'blank': return c === 0x20 || c === 0x09;
    case 'punct': return c > 0x20 && c < 0x7f && !asciiClass('alnum', c);
    case 'print': return c >= 0x20 && c < 0x7f;
    case 'graph': return c > 0x20 && c < 0x7f;
    case 'cntrl': return c < 0x20 || c === 0x7f;
    case 'xdigit': return asciiClass('digit', c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
    case 'word': return asciiClass('alnum', c) || c === 0x5f;
  }
}

/** A word character for `\w`, `\b`, `\<` and `\>`: a letter, a digit or `_`. */
export function isWordChar(cp: number): boolean {
  return inClass('word', cp);
}

function containsExactly(set: CharSet, cp: number): boolean {
  for (const [lo, hi] of set.ranges) if (cp >= lo && cp <= hi) return true;
  for (const name of set.classes) if (inClass(name, cp)) return true;
  return false;
}

/** True when `cp` is in `set`. */
export function inCharSet(set: CharSet, cp: number, ignoreCase: boolean): boolean {
  let found = containsExactly(set, cp);
  if (!found && ignoreCase) {
    const lower = foldCodePoint(cp);
    const upper = upperCodePoint(cp);
    found = (lower !== cp && containsExactly(set, lower)) || (upper !== cp && containsExactly(set, upper));
  }
  return found !== set.negated;
}
