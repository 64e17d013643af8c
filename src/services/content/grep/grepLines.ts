/**
 * The matching lines of one file and the context git prints around them
 * (grep.c `grep_source_1`). A line is what lies between two LFs: a CR
 * before the LF stays part of it, and a final line without LF is a line.
 * Each match carries the context lines git prints *for it* and not already
 * printed for the match before: `before` ends at the line above the match,
 * `after` starts at the line below it and stops short of the next match.
 * Laid end to end, matches and their context are exactly the lines
 * `git grep -n -C <n>` prints for the file (a gap in the numbers is where
 * git prints `--`).
 */
import type { LineMatcher } from '../match/lineMatcher.ts';

export interface LineMatch {
  /** 1-based. */
  lineNumber: number;
  line: string;
  before: string[];
  after: string[];
}

/** The lines of `text`, split as git splits them. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/** The 0-based indexes of the lines `matcher` accepts. */
export function matchingLines(lines: readonly string[], matcher: LineMatcher): number[] {
  const hits: number[] = [];
  for (let i = 0; i < lines.length; i++) if (matcher.test(lines[i]!)) hits.push(i);
  return hits;
}

/** The matches of `lines` with `context` lines around each (0: none). */
export function grepLines(lines: readonly string[], hits: readonly number[], context: number): LineMatch[] {
  return hits.map((at, k) => {
    const previous = k > 0 ? hits[k - 1]! : -Infinity;
    const next = k + 1 < hits.length ? hits[k + 1]! : lines.length;
    const from = Math.max(at - context, previous + context + 1, 0);
    const to = Math.min(at + context, next - 1);
    return { lineNumber: at + 1, line: lines[at]!, before: lines.slice(from, at), after: lines.slice(at + 1, to + 1) };
  });
}
