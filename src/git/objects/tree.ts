/**
 * Tree objects: a sequence of entries, as git's tree-walk.c
 * `decode_tree_entry` reads them and tree.c/mktree write them:
 *
 *     <mode in octal ASCII, no leading zeros> SP <name> NUL <20-byte id>
 *
 * in "_path_ order, which means that a directory entry is ordered by adding a
 * slash to the end of it" (fsck.c): bytes compared, so the file `a.c` comes
 * before the directory `a`.
 *
 * Names are bytes in Git. `TreeEntry.name` is their UTF-8 reading; an entry
 * whose name is not valid UTF-8 also carries the exact bytes in `rawName`,
 * and `serializeTree` writes those, so parse → serialize is byte-exact (except
 * for zero-padded modes, which `git fsck --strict` refuses anyway).
 *
 * `parseTree` runs for every tree of a history walk: one object per entry,
 * ASCII names and ids built as flat strings in one call each, no decoder call.
 */
import { GroveError } from '../../errors.ts';
import { OID_BYTES, bytesToHex, isOid, writeOid, type Oid } from './objectId.ts';
import { oidAt } from './oidAt.ts';

export interface TreeEntry {
  /** e.g. 0o100644 (file), 0o100755 (executable), 0o120000 (symlink), 0o40000 (tree), 0o160000 (gitlink) */
  mode: number;
  name: string;
  oid: Oid;
  /** The name's bytes, present only when they are not valid UTF-8 (`name` then holds U+FFFD in their place). */
  rawName?: Uint8Array;
}

export const MODE_FILE = 0o100644;
export const MODE_EXECUTABLE = 0o100755;
export const MODE_SYMLINK = 0o120000;
export const MODE_TREE = 0o40000;
export const MODE_GITLINK = 0o160000;

const S_IFMT = 0o170000;

/** A directory (entry id names a tree). */
export function isTreeMode(mode: number): boolean {
  return (mode & S_IFMT) === MODE_TREE;
}

/** A submodule commit (entry id names a commit in another repository). */
export function isGitlinkMode(mode: number): boolean {
  return (mode & S_IFMT) === MODE_GITLINK;
}

/** A symbolic link (the blob holds the target path). */
export function isSymlinkMode(mode: number): boolean {
  return (mode & S_IFMT) === MODE_SYMLINK;
}

/** A regular file, executable or not. */
export function isFileMode(mode: number): boolean {
  return (mode & S_IFMT) === 0o100000;
}

/** A regular file with the executable bit (git keeps only 644 and 755). */
export function isExecutableMode(mode: number): boolean {
  return isFileMode(mode) && (mode & 0o100) !== 0;
}

/** The entry id names a blob: a file or a symlink. */
export function isBlobMode(mode: number): boolean {
  return isFileMode(mode) || isSymlinkMode(mode);
}

/**
 * The mode git works with after reading `mode` from a tree (`canon_mode`): files
 * become 100644 or 100755, and anything that is not a file, symlink or tree is
 * treated as a gitlink.
 */
export function canonicalMode(mode: number): number {
  if (isFileMode(mode)) return isExecutableMode(mode) ? MODE_EXECUTABLE : MODE_FILE;
  if (isSymlinkMode(mode)) return MODE_SYMLINK;
  if (isTreeMode(mode)) return MODE_TREE;
  return MODE_GITLINK;
}

const SPACE = 0x20;
const SLASH = 0x2f;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossyUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

function malformed(why: string, offset: number): GroveError {
  return new GroveError('BAD_OBJECT', `malformed tree: ${why} at byte ${offset}`);
}

