/**
 * The copy-on-write files of a draft against a real directory: the same
 * operations run on both, then the draft's listing must equal the
 * directory's, and its checkpoint's tree must equal `git write-tree` of the
 * directory (Git keeps no empty folders, neither does a checkpoint).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DraftFiles } from '../../src/services/drafts/DraftFiles.ts';
import { toolPath } from '../../src/services/drafts/toolPath.ts';
import { gitText } from '../support/gitBytes.ts';
import { seededRandom } from '../support/seededRandom.ts';
import { withDraft, type DraftContext } from './support/draftFixture.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const p = (path: string): string[] => toolPath(path);

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'ok';
}

/** The tree git makes of the work tree as it is now. */
function gitTree(dir: string): string {
  gitText(['add', '-A'], { cwd: dir });
  return gitText(['write-tree'], { cwd: dir });
}

async function checkpointTree(ctx: DraftContext): Promise<string> {
  const { revision } = await ctx.drafts.checkpoint(ctx.repo, ctx.draft.id, { message: 'cp' });
  return (await ctx.repo.objects.readCommits([revision.sha])).get(revision.sha)!.tree;
}

const FILES = {
  'README.md': '# hello\n',
  'src/a.ts': 'export const a = 1;\n',
  'src/lib/b.ts': 'export const b = 2;\n',
  'src/lib/c.ts': 'export const c = 3;\n',
  'docs/guide/intro.md': 'intro\n',
  'bin/run.sh': '#!/bin/sh\necho run\n',
};

describe('DraftFiles', () => {
  it('reads the commit through an empty overlay', async () => {
    await withDraft(FILES, async (files) => {
      expect((await files.list([])).map((e) => `${e.kind}:${e.name}`)).toEqual(['file:README.md', 'dir:bin', 'dir:docs', 'dir:src']);
      expect(dec.decode(await files.read(p('src/lib/b.ts')))).toBe(FILES['src/lib/b.ts']);
      expect(await files.stat(p('src/lib/b.ts'))).toMatchObject({ kind: 'file', size: FILES['src/lib/b.ts'].length, mode: 0o100644 });
      expect(await files.stat(p('nope'))).toBeNull();
      expect(await code(files.read(p('src')))).toBe('EISDIR');
      expect(await code(files.read(p('nope')))).toBe('ENOENT');
      expect(await code(files.list(p('README.md')))).toBe('ENOTDIR');
      expect(await code(files.stat(p('README.md/x')))).toBe('ENOTDIR');
    });
  });

  it('refuses what POSIX refuses and changes nothing then', async () => {
    await withDraft(FILES, async (files, ctx) => {
      const before = ctx.repo.repo.drafts.countEntries(ctx.draft.id);
      expect(await code(files.write(p('src'), enc.encode('x')))).toBe('EISDIR');
      expect(await code(files.write(p('README.md/x'), enc.encode('x')))).toBe('ENOTDIR');
      expect(await code(files.mkdir(p('src')))).toBe('EEXIST');
      expect(await code(files.mkdir(p('a/b/c')))).toBe('ENOENT');
      expect(await code(files.remove(p('src')))).toBe('ENOTEMPTY');
      expect(await code(files.remove(p('missing')))).toBe('ENOENT');
      expect(await code(files.remove([]))).toBe('EINVAL');
      expect(await code(files.move(p('src'), p('src/lib/x')))).toBe('EINVAL');
      expect(await code(files.move(p('README.md'), p('src')))).toBe('EISDIR');
      expect(await code(files.move(p('src'), p('README.md')))).toBe('ENOTDIR');
      expect(await code(files.move(p('docs'), p('src')))).toBe('ENOTEMPTY');
      expect(await code(files.move(p('missing'), p('x')))).toBe('ENOENT');
      expect(await code(files.write(p('x'), enc.encode('x'), { mode: 0o100600 }))).toBe('EINVAL');
      expect(ctx.repo.repo.drafts.countEntries(ctx.draft.id)).toBe(before);
    });
  });

  it('matches a real directory under random writes, removes, moves and mkdirs', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      await withDraft(FILES, async (files, ctx) => {
        const dir = ctx.workTree;
        const random = seededRandom(seed);
        const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
        const names = ['a', 'b', 'src', 'lib', 'x.txt', 'y.md', 'docs', 'guide'];
        const randomPath = (): string => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(names)).join('/');
        const trace: string[] = [];
        for (let step = 0; step < 150; step++) {
          const op = pick(['write', 'write', 'rm', 'mv', 'mkdir', 'checkpoint']);
          const path = randomPath();
          if (op === 'checkpoint') {
            trace.push('checkpoint');
            expect(await checkpointTree(ctx), `seed ${seed} step ${step}\n${trace.join('\n')}`).toBe(gitTree(dir));
            pruneEmptyFolders(dir, ''); // a checkpoint is a Git commit: it keeps no empty folder
            continue;
          }
          const fsResult = fsOp(op, dir, path, randomPath(), `step ${step}\n`);
          const draftResult = await code(draftOp(files, op, path, fsResult.to, `step ${step}\n`));
          trace.push(`${op} ${path} ${op === 'mv' ? fsResult.to : ''} → ${fsResult.code}`);
          expect(draftResult, `seed ${seed} step ${step}: ${op} ${path} ${fsResult.to}\n${trace.join('\n')}`).toBe(fsResult.code);
        }
        for (const d of listDirs(dir)) {
          const mine = (await files.list(p(d))).map((e) => `${e.kind === 'dir' ? 'd' : 'f'}:${e.name}`);
          expect(mine, `seed ${seed} dir ${d}`).toEqual(fsList(join(dir, d)));
        }
        expect(await checkpointTree(ctx), `seed ${seed} end`).toBe(gitTree(dir));
      });
    }
  });

  it('costs one row to create, whatever the size of the tree', async () => {
    const big: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) big[`d${i % 40}/f${i}.txt`] = `${i}\n`;
    const rows = async (files: Record<string, string>): Promise<ReturnType<DraftContext['repo']['repo']['drafts']['rowCounts']>> =>
      withDraft(files, async (_f, ctx) => ctx.repo.repo.drafts.rowCounts());
    const small = await rows({ 'a.txt': 'a\n' });
    expect(await rows(big)).toEqual(small);
    expect(small).toEqual({ drafts: 1, entries: 0, blobs: 0, blobChunks: 0 });
  });
});

