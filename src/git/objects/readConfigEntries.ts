/**
 * Reads git's config syntax from bytes the way git 2.39's config.c
 * `git_config_from_mem` does for fsck's look at a `.gitmodules` blob
 * (`git_parse_source`, `get_base_var`, `get_extended_base_var`, `get_value`,
 * `parse_value`), calling `onEntry` for each variable as it is read:
 *
 *     [section]                 name "section.key"; section and key lower-cased
 *     [section "Sub \"x\""]     name "section.Sub "x".key"; subsection kept as is
 *     [section.Sub]             name "section.sub.key" (old syntax, lower-cased)
 *     key                       value undefined (a boolean "true")
 *     key = v "quoted; #" \t    value 'v quoted; # \t' (escapes \n \t \b \\ \")
 *     # comment, ; comment      also after a value
 *
 * Returns false at the first syntax error; entries read before it have been
 * reported already (fsck still checks them, then calls the blob unparsable).
 *
 * Names and values are byte strings (one char per byte, 0-255), cut at the
 * first NUL as git's C callback sees them. Quirks of git on x86-64, where
 * `char` is signed and the in-memory reader returns a byte as a `char`, are
 * kept, because git's verdict on the same blob depends on them:
 * - a 0xFF byte reads as EOF: an end of line that also marks the end of the
 *   input, for good (a key read after it is cut short);
 * - a UTF-8 byte-order mark is not skipped (it never equals the unsigned
 *   bytes git compares it with), so a blob that starts with one is unparsable.
 * git also stops at 2 GiB (INT_MAX characters); nothing here reaches that.
 */

const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const SPACE = 0x20;
const EOF = -1;

/** git's sane_ctype `isspace`: space, \t, \n and \r only. */
function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

function isAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/** config.c `iskeychar`: ASCII letters, digits and '-'. */
function isKeyChar(c: number): boolean {
  return isAlpha(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d;
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** The C string a callback sees: the byte string up to its first NUL. */
function cString(bytes: string): string {
  const nul = bytes.indexOf('\0');
  return nul < 0 ? bytes : bytes.slice(0, nul);
}

export type ConfigEntryHandler = (name: string, value: string | undefined) => void;

export function readConfigEntries(data: Uint8Array, onEntry: ConfigEntryHandler): boolean {
  let pos = 0;
  let eof = false;

  /** `config_buf_fgetc`: the next byte as a signed char, so 0xFF is EOF too. */
  const read = (): number => {
    if (pos >= data.length) return EOF;
    const byte = data[pos++]!;
    return byte === 0xff ? EOF : byte;
  };

  /** `get_next_char`: CR LF reads as LF; EOF reads as LF and sets `eof`. */
  const next = (): number => {
    let c = read();
    if (c === CR) {
      c = read();
      if (c !== LF) {
        if (c !== EOF) pos--;
        c = CR;
      }
    }
    if (c === EOF) {
      eof = true;
      return LF;
    }
    return c;
  };

  /** `parse_value`: the value after '=' up to the end of the line; undefined on a syntax error. */
  const parseValue = (): string | undefined => {
    let value = '';
    let quote = false;
    let comment = false;
    let spaces = 0;
    for (;;) {
      let c = next();
      if (c === LF) return quote ? undefined : value;
      if (comment) continue;
      if (isSpace(c) && !quote) {
        if (value.length > 0) spaces++;
        continue;
      }
      if (!quote && (c === 0x3b || c === 0x23)) {
        comment = true;
        continue;
      }
      for (; spaces > 0; spaces--) value += ' ';
      if (c === 0x5c) {
        c = next();
        if (c === LF) continue; // a line continuation
        if (c === 0x74) c = TAB;
        else if (c === 0x62) c = 0x08;
        else if (c === 0x6e) c = LF;
        else if (c !== 0x5c && c !== 0x22) return undefined;
        value += String.fromCharCode(c);
        continue;
      }
      if (c === 0x22) {
        quote = !quote;
        continue;
      }
      value += String.fromCharCode(c);
    }
  };

  /** `get_value`: the rest of the key whose first char is on `name`, then its value. */
  const getValue = (name: string): boolean => {
    let c: number;
    for (;;) {
      c = next();
      if (eof || !isKeyChar(c)) break;
      name += String.fromCharCode(lower(c));
    }
    while (c === SPACE || c === TAB) c = next();
    let value: string | undefined;
    if (c !== LF) {
      if (c !== 0x3d) return false;
      value = parseValue();
      if (value === undefined) return false;
    }
    onEntry(cString(name), value === undefined ? undefined : cString(value));
    return true;
  };

  /** `get_extended_base_var`: ` "subsection"]` after a section name; `c` is the space that started it. */
  const getSubsection = (c: number): string | undefined => {
    do {
      if (c === LF) return undefined;
      c = next();
    } while (isSpace(c));
    if (c !== 0x22) return undefined;
    let subsection = '.';
    for (;;) {
      c = next();
      if (c === LF) return undefined;
      if (c === 0x22) break;
      if (c === 0x5c) {
        c = next();
        if (c === LF) return undefined;
      }
      subsection += String.fromCharCode(c);
    }
    return next() === 0x5d ? subsection : undefined;
  };

  /** `get_base_var`: the section header after '['; undefined on a syntax error. */
  const getSection = (): string | undefined => {
    let section = '';
    for (;;) {
      const c = next();
      if (eof) return undefined;
      if (c === 0x5d) return section;
      if (isSpace(c)) {
        const subsection = getSubsection(c);
        return subsection === undefined ? undefined : section + subsection;
      }
      if (!isKeyChar(c) && c !== 0x2e) return undefined;
      section += String.fromCharCode(lower(c));
    }
  };

  let comment = false;
  let prefix = ''; // "section." or "section.subsection."
  for (;;) {
    const c = next();
    if (c === LF) {
      if (eof) return true;
      comment = false;
      continue;
    }
    if (comment || isSpace(c)) continue;
    if (c === 0x23 || c === 0x3b) {
      comment = true;
      continue;
    }
    if (c === 0x5b) {
      const section = getSection();
      if (section === undefined || section.length === 0) return false;
      prefix = `${section}.`;
      continue;
    }
    if (!isAlpha(c)) return false;
    if (!getValue(prefix + String.fromCharCode(lower(c)))) return false;
  }
}
