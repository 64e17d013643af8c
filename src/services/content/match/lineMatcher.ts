/**
 * What `git grep` asks of each line: does any of the patterns match in it?
 * Like git, a pattern holding newlines is several patterns, one per line of
 * it (grep.c splits them), any of which may match. `regex: false` is
 * `git grep -F` (fixed strings); `regex: true` is `git grep -E` (POSIX
 * extended, see parseRegex.ts), matched in linear time. `ignoreCase` is
 * `-i`: a fixed ASCII pattern folds A-Z only (git's byte-wise search), any
 * other pattern folds each code point (REG_ICASE under a UTF-8 locale).
 */
import { foldCase } from './caseFold.ts';
import { compileRegex } from './compileRegex.ts';
import { parseRegex, type RegexNode } from './parseRegex.ts';
import { RegexMatcher } from './RegexMatcher.ts';

export interface LineMatcher {
  test(line: string): boolean;
}

export interface PatternOptions {
  pattern: string;
  regex: boolean;
  ignoreCase: boolean;
}

export function lineMatcher(options: PatternOptions): LineMatcher {
  const patterns = options.pattern.split('\n');
  if (options.regex) {
    const trees = patterns.map(parseRegex);
    const tree: RegexNode = trees.length === 1 ? trees[0]! : { kind: 'alt', items: trees };
    return new RegexMatcher(compileRegex(tree, { ignoreCase: options.ignoreCase }), { ignoreCase: options.ignoreCase });
  }
  if (!options.ignoreCase) return { test: (line) => patterns.some((p) => line.includes(p)) };
  const asciiOnly = patterns.every((p) => /^[\x00-\x7f]*$/.test(p));
  const folded = patterns.map((p) => foldCase(p, asciiOnly));
  return {
    test: (line) => {
      const text = foldCase(line, asciiOnly);
      return folded.some((p) => text.includes(p));
    },
  };
}
