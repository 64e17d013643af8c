/**
 * A draft seen through a scoped token's policy: what can be seen and
 * changed, and that a refused call is FORBIDDEN and changes nothing (the
 * draft's whole state, read through the unscoped files, compared before
 * and after).
 */
import { describe, expect, it } from 'vitest';
import { withDraft } from '../../../test/drafts/support/draftFixture.ts';
import type { FileView } from './files.ts';
import { ScopedFiles, type PathPolicy } from './ScopedFiles.ts';
import { runTool } from './tools/runTool.ts';
import { walkTree } from './tools/walkTree.ts';
import { toolPath } from './toolPath.ts';

const FILES = {
  'README.md': '# readme\n',
  'CHANGES.md': 'changes\n',
  'run.sh': '#!/bin/sh\n',
  'src/a.ts': 'export const a = 1;\n',
  'src/lib/b.ts': 'export const b = 2;\n',
  'src/lib/notes.md': 'notes\n',
  'docs/guide.md': 'guide\n',
  'docs/api/ref.md': 'ref\n',
  'secret/key.txt': 'hunter2\n',
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

async function snapshot(files: FileView): Promise<string[]> {
  const out: string[] = [];
  for await (const e of walkTree(files, [])) out.push(`${e.path} ${e.kind} ${e.mode.toString(8)} ${e.sha}`);
  return out;
}

async function withScoped(policy: PathPolicy, fn: (scoped: ScopedFiles, inner: FileView) => Promise<void>): Promise<void> {
  await withDraft(FILES, async (files) => fn(new ScopedFiles(files, policy), files));
}

describe('ScopedFiles', () => {
  it('shows only what the read globs reach, and folders on the way to it', async () => {
    await withScoped({ read: ['src/**', '*.md', 'docs/*.md'], write: [] }, async (scoped) => {
      expect((await runTool(scoped, 'ls', {})).entries.map((e) => e.path)).toEqual(['CHANGES.md', 'README.md', 'docs', 'src']);
      expect((await runTool(scoped, 'ls', { path: 'docs' })).entries.map((e) => e.path)).toEqual(['docs/guide.md']);
      expect((await runTool(scoped, 'ls', { recursive: true })).entries.map((e) => e.path)).toEqual([
        'CHANGES.md', 'README.md', 'docs', 'docs/guide.md', 'src', 'src/a.ts', 'src/lib', 'src/lib/b.ts', 'src/lib/notes.md',
      ]);
      expect((await runTool(scoped, 'glob', { pattern: '**/*.md' })).paths).toEqual(['CHANGES.md', 'README.md', 'docs/guide.md', 'src/lib/notes.md']);
      expect((await runTool(scoped, 'grep', { pattern: 'e' })).matches.map((m) => m.path)).not.toContain('secret/key.txt');
      expect(await runTool(scoped, 'read', { path: 'src/lib/b.ts' })).toMatchObject({ content: FILES['src/lib/b.ts'] });
      expect(await runTool(scoped, 'stat', { path: 'src/lib' })).toMatchObject({ kind: 'dir' });
    });
  });

  it('refuses what lies outside the read globs as FORBIDDEN, whether it exists or not', async () => {
    await withScoped({ read: ['src/**', '*.md', 'docs/*.md'], write: ['**'] }, async (scoped) => {
      const cases: [string, Record<string, unknown>, string][] = [
        ['read', { path: 'secret/key.txt' }, 'secret/key.txt'],
        ['read', { path: 'secret/none.txt' }, 'secret/none.txt'],
        ['read', { path: 'run.sh' }, 'run.sh'],
        ['read', { path: 'docs/api/ref.md' }, 'docs/api/ref.md'],
        ['stat', { path: 'secret' }, 'secret'],
        ['stat', { path: 'docs/api' }, 'docs/api'],
        ['ls', { path: 'secret' }, 'secret'],
        ['ls', { path: 'docs/api' }, 'docs/api'],
        ['glob', { pattern: '*', path: 'secret' }, 'secret'],
        ['edit', { path: 'run.sh', old_string: 'sh', new_string: 'bash' }, 'run.sh'],
      ];
      for (const [tool, args, path] of cases) expect(await failure(runTool(scoped, tool, args)), `${tool} ${path}`).toMatchObject({ code: 'FORBIDDEN', path });
      expect(await failure(runTool(scoped, 'read', { path: 'src/none.ts' }))).toMatchObject({ code: 'ENOENT' });
    });
  });

  it('writes, edits, moves and removes within the write globs', async () => {
    await withScoped({ read: ['**'], write: ['src/**'] }, async (scoped, inner) => {
      await runTool(scoped, 'write', { path: 'src/new/c.ts', content: 'c\n' });
      await runTool(scoped, 'edit', { path: 'src/a.ts', old_string: '1', new_string: '10' });
      await runTool(scoped, 'mv', { from: 'src/lib', to: 'src/moved' });
      await runTool(scoped, 'mkdir', { path: 'src/empty' });
      expect(await runTool(scoped, 'rm', { path: 'src/moved', recursive: true })).toEqual({ path: 'src/moved', removed: 2 });
      expect((await snapshot(inner)).filter((l) => l.startsWith('src')).map((l) => l.split(' ')[0])).toEqual(['src', 'src/a.ts', 'src/empty', 'src/new', 'src/new/c.ts']);
    });
  });

  const refusals: [PathPolicy, string, Record<string, unknown>, string][] = [
    [{ read: ['**'], write: ['src/**'] }, 'write', { path: 'README.md', content: 'x' }, 'README.md'],
    [{ read: ['**'], write: ['src/**'] }, 'write', { path: 'srcx/a.ts', content: 'x' }, 'srcx/a.ts'],
    [{ read: ['**'], write: ['src/**'] }, 'edit', { path: 'README.md', old_string: 'readme', new_string: 'x' }, 'README.md'],
    [{ read: ['**'], write: ['src/**'] }, 'rm', { path: 'README.md' }, 'README.md'],
    [{ read: ['**'], write: ['src/**'] }, 'rm', { path: 'docs', recursive: true }, 'docs'],
    [{ read: ['**'], write: ['src/**'] }, 'mkdir', { path: 'docs/new' }, 'docs/new'],
    [{ read: ['**'], write: ['src/**'] }, 'mv', { from: 'src/a.ts', to: 'docs/a.ts' }, 'docs/a.ts'],
    [{ read: ['**'], write: ['src/**'] }, 'mv', { from: 'README.md', to: 'src/README.md' }, 'README.md'],
    [{ read: ['**'], write: ['src/**/*.ts'] }, 'rm', { path: 'src/lib', recursive: true }, 'src/lib/notes.md'],
    [{ read: ['**'], write: ['src/**/*.ts'] }, 'mv', { from: 'src/lib', to: 'src/lib2' }, 'src/lib/notes.md'],
    [{ read: ['**'], write: ['src/*.ts', 'src/lib/**'] }, 'mv', { from: 'src/lib', to: 'src/other' }, 'src/other'],
    [{ read: ['**'], write: ['src/**', 'docs/*.md'] }, 'mv', { from: 'docs/guide.md', to: 'docs/api/guide.md' }, 'docs/api/guide.md'],
    [{ read: ['**'], write: ['src/**', 'docs/*.md'] }, 'mv', { from: 'src/a.ts', to: 'docs/api' }, 'docs/api'],
    [{ read: ['**'], write: ['*.md'] }, 'mv', { from: 'CHANGES.md', to: 'docs' }, 'docs'],
    [{ read: ['**'], write: [] }, 'mkdir', { path: 'x' }, 'x'],
  ];

  it.each(refusals)('with %j, %s %j is FORBIDDEN naming %s, and changes nothing', async (policy, tool, args, path) => {
    await withScoped(policy, async (scoped, inner) => {
      const before = await snapshot(inner);
      expect(await failure(runTool(scoped, tool, args))).toMatchObject({ code: 'FORBIDDEN', path });
      expect(await snapshot(inner)).toEqual(before);
    });
  });

  it('refuses a move onto a file outside the write globs', async () => {
    await withDraft({ 'src/a.ts': 'a', 'keep/b.ts': 'b' }, async (files) => {
      const scoped = new ScopedFiles(files, { read: ['**'], write: ['src/**', 'keep/new.ts'] });
      expect(await failure(scoped.move(toolPath('src/a.ts'), toolPath('keep/b.ts')))).toMatchObject({ code: 'FORBIDDEN', path: 'keep/b.ts' });
      await scoped.move(toolPath('src/a.ts'), toolPath('keep/new.ts'));
      expect(await files.stat(toolPath('keep/new.ts'))).toMatchObject({ kind: 'file' });
    });
  });

  it('is as writable as the files it wraps, and refuses a bad glob as EINVAL', async () => {
    await withDraft(FILES, async (files, ctx) => {
      expect(new ScopedFiles(files, { read: ['**'], write: [] }).writable).toBe(true);
      const reader = await ctx.drafts.reader(ctx.repo, ctx.draft.id);
      expect(new ScopedFiles(reader, { read: ['**'], write: ['**'] }).writable).toBe(false);
      expect(() => new ScopedFiles(files, { read: ['[oops'], write: [] })).toThrow(expect.objectContaining({ code: 'EINVAL', details: expect.objectContaining({ field: 'read[0]' }) }));
    });
  });
});
