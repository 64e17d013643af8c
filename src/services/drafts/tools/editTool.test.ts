/**
 * `edit` on a real draft: what it writes, and its diff compared byte for
 * byte with what `git diff` prints for the same change in the work tree the
 * draft's repository was made from.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitBytes, gitText } from '../../../../test/support/gitBytes.ts';
import { withDraft } from '../../../../test/drafts/support/draftFixture.ts';
import type { FileView } from '../files.ts';
import { toolPath } from '../toolPath.ts';
import { editTool, type EditArgs } from './editTool.ts';
import { walkTree } from './walkTree.ts';

const dec = new TextDecoder();

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code: string; details?: Record<string, unknown> };
    return { code: e.code, ...e.details };
  }
  throw new Error('expected a failure');
}

async function snapshot(files: FileView): Promise<string[]> {
  const out: string[] = [];
  for await (const e of walkTree(files, [])) out.push(`${e.path} ${e.kind} ${e.mode.toString(8)} ${e.sha}`);
  return out;
}

/** `git diff` of the same change: the new content written into the work tree, staged, diffed against HEAD. */
function gitDiff(workTree: string, path: string, content: string): string {
  mkdirSync(dirname(join(workTree, path)), { recursive: true });
  writeFileSync(join(workTree, path), content);
  gitText(['add', '-A'], { cwd: workTree });
  return dec.decode(gitBytes(['diff', '--cached', '--no-color', '--no-ext-diff', '--', path], { cwd: workTree }));
}

const LINES = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);

