/**
 * `git fsck --strict` on a tree (git's fsck.c `fsck_tree`, `verify_ordered`,
 * and tree-walk.c `decode_tree_entry` for what "cannot be parsed" means):
 *
 *     <octal mode> SP <name> NUL <20-byte id>     badTree when malformed
 *
 * Per tree git reports, in this order: gitmodulesSymlink (while reading),
 * badTree, then nullSha1, fullPathname, emptyName, hasDot, hasDotdot,
 * hasDotgit, zeroPaddedFilemode, duplicateEntries, treeNotSorted; we throw
 * the first. Findings git 2.39 rates "info" (reported, but accepted even by
 * `--strict`) are not errors here: badFilemode, gitattributesSymlink,
 * gitignoreSymlink and mailmapSymlink.
 *
 * Returns the ids of the entries git follows: every entry whose mode is a
 * file, symlink or tree (git reads any other mode as a gitlink and skips it).
 */
import { isHfsDotGit, isHfsDotGitmodules, isNtfsDotGit, isNtfsDotGitmodules } from './dotGitNames.ts';
import { fsckError } from './fsckError.ts';
import { OID_BYTES, type Oid } from './objectId.ts';
import { oidAt } from './oidAt.ts';

const SPACE = 0x20;
const DOT = 0x2e;
const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

interface Entry {
  /** Offset of the entry's first byte. */
  start: number;
  /** The mode as git's `unsigned short` holds it. */
  mode: number;
  /** The mode's file type bits (unaffected by the truncation above). */
  type: number;
  nameStart: number;
  nameEnd: number;
  oidStart: number;
}

/** tree-walk.c `decode_tree_entry` of the entry at `start`; undefined where git says the tree cannot be parsed. */
function decodeEntry(data: Uint8Array, start: number): Entry | undefined {
  const size = data.length - start;
  if (size < OID_BYTES + 3 || data[data.length - (OID_BYTES + 1)] !== 0) return undefined;
  if (data[start] === SPACE) return undefined;
  let pos = start;
  let mode = 0;
  for (let c = data[pos] ?? 0; c !== SPACE; c = data[++pos] ?? 0) {
    if (c < 0x30 || c > 0x37) return undefined;
    mode = ((mode << 3) + (c - 0x30)) >>> 0; // an unsigned int, wrapping like C's
  }
  const nameStart = pos + 1;
  if (data[nameStart] === 0) return undefined;
  const nameEnd = data.indexOf(0, nameStart);
  return { start, mode: mode & 0xffff, type: mode & S_IFMT, nameStart, nameEnd, oidStart: nameEnd + 1 };
}

function isNullOid(data: Uint8Array, offset: number): boolean {
  for (let i = offset; i < offset + OID_BYTES; i++) if (data[i] !== 0) return false;
  return true;
}

