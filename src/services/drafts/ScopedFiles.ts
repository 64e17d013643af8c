/**
 * The files a scoped draft token may touch: a FileEditor seen through a
 * policy of path globs (git wildmatch, `**` across folders: `**`, `src/**`,
 * `*.md`, `docs/*.md`), `read` and `write`.
 *
 * - A file (or symbolic link, submodule) can be stat'ed and read when a read
 *   glob matches its path; a folder can be stat'ed and listed when a read
 *   glob could match something below it (couldMatchBelow.ts), and the root
 *   always can. A listing shows only such entries.
 * - A file can be written (write, edit, rm, either end of mv) when a write
 *   glob matches its path. Removing or moving a folder needs every file
 *   below it writable (at both ends of a move), and the folders themselves
 *   to be within reach of a write glob, as `mkdir` needs for its folder.
 *
 * Anything else is FORBIDDEN with `details.path`, decided before the inner
 * files are changed (and, where the path alone decides, before they are
 * read), so a refused call changes nothing.
 */
import { GroveError } from '../../errors.ts';
import type { FileEditor, FileInfo, WriteOptions } from './files.ts';
import { compileGlob, type PathTest } from './tools/compileGlob.ts';
import { couldMatchBelow } from './tools/couldMatchBelow.ts';
import { walkTree } from './tools/walkTree.ts';
import { joinPath } from './toolPath.ts';

export interface PathPolicy {
  /** Globs of the paths that may be read. */
  read: readonly string[];
  /** Globs of the paths that may be written. */
  write: readonly string[];
}

interface Scope {
  file: PathTest;
  folder: (parts: readonly string[]) => boolean;
}

function scopeOf(patterns: readonly string[], field: string): Scope {
  const files = patterns.map((p, i) => compileGlob(p, `${field}[${i}]`));
  const folders = patterns.map((p) => couldMatchBelow(p));
  return {
    file: (path) => files.some((t) => t(path)),
    folder: (parts) => parts.length === 0 || folders.some((t) => t(parts)),
  };
}

export class ScopedFiles implements FileEditor {
  readonly #inner: FileEditor;
  readonly #read: Scope;
  readonly #write: Scope;

  constructor(inner: FileEditor, policy: PathPolicy) {
    this.#inner = inner;
    this.#read = scopeOf(policy.read, 'read');
    this.#write = scopeOf(policy.write, 'write');
  }

  get writable(): boolean {
    return this.#inner.writable;
  }

  async stat(path: readonly string[]): Promise<FileInfo | null> {
    const asFile = this.#read.file(joinPath(path));
    if (!asFile && !this.#read.folder(path)) throw forbidden('read', path);
    const info = await this.#inner.stat(path);
    if (info !== null && !this.#readable(info)) throw forbidden('read', path);
    return info;
  }

  async list(path: readonly string[]): Promise<FileInfo[]> {
    if (!this.#read.folder(path)) throw forbidden('read', path);
    const entries = await this.#inner.list(path);
    return entries.filter((e) => this.#readable(e));
  }

  async read(path: readonly string[]): Promise<Uint8Array> {
    if (!this.#read.file(joinPath(path))) throw forbidden('read', path);
    return this.#inner.read(path);
  }

  async write(path: readonly string[], data: Uint8Array, options?: WriteOptions): Promise<FileInfo> {
    if (!this.#write.file(joinPath(path))) throw forbidden('write', path);
    return this.#inner.write(path, data, options);
  }

  async link(path: readonly string[], sha: string, options?: WriteOptions): Promise<FileInfo> {
    if (!this.#write.file(joinPath(path))) throw forbidden('write', path);
    return this.#inner.link(path, sha, options);
  }

  async mkdir(path: readonly string[], options?: { parents?: boolean }): Promise<FileInfo> {
    if (!this.#write.folder(path)) throw forbidden('write', path);
    return this.#inner.mkdir(path, options);
  }

  async remove(path: readonly string[], options?: { recursive?: boolean }): Promise<number> {
    if (!this.#write.file(joinPath(path)) && !this.#write.folder(path)) throw forbidden('write', path);
    const info = await this.#inner.stat(path);
    if (info !== null) await this.#checkWritable(info, path);
    return this.#inner.remove(path, options);
  }

  async move(from: readonly string[], to: readonly string[]): Promise<void> {
    for (const end of [from, to]) if (!this.#write.file(joinPath(end)) && !this.#write.folder(end)) throw forbidden('write', end);
    const info = await this.#inner.stat(from);
    if (info !== null) await this.#checkWritable(info, from, to); // what `to` holds is a file or an empty folder (rename(2)): its path was checked
    return this.#inner.move(from, to);
  }

  #readable(info: FileInfo): boolean {
    return info.kind === 'dir' ? this.#read.folder(info.path === '' ? [] : info.path.split('/')) : this.#read.file(info.path);
  }

  /** FORBIDDEN unless `info` and all below it may be written — at `path`, and at `to` when moved there. */
  async #checkWritable(info: FileInfo, path: readonly string[], to?: readonly string[]): Promise<void> {
    const check = (kind: FileInfo['kind'], rel: readonly string[]): void => {
      for (const base of to === undefined ? [path] : [path, to]) {
        const at = [...base, ...rel];
        const ok = kind === 'dir' ? this.#write.folder(at) : this.#write.file(joinPath(at));
        if (!ok) throw forbidden('write', at);
      }
    };
    check(info.kind, []);
    if (info.kind !== 'dir') return;
    for await (const entry of walkTree(this.#inner, path)) check(entry.kind, entry.path.split('/').slice(path.length));
  }
}

function forbidden(access: 'read' | 'write', path: readonly string[]): GroveError {
  const shown = joinPath(path);
  return new GroveError('FORBIDDEN', `this token may not ${access} '${shown || '/'}': it is outside the token's ${access} paths`, { path: shown, access });
}
