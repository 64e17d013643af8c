/**
 * Case folding for `ignore_case` searches, one code point at a time, as a
 * C library's `towlower` does under a UTF-8 locale (git grep -i compiles its
 * pattern with REG_ICASE): each code point maps to its simple lowercase
 * form, or to itself when that form is more than one code point (U+0130
 * "İ") — never depending on its neighbours (no final-sigma rule, unlike
 * `String.prototype.toLowerCase` on a whole string).
 */

const cache = new Map<number, number>();

/** The simple lowercase of one code point. */
export function foldCodePoint(cp: number): number {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 0x20 : cp;
  const known = cache.get(cp);
  if (known !== undefined) return known;
  const lower = String.fromCodePoint(cp).toLowerCase();
  const first = lower.codePointAt(0)!;
  const folded = String.fromCodePoint(first) === lower ? first : cp;
  cache.set(cp, folded);
  return folded;
}

/** The simple uppercase of one code point (itself when that is more than one code point). */
export function upperCodePoint(cp: number): number {
  if (cp < 0x80) return cp >= 0x61 && cp <= 0x7a ? cp - 0x20 : cp;
  const upper = String.fromCodePoint(cp).toUpperCase();
  const first = upper.codePointAt(0);
  return first !== undefined && String.fromCodePoint(first) === upper ? first : cp;
}

/** `text` with every code point folded; with `asciiOnly`, only A-Z change (git's byte-wise `-F -i` with an ASCII pattern). */
export function foldCase(text: string, asciiOnly = false): string {
  if (asciiOnly || /^[\x00-\x7f]*$/.test(text)) return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  let out = '';
  for (const ch of text) out += String.fromCodePoint(foldCodePoint(ch.codePointAt(0)!));
  return out;
}
