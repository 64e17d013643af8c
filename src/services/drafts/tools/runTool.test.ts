/**
 * Every tool through runTool on a real draft: what each does, and every
 * error path — with the draft's whole state compared before and after, so
 * a call that fails is seen to change nothing.
 */
import { describe, expect, it } from 'vitest';
import { withDraft } from '../../../../test/drafts/support/draftFixture.ts';
import type { FileView } from '../files.ts';
import { toolPath } from '../toolPath.ts';
import { isReadOnlyTool, isToolName, READ_ONLY_TOOLS, runTool, TOOL_NAMES } from './runTool.ts';
import { walkTree } from './walkTree.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

const FILES = {
  'README.md': '# Project\n\nSome words.\n',
  'src/a.ts': 'export const a = 1;\n',
  'src/lib/b.ts': 'export const b = 2;\n',
  'docs/empty/.keep': '',
  'run.sh': '#!/bin/sh\necho run\n',
};

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code: string; details?: Record<string, unknown> };
    return { code: e.code, ...e.details };
  }
  throw new Error('expected a failure');
}

/** Every path below the root with its kind, mode and blob id. */
async function snapshot(files: FileView): Promise<string[]> {
  const out: string[] = [];
  for await (const e of walkTree(files, [])) out.push(`${e.path} ${e.kind} ${e.mode.toString(8)} ${e.sha}`);
  return out;
}