describe('edit', () => {
  const cases: { name: string; before: string; args: Omit<EditArgs, 'path'>; after: string }[] = [
    { name: 'one line in the middle', before: `${LINES.join('\n')}\n`, args: { old_string: 'line 20\n', new_string: 'line twenty\n' }, after: `${LINES.join('\n')}\n`.replace('line 20\n', 'line twenty\n') },
    {
      name: 'several edits far apart (two hunks)',
      before: `${LINES.join('\n')}\n`,
      args: { edits: [{ old_string: 'line 3\n', new_string: 'three\n' }, { old_string: 'line 37\nline 38\n', new_string: '' }] },
      after: `${LINES.join('\n')}\n`.replace('line 3\n', 'three\n').replace('line 37\nline 38\n', ''),
    },
    { name: 'replace_all', before: 'a = 1\nb = a\nc = a + a\n', args: { old_string: 'a', new_string: 'alpha', replace_all: true }, after: 'alpha = 1\nb = alpha\nc = alpha + alpha\n' },
    { name: 'the last line, without a final newline', before: 'x\ny', args: { old_string: 'y', new_string: 'why\n' }, after: 'x\nwhy\n' },
    { name: 'a CRLF file, matched loosely', before: 'one\r\ntwo\r\nthree\r\n', args: { old_string: 'one\ntwo\n', new_string: 'uno\ndos\n' }, after: 'uno\r\ndos\r\nthree\r\n' },
    { name: 'indentation differing in tabs and spaces', before: 'function f() {\n\treturn  1;\n}\n', args: { old_string: '  return 1;', new_string: '\treturn 2;' }, after: 'function f() {\n\treturn 2;\n}\n' },
    { name: 'non-ASCII text', before: 'naïve café\n日本語\n', args: { old_string: '日本語', new_string: 'にほんご' }, after: 'naïve café\nにほんご\n' },
  ];

  it.each(cases)('writes the edit and answers with the diff git prints: $name', async ({ before, args, after }) => {
    await withDraft({ 'src/file.txt': before }, async (files, ctx) => {
      const result = await editTool(files, { path: '/src/file.txt', ...args });
      expect(dec.decode(await files.read(toolPath('src/file.txt')))).toBe(after);
      expect(result.path).toBe('src/file.txt');
      expect(result.size).toBe(new TextEncoder().encode(after).length);
      expect(result.sha).toBe((await files.stat(toolPath('src/file.txt')))!.sha);
      expect(result.diff).toBe(gitDiff(ctx.workTree, 'src/file.txt', after));
    });
  });

  it('keeps the mode of an executable file, and its diff says so as git does', async () => {
    await withDraft({ 'run.sh': '#!/bin/sh\necho hi\n' }, async (files, ctx) => {
      await files.write(toolPath('run.sh'), new TextEncoder().encode('#!/bin/sh\necho hi\n'), { mode: 0o100755 });
      chmodSync(join(ctx.workTree, 'run.sh'), 0o755);
      gitText(['commit', '-q', '-a', '-m', 'x'], { cwd: ctx.workTree });
      const result = await editTool(files, { path: 'run.sh', old_string: 'hi', new_string: 'bye' });
      expect((await files.stat(toolPath('run.sh')))!.mode).toBe(0o100755);
      expect(result.diff).toMatch(/^index \w+\.\.\w+ 100755$/m);
      expect(result.diff).toBe(gitDiff(ctx.workTree, 'run.sh', '#!/bin/sh\necho bye\n'));
    });
  });

  it('creates a file with an empty old_string; the diff is that of a new file', async () => {
    await withDraft({ 'a.txt': 'a\n' }, async (files, ctx) => {
      const result = await editTool(files, { path: 'new/b.txt', edits: [{ old_string: '', new_string: 'hello\nworld\n' }, { old_string: 'world', new_string: 'there' }] });
      expect(result.replacements).toBe(2);
      expect(dec.decode(await files.read(toolPath('new/b.txt')))).toBe('hello\nthere\n');
      expect(result.diff).toBe(gitDiff(ctx.workTree, 'new/b.txt', 'hello\nthere\n'));
    });
  });

  it('edits a 50 MiB file, exactly and loosely, with the diff git prints', async () => {
    await withDraft({ 'big.txt': 'small\n' }, async (files, ctx) => {
      const line = `${'0123456789'.repeat(9)}abcdefghi\n`;
      const lines = Array.from({ length: 512 * 1024 }, () => line);
      lines[300_000] = 'needle\r\n';
      const text = lines.join('');
      await files.write(['big.txt'], new TextEncoder().encode(text));
      writeFileSync(join(ctx.workTree, 'big.txt'), text);
      gitText(['commit', '-q', '-a', '-m', 'big'], { cwd: ctx.workTree });
      const result = await editTool(files, { path: 'big.txt', edits: [{ old_string: 'needle\n012', new_string: 'found\n012' }] });
      const after = text.replace('needle\r\n012', 'found\r\n012');
      expect(result.size).toBe(after.length);
      expect(result.diff).toBe(gitDiff(ctx.workTree, 'big.txt', after));
    });
  });

  it('changes nothing when any edit fails, and says which', async () => {
    await withDraft({ 'a.txt': 'one\ntwo\ntwo\n', 'bin.dat': new Uint8Array([1, 0, 2]), 'dir/x': 'x' }, async (files) => {
      const before = await snapshot(files);
      const failures = [
        [{ path: 'a.txt', edits: [{ old_string: 'one', new_string: '1' }, { old_string: 'nope', new_string: 'x' }] }, { code: 'EINVAL', edit: 1, field: 'edits[1].old_string' }],
        [{ path: 'a.txt', old_string: 'two', new_string: '2' }, { code: 'EINVAL', edit: 0, count: 2, field: 'old_string' }],
        [{ path: 'a.txt', old_string: 'one', new_string: 'one' }, { code: 'EINVAL', field: 'new_string' }],
        [{ path: 'a.txt', edits: [{ old_string: 'one', new_string: '1' }, { old_string: '', new_string: 'x' }] }, { code: 'EINVAL', field: 'edits[1].old_string' }],
        [{ path: 'a.txt', old_string: '', new_string: 'x' }, { code: 'EEXIST' }],
        [{ path: 'missing.txt', old_string: 'a', new_string: 'b' }, { code: 'ENOENT' }],
        [{ path: 'dir', old_string: 'a', new_string: 'b' }, { code: 'EISDIR' }],
        [{ path: 'a.txt/x', old_string: 'a', new_string: 'b' }, { code: 'ENOTDIR' }],
        [{ path: 'bin.dat', old_string: 'a', new_string: 'b' }, { code: 'EINVAL', field: 'path' }],
        [{ path: 'a.txt', edits: [], }, { code: 'EINVAL', field: 'edits' }],
        [{ path: 'a.txt', edits: [{ old_string: 'one', new_string: '1' }], old_string: 'two', new_string: '2' }, { code: 'EINVAL', field: 'edits' }],
        [{ path: 'a.txt', old_string: 'one' }, { code: 'EINVAL', field: 'new_string' }],
        [{ path: '.git/config', old_string: '', new_string: 'x' }, { code: 'EINVAL', field: 'path' }],
      ] as const;
      for (const [args, expected] of failures) {
        expect(await failure(editTool(files, args as EditArgs)), JSON.stringify(args)).toMatchObject(expected);
      }
      expect(await snapshot(files)).toEqual(before);
    });
  });

  it('refuses to edit a symbolic link', async () => {
    await withDraft({ 'a.txt': 'a\n' }, async (files) => {
      await files.write(toolPath('link'), new TextEncoder().encode('a.txt'), { mode: 0o120000 });
      expect(await failure(editTool(files, { path: 'link', old_string: 'a', new_string: 'b' }))).toMatchObject({ code: 'EINVAL', field: 'path' });
    });
  });
});
