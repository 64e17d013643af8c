/**
 * Validation of one author/committer/tagger line the way git's fsck.c
 * `fsck_ident` does it, byte for byte:
 *
 *     <name without '<', '>', LF> SP '<' <email without '<', '>', LF> '>' SP
 *     <date: strtoumax, no leading zero, fits in a signed 64-bit time_t> SP
 *     <'+'|'-'> 4 digits LF
 *
 * Positions past the end of the object read as NUL, as in git's buffers.
 */
import { fsckError } from './fsckError.ts';

const LF = 0x0a;
const SPACE = 0x20;
const LT = 0x3c;
const GT = 0x3e;
const ZERO = 0x30;
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function at(data: Uint8Array, i: number): number {
  return i < data.length ? data[i]! : 0;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** C `isspace` in the C locale. */
function isSpace(c: number): boolean {
  return c === SPACE || (c >= 0x09 && c <= 0x0d);
}

/** Skips to the next '<', '>', LF or NUL (`strcspn(p, "<>\n")`). */
function skipName(data: Uint8Array, p: number): number {
  for (let c = at(data, p); c !== LT && c !== GT && c !== LF && c !== 0; c = at(data, ++p));
  return p;
}

/**
 * Git's `parse_timestamp` (strtoumax, base 10) and `date_overflows` at `p`:
 * where the number ends (`p` itself when there is none) and whether it
 * overflows a signed 64-bit time_t.
 */
function parseDate(data: Uint8Array, p: number): { end: number; overflows: boolean } {
  let q = p;
  while (isSpace(at(data, q))) q++;
  const sign = at(data, q);
  const negative = sign === 0x2d;
  if (negative || sign === 0x2b) q++;
  const digits = q;
  while (isDigit(at(data, q))) q++;
  if (q === digits) return { end: p, overflows: false };
  if (q - digits <= 15) {
    // Fast path: fits a double exactly; a negative value wraps around to >= 2^63.
    let small = 0;
    for (let i = digits; i < q; i++) small = small * 10 + (data[i]! - ZERO);
    return { end: q, overflows: negative && small !== 0 };
  }
  let value = 0n;
  for (let i = digits; i < q; i++) {
    value = value * 10n + BigInt(data[i]! - ZERO);
    if (value > UINT64_MAX) break;
  }
  if (value > UINT64_MAX) value = UINT64_MAX; // ERANGE: strtoumax returns UINTMAX_MAX, whatever the sign
  else if (negative) value = (2n ** 64n - value) % 2n ** 64n;
  return { end: q, overflows: value > INT64_MAX };
}

/**
 * Checks the ident that starts at `start` (just after "author "); returns the
 * position after its line. Throws BAD_OBJECT with git's message id otherwise.
 */
export function checkIdent(data: Uint8Array, start: number): number {
  let lineEnd = start;
  for (let c = at(data, lineEnd); c !== LF && c !== 0; c = at(data, ++lineEnd));
  const next = at(data, lineEnd) === LF ? lineEnd + 1 : lineEnd;

  let p = start;
  if (at(data, p) === LT) throw fsckError('missingNameBeforeEmail', 'invalid author/committer line - missing space before email');
  p = skipName(data, p);
  if (at(data, p) === GT) throw fsckError('badName', 'invalid author/committer line - bad name');
  if (at(data, p) !== LT) throw fsckError('missingEmail', 'invalid author/committer line - missing email');
  if (at(data, p - 1) !== SPACE) throw fsckError('missingSpaceBeforeEmail', 'invalid author/committer line - missing space before email');
  p = skipName(data, p + 1);
  if (at(data, p) !== GT) throw fsckError('badEmail', 'invalid author/committer line - bad email');
  p++;
  if (at(data, p) !== SPACE) throw fsckError('missingSpaceBeforeDate', 'invalid author/committer line - missing space before date');
  p++;
  if (at(data, p) === ZERO && at(data, p + 1) !== SPACE) throw fsckError('zeroPaddedDate', 'invalid author/committer line - zero-padded date');
  const date = parseDate(data, p);
  if (date.overflows) throw fsckError('badDateOverflow', 'invalid author/committer line - date causes integer overflow');
  if (date.end === p || at(data, date.end) !== SPACE) throw fsckError('badDate', 'invalid author/committer line - bad date');
  p = date.end + 1;
  const sign = at(data, p);
  if (
    (sign !== 0x2b && sign !== 0x2d)
    || !isDigit(at(data, p + 1)) || !isDigit(at(data, p + 2)) || !isDigit(at(data, p + 3)) || !isDigit(at(data, p + 4))
    || at(data, p + 5) !== LF
  ) throw fsckError('badTimezone', 'invalid author/committer line - bad time zone');
  return next;
}
