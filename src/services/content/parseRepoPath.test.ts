import { describe, expect, it } from 'vitest';
import { parseRepoPath } from './parseRepoPath.ts';

describe('parseRepoPath', () => {
  it('splits relative paths; the empty path is the root; one trailing slash is a folder', () => {
    expect(parseRepoPath('')).toEqual([]);
    expect(parseRepoPath('/')).toEqual([]);
    expect(parseRepoPath('a')).toEqual(['a']);
    expect(parseRepoPath('a/b c/naïve.txt')).toEqual(['a', 'b c', 'naïve.txt']);
    expect(parseRepoPath('src/')).toEqual(['src']);
    expect(parseRepoPath('.hidden/..x')).toEqual(['.hidden', '..x']);
  });

  it('refuses absolute paths, empty, . and .. components, NUL, lone surrogates and overlong paths', () => {
    for (const bad of ['/etc/passwd', 'a//b', '..', 'a/../b', './a', 'a/.', 'a\0b', 'a\uD800', 'a//', 'x'.repeat(4097)]) {
      expect(() => parseRepoPath(bad, 'path'), JSON.stringify(bad.slice(0, 10))).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', details: { field: 'path' } }));
    }
  });
});
