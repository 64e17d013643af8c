/**
 * just-bash's file-system interface (IFileSystem) over a draft's files
 * (FileEditor, or a read-only FileView: every change is then EROFS).
 * Everything reads and writes through to the draft at once; nothing is
 * cached, so the draft is the only state. Paths are the draft's, `/` being
 * its root; runExec mounts this at `/workspace`.
 *
 * Git keeps only what a file holds and whether it is executable, so:
 * - modes are 0644 and 0755 for files (chmod sets 100755 when the owner's
 *   x bit is set, as Git decides), 0755 for folders (chmod on them does
 *   nothing), 0777 for symbolic links; every mtime is one fixed date, and
 *   touch or utimes change nothing;
 * - a symbolic link is a blob of mode 120000 holding its target (ln -s,
 *   readlink), followed as the kernel does (findPath.ts);
 * - hard links do not exist (ln without -s: ENOTSUP);
 * - a submodule is an empty folder.
 * Writing a file makes the folders missing above it, as just-bash's own
 * file systems do (its commands count on it): `echo x > new/f` works.
 * Mutations run one at a time, each one whole.
 *
 * Past 300 lines: one method per IFileSystem member, the interface is that
 * wide.
 */
import type { BufferEncoding, CpOptions, FileContent, FsStat, IFileSystem, MkdirOptions, RmOptions } from 'just-bash/browser';
import { GroveError } from '../errors.ts';
import { MODE_EXECUTABLE, MODE_FILE, MODE_SYMLINK } from '../git/objects/tree.ts';
import type { FileEditor, FileInfo, FileView } from '../services/drafts/files.ts';
import { joinPath, toolPath, toolWritePath } from '../services/drafts/toolPath.ts';
import { bytesToText, encodingOf, textToBytes } from './byteText.ts';
import { findPath, type Found } from './findPath.ts';
import { Errno, FatalErrors, type FsError } from './fsError.ts';

type Dirent = Awaited<ReturnType<NonNullable<IFileSystem['readdirWithFileTypes']>>>[number];
type ReadOptions = Parameters<IFileSystem['readFile']>[1];
type WriteOptions = Parameters<IFileSystem['writeFile']>[2];
/** The components of each path given. */
type Parsed<P extends string[]> = { [K in keyof P]: string[] };

export interface DraftFileSystemOptions {
  /** Where the shell sees the draft's root: shown in messages, and how absolute link targets name draft paths. Default `/workspace`. */
  mountPoint?: string;
  /** The modification time every entry reports (Git keeps none). Default: the Unix epoch. */
  mtime?: Date;
  /** Where failures that are not file-system errors are kept (see fsError.ts). Default: a new one, as `fatal`. */
  fatal?: FatalErrors;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class DraftFileSystem implements IFileSystem {
  /** The first failure that was no file-system error (the draft closed, the store failed), if any. */
  readonly fatal: FatalErrors;
  readonly #files: FileView;
  readonly #mount: string;
  readonly #mtime: Date;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(files: FileView, options: DraftFileSystemOptions = {}) {
    this.#files = files;
    this.#mount = options.mountPoint ?? '/workspace';
    this.#mtime = options.mtime ?? new Date(0);
    this.fatal = options.fatal ?? new FatalErrors();
  }

  async readFile(path: string, options?: ReadOptions): Promise<string> {
    return bytesToText(await this.readFileBuffer(path), encodingOf(options));
  }

  async readFileBuffer(path: string): Promise<Uint8Array> {
    return this.#run('open', [path], async ([parts]) => this.#read(await this.#existing(parts, true)));
  }

