import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRun, gitText } from '../../../../test/support/gitBytes.ts';
import { useTempDir } from '../../../../test/support/tempDir.ts';
import { pathspecMatcher } from './pathspecMatcher.ts';

const PATHS = [
  'README.md', 'a.c', 'srcx.c', 'src/a.c', 'src/b.h', 'src/sub/b.c', 'src/sub/deep/c.c', 'src/sub/deep/d.txt',
  'docs/x.md', 'docs/guide/y.md', 'café/é.txt', 'café/e.txt', 'weird [name].txt', 'star*.txt', 'q?.txt', 'x/src/a.c',
  'Makefile', 'a/b/c/d/e/f.c', '-dash.txt',
];

/** What `git grep -l` selects with these pathspecs under the `:(glob)` magic. */
function gitSelects(dir: string, specs: string[]): string[] {
  const magic = specs.map((s) => (s.startsWith(':!') ? `:(exclude,glob)${s.slice(2)}` : `:(glob)${s}`));
  const result = gitRun(['-c', 'core.quotePath=false', 'grep', '-l', '-e', 'x', 'HEAD', '--', ...magic], { cwd: dir });
  if (result.status === 1) return [];
  expect(result.status, result.stderr).toBe(0);
  return new TextDecoder().decode(result.stdout).split('\n').filter((l) => l !== '').map((l) => l.slice('HEAD:'.length));
}

describe('pathspecMatcher', () => {
  const dir = useTempDir('grove-path-filter-');
  gitText(['init', '-q'], { cwd: dir });
  for (const path of PATHS) {
    mkdirSync(join(dir, dirname(path)), { recursive: true });
    writeFileSync(join(dir, path), 'x\n');
  }
  gitText(['add', '.'], { cwd: dir });
  gitText(['commit', '-q', '-m', 'paths'], { cwd: dir });

  const cases: string[][] = [
    ['src'], ['src/'], ['src/*'], ['*.c'], ['src/**'], ['**/*.c'], ['src/**/*.c'], ['**'], ['s?c'], ['sr'], ['*'],
    ['src/*.c'], ['docs/**/y.md'], ['**/sub'], ['**/sub/**'], ['src/sub/deep'], ['a.c'], ['caf?/*'], ['café/*'],
    ['caf??/?.txt'], ['weird \\[name\\].txt'], ['weird [[]name].txt'], ['star\\*.txt'], ['[!a-m]*'], ['[[:upper:]]*'],
    ['*.md', 'src/sub'], ['src', ':!src/sub'], [':!*.c'], ['**/d.*'], ['a/**/f.c'], ['a/**/**/f.c'], ['**/**/c.c'],
    ['src/**/'], ['x/**/a.c'], ['src***'], ['sr**'], ['src*'], ['x**/a.c'], ['src**/b.c'], ['*/a.c'], ['[-]*'], ['*[!.]txt'],
    ['src//sub'], ['./src/./sub/.'], ['**/.'], ['**//*.c'], ['.'],
  ];
  for (const specs of cases) {
    it(`selects what git selects for ${JSON.stringify(specs)}`, () => {
      const filter = pathspecMatcher(specs);
      const ours = PATHS.filter((p) => filter.selects(p)).sort();
      expect(ours).toEqual(gitSelects(dir, specs).sort());
    });
  }

  it('never skips a directory holding a selected file', () => {
    for (const specs of cases) {
      const filter = pathspecMatcher(specs);
      for (const path of PATHS.filter((p) => filter.selects(p))) {
        const parts = path.split('/');
        for (let i = 1; i < parts.length; i++) expect(filter.mayReach(parts.slice(0, i).join('/')), `${specs} ${path}`).toBe(true);
      }
    }
    expect(pathspecMatcher(['src/*.c']).mayReach('docs')).toBe(false);
  });

  it('refuses pathspec magic it does not implement, and paths outside the repository', () => {
    for (const spec of [':(icase)src', '/etc', 'src/../..', 'a\0b']) {
      expect(() => pathspecMatcher([spec]), spec).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', details: { field: 'paths' } }));
    }
  });
});