describe('runTool', () => {
  it('names the tools and the read-only ones', () => {
    expect(TOOL_NAMES).toEqual(['read', 'write', 'edit', 'ls', 'glob', 'grep', 'stat', 'mkdir', 'rm', 'mv']);
    expect(READ_ONLY_TOOLS).toEqual(['read', 'ls', 'glob', 'grep', 'stat']);
    expect(isToolName('grep')).toBe(true);
    expect(isToolName('exec')).toBe(false);
    expect(isReadOnlyTool('write')).toBe(false);
  });

  it('runs each tool on a draft', async () => {
    await withDraft(FILES, async (files) => {
      expect(await runTool(files, 'write', { path: 'new/dir/n.txt', content: 'hi\n' })).toMatchObject({ path: 'new/dir/n.txt', size: 3, created: true });
      expect(await runTool(files, 'read', { path: 'new/dir/n.txt' })).toMatchObject({ kind: 'text', content: 'hi\n' });
      expect(await runTool(files, 'edit', { path: 'new/dir/n.txt', old_string: 'hi', new_string: 'hello' })).toMatchObject({ replacements: 1, size: 6 });
      expect(await runTool(files, 'stat', { path: 'new/dir' })).toEqual({ path: 'new/dir', name: 'dir', kind: 'dir', size: 0, mode: '40000', sha: null });
      expect((await runTool(files, 'ls', { path: 'new', recursive: true })).entries.map((e) => e.path)).toEqual(['new/dir', 'new/dir/n.txt']);
      expect(await runTool(files, 'glob', { pattern: '**/*.txt' })).toEqual({ paths: ['new/dir/n.txt'], truncated: false });
      expect((await runTool(files, 'grep', { pattern: 'hello' })).matches).toEqual([{ path: 'new/dir/n.txt', line: 1, text: 'hello' }]);
      expect(await runTool(files, 'mkdir', { path: 'x/y' })).toMatchObject({ path: 'x/y', kind: 'dir', mode: '40000' });
      expect(await runTool(files, 'mv', { from: 'new/dir', to: 'x/y/moved' })).toEqual({ from: 'new/dir', to: 'x/y/moved' });
      expect(dec.decode(await files.read(toolPath('x/y/moved/n.txt')))).toBe('hello\n');
      expect(await runTool(files, 'rm', { path: 'x', recursive: true })).toEqual({ path: 'x', removed: 1 });
      expect(await runTool(files, 'rm', { path: 'README.md' })).toEqual({ path: 'README.md', removed: 1 });
      expect((await runTool(files, 'ls', {})).entries.map((e) => e.name)).toEqual(['docs', 'new', 'run.sh', 'src']);
    });
  });

  it('writes files: created or replaced, modes, base64', async () => {
    await withDraft(FILES, async (files) => {
      await files.write(toolPath('run.sh'), enc.encode('#!/bin/sh\n'), { mode: 0o100755 });
      const replaced = await runTool(files, 'write', { path: 'run.sh', content: '#!/bin/sh\necho new\n' });
      expect(replaced).toMatchObject({ created: false, size: 19 });
      expect(await files.stat(['run.sh'])).toMatchObject({ mode: 0o100755, sha: replaced.sha });
      await runTool(files, 'write', { path: 'run.sh', content: 'x', executable: false });
      expect((await files.stat(['run.sh']))!.mode).toBe(0o100644);
      await runTool(files, 'write', { path: 'tool', content: 'x', executable: true });
      expect((await files.stat(['tool']))!.mode).toBe(0o100755);
      const bytes = new Uint8Array([0, 1, 2, 255, 254]);
      expect(await runTool(files, 'write', { path: 'b.bin', content: Buffer.from(bytes).toString('base64'), encoding: 'base64' })).toMatchObject({ size: 5, created: true });
      expect(await files.read(['b.bin'])).toEqual(bytes);
      await files.write(['link'], enc.encode('README.md'), { mode: 0o120000 });
      await runTool(files, 'write', { path: 'link', content: 'now a file' });
      expect(await files.stat(['link'])).toMatchObject({ kind: 'file', mode: 0o100644 });
    });
  });

  it('makes folders with or without parents', async () => {
    await withDraft(FILES, async (files) => {
      expect(await runTool(files, 'mkdir', { path: 'src' })).toMatchObject({ kind: 'dir' }); // parents: an existing folder is fine
      expect(await runTool(files, 'mkdir', { path: 'src/new', parents: false })).toMatchObject({ path: 'src/new' });
      expect(await files.stat(toolPath('src/new'))).toMatchObject({ kind: 'dir' });
    });
  });

  const failures: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['read', { path: 'missing' }, { code: 'ENOENT' }],
    ['read', { path: 'src' }, { code: 'EISDIR' }],
    ['read', { path: 'README.md/x' }, { code: 'ENOTDIR' }],
    ['stat', { path: 'missing' }, { code: 'ENOENT' }],
    ['stat', { path: 'README.md/x' }, { code: 'ENOTDIR' }],
    ['ls', { path: 'missing' }, { code: 'ENOENT' }],
    ['ls', { path: 'README.md' }, { code: 'ENOTDIR' }],
    ['glob', { pattern: '*', path: 'missing' }, { code: 'ENOENT' }],
    ['grep', { pattern: 'x', path: 'README.md' }, { code: 'ENOTDIR' }],
    ['write', { path: 'src', content: 'x' }, { code: 'EISDIR' }],
    ['write', { path: 'README.md/x', content: 'x' }, { code: 'ENOTDIR' }],
    ['write', { path: '/', content: 'x' }, { code: 'EINVAL', field: 'path' }],
    ['write', { path: 'a/.git/x', content: 'x' }, { code: 'EINVAL', field: 'path' }],
    ['write', { path: '../up', content: 'x' }, { code: 'EINVAL', field: 'path' }],
    ['write', { path: 'x'.repeat(256), content: 'x' }, { code: 'EINVAL', field: 'path' }],
    ['write', { path: 'b.bin', content: 'not base64!', encoding: 'base64' }, { code: 'EINVAL', field: 'content' }],
    ['write', { path: 'b.bin', content: 'x', encoding: 'latin1' }, { code: 'EINVAL', field: 'encoding' }],
    ['write', { path: 'b.bin' }, { code: 'EINVAL', field: 'content' }],
    ['edit', { path: 'missing', old_string: 'a', new_string: 'b' }, { code: 'ENOENT' }],
    ['edit', { path: 'src', old_string: 'a', new_string: 'b' }, { code: 'EISDIR' }],
    ['edit', { path: 'README.md', old_string: '', new_string: 'b' }, { code: 'EEXIST' }],
    ['edit', { path: 'README.md', old_string: 'absent', new_string: 'b' }, { code: 'EINVAL', edit: 0 }],
    ['mkdir', { path: 'README.md' }, { code: 'EEXIST' }],
    ['mkdir', { path: 'src', parents: false }, { code: 'EEXIST' }],
    ['mkdir', { path: 'no/such/parent', parents: false }, { code: 'ENOENT' }],
    ['mkdir', { path: 'README.md/x' }, { code: 'ENOTDIR' }],
    ['rm', { path: 'missing' }, { code: 'ENOENT' }],
    ['rm', { path: 'src' }, { code: 'ENOTEMPTY' }],
    ['rm', { path: '/' , recursive: true }, { code: 'EINVAL' }],
    ['rm', { path: 'README.md/x' }, { code: 'ENOTDIR' }],
    ['mv', { from: 'missing', to: 'x' }, { code: 'ENOENT' }],
    ['mv', { from: 'README.md', to: 'src' }, { code: 'EISDIR' }],
    ['mv', { from: 'src', to: 'README.md' }, { code: 'ENOTDIR' }],
    ['mv', { from: 'docs', to: 'src' }, { code: 'ENOTEMPTY' }],
    ['mv', { from: 'src', to: 'src/lib/inside' }, { code: 'EINVAL' }],
    ['mv', { from: 'README.md', to: 'run.sh/x' }, { code: 'ENOTDIR' }],
    ['mv', { from: 'README.md', to: '/' }, { code: 'EINVAL', field: 'to' }],
    ['mv', { from: 'README.md' }, { code: 'EINVAL', field: 'to' }],
  ];

  it.each(failures)('%s %j fails with %j and changes nothing', async (tool, args, expected) => {
    await withDraft(FILES, async (files) => {
      await files.write(toolPath('staged.txt'), enc.encode('a change in the overlay\n'));
      const before = await snapshot(files);
      expect(await failure(runTool(files, tool, args))).toMatchObject(expected);
      expect(await snapshot(files)).toEqual(before);
    });
  });

  it('refuses anything but an object of arguments, and names no tool that does not exist', async () => {
    await withDraft(FILES, async (files) => {
      for (const args of [null, 'path', [], 3]) expect(await failure(runTool(files, 'read', args))).toMatchObject({ code: 'EINVAL', field: 'arguments' });
      expect(await failure(runTool(files, 'exec', {}))).toMatchObject({ code: 'NOT_FOUND', tool: 'exec' });
    });
  });

  it('runs the read-only tools on a read-only view, and refuses the others as FORBIDDEN', async () => {
    await withDraft(FILES, async (_files, ctx) => {
      const reader = await ctx.drafts.reader(ctx.repo, ctx.draft.id);
      expect(reader.writable).toBe(false);
      expect(await runTool(reader, 'read', { path: 'src/a.ts' })).toMatchObject({ content: FILES['src/a.ts'] });
      expect(await runTool(reader, 'glob', { pattern: '**/*.ts' })).toEqual({ paths: ['src/a.ts', 'src/lib/b.ts'], truncated: false });
      const before = await snapshot(reader);
      for (const [tool, args] of [['write', { path: 'x', content: 'x' }], ['edit', { path: 'README.md', old_string: 'Project', new_string: 'P' }], ['mkdir', { path: 'd' }], ['rm', { path: 'README.md' }], ['mv', { from: 'README.md', to: 'R.md' }]] as const) {
        expect(await failure(runTool(reader, tool, args)), tool).toMatchObject({ code: 'FORBIDDEN', tool });
      }
      expect(await snapshot(reader)).toEqual(before);
    });
  });
});
