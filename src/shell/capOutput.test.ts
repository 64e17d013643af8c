import { describe, expect, it } from 'vitest';
import { capOutput } from './capOutput.ts';

describe('capOutput', () => {
  it('keeps output within the cap whole', () => {
    expect(capOutput('', 1)).toEqual({ text: '', cut: false });
    expect(capOutput('abc', 3)).toEqual({ text: 'abc', cut: false });
    expect(capOutput('ééé', 6)).toEqual({ text: 'ééé', cut: false }); // 6 bytes, though 3 chars * 3 > 6
  });

  it('keeps the beginning, cut at a character boundary', () => {
    expect(capOutput('abcdef', 4)).toEqual({ text: 'abcd', cut: true });
    expect(capOutput('ééé', 5)).toEqual({ text: 'éé', cut: true });
    expect(capOutput('a✓b', 3)).toEqual({ text: 'a', cut: true });
    expect(capOutput('😀x', 4)).toEqual({ text: '😀', cut: true });
    expect(capOutput('😀x', 3)).toEqual({ text: '', cut: true });
  });
});