function draftOp(files: DraftFiles, op: string, path: string, to: string, content: string): Promise<unknown> {
  if (op === 'write') return files.write(p(path), enc.encode(content));
  if (op === 'rm') return files.remove(p(path), { recursive: true });
  if (op === 'mkdir') return files.mkdir(p(path), { parents: true });
  return files.move(p(path), p(to));
}

/** The same operation on a real directory, with the error code POSIX gives. */
function fsOp(op: string, root: string, path: string, to: string, content: string): { code: string; to: string } {
  const full = join(root, path);
  const kind = (f: string): 'dir' | 'file' | 'none' | 'notdir' => {
    const parts = f.slice(root.length + 1).split('/');
    for (let i = 1; i < parts.length; i++) {
      const above = join(root, ...parts.slice(0, i));
      if (!existsSync(above)) return 'none';
      if (!statSync(above).isDirectory()) return 'notdir';
    }
    return !existsSync(f) ? 'none' : statSync(f).isDirectory() ? 'dir' : 'file';
  };
  const aboveIsFile = (f: string): boolean => {
    const parts = f.slice(root.length + 1).split('/');
    for (let i = 1; i < parts.length; i++) {
      const above = join(root, ...parts.slice(0, i));
      if (existsSync(above) && !statSync(above).isDirectory()) return true;
      if (!existsSync(above)) return false;
    }
    return false;
  };
  const k = kind(full);
  if (op === 'write') {
    if (aboveIsFile(full)) return { code: 'ENOTDIR', to };
    if (k === 'dir') return { code: 'EISDIR', to };
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return { code: 'ok', to };
  }
  if (op === 'mkdir') {
    if (aboveIsFile(full)) return { code: 'ENOTDIR', to };
    if (k === 'file') return { code: 'EEXIST', to };
    mkdirSync(full, { recursive: true });
    return { code: 'ok', to };
  }
  if (op === 'rm') {
    if (k === 'notdir') return { code: 'ENOTDIR', to };
    if (k === 'none') return { code: aboveIsFile(full) ? 'ENOTDIR' : 'ENOENT', to };
    rmSync(full, { recursive: true });
    return { code: 'ok', to };
  }
  // mv
  const dest = join(root, to);
  if (k === 'notdir') return { code: 'ENOTDIR', to };
  if (k === 'none') return { code: aboveIsFile(full) ? 'ENOTDIR' : 'ENOENT', to };
  if (dest === full) return { code: 'ok', to };
  if (dest.startsWith(`${full}/`)) return { code: 'EINVAL', to };
  if (aboveIsFile(dest)) return { code: 'ENOTDIR', to };
  const dk = kind(dest);
  if (dk === 'dir' && k === 'file') return { code: 'EISDIR', to };
  if (dk === 'file' && k === 'dir') return { code: 'ENOTDIR', to };
  if (dk === 'dir' && readdirSync(dest).length > 0) return { code: 'ENOTEMPTY', to };
  mkdirSync(dirname(dest), { recursive: true });
  if (dk === 'dir') rmSync(dest, { recursive: true });
  renameSync(full, dest);
  return { code: 'ok', to };
}

function pruneEmptyFolders(root: string, at: string): boolean {
  let empty = true;
  for (const e of readdirSync(join(root, at), { withFileTypes: true })) {
    if (at === '' && e.name === '.git') continue;
    if (!e.isDirectory() || !pruneEmptyFolders(root, at === '' ? e.name : `${at}/${e.name}`)) empty = false;
  }
  if (empty && at !== '') rmSync(join(root, at), { recursive: true });
  return empty;
}

function listDirs(root: string, at = ''): string[] {
  const out = [at];
  for (const e of readdirSync(join(root, at), { withFileTypes: true })) {
    if (e.isDirectory() && !(at === '' && e.name === '.git')) out.push(...listDirs(root, at === '' ? e.name : `${at}/${e.name}`));
  }
  return out;
}

function fsList(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.name !== '.git')
    .map((e) => `${e.isDirectory() ? 'd' : 'f'}:${e.name}`)
    .sort((a, b) => (Buffer.from(a.slice(2)) < Buffer.from(b.slice(2)) ? -1 : 1));
}


