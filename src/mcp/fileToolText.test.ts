import { describe, expect, it } from 'vitest';
import { runTool } from '../services/drafts/tools/runTool.ts';
import { withDraft } from '../../test/drafts/support/draftFixture.ts';
import { gitText } from '../../test/support/gitBytes.ts';
import { fileToolText } from './fileToolText.ts';

const FILES = {
  'a.txt': 'one\nneedle two\nthree\nfour\nfive\nsix\nneedle seven\neight\nneedle nine\nten\n',
  'src/b.ts': 'const needle = 1;\nexport {};\n',
  'src/c.ts': 'nothing here\n',
};

/** The text without its last line, the summary in parentheses. */
function linesOf(text: string): string {
  return text.split('\n').slice(0, -1).join('\n');
}

describe('fileToolText', () => {
  it('prints grep matches as git grep -n does, with and without context', async () => {
    await withDraft(FILES, async (files, { workTree }) => {
      for (const context of [0, 1, 2]) {
        const json = await runTool(files, 'grep', { pattern: 'needle', context });
        const expected = gitText(['grep', '-n', ...(context > 0 ? [`-C${context}`] : []), 'needle'], { cwd: workTree });
        expect(linesOf(fileToolText('grep', json as unknown as Record<string, unknown>)), `context ${context}`).toBe(expected);
      }
      const json = await runTool(files, 'grep', { pattern: 'needle' });
      expect(fileToolText('grep', json as unknown as Record<string, unknown>).split('\n').at(-1)).toBe('(4 matching lines in 2 of 3 files searched)');
      const none = await runTool(files, 'grep', { pattern: 'absent' });
      expect(fileToolText('grep', none as unknown as Record<string, unknown>)).toBe('(no match)\n(0 matching lines in 0 of 3 files searched)');
    });
  });

  it('lists ls entries one a line and glob paths as git ls-files does', async () => {
    await withDraft(FILES, async (files, { workTree }) => {
      const ls = await runTool(files, 'ls', { path: '', recursive: true });
      const line = (path: string): string => {
        const [sha, size] = [gitText(['rev-parse', `HEAD:${path}`], { cwd: workTree }), gitText(['cat-file', '-s', `HEAD:${path}`], { cwd: workTree })];
        return `${path}  file ${size} bytes 100644 ${sha}`;
      };
      expect(fileToolText('ls', ls as unknown as Record<string, unknown>).split('\n')).toEqual([line('a.txt'), 'src/  dir', line('src/b.ts'), line('src/c.ts')]);
      const glob = await runTool(files, 'glob', { pattern: '**/*.ts' });
      expect(fileToolText('glob', glob as unknown as Record<string, unknown>)).toBe(gitText(['ls-files', '--', '*.ts'], { cwd: workTree }));
      const page = await runTool(files, 'ls', { path: '', recursive: true, limit: 1 });
      expect(fileToolText('ls', page as unknown as Record<string, unknown>)).toMatch(/^a\.txt {2}file .*\n\(more entries: call ls again with cursor '.+'\)$/);
    });
  });

  it('sums up write, edit, rm and mv in a line (edit with its diff)', async () => {
    await withDraft(FILES, async (files) => {
      const written = await runTool(files, 'write', { path: 'new/d.txt', content: 'd\n' });
      expect(fileToolText('write', written as unknown as Record<string, unknown>)).toBe(`wrote 'new/d.txt': 2 bytes, sha ${written.sha} (new file)`);
      const edited = await runTool(files, 'edit', { path: 'src/c.ts', old_string: 'nothing', new_string: 'something' });
      const text = fileToolText('edit', edited as unknown as Record<string, unknown>);
      expect(text.split('\n')[0]).toBe(`edited 'src/c.ts': 1 replacement, now 15 bytes, sha ${edited.sha}`);
      expect(text).toContain('-nothing here\n+something here');
      expect(fileToolText('mv', await runTool(files, 'mv', { from: 'src', to: 'lib' }) as unknown as Record<string, unknown>)).toBe("moved 'src' to 'lib'");
      expect(fileToolText('rm', await runTool(files, 'rm', { path: 'lib', recursive: true }) as unknown as Record<string, unknown>)).toBe("removed 'lib' (2 files)");
    });
  });
});
