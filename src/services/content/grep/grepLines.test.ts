import { describe, expect, it } from 'vitest';
import { lineMatcher } from '../match/lineMatcher.ts';
import { grepLines, matchingLines, splitLines } from './grepLines.ts';

describe('splitLines', () => {
  it('splits at LF only, keeps CRs, and counts a last line without LF', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('\n')).toEqual(['']);
    expect(splitLines('a\r\nb')).toEqual(['a\r', 'b']);
    expect(splitLines('a\n\nb\n')).toEqual(['a', '', 'b']);
  });
});

describe('grepLines', () => {
  const lines = splitLines('1\n2 x\n3\n4\n5\n6 x\n7 x\n8\n9\n10\n11\n12 x\n');
  const hits = matchingLines(lines, lineMatcher({ pattern: 'x', regex: false, ignoreCase: false }));

  it('gives each match the context lines not already given with the match before it', () => {
    expect(grepLines(lines, hits, 2)).toEqual([
      { lineNumber: 2, line: '2 x', before: ['1'], after: ['3', '4'] },
      { lineNumber: 6, line: '6 x', before: ['5'], after: [] },
      { lineNumber: 7, line: '7 x', before: [], after: ['8', '9'] },
      { lineNumber: 12, line: '12 x', before: ['10', '11'], after: [] },
    ]);
  });

  it('laid end to end, gives every line git prints with -C, once and in order', () => {
    for (const context of [0, 1, 2, 3, 10]) {
      const printed = grepLines(lines, hits, context).flatMap((m) => [...m.before, m.line, ...m.after]);
      const expected = lines.filter((_, i) => hits.some((h) => Math.abs(h - i) <= context));
      expect(printed).toEqual(expected);
    }
  });
});
