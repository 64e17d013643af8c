import { describe, expect, it } from 'vitest';
import { gitDate } from './commitView.ts';

describe('gitDate', () => {
  it('prints the recorded zone as git log --format=%aI (git 2.39) does', () => {
    expect(gitDate(1112911993, '-0700')).toBe('2005-04-07T15:13:13-07:00');
    expect(gitDate(1700000000, '+0000')).toBe('2023-11-14T22:13:20+00:00');
    expect(gitDate(1700000000, '-0000')).toBe('2023-11-14T22:13:20+00:00');
    expect(gitDate(1700000000, '+0530')).toBe('2023-11-15T03:43:20+05:30');
    expect(gitDate(0, '-1200')).toBe('1969-12-31T12:00:00-12:00');
    expect(gitDate(1700000000, 'junk')).toBe('2023-11-14T22:13:20+00:00');
  });
});
