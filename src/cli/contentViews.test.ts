import { describe, expect, it } from 'vitest';
import { gitDefaultDate, grepView, statView } from './contentViews.ts';

describe('gitDefaultDate', () => {
  it('prints the wall time and zone git recorded, as git log does', () => {
    expect(gitDefaultDate('2005-04-07T15:13:13-07:00')).toBe('Thu Apr 7 15:13:13 2005 -0700');
    expect(gitDefaultDate('2023-11-14T22:13:20+00:00')).toBe('Tue Nov 14 22:13:20 2023 +0000');
    expect(gitDefaultDate('2024-02-29T23:59:59+05:30')).toBe('Thu Feb 29 23:59:59 2024 +0530');
    expect(gitDefaultDate('not a date')).toBe('not a date');
  });
});

describe('grepView', () => {
  it('separates non-adjacent context groups with -- and lists binary files in path order, as git grep -n -C prints them', () => {
    const out = grepView([
      { path: 'a.txt', line_number: 2, line: 'hit', before: ['one'], after: ['three'] },
      { path: 'a.txt', line_number: 4, line: 'hit again', before: [], after: [] },
      { path: 'c.txt', line_number: 9, line: 'far', before: ['eight'], after: [] },
    ], [{ path: 'b.bin', reason: 'binary' }, { path: 'z.big', reason: 'too_large' }]);
    expect(out).toBe(['a.txt-1-one', 'a.txt:2:hit', 'a.txt-3-three', 'a.txt:4:hit again', 'Binary file b.bin matches', '--', 'c.txt-8-eight', 'c.txt:9:far', ''].join('\n'));
    expect(grepView([{ path: 'a', line_number: 1, line: 'x' }, { path: 'a', line_number: 5, line: 'y' }], [])).toBe('a:1:x\na:5:y\n');
  });
});

describe('statView', () => {
  it('summarises files like git diff --stat', () => {
    expect(statView([
      { path: 'src/a.ts', old_path: 'src/a.ts', status: 'modified', additions: 3, deletions: 1, binary: false },
      { path: 'new.md', old_path: 'old.md', status: 'renamed', additions: 0, deletions: 0, binary: false },
      { path: 'logo.png', old_path: null, status: 'added', additions: 0, deletions: 0, binary: true },
    ])).toBe(' src/a.ts         | 4 +++-\n old.md => new.md | 0\n logo.png         | Bin\n 3 files changed, 3 insertions(+), 1 deletion(-)\n');
  });
});
