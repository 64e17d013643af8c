/**
 * Path lookup through symbolic links, as the kernel's path walk does: each
 * link on the way is replaced by its target (relative to the link's folder,
 * or absolute), the last one too when `followLast` (stat, open) and not
 * otherwise (lstat, readlink, rm, rename). A link in Git is a blob of mode
 * 120000 whose content is the target.
 *
 * The draft is mounted at `mountPoint` in the shell, so an absolute target
 * inside it (`/workspace/src/a`) names a draft path; a target outside the
 * draft (`/etc/x`, or `..` past its root) cannot be followed from here and
 * reads as a dangling link (ENOENT). More than 40 links is ELOOP.
 *
 * Cost: one stat when no link is on the way (FileView.stat fails with
 * ENOTDIR when one is); otherwise one stat per component until the link.
 */
import { isGroveError } from '../errors.ts';
import type { FileInfo, FileView } from '../services/drafts/files.ts';
import { joinPath, toolPath } from '../services/drafts/toolPath.ts';
import { Errno } from './fsError.ts';

const MAX_LINKS = 40;
const decoder = new TextDecoder();

export interface Found {
  /** The path with every link on the way (and the last, when followed) resolved. */
  parts: string[];
  /** What is there; null when nothing is. */
  info: FileInfo | null;
}

export async function findPath(files: FileView, parts: readonly string[], followLast: boolean, mountPoint: string): Promise<Found> {
  let current = [...parts];
  for (let links = 0; ; links++) {
    const step = await findOnce(files, current, followLast, mountPoint);
    if (!('next' in step)) return step;
    if (links >= MAX_LINKS) throw new Errno('ELOOP');
    current = step.next;
  }
}

/** What `parts` holds, or the path to look at instead when a link is on the way. */
async function findOnce(files: FileView, parts: string[], followLast: boolean, mountPoint: string): Promise<Found | { next: string[] }> {
  let info: FileInfo | null;
  try {
    info = await files.stat(parts);
  } catch (err) {
    if (!isGroveError(err) || err.code !== 'ENOTDIR') throw err;
    return { next: await linkOnTheWay(files, parts, mountPoint) };
  }
  if (info === null || info.kind !== 'symlink' || !followLast) return { parts, info };
  return { next: await targetOf(files, parts, mountPoint) };
}

/** `parts` with its first link resolved; ENOTDIR when a file (not a link) is on the way. */
async function linkOnTheWay(files: FileView, parts: string[], mountPoint: string): Promise<string[]> {
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i);
    const info = await files.stat(prefix);
    if (info === null) throw new Errno('ENOENT');
    if (info.kind === 'symlink') return [...(await targetOf(files, prefix, mountPoint)), ...parts.slice(i)];
    if (info.kind === 'submodule') throw new Errno('ENOENT', `'${joinPath(prefix)}' is a submodule: its files are in another repository`);
    if (info.kind !== 'dir') throw new Errno('ENOTDIR');
  }
  throw new Errno('ENOTDIR');
}

/** The draft path a link points to; ENOENT when it points outside the draft. */
async function targetOf(files: FileView, link: string[], mountPoint: string): Promise<string[]> {
  const target = decoder.decode(await files.read(link));
  const outside = (): Errno => new Errno('ENOENT', `'${joinPath(link)}' is a symbolic link to '${target}', outside the draft`);
  let path: string;
  if (target.startsWith('/')) {
    if (target !== mountPoint && !target.startsWith(`${mountPoint}/`)) throw outside();
    path = target.slice(mountPoint.length);
  } else {
    path = `${joinPath(link.slice(0, -1))}/${target}`;
  }
  try {
    return toolPath(path);
  } catch {
    throw outside();
  }
}