/** Parses a tree object's content. Throws BAD_OBJECT when it is not a well-formed sequence of entries. */
export function parseTree(data: Uint8Array): TreeEntry[] {
  const entries: TreeEntry[] = [];
  const end = data.length;
  let pos = 0;
  while (pos < end) {
    const start = pos;
    let mode = 0;
    let byte = data[pos]!;
    while (byte !== SPACE) {
      if (byte < 0x30 || byte > 0x37) throw malformed('bad mode', start);
      mode = mode * 8 + (byte - 0x30);
      byte = data[++pos] ?? 0;
    }
    if (pos === start) throw malformed('empty mode', start);
    const nameStart = ++pos;
    let high = 0;
    for (byte = data[pos] ?? 0; byte !== 0; byte = data[++pos] ?? 0) high |= byte;
    const nameEnd = pos;
    if (nameEnd === nameStart) throw malformed('empty name', start);
    if (nameEnd + 1 + OID_BYTES > end) throw malformed('truncated entry', start);
    const raw = data.subarray(nameStart, nameEnd);
    let name: string;
    if (high < 0x80 && raw.length <= 1024) {
      name = String.fromCharCode.apply(null, raw as unknown as number[]); // ASCII: one char per byte
    } else if (high < 0x80) {
      name = lossyUtf8.decode(raw); // too many arguments for one call
    } else {
      try {
        name = fatalUtf8.decode(raw);
      } catch {
        entries.push({ mode, name: lossyUtf8.decode(raw), oid: oidAt(data, nameEnd + 1), rawName: raw.slice() });
        pos = nameEnd + 1 + OID_BYTES;
        continue;
      }
    }
    entries.push({ mode, name, oid: oidAt(data, nameEnd + 1) });
    pos = nameEnd + 1 + OID_BYTES;
  }
  return entries;
}

/** Git's order of two entry names: byte order, with a tree's name read as if it ended in '/'. */
export function compareTreeEntryNames(a: Uint8Array, aIsTree: boolean, b: Uint8Array, bIsTree: boolean): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  const ca = a.length > length ? a[length]! : aIsTree ? SLASH : 0;
  const cb = b.length > length ? b[length]! : bIsTree ? SLASH : 0;
  return ca - cb;
}

interface Encoded {
  entry: TreeEntry;
  name: Uint8Array;
  isTree: boolean;
}

/**
 * The content git stores for a tree with these entries, sorted into git's order.
 * Throws BAD_OBJECT for an empty name, a name containing '/', NUL or a lone surrogate, a bad id,
 * or two entries with the same name.
 */
export function serializeTree(entries: readonly TreeEntry[]): Uint8Array {
  const encoded: Encoded[] = [];
  let size = 0;
  for (const entry of entries) {
    const name = entry.rawName ?? encoder.encode(entry.name);
    if (name.length === 0 || name.includes(0) || name.includes(SLASH) || !entry.name.isWellFormed()) {
      throw new GroveError('BAD_OBJECT', `bad tree entry name ${JSON.stringify(entry.name)}`);
    }
    if (!isOid(entry.oid)) throw new GroveError('BAD_OBJECT', `bad id "${entry.oid}" for tree entry ${JSON.stringify(entry.name)}`);
    if (!Number.isInteger(entry.mode) || entry.mode <= 0 || entry.mode > 0o7777777) {
      throw new GroveError('BAD_OBJECT', `bad mode ${entry.mode} for tree entry ${JSON.stringify(entry.name)}`);
    }
    encoded.push({ entry, name, isTree: isTreeMode(entry.mode) });
    size += entry.mode.toString(8).length + 1 + name.length + 1 + OID_BYTES;
  }
  encoded.sort((a, b) => compareTreeEntryNames(a.name, a.isTree, b.name, b.isTree));
  assertNoDuplicates(encoded);
  const out = new Uint8Array(size);
  let pos = 0;
  for (const { entry, name } of encoded) {
    const mode = entry.mode.toString(8);
    for (let i = 0; i < mode.length; i++) out[pos++] = mode.charCodeAt(i);
    out[pos++] = SPACE;
    out.set(name, pos);
    pos += name.length;
    out[pos++] = 0;
    writeOid(entry.oid, out, pos);
    pos += OID_BYTES;
  }
  return out;
}

/** A file and a tree with the same name need not be neighbours ("a", "a.c", "a/"), so compare by name bytes. */
function assertNoDuplicates(encoded: readonly Encoded[]): void {
  const seen = new Set<string>();
  for (const { entry, name } of encoded) {
    const key = entry.rawName === undefined ? entry.name : `\0${bytesToHex(name)}`;
    if (seen.has(key)) throw new GroveError('BAD_OBJECT', `duplicate tree entry ${JSON.stringify(entry.name)}`, { check: 'duplicateEntries' });
    seen.add(key);
  }
}