  async writeFile(path: string, content: FileContent, options?: WriteOptions | BufferEncoding): Promise<void> {
    return this.#change('open', [path], async (editor, [parts]) => {
      const data = bytesOf(content, options);
      const at = await this.#place(parts, true);
      if (at.info !== null && isFolder(at.info)) throw new Errno('EISDIR');
      await editor.write(at.parts, data);
    });
  }

  async appendFile(path: string, content: FileContent, options?: WriteOptions | BufferEncoding): Promise<void> {
    return this.#change('open', [path], async (editor, [parts]) => {
      const data = bytesOf(content, options);
      const at = await this.#place(parts, true);
      if (at.info === null) return void (await editor.write(at.parts, data));
      if (isFolder(at.info)) throw new Errno('EISDIR');
      const old = await this.#files.read(at.parts);
      const joined = new Uint8Array(old.length + data.length);
      joined.set(old);
      joined.set(data, old.length);
      await editor.write(at.parts, joined);
    });
  }

  async exists(path: string): Promise<boolean> {
    try {
      return (await this.#run('access', [path], async ([parts]) => findPath(this.#files, parts, true, this.#mount))).info !== null;
    } catch {
      return false;
    }
  }

  async stat(path: string): Promise<FsStat> {
    return this.#run('stat', [path], async ([parts]) => this.#statOf(await this.#existing(parts, true)));
  }

  async lstat(path: string): Promise<FsStat> {
    return this.#run('lstat', [path], async ([parts]) => this.#statOf(await this.#existing(parts, false)));
  }

  async mkdir(path: string, options?: MkdirOptions): Promise<void> {
    return this.#change('mkdir', [path], async (editor, [parts]) => {
      const found = await findPath(this.#files, parts, false, this.#mount);
      if (found.info !== null) {
        const folder = found.info.kind === 'symlink' ? (await findPath(this.#files, found.parts, true, this.#mount)).info : found.info;
        if (options?.recursive === true && folder !== null && isFolder(folder)) return;
        throw new Errno('EEXIST');
      }
      await editor.mkdir(writePath(found.parts), { parents: options?.recursive === true });
    });
  }

  async readdir(path: string): Promise<string[]> {
    return (await this.#list('scandir', path)).map((e) => e.name);
  }

  async readdirWithFileTypes(path: string): Promise<Dirent[]> {
    return (await this.#list('scandir', path)).map((e) => ({
      name: e.name,
      isFile: e.kind === 'file',
      isDirectory: isFolder(e),
      isSymbolicLink: e.kind === 'symlink',
    }));
  }

  async rm(path: string, options?: RmOptions): Promise<void> {
    return this.#change('rm', [path], async (editor, [parts]) => {
      if (parts.length === 0) throw new Errno('EBUSY', 'the root of the draft cannot be removed');
      const found = await findPath(this.#files, parts, false, this.#mount);
      if (found.info === null) {
        if (options?.force === true) return;
        throw new Errno('ENOENT');
      }
      await editor.remove(found.parts, { recursive: options?.recursive === true });
    });
  }

  async cp(src: string, dest: string, options?: CpOptions): Promise<void> {
    return this.#change('cp', [src, dest], async (editor, [from, to]) => {
      const recursive = options?.recursive === true;
      const source = await this.#existing(from, !recursive);
      if (isFolder(source.info)) {
        if (!recursive) throw new Errno('EISDIR');
        const target = await findPath(this.#files, to, true, this.#mount);
        if (within(source.parts, target.parts)) throw new Errno('EINVAL', 'cannot copy a folder into itself');
      }
      await this.#copy(editor, source, to);
    });
  }

  async mv(src: string, dest: string): Promise<void> {
    return this.#change('rename', [src, dest], async (editor, [from, to]) => {
      const source = await this.#existing(from, false);
      if (source.parts.length === 0) throw new Errno('EBUSY', 'the root of the draft cannot be moved');
      const target = await this.#place(to, false);
      await editor.move(source.parts, target.parts);
    });
  }

  resolvePath(base: string, path: string): string {
    const parts: string[] = [];
    for (const part of (path.startsWith('/') ? path : `${base}/${path}`).split('/')) {
      if (part === '..') parts.pop();
      else if (part !== '' && part !== '.') parts.push(part);
    }
    return `/${parts.join('/')}`;
  }

  /** Not offered: it is synchronous, and listing a whole draft is not something to do unasked. Shell globs do not use it. */
  getAllPaths(): string[] {
    return [];
  }

  async chmod(path: string, mode: number): Promise<void> {
    return this.#run('chmod', [path], async ([parts]) => {
      const found = await this.#existing(parts, true);
      if (found.info.kind !== 'file') return; // Git keeps no mode for a folder
      const wanted = (mode & 0o100) !== 0 ? MODE_EXECUTABLE : MODE_FILE;
      if (found.info.mode === wanted) return;
      await this.#serial(async () => {
        const editor = this.#editor();
        await editor.write(found.parts, await this.#files.read(found.parts), { mode: wanted });
      });
    });
  }

  async symlink(target: string, linkPath: string): Promise<void> {
    return this.#change('symlink', [linkPath], async (editor, [parts]) => {
      if (target === '') throw new Errno('ENOENT', 'a symbolic link needs a target');
      const at = await this.#place(parts, false);
      if (at.info !== null) throw new Errno('EEXIST');
      await editor.write(at.parts, encoder.encode(target), { mode: MODE_SYMLINK });
    });
  }

  async link(existingPath: string, newPath: string): Promise<void> {
    return this.#run('link', [existingPath, newPath], async () => {
      throw new Errno('ENOTSUP', 'Git has no hard links: copy the file (cp) or make a symbolic link (ln -s)');
    });
  }

  async readlink(path: string): Promise<string> {
    return this.#run('readlink', [path], async ([parts]) => {
      const found = await this.#existing(parts, false);
      if (found.info.kind !== 'symlink') throw new Errno('EINVAL', 'not a symbolic link');
      return decoder.decode(await this.#files.read(found.parts));
    });
  }

  async realpath(path: string): Promise<string> {
    return this.#run('realpath', [path], async ([parts]) => `/${joinPath((await this.#existing(parts, true)).parts)}`);
  }

  async utimes(path: string, _atime: Date, _mtime: Date): Promise<void> {
    await this.#run('utimes', [path], async ([parts]) => this.#existing(parts, true)); // Git keeps no times
  }

  // --- helpers ---------------------------------------------------------

  /** What is at `parts`; ENOENT when nothing is. */
  async #existing(parts: readonly string[], followLast: boolean): Promise<Found & { info: FileInfo }> {
    const found = await findPath(this.#files, parts, followLast, this.#mount);
    if (found.info === null) throw new Errno('ENOENT');
    return { parts: found.parts, info: found.info };
  }

  /** Where a file named `parts` goes (folders missing above it are made by the write), and what is there now. */
  async #place(parts: readonly string[], followLast: boolean): Promise<Found> {
    const found = await findPath(this.#files, parts, followLast, this.#mount);
    if (found.parts.length === 0) return found; // the root: a folder
    return { parts: writePath(found.parts), info: found.info };
  }

  async #read(found: Found & { info: FileInfo }): Promise<Uint8Array> {
    if (isFolder(found.info)) throw new Errno('EISDIR');
    return this.#files.read(found.parts);
  }

  async #list(op: string, path: string): Promise<FileInfo[]> {
    return this.#run(op, [path], async ([parts]) => {
      const found = await this.#existing(parts, true);
      if (found.info.kind === 'submodule') return [];
      if (found.info.kind !== 'dir') throw new Errno('ENOTDIR');
      return this.#files.list(found.parts);
    });
  }

  /** Copies what `source` holds to `to` (a folder with all below it); links are copied as links. */
  async #copy(editor: FileEditor, source: Found & { info: FileInfo }, to: readonly string[]): Promise<void> {
    const { info } = source;
    if (info.kind === 'submodule') throw new Errno('ENOTSUP', `'${joinPath(source.parts)}' is a submodule, which cannot be copied`);
    if (info.kind === 'dir') {
      const target = await findPath(this.#files, to, true, this.#mount);
      if (target.info === null) await editor.mkdir((await this.#place(to, true)).parts);
      else if (!isFolder(target.info)) throw new Errno('ENOTDIR');
      const dest = target.info === null ? writePath(target.parts) : target.parts;
      for (const entry of await this.#files.list(source.parts)) {
        await this.#copy(editor, { parts: [...source.parts, entry.name], info: entry }, [...dest, entry.name]);
      }
      return;
    }
    const link = info.kind === 'symlink';
    const at = await this.#place(to, !link);
    if (at.info !== null && isFolder(at.info)) throw new Errno('EISDIR');
    const mode = link ? MODE_SYMLINK : info.mode === MODE_EXECUTABLE ? MODE_EXECUTABLE : MODE_FILE;
    await editor.write(at.parts, await this.#files.read(source.parts), { mode });
  }

  #statOf({ parts, info }: Found & { info: FileInfo }): FsStat {
    const folder = isFolder(info);
    return {
      isFile: info.kind === 'file',
      isDirectory: folder,
      isSymbolicLink: info.kind === 'symlink',
      mode: info.kind === 'symlink' ? 0o777 : folder || info.mode === MODE_EXECUTABLE ? 0o755 : 0o644,
      size: info.size,
      mtime: this.#mtime,
      // No hard links: a path with its links resolved names one file.
      identity: `grove-draft:/${joinPath(parts)}`,
    };
  }

  #editor(): FileEditor {
    if (!this.#files.writable) throw new Errno('EROFS');
    return this.#files as FileEditor;
  }

  /** Runs `fn` over the parsed paths; failures become the FsErrors just-bash expects. */
  async #run<T, P extends [string] | [string, string]>(op: string, paths: P, fn: (parts: Parsed<P>) => Promise<T>): Promise<T> {
    try {
      return await fn(paths.map((p) => toolPath(p)) as Parsed<P>);
    } catch (err) {
      throw this.#failure(err, op, paths);
    }
  }

  /** As #run, for a change: needs a writable draft, and waits for the changes before it. */
  async #change<P extends [string] | [string, string]>(op: string, paths: P, fn: (editor: FileEditor, parts: Parsed<P>) => Promise<void>): Promise<void> {
    return this.#run(op, paths, (parts) => this.#serial(async () => fn(this.#editor(), parts)));
  }

  async #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #failure(err: unknown, op: string, paths: string[]): FsError {
    const shown = paths.map((p) => {
      try {
        return `${this.#mount}/${joinPath(toolPath(p))}`.replace(/\/$/, '');
      } catch {
        return p;
      }
    });
    return this.fatal.translate(err, op, shown.join("' -> '"));
  }
}

function isFolder(info: FileInfo): boolean {
  return info.kind === 'dir' || info.kind === 'submodule';
}

/** `parts` as a path a change may name (no `.git` component); EINVAL otherwise. */
function writePath(parts: readonly string[]): string[] {
  return toolWritePath(joinPath(parts));
}

function within(folder: readonly string[], path: readonly string[]): boolean {
  return path.length >= folder.length && folder.every((p, i) => path[i] === p);
}

function bytesOf(content: FileContent, options: unknown): Uint8Array {
  const data = textToBytes(content, encodingOf(options));
  if (data === null) throw new GroveError('EINVAL', `the content is not ${encodingOf(options)}`);
  return data;
}