function nameIs(data: Uint8Array, entry: Entry, text: string): boolean {
  if (entry.nameEnd - entry.nameStart !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (data[entry.nameStart + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * Only names that start with ".", "g", "G", "~" (NTFS fall-back short names
 * such as "~1234567") or an HFS+-ignorable code point (E2 80.., E2 81.., EF BB BF)
 * can alias .git or .gitmodules.
 */
function mayAliasDotGit(first: number): boolean {
  return first === DOT || first === 0x67 || first === 0x47 || first === 0x7e || first === 0xe2 || first === 0xef;
}

interface Flags {
  nullSha1: boolean;
  fullPathname: boolean;
  emptyName: boolean;
  hasDot: boolean;
  hasDotdot: boolean;
  hasDotgit: boolean;
  zeroPaddedFilemode: boolean;
  duplicateEntries: boolean;
  treeNotSorted: boolean;
}

const MESSAGES: Record<keyof Flags, string> = {
  nullSha1: 'contains entries pointing to null sha1',
  fullPathname: 'contains full pathnames',
  emptyName: 'contains empty pathname',
  hasDot: "contains '.'",
  hasDotdot: "contains '..'",
  hasDotgit: "contains '.git'",
  zeroPaddedFilemode: 'contains zero-padded file modes',
  duplicateEntries: 'contains duplicate file entries',
  treeNotSorted: 'not properly sorted',
};

/** The entry's own findings, and the gitmodulesSymlink git reports on the spot. */
function inspectName(data: Uint8Array, entry: Entry, flags: Flags): void {
  const { nameStart, nameEnd } = entry;
  if (isNullOid(data, entry.oidStart)) flags.nullSha1 = true;
  if (nameEnd === nameStart) flags.emptyName = true;
  if (nameIs(data, entry, '.')) flags.hasDot = true;
  if (nameIs(data, entry, '..')) flags.hasDotdot = true;
  if (data[entry.start] === 0x30) flags.zeroPaddedFilemode = true;
  const symlink = (entry.mode & S_IFMT) === S_IFLNK;
  if (mayAliasDotGit(data[nameStart] ?? 0)) {
    if (isHfsDotGit(data, nameStart, nameEnd) || isNtfsDotGit(data, nameStart, nameEnd)) flags.hasDotgit = true;
    if (symlink && (isHfsDotGitmodules(data, nameStart, nameEnd) || isNtfsDotGitmodules(data, nameStart, nameEnd))) {
      throw fsckError('gitmodulesSymlink', '.gitmodules is a symbolic link');
    }
  }
  for (let i = nameStart; i < nameEnd; i++) {
    const byte = data[i];
    if (byte === SLASH) flags.fullPathname = true;
    if (byte !== BACKSLASH) continue;
    // Windows reads '\' as a directory separator: check what follows each one.
    if (isNtfsDotGit(data, i + 1, nameEnd)) flags.hasDotgit = true;
    if (symlink && isNtfsDotGitmodules(data, i + 1, nameEnd)) throw fsckError('gitmodulesSymlink', '.gitmodules is a symbolic link');
  }
}

const ORDERED = 0;
const UNORDERED = -1;
const HAS_DUPS = -2;

function lessThanSlash(c: number): boolean {
  return c > 0 && c < SLASH;
}

/** Whether `name` starts with the candidate; then the byte after it (0 at the end). */
function afterPrefix(data: Uint8Array, name: Entry, candidate: Entry): number | undefined {
  const length = candidate.nameEnd - candidate.nameStart;
  if (name.nameEnd - name.nameStart < length) return undefined;
  for (let i = 0; i < length; i++) if (data[name.nameStart + i] !== data[candidate.nameStart + i]) return undefined;
  return name.nameStart + length < name.nameEnd ? data[name.nameStart + length]! : 0;
}

/**
 * git's `verify_ordered`. Files that a later directory of the same name would
 * duplicate ("foo", then "foo.bar", then "foo/") are kept on `candidates`.
 */
function verifyOrdered(data: Uint8Array, a: Entry, b: Entry, candidates: Entry[]): number {
  const lengthA = a.nameEnd - a.nameStart;
  const lengthB = b.nameEnd - b.nameStart;
  const length = Math.min(lengthA, lengthB);
  for (let i = 0; i < length; i++) {
    const diff = data[a.nameStart + i]! - data[b.nameStart + i]!;
    if (diff < 0) return ORDERED;
    if (diff > 0) return UNORDERED;
  }
  let c1 = length < lengthA ? data[a.nameStart + length]! : 0;
  let c2 = length < lengthB ? data[b.nameStart + length]! : 0;
  if (c1 === 0 && c2 === 0) return HAS_DUPS;
  if (c1 === 0 && (a.mode & S_IFMT) === S_IFDIR) c1 = SLASH;
  if (c2 === 0 && (b.mode & S_IFMT) === S_IFDIR) c2 = SLASH;
  if (c1 === 0 && lessThanSlash(c2)) {
    candidates.push(a);
  } else if (c2 === SLASH && lessThanSlash(c1)) {
    for (let candidate = candidates.pop(); candidate !== undefined; candidate = candidates.pop()) {
      const next = afterPrefix(data, b, candidate);
      if (next === undefined) continue;
      if (next === 0) return HAS_DUPS;
      if (lessThanSlash(next)) {
        candidates.push(candidate);
        break;
      }
    }
  }
  return c1 < c2 ? ORDERED : UNORDERED;
}

function isFollowed(type: number): boolean {
  return type === S_IFREG || type === S_IFLNK || type === S_IFDIR;
}

export function checkTree(data: Uint8Array): Oid[] {
  const links: Oid[] = [];
  if (data.length === 0) return links;
  let entry = decodeEntry(data, 0);
  if (entry === undefined) throw fsckError('badTree', 'cannot be parsed as a tree');
  const flags: Flags = {
    nullSha1: false, fullPathname: false, emptyName: false, hasDot: false, hasDotdot: false,
    hasDotgit: false, zeroPaddedFilemode: false, duplicateEntries: false, treeNotSorted: false,
  };
  const candidates: Entry[] = [];
  let previous: Entry | undefined;
  while (entry !== undefined) {
    inspectName(data, entry, flags);
    const next: number = entry.oidStart + OID_BYTES;
    const following: Entry | undefined = next < data.length ? decodeEntry(data, next) : undefined;
    if (next < data.length && following === undefined) throw fsckError('badTree', 'cannot be parsed as a tree');
    if (isFollowed(entry.type)) links.push(oidAt(data, entry.oidStart));
    if (previous !== undefined) {
      const order = verifyOrdered(data, previous, entry, candidates);
      if (order === UNORDERED) flags.treeNotSorted = true;
      else if (order === HAS_DUPS) flags.duplicateEntries = true;
    }
    previous = entry;
    entry = following;
  }
  for (const key of Object.keys(MESSAGES) as (keyof Flags)[]) {
    if (flags[key]) throw fsckError(key, MESSAGES[key]);
  }
  return links;
}
