/**
 * Tree entry names that some file system would treat as `.git`,
 * `.gitmodules` or `.gitattributes` (git's utf8.c `is_hfs_dotgit*` and path.c
 * `is_ntfs_dotgit*`, behind the fsck ids hasDotgit and gitmodulesSymlink, and
 * behind the blobs whose content fsck checks):
 *
 * - HFS+ ignores case and the code points U+200C..U+200F, U+202A..U+202E,
 *   U+206A..U+206F and U+FEFF, so `.G\u200Cit` is `.git`.
 * - NTFS ignores case and trailing spaces and dots, drops an alternate data
 *   stream suffix (`.git::$INDEX_ALLOCATION`), and knows 8.3 short names
 *   (`git~1`, `gitmod~1`, `gitatt~1`, and hash-like fall-backs such as
 *   `gi7eba~1` and `gi7d29~1`).
 *
 * Each function reads the name `bytes[start, end)` exactly as git reads its
 * NUL-terminated C string: a position past `end` reads as NUL.
 */

/** Bytes of `name` from `start`; past `end` the name reads as NUL, as git's C strings do. */
function at(bytes: Uint8Array, i: number, end: number): number {
  return i < end ? bytes[i]! : 0;
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** The code point at `pos` (git's `pick_one_utf8_char`) and the next position; `next` is -1 for invalid UTF-8. */
function pickUtf8(bytes: Uint8Array, pos: number, end: number): { char: number; next: number } {
  const s0 = at(bytes, pos, end);
  const s1 = at(bytes, pos + 1, end);
  const s2 = at(bytes, pos + 2, end);
  const s3 = at(bytes, pos + 3, end);
  if (s0 < 0x80) return { char: s0, next: pos + 1 };
  if ((s0 & 0xe0) === 0xc0) {
    if ((s1 & 0xc0) !== 0x80 || (s0 & 0xfe) === 0xc0) return { char: 0, next: -1 };
    return { char: ((s0 & 0x1f) << 6) | (s1 & 0x3f), next: pos + 2 };
  }
  if ((s0 & 0xf0) === 0xe0) {
    if (
      (s1 & 0xc0) !== 0x80 || (s2 & 0xc0) !== 0x80
      || (s0 === 0xe0 && (s1 & 0xe0) === 0x80) // overlong
      || (s0 === 0xed && (s1 & 0xe0) === 0xa0) // surrogate
      || (s0 === 0xef && s1 === 0xbf && (s2 & 0xfe) === 0xbe) // U+FFFE, U+FFFF
    ) return { char: 0, next: -1 };
    return { char: ((s0 & 0x0f) << 12) | ((s1 & 0x3f) << 6) | (s2 & 0x3f), next: pos + 3 };
  }
  if ((s0 & 0xf8) === 0xf0) {
    if (
      (s1 & 0xc0) !== 0x80 || (s2 & 0xc0) !== 0x80 || (s3 & 0xc0) !== 0x80
      || (s0 === 0xf0 && (s1 & 0xf0) === 0x80) // overlong
      || (s0 === 0xf4 && s1 > 0x8f) || s0 > 0xf4 // above U+10FFFF
    ) return { char: 0, next: -1 };
    return { char: ((s0 & 0x07) << 18) | ((s1 & 0x3f) << 12) | ((s2 & 0x3f) << 6) | (s3 & 0x3f), next: pos + 4 };
  }
  return { char: 0, next: -1 };
}

function isHfsIgnorable(char: number): boolean {
  return (char >= 0x200c && char <= 0x200f) || (char >= 0x202a && char <= 0x202e)
    || (char >= 0x206a && char <= 0x206f) || char === 0xfeff;
}

/** git's `is_hfs_dot_generic`: "." + needle (ASCII, lowercase), ignoring case and HFS+-ignorable code points. */
function isHfsDot(bytes: Uint8Array, start: number, end: number, needle: string): boolean {
  let pos = start;
  const next = (): number => {
    for (;;) {
      if (pos < 0) return 0;
      const { char, next: after } = pickUtf8(bytes, pos, end);
      pos = after;
      if (after < 0) return 0; // malformed UTF-8 reads as the end of the name
      if (!isHfsIgnorable(char)) return char;
    }
  };
  if (next() !== 0x2e) return false;
  for (let i = 0; i < needle.length; i++) {
    const char = next();
    if (char > 127 || lower(char) !== needle.charCodeAt(i)) return false;
  }
  const char = next();
  return char === 0 || char === 0x2f;
}

export function isHfsDotGit(bytes: Uint8Array, start: number, end: number): boolean {
  return isHfsDot(bytes, start, end, 'git');
}

export function isHfsDotGitmodules(bytes: Uint8Array, start: number, end: number): boolean {
  return isHfsDot(bytes, start, end, 'gitmodules');
}

export function isHfsDotGitattributes(bytes: Uint8Array, start: number, end: number): boolean {
  return isHfsDot(bytes, start, end, 'gitattributes');
}

/** From `i`, only spaces and dots up to the end or an alternate-data-stream ':'. */
function onlySpacesAndPeriods(bytes: Uint8Array, i: number, end: number): boolean {
  for (;;) {
    const c = at(bytes, i++, end);
    if (c === 0 || c === 0x3a) return true;
    if (c !== 0x20 && c !== 0x2e) return false;
  }
}

/** git's `is_ntfs_dotgit`: `.git` or `git~1`, then spaces/dots up to the end, a '/', a '\' or a ':'. */
export function isNtfsDotGit(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  const c0 = at(bytes, i++, end);
  if (c0 === 0x2e) {
    if (lower(at(bytes, i++, end)) !== 0x67 || lower(at(bytes, i++, end)) !== 0x69 || lower(at(bytes, i++, end)) !== 0x74) return false;
  } else if (lower(c0) === 0x67) {
    if (lower(at(bytes, i++, end)) !== 0x69 || lower(at(bytes, i++, end)) !== 0x74 || at(bytes, i++, end) !== 0x7e || at(bytes, i++, end) !== 0x31) return false;
  } else {
    return false;
  }
  for (;;) {
    const c = at(bytes, i++, end);
    if (c === 0 || c === 0x2f || c === 0x5c || c === 0x3a) return true;
    if (c !== 0x2e && c !== 0x20) return false;
  }
}

/** strncasecmp(name + offset, needle, length) === 0 for an ASCII lowercase needle. */
function matchesCaseless(bytes: Uint8Array, pos: number, end: number, needle: string, length: number): boolean {
  for (let k = 0; k < length; k++) if (lower(at(bytes, pos + k, end)) !== needle.charCodeAt(k)) return false;
  return true;
}

/** git's `is_ntfs_dot_generic`: `.<name>`, its 6-char short name `~1`..`~4`, or its fall-back short name. */
function isNtfsDot(bytes: Uint8Array, start: number, end: number, name: string, shortPrefix: string): boolean {
  if (at(bytes, start, end) === 0x2e && matchesCaseless(bytes, start + 1, end, name, name.length)) {
    return onlySpacesAndPeriods(bytes, start + 1 + name.length, end);
  }
  const c6 = at(bytes, start + 6, end);
  const c7 = at(bytes, start + 7, end);
  if (matchesCaseless(bytes, start, end, name, 6) && c6 === 0x7e && c7 >= 0x31 && c7 <= 0x34) {
    return onlySpacesAndPeriods(bytes, start + 8, end);
  }
  let i = 0;
  for (let sawTilde = false; i < 8; i++) {
    const c = at(bytes, start + i, end);
    if (c === 0) return false;
    if (sawTilde) {
      if (c < 0x30 || c > 0x39) return false;
    } else if (c === 0x7e) {
      const digit = at(bytes, start + ++i, end);
      if (digit < 0x31 || digit > 0x39) return false;
      sawTilde = true;
    } else if (i >= 6 || (c & 0x80) !== 0 || lower(c) !== shortPrefix.charCodeAt(i)) {
      return false;
    }
  }
  return onlySpacesAndPeriods(bytes, start + i, end);
}

export function isNtfsDotGitmodules(bytes: Uint8Array, start: number, end: number): boolean {
  return isNtfsDot(bytes, start, end, 'gitmodules', 'gi7eba');
}

export function isNtfsDotGitattributes(bytes: Uint8Array, start: number, end: number): boolean {
  return isNtfsDot(bytes, start, end, 'gitattributes', 'gi7d29');
}
