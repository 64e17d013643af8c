/**
 * `glob` on a real draft, its answers compared with what `git ls-files`
 * selects with the same pattern as a `:(glob)` pathspec (git's wildmatch
 * with WM_PATHNAME) in the work tree the draft was made from.
 */
import { describe, expect, it } from 'vitest';
import { gitBytes } from '../../../../test/support/gitBytes.ts';
import { withDraft } from '../../../../test/drafts/support/draftFixture.ts';
import { globTool, type GlobArgs } from './globTool.ts';

const FILES: Record<string, string> = {
  'README.md': 'r',
  'a-b.txt': 'x',
  'a/x.txt': 'x',
  'src/index.ts': 'x',
  'src/lib/util.ts': 'x',
  'src/lib/deep/more.ts': 'x',
  'src/lib/deep/notes.md': 'x',
  'src/b.js': 'x',
  'docs/guide.md': 'x',
  'docs/api/ref.md': 'x',
  'node_modules/pkg/index.js': 'x',
  'node_modules/pkg/lib/x.ts': 'x',
  'build/out.js': 'x',
  'build/sub/out.ts': 'x',
  'test/[weird].ts': 'x',
  'é/ünï.ts': 'x',
};

function gitGlob(workTree: string, pattern: string, exclude: string[] = []): string[] {
  const specs = [`:(glob)${pattern}`, ...exclude.map((e) => `:(glob,exclude)${e}`)];
  const out = new TextDecoder().decode(gitBytes(['-c', 'core.quotePath=false', 'ls-files', '-z', '--', ...specs], { cwd: workTree }));
  return out.split('\0').filter((p) => p !== '').sort();
}

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code: string; details?: Record<string, unknown> };
    return { code: e.code, ...e.details };
  }
  throw new Error('expected a failure');
}

describe('glob', () => {
  const patterns = ['**/*.ts', '*.md', '**/*.md', 'src/*', 'src/**', 'src/**/*.ts', '**/lib/**', 's?c/*/*.ts', '[ab]*', '[ab]*/*', 'docs/**/*.md', '**/deep/*', 'test/\\[weird\\].ts', 'é/*.ts', '**'];

  it.each(patterns)('selects what git selects for %s', async (pattern) => {
    await withDraft(FILES, async (files, ctx) => {
      const result = await globTool(files, { pattern });
      expect([...result.paths].sort()).toEqual(gitGlob(ctx.workTree, pattern));
      expect(result.truncated).toBe(false);
    });
  });

  it.each([
    ['**/*.ts', ['node_modules/**']],
    ['**', ['build/**', '**/*.md']],
    ['**/*.js', ['**/pkg/**']],
  ])('leaves out what git leaves out for %s excluding %j', async (pattern, exclude) => {
    await withDraft(FILES, async (files, ctx) => {
      const result = await globTool(files, { pattern, exclude });
      expect([...result.paths].sort()).toEqual(gitGlob(ctx.workTree, pattern, exclude));
    });
  });

  it('prunes a folder an exclude pattern names', async () => {
    await withDraft(FILES, async (files) => {
      const result = await globTool(files, { pattern: '**/*.js', exclude: ['node_modules'] });
      expect(result.paths).toEqual(['build/out.js', 'src/b.js']);
      expect((await globTool(files, { pattern: '**/*.ts', exclude: ['**/deep'] })).paths).not.toContain('src/lib/deep/more.ts');
    });
  });

  it('lists in depth-first name order, full paths from the root, relative patterns under path', async () => {
    await withDraft(FILES, async (files) => {
      expect((await globTool(files, { pattern: '**/*.ts', path: '/src' })).paths).toEqual(['src/index.ts', 'src/lib/deep/more.ts', 'src/lib/util.ts']);
      expect((await globTool(files, { pattern: '*.ts', path: 'src/lib' })).paths).toEqual(['src/lib/util.ts']);
      expect((await globTool(files, { pattern: 'a*' })).paths).toEqual(['a-b.txt']);
      // folder 'a' and what it holds come before 'a-b.txt': names sort bytewise, a folder right before its contents
      expect((await globTool(files, { pattern: '**/*.txt' })).paths).toEqual(['a/x.txt', 'a-b.txt']);
    });
  });

  it('stops at limit and says so', async () => {
    await withDraft(FILES, async (files) => {
      expect(await globTool(files, { pattern: '**/*.ts', limit: 2 })).toEqual({ paths: ['build/sub/out.ts', 'node_modules/pkg/lib/x.ts'], truncated: true });
      expect(await globTool(files, { pattern: 'src/lib/deep/*', limit: 2 })).toEqual({ paths: ['src/lib/deep/more.ts', 'src/lib/deep/notes.md'], truncated: false });
    });
  });

  it('fails with ENOENT, ENOTDIR and EINVAL', async () => {
    await withDraft(FILES, async (files) => {
      const cases: [GlobArgs, Record<string, unknown>][] = [
        [{ pattern: '*', path: 'nope' }, { code: 'ENOENT' }],
        [{ pattern: '*', path: 'README.md' }, { code: 'ENOTDIR' }],
        [{ pattern: '[abc' }, { code: 'EINVAL', field: 'pattern' }],
        [{ pattern: '' }, { code: 'EINVAL', field: 'pattern' }],
        [{ pattern: '*', exclude: ['ok', 'bad\\'] }, { code: 'EINVAL', field: 'exclude[1]' }],
        [{ pattern: '*', limit: 0 }, { code: 'EINVAL', field: 'limit' }],
        [{ pattern: '*', limit: 10_001 }, { code: 'EINVAL', field: 'limit' }],
        [{ pattern: '*', path: '../x' }, { code: 'EINVAL', field: 'path' }],
      ];
      for (const [args, expected] of cases) expect(await failure(globTool(files, args)), JSON.stringify(args)).toMatchObject(expected);
    });
  });
});
