/**
 * The just-bash file system over a real draft: what it reports, how it
 * follows links, how Grove's errors reach just-bash, and that every change
 * is in the draft at once.
 */
import { describe, expect, it } from 'vitest';
import { GroveError } from '../errors.ts';
import { MODE_EXECUTABLE, MODE_FILE, MODE_SYMLINK } from '../git/objects/tree.ts';
import type { FileEditor, FileInfo, WriteOptions } from '../services/drafts/files.ts';
import { ScopedFiles } from '../services/drafts/ScopedFiles.ts';
import { toolPath } from '../services/drafts/toolPath.ts';
import { withDraft } from '../../test/drafts/support/draftFixture.ts';
import { DraftFileSystem } from './DraftFileSystem.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const p = (path: string): string[] => toolPath(path);

const FILES = {
  'README.md': '# hello\n',
  'src/a.ts': 'export const a = 1;\n',
  'src/lib/b.ts': 'export const b = 2;\n',
  'bin/run.sh': '#!/bin/sh\necho run\n',
};

/** The error `promise` fails with (message and code), or 'ok'. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    const { code, message } = err as { code: string; message: string };
    expect(message.startsWith(`${code}: `)).toBe(true);
    return message;
  }
  return 'ok';
}

describe('DraftFileSystem', () => {
  it('shows the draft as a POSIX tree: stat, lstat, readdir, readFile', async () => {
    await withDraft(FILES, async (files) => {
      const fs = new DraftFileSystem(files);
      expect(await fs.readdir('/')).toEqual(['README.md', 'bin', 'src']);
      expect(await fs.readdirWithFileTypes('/src')).toEqual([
        { name: 'a.ts', isFile: true, isDirectory: false, isSymbolicLink: false },
        { name: 'lib', isFile: false, isDirectory: true, isSymbolicLink: false },
      ]);
      expect(await fs.readFile('/src/lib/b.ts')).toBe(FILES['src/lib/b.ts']);
      expect(await fs.readFile('/README.md', 'base64')).toBe(btoa(FILES['README.md']));
      expect(dec.decode(await fs.readFileBuffer('/src/../README.md'))).toBe(FILES['README.md']);
      const stat = await fs.stat('/src/a.ts');
      expect(stat).toMatchObject({ isFile: true, isDirectory: false, isSymbolicLink: false, mode: 0o644, size: FILES['src/a.ts'].length });
      expect(stat.mtime.getTime()).toBe(0);
      expect(await fs.stat('/src')).toMatchObject({ isDirectory: true, mode: 0o755, size: 0 });
      expect(await fs.stat('/')).toMatchObject({ isDirectory: true });
      expect(await fs.exists('/src/lib')).toBe(true);
      expect(await fs.exists('/nope')).toBe(false);
      expect(await fs.exists('/README.md/x')).toBe(false);
      expect(fs.resolvePath('/src/lib', '../a.ts')).toBe('/src/a.ts');
      expect(fs.resolvePath('/src', '/x/./y//')).toBe('/x/y');
    });
  });

  it('answers with the errors just-bash expects, naming the path as the shell sees it', async () => {
    await withDraft(FILES, async (files) => {
      const fs = new DraftFileSystem(files);
      expect(await failure(fs.readFile('/nope'))).toBe("ENOENT: no such file or directory, open '/workspace/nope'");
      expect(await failure(fs.readFile('/src'))).toBe("EISDIR: illegal operation on a directory, open '/workspace/src'");
      expect(await failure(fs.readdir('/README.md'))).toBe("ENOTDIR: not a directory, scandir '/workspace/README.md'");
      expect(await failure(fs.stat('/README.md/x'))).toMatch(/^ENOTDIR: /);
      expect(await failure(fs.mkdir('/src'))).toBe("EEXIST: file already exists, mkdir '/workspace/src'");
      expect(await failure(fs.mkdir('/x/y'))).toMatch(/^ENOENT: /);
      expect(await failure(fs.rm('/src'))).toBe("ENOTEMPTY: directory not empty, rm '/workspace/src'");
      expect(await failure(fs.rm('/nope'))).toMatch(/^ENOENT: /);
      expect(await fs.rm('/nope', { force: true })).toBeUndefined();
      expect(await failure(fs.writeFile('/src', 'x'))).toMatch(/^EISDIR: /);
      expect(await failure(fs.writeFile('/.git/config', 'x'))).toMatch(/^EINVAL: invalid argument, open '\/workspace\/.git\/config' \(.*'\.git' component\)$/);
      expect(await failure(fs.mv('/src', '/src/lib/inner'))).toMatch(/^EINVAL: /);
      expect(await failure(fs.mv('/README.md', '/src'))).toMatch(/^EISDIR: /);
      expect(await failure(fs.cp('/src', '/copy'))).toMatch(/^EISDIR: /);
      expect(await failure(fs.cp('/src', '/src/lib/copy', { recursive: true }))).toMatch(/^EINVAL: /);
      expect(await failure(fs.link('/README.md', '/hard'))).toMatch(/^ENOTSUP: operation not supported, link '\/workspace\/README.md' -> '\/workspace\/hard' \(Git has no hard links/);
      expect(await failure(fs.readlink('/README.md'))).toMatch(/^EINVAL: /);
      // A failed call changed nothing.
      expect((await files.list([])).map((e) => e.name)).toEqual(['README.md', 'bin', 'src']);
    });
  });

  it('writes through to the draft: write, append, mkdir, cp, mv, rm', async () => {
    await withDraft(FILES, async (files) => {
      const fs = new DraftFileSystem(files);
      await fs.writeFile('/notes/new.txt', 'one\n'); // the folder is made, as just-bash's own file systems do
      await fs.appendFile('/notes/new.txt', enc.encode('two\n'));
      expect(dec.decode(await files.read(p('notes/new.txt')))).toBe('one\ntwo\n');
      await fs.writeFile('/latin.bin', '\u00ff\u0000A', 'binary');
      expect([...(await files.read(p('latin.bin')))]).toEqual([0xff, 0, 0x41]);
      await fs.mkdir('/a/b/c', { recursive: true });
      await fs.mkdir('/a/b/c', { recursive: true });
      expect((await files.stat(p('a/b/c')))?.kind).toBe('dir');
      await fs.cp('/src', '/copy', { recursive: true });
      expect(dec.decode(await files.read(p('copy/lib/b.ts')))).toBe(FILES['src/lib/b.ts']);
      await fs.mv('/copy/lib', '/moved');
      expect(await files.stat(p('copy/lib'))).toBeNull();
      expect(dec.decode(await files.read(p('moved/b.ts')))).toBe(FILES['src/lib/b.ts']);
      await fs.rm('/copy', { recursive: true });
      expect(await files.stat(p('copy'))).toBeNull();
    });
  });

  it('keeps the executable bit, the one permission Git has', async () => {
    await withDraft(FILES, async (files) => {
      const fs = new DraftFileSystem(files);
      await fs.chmod('/bin/run.sh', 0o755);
      expect((await files.stat(p('bin/run.sh')))?.mode).toBe(MODE_EXECUTABLE);
      expect((await fs.stat('/bin/run.sh')).mode).toBe(0o755);
      await fs.cp('/bin/run.sh', '/bin/copy.sh');
      expect((await files.stat(p('bin/copy.sh')))?.mode).toBe(MODE_EXECUTABLE);
      await fs.writeFile('/bin/run.sh', 'echo changed\n'); // a rewrite keeps the mode
      expect((await files.stat(p('bin/run.sh')))?.mode).toBe(MODE_EXECUTABLE);
      await fs.chmod('/bin/run.sh', 0o644);
      expect((await files.stat(p('bin/run.sh')))?.mode).toBe(MODE_FILE);
      await fs.chmod('/bin/run.sh', 0o700); // the owner's x bit decides, as in Git
      expect((await files.stat(p('bin/run.sh')))?.mode).toBe(MODE_EXECUTABLE);
      await fs.chmod('/src', 0o700); // folders have no mode in Git
      expect(await fs.stat('/src')).toMatchObject({ mode: 0o755 });
    });
  });

  it('makes symbolic links as Git does (mode 120000, the target as content) and follows them', async () => {
    await withDraft(FILES, async (files) => {
      const fs = new DraftFileSystem(files);
      await fs.symlink('lib/b.ts', '/src/link');
      await fs.symlink('src', '/dir');
      await fs.symlink('/workspace/README.md', '/abs');
      await fs.symlink('/etc/passwd', '/outside');
      await fs.symlink('../../above', '/src/above');
      await fs.symlink('loop2', '/loop1');
      await fs.symlink('loop1', '/loop2');
      expect(await files.stat(p('src/link'))).toMatchObject({ kind: 'symlink', mode: MODE_SYMLINK });
      expect(dec.decode(await files.read(p('src/link')))).toBe('lib/b.ts');
      expect(await fs.readlink('/src/link')).toBe('lib/b.ts');
      expect(await fs.readFile('/src/link')).toBe(FILES['src/lib/b.ts']);
      expect(await fs.readFile('/dir/lib/b.ts')).toBe(FILES['src/lib/b.ts']);
      expect(await fs.readFile('/abs')).toBe(FILES['README.md']);
      expect(await fs.lstat('/src/link')).toMatchObject({ isSymbolicLink: true, isFile: false, size: 'lib/b.ts'.length, mode: 0o777 });
      expect(await fs.stat('/src/link')).toMatchObject({ isSymbolicLink: false, isFile: true });
      expect(await fs.realpath('/dir/link')).toBe('/src/lib/b.ts');
      expect(await fs.readdir('/dir')).toEqual(['a.ts', 'above', 'lib', 'link']);
      // Writing through a link writes its target.
      await fs.writeFile('/dir/lib/new.ts', 'new\n');
      expect(dec.decode(await files.read(p('src/lib/new.ts')))).toBe('new\n');
      await fs.writeFile('/src/link', 'changed\n');
      expect(dec.decode(await files.read(p('src/lib/b.ts')))).toBe('changed\n');
      expect((await files.stat(p('src/link')))?.kind).toBe('symlink');
      // Targets outside the draft dangle; loops end.
      expect(await failure(fs.readFile('/outside'))).toMatch(/^ENOENT: .*outside the draft/);
      expect(await failure(fs.readFile('/src/above'))).toMatch(/^ENOENT: /);
      expect(await fs.exists('/outside')).toBe(false);
      expect(await failure(fs.stat('/loop1'))).toMatch(/^ELOOP: /);
      expect(await failure(fs.symlink('x', '/src/link'))).toMatch(/^EEXIST: /);
      // rm and mv act on the link, not on its target.
      await fs.mv('/dir', '/dir2');
      expect(await fs.readlink('/dir2')).toBe('src');
      await fs.rm('/dir2');
      expect(await files.stat(p('dir2'))).toBeNull();
      expect((await files.stat(p('src')))?.kind).toBe('dir');
    });
  });

  it('refuses every change on a read-only view (EROFS), and shows a scoped token\'s refusal as EACCES', async () => {
    await withDraft(FILES, async (files, ctx) => {
      const reader = new DraftFileSystem(await ctx.drafts.reader(ctx.repo, ctx.draft.id));
      expect(await reader.readFile('/README.md')).toBe(FILES['README.md']);
      expect(await failure(reader.writeFile('/x', 'x'))).toBe("EROFS: read-only file system, open '/workspace/x'");
      expect(await failure(reader.rm('/README.md'))).toMatch(/^EROFS: /);
      expect(await failure(reader.chmod('/bin/run.sh', 0o755))).toMatch(/^EROFS: /);

      const scoped = new DraftFileSystem(new ScopedFiles(files, { read: ['**'], write: ['src/**'] }));
      await scoped.writeFile('/src/ok.ts', 'ok\n');
      expect(await failure(scoped.writeFile('/README.md', 'no\n'))).toMatch(/^EACCES: permission denied, open '\/workspace\/README.md' \(.+\)$/);
      expect(dec.decode(await files.read(p('README.md')))).toBe(FILES['README.md']);
    });
  });

  it('keeps a failure that is no file-system error, and shows it as EIO', async () => {
    await withDraft(FILES, async (files) => {
      const broken = new DraftFileSystem(new FailingReads(files));
      expect(await failure(broken.readFile('/README.md'))).toBe("EIO: input/output error, open '/workspace/README.md' (INTERNAL)");
      expect(broken.fatal.first).toMatchObject({ code: 'INTERNAL', message: 'the store is down' });
    });
  });
});

/** Test double: the real draft, except that reading a file fails as a broken store would. */
class FailingReads implements FileEditor {
  readonly #inner: FileEditor;
  readonly writable = true;

  constructor(inner: FileEditor) {
    this.#inner = inner;
  }

  stat(path: readonly string[]): Promise<FileInfo | null> {
    return this.#inner.stat(path);
  }

  list(path: readonly string[]): Promise<FileInfo[]> {
    return this.#inner.list(path);
  }

  async read(): Promise<Uint8Array> {
    throw new GroveError('INTERNAL', 'the store is down');
  }

  write(path: readonly string[], data: Uint8Array, options?: WriteOptions): Promise<FileInfo> {
    return this.#inner.write(path, data, options);
  }

  link(path: readonly string[], sha: string, options?: WriteOptions): Promise<FileInfo> {
    return this.#inner.link(path, sha, options);
  }

  mkdir(path: readonly string[], options?: { parents?: boolean }): Promise<FileInfo> {
    return this.#inner.mkdir(path, options);
  }

  remove(path: readonly string[], options?: { recursive?: boolean }): Promise<number> {
    return this.#inner.remove(path, options);
  }

  move(from: readonly string[], to: readonly string[]): Promise<void> {
    return this.#inner.move(from, to);
  }
}
