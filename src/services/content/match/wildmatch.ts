/**
 * Shell-style matching of a whole path, as git's wildmatch.c does with
 * WM_PATHNAME (the `:(glob)` pathspec magic, gitglossary(7)):
 *
 *     "*" matches anything except "/"; "?" any one byte except "/";
 *     "[...]" one byte (not "/") from a set: ranges, "!" or "^" to negate,
 *       "\" to escape, [:alpha:] and the other ASCII classes;
 *     a leading "**" followed by a slash matches in all directories;
 *     a trailing "/**" matches everything inside;
 *     "/**\/" matches zero or more directories;
 *     other consecutive asterisks are regular asterisks;
 *     "\" makes the next byte literal.
 *
 * Like git it works on bytes (UTF-8 here): "?" matches one byte of a
 * multi-byte character, not the character. Matching fills a table over
 * (pattern token, path position) from the end, so it costs the product of
 * their lengths, never more (no backtracking).
 */
import { GroveError } from '../../../errors.ts';

type Token =
  | { kind: 'byte'; value: number }
  | { kind: 'one' }
  | { kind: 'set'; negated: boolean; test: (byte: number) => boolean }
  | { kind: 'star' } // within one path component
  | { kind: 'everything' } // trailing "**"
  | { kind: 'dirs' }; // "**/": zero or more whole directories

const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
const encoder = new TextEncoder();

const ASCII_CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => isAlpha(c) || isDigit(c),
  alpha: (c) => isAlpha(c),
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => isDigit(c),
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !isAlpha(c) && !isDigit(c),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66),
};

function isAlpha(c: number): boolean {
  return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function bad(pattern: string, why: string): GroveError {
  return new GroveError('BAD_REQUEST', `invalid path glob ${JSON.stringify(pattern.slice(0, 200))}: ${why}`, { field: 'paths' });
}

/** True when `pattern` holds a glob special character (`*`, `?`, `[` or `\`), as git's `is_glob_special`. */
export function hasGlobSpecials(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

/** Compiles `pattern`; the result tells whether a whole path matches it. */
export function wildmatcher(pattern: string): (path: string) => boolean {
  const tokens = tokenize(pattern);
  return (path) => matches(tokens, encoder.encode(path));
}

function tokenize(pattern: string): Token[] {
  const p = encoder.encode(pattern);
  const tokens: Token[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === BACKSLASH) {
      if (i + 1 >= p.length) throw bad(pattern, 'trailing backslash');
      tokens.push({ kind: 'byte', value: p[i + 1]! });
      i += 2;
    } else if (c === 0x3f) {
      tokens.push({ kind: 'one' });
      i++;
    } else if (c === 0x5b) {
      i = readSet(pattern, p, i, tokens);
    } else if (c === STAR) {
      let end = i;
      while (p[end] === STAR) end++;
      const atStart = i === 0 || p[i - 1] === SLASH;
      if (end - i >= 2 && atStart && end === p.length) tokens.push({ kind: 'everything' });
      else if (end - i >= 2 && atStart && p[end] === SLASH) {
        tokens.push({ kind: 'dirs' });
        end++; // the slash belongs to "**/"
      } else tokens.push({ kind: 'star' });
      i = end;
    } else {
      tokens.push({ kind: 'byte', value: c });
      i++;
    }
  }
  return tokens;
}

/** Reads the bracket expression at `p[start]` ("["); returns the index after its "]". */
function readSet(pattern: string, p: Uint8Array, start: number, tokens: Token[]): number {
  let i = start + 1;
  let negated = false;
  if (p[i] === 0x21 || p[i] === 0x5e) {
    negated = true;
    i++;
  }
  const tests: ((c: number) => boolean)[] = [];
  let first = true;
  for (;;) {
    if (i >= p.length) throw bad(pattern, 'unmatched [');
    let c = p[i]!;
    if (c === 0x5d && !first) break;
    first = false;
    if (c === 0x5b && p[i + 1] === 0x3a) {
      const close = indexOfColonBracket(p, i + 2);
      if (close < 0) throw bad(pattern, 'unterminated [: class');
      const name = new TextDecoder().decode(p.subarray(i + 2, close));
      const test = ASCII_CLASSES[name];
      if (test === undefined) throw bad(pattern, `unknown character class [:${name.slice(0, 40)}:]`);
      tests.push(test);
      i = close + 2;
      continue;
    }
    if (c === BACKSLASH) {
      if (++i >= p.length) throw bad(pattern, 'trailing backslash');
      c = p[i]!;
    }
    i++;
    if (p[i] === 0x2d && i + 1 < p.length && p[i + 1] !== 0x5d) {
      let hi = p[i + 1]!;
      i += 2;
      if (hi === BACKSLASH) {
        if (i >= p.length) throw bad(pattern, 'trailing backslash');
        hi = p[i++]!;
      }
      const lo = c;
      tests.push((b) => b >= lo && b <= hi);
    } else {
      const value = c;
      tests.push((b) => b === value);
    }
  }
  tokens.push({ kind: 'set', negated, test: (b) => tests.some((t) => t(b)) });
  return i + 1;
}

function indexOfColonBracket(p: Uint8Array, from: number): number {
  for (let i = from; i + 1 < p.length; i++) if (p[i] === 0x3a && p[i + 1] === 0x5d) return i;
  return -1;
}

/** Bottom-up over the tokens: `next[x]` tells whether tokens after the current one match `text[x..]`. */
function matches(tokens: readonly Token[], text: Uint8Array): boolean {
  const n = text.length;
  let next = new Uint8Array(n + 1);
  next[n] = 1; // no tokens left: only the empty rest matches
  for (let t = tokens.length - 1; t >= 0; t--) {
    const token = tokens[t]!;
    const row = new Uint8Array(n + 1);
    let later = 0; // 'dirs': some slash at k >= x has next[k + 1]
    for (let x = n; x >= 0; x--) {
      const c = text[x];
      switch (token.kind) {
        case 'byte': row[x] = c === token.value ? next[x + 1]! : 0; break;
        case 'one': row[x] = c !== undefined && c !== SLASH ? next[x + 1]! : 0; break;
        case 'set': row[x] = c !== undefined && c !== SLASH && token.test(c) !== token.negated ? next[x + 1]! : 0; break;
        case 'everything': row[x] = 1; break;
        case 'star': row[x] = next[x] === 1 || (c !== undefined && c !== SLASH && row[x + 1] === 1) ? 1 : 0; break;
        case 'dirs':
          if (c === SLASH && next[x + 1] === 1) later = 1;
          row[x] = next[x] === 1 || later === 1 ? 1 : 0;
          break;
      }
    }
    next = row;
  }
  return next[0] === 1;
}
