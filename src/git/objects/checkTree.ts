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
 * file or symlink (a 'blob') or a tree (a 'tree'); git reads any other mode
 * as a gitlink and skips it. And, as fsck_tree collects them, the ids of the
 * non-symlink entries named `.gitmodules` or `.gitattributes` or an HFS+/NTFS
 * alias of them (for `.gitmodules` also after any '\' in the name, which
 * Windows reads as a directory separator; git 2.39 does not do that for
 * `.gitattributes`), whatever their mode.
 */
import {
  isHfsDotGit, isHfsDotGitattributes, isHfsDotGitmodules, isNtfsDotGit, isNtfsDotGitattributes, isNtfsDotGitmodules,
} from './dotGitNames.ts';
import { fsckError } from './fsckError.ts';
import type { ObjectCheck } from './objectCheck.ts';
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

/** The shortest alias of `.gitmodules` or `.gitattributes`: an 8.3 short name such as `gitmod~1`. */
const MIN_SPECIAL_LENGTH = 8;

const TILDE = 0x7e;

/**
 * For a name of 8 bytes or more that starts with 'g' or 'G': whether its next
 * three bytes allow an NTFS short name of `.gitmodules` or `.gitattributes`
 * (`gitmod~N`, `gitatt~N`, or a fall-back `gi7eba~N`, `gi7d29~N`, `g~NNNNNN`...).
 * A cheap test that spares most names ("git-add.c") the full ones.
 */
function mayBeShortName(data: Uint8Array, start: number): boolean {
  const b1 = data[start + 1]!;
  const b2 = data[start + 2]!;
  const b3 = data[start + 3]! | 0x20; // lower-cases letters (and turns no other byte into a letter)
  if (b1 === TILDE) return true;
  if ((b1 | 0x20) !== 0x69) return false; // 'i'
  if (b2 === TILDE) return true;
  if ((b2 | 0x20) === 0x74) return b3 === 0x6d || b3 === 0x61; // "gitm", "gita"
  return b2 === 0x37 && (b3 === TILDE || b3 === 0x65 || b3 === 0x64); // "gi7~", "gi7e", "gi7d"
}

/** Adds the entry's id to a list of special blobs, once. */
function addSpecial(list: Oid[], data: Uint8Array, entry: Entry): void {
  const oid = oidAt(data, entry.oidStart);
  if (!list.includes(oid)) list.push(oid);
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

/**
 * Whether the name (starting with `first`) is `.git`, `.gitmodules` or
 * `.gitattributes` to HFS+ or NTFS: sets hasDotgit, throws the
 * gitmodulesSymlink git reports on the spot, or records a special blob.
 */
function inspectAliases(data: Uint8Array, entry: Entry, first: number, flags: Flags, check: ObjectCheck): void {
  const { nameStart, nameEnd } = entry;
  const symlink = (entry.mode & S_IFMT) === S_IFLNK;
  // An HFS+ alias starts with '.' once ignorable code points (all non-ASCII) are dropped.
  const hfs = first === DOT || first >= 0x80;
  if ((hfs && isHfsDotGit(data, nameStart, nameEnd)) || isNtfsDotGit(data, nameStart, nameEnd)) flags.hasDotgit = true;
  if (nameEnd - nameStart < MIN_SPECIAL_LENGTH) return;
  if ((first === 0x67 || first === 0x47) && !mayBeShortName(data, nameStart)) return;
  if ((hfs && isHfsDotGitmodules(data, nameStart, nameEnd)) || isNtfsDotGitmodules(data, nameStart, nameEnd)) {
    if (symlink) throw fsckError('gitmodulesSymlink', '.gitmodules is a symbolic link');
    addSpecial(check.gitmodules, data, entry);
  }
  // A symlink here is gitattributesSymlink, which git rates "info".
  if (!symlink && ((hfs && isHfsDotGitattributes(data, nameStart, nameEnd)) || isNtfsDotGitattributes(data, nameStart, nameEnd))) {
    addSpecial(check.gitattributes, data, entry);
  }
}

/** After a '\' (a directory separator to Windows), the same for `.git` and `.gitmodules` (git does not look for `.gitattributes` there). */
function inspectAfterBackslash(data: Uint8Array, entry: Entry, from: number, flags: Flags, check: ObjectCheck): void {
  if (isNtfsDotGit(data, from, entry.nameEnd)) flags.hasDotgit = true;
  if (isNtfsDotGitmodules(data, from, entry.nameEnd)) {
    if ((entry.mode & S_IFMT) === S_IFLNK) throw fsckError('gitmodulesSymlink', '.gitmodules is a symbolic link');
    addSpecial(check.gitmodules, data, entry);
  }
}

/** The entry's own findings, and what inspectAliases and inspectAfterBackslash find. */
function inspectName(data: Uint8Array, entry: Entry, flags: Flags, check: ObjectCheck): void {
  const { nameStart, nameEnd } = entry;
  if (isNullOid(data, entry.oidStart)) flags.nullSha1 = true;
  if (nameEnd === nameStart) flags.emptyName = true;
  if (nameIs(data, entry, '.')) flags.hasDot = true;
  if (nameIs(data, entry, '..')) flags.hasDotdot = true;
  if (data[entry.start] === 0x30) flags.zeroPaddedFilemode = true;
  const first = data[nameStart] ?? 0;
  if (mayAliasDotGit(first)) inspectAliases(data, entry, first, flags, check);
  for (let i = nameStart; i < nameEnd; i++) {
    const byte = data[i];
    if (byte === SLASH) flags.fullPathname = true;
    else if (byte === BACKSLASH) inspectAfterBackslash(data, entry, i + 1, flags, check);
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

export function checkTree(data: Uint8Array): ObjectCheck {
  const check: ObjectCheck = { links: [], gitmodules: [], gitattributes: [] };
  if (data.length === 0) return check;
  let entry = decodeEntry(data, 0);
  if (entry === undefined) throw fsckError('badTree', 'cannot be parsed as a tree');
  const flags: Flags = {
    nullSha1: false, fullPathname: false, emptyName: false, hasDot: false, hasDotdot: false,
    hasDotgit: false, zeroPaddedFilemode: false, duplicateEntries: false, treeNotSorted: false,
  };
  const candidates: Entry[] = [];
  let previous: Entry | undefined;
  while (entry !== undefined) {
    inspectName(data, entry, flags, check);
    const next: number = entry.oidStart + OID_BYTES;
    const following: Entry | undefined = next < data.length ? decodeEntry(data, next) : undefined;
    if (next < data.length && following === undefined) throw fsckError('badTree', 'cannot be parsed as a tree');
    if (isFollowed(entry.type)) check.links.push({ oid: oidAt(data, entry.oidStart), type: entry.type === S_IFDIR ? 'tree' : 'blob' });
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
  return check;
}
