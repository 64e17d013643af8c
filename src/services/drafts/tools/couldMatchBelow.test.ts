import { describe, expect, it } from 'vitest';
import { compileGlob } from './compileGlob.ts';
import { couldMatchBelow } from './couldMatchBelow.ts';

/** Every path of up to 4 components over a small alphabet of names. */
function universe(): string[][] {
  const names = ['a', 'b', 'src', 'x.md', 'lib', 'c.ts'];
  const out: string[][] = [];
  const grow = (prefix: string[]): void => {
    if (prefix.length > 0) out.push(prefix);
    if (prefix.length < 4) for (const n of names) grow([...prefix, n]);
  };
  grow([]);
  return out;
}

const PATTERNS = ['**', 'src/**', '*.md', 'docs/*.md', 'src/*/c.ts', '**/*.md', 'a/**/c.ts', 's?c/l*', '[ab]/*', 'src/**/lib/*', 'a*b/**', '*/*/*', 'b/', 'x.md'];

describe('couldMatchBelow', () => {
  const paths = universe();

  it.each(PATTERNS)('is true for %s wherever something below the folder matches (never too strict)', (pattern) => {
    const reaches = couldMatchBelow(pattern);
    const matches = compileGlob(pattern, 'p');
    for (const folder of paths) {
      const below = paths.some((p) => p.length > folder.length && folder.every((f, i) => p[i] === f) && matches(p.join('/')));
      if (below) expect(reaches(folder), `${pattern} under ${folder.join('/')}`).toBe(true);
    }
  });

  it('rules out folders a pattern cannot reach', () => {
    expect(couldMatchBelow('*.md')(['docs'])).toBe(false);
    expect(couldMatchBelow('*.md')([])).toBe(true);
    expect(couldMatchBelow('docs/*.md')(['docs'])).toBe(true);
    expect(couldMatchBelow('docs/*.md')(['docs', 'sub'])).toBe(false);
    expect(couldMatchBelow('docs/*.md')(['src'])).toBe(false);
    expect(couldMatchBelow('src/**')(['src', 'a', 'b'])).toBe(true);
    expect(couldMatchBelow('src/**')(['srcx'])).toBe(false);
    expect(couldMatchBelow('s*/*/x')(['src', 'lib'])).toBe(true);
    expect(couldMatchBelow('s*/*/x')(['src', 'lib', 'deeper'])).toBe(false);
    expect(couldMatchBelow('**/x')(['any', 'where'])).toBe(true);
    expect(couldMatchBelow('/src/**')(['src'])).toBe(true);
  });
});

describe('compileGlob', () => {
  it('matches whole paths with git wildmatch, ignoring a leading / or ./', () => {
    const t = (pattern: string, path: string): boolean => compileGlob(pattern, 'pattern')(path);
    expect(t('*.md', 'a.md')).toBe(true);
    expect(t('*.md', 'docs/a.md')).toBe(false);
    expect(t('**/*.md', 'a.md')).toBe(true);
    expect(t('**/*.md', 'docs/x/a.md')).toBe(true);
    expect(t('/src/*', 'src/a')).toBe(true);
    expect(t('./src/**', 'src/a/b')).toBe(true);
  });

  it('refuses a bad or empty pattern as EINVAL naming the argument', () => {
    for (const bad of ['[abc', 'a\\', '', '/']) {
      try {
        compileGlob(bad, 'exclude[2]');
        expect.unreachable();
      } catch (err) {
        expect(err).toMatchObject({ code: 'EINVAL', details: { field: 'exclude[2]' } });
      }
    }
  });
});
