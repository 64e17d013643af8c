/**
 * Parses a POSIX extended regular expression (regex(7), what `git grep -E`
 * hands to regcomp with REG_EXTENDED) into a syntax tree:
 *
 *     regex  := branch ('|' branch)*
 *     branch := piece*
 *     piece  := atom ('*' | '+' | '?' | '{' m '}' | '{' m ',' '}' | '{' [m] ',' n '}')*
 *     atom   := '(' regex ')' | '[' bracket ']' | '.' | '^' | '$' | '\' char | char
 *
 * with the GNU escapes glibc accepts: `\w \W \s \S` (classes) and
 * `\b \B \< \>` (word boundaries); any other escaped character stands for
 * itself. Inside brackets a backslash is an ordinary character, `]` first is
 * literal, `-` first or last is literal.
 *
 * Refused with BAD_REQUEST (`details.field: "pattern"`): back-references
 * (`\1`…`\9`, which no linear-time matcher can honour), the buffer anchors
 * `` \` `` and `\'` (git applies them to whatever rest of the file it is
 * searching, so their meaning shifts from line to line), collating elements and
 * equivalence classes (`[. .]`, `[= =]`), a repetition with nothing to
 * repeat, unbalanced parentheses or brackets, bad intervals, intervals above
 * {@link MAX_REPEAT}, and groups (or repetitions of repetitions) nested deeper
 * than {@link MAX_DEPTH}.
 */
import { GroveError } from '../../../errors.ts';
import { CLASS_NAMES, type CharSet, type ClassName } from './charSet.ts';

export type Assertion = 'bol' | 'eol' | 'word-boundary' | 'not-word-boundary' | 'word-start' | 'word-end';

export type RegexNode =
  | { kind: 'empty' }
  | { kind: 'char'; cp: number }
  | { kind: 'any' }
  | { kind: 'set'; set: CharSet }
  | { kind: 'assert'; assertion: Assertion }
  | { kind: 'concat'; items: RegexNode[] }
  | { kind: 'alt'; items: RegexNode[] }
  | { kind: 'repeat'; node: RegexNode; min: number; max: number };

/** The largest bound of an interval `{m,n}`. */
export const MAX_REPEAT = 1000;
/** The deepest nesting of groups. */
export const MAX_DEPTH = 100;

function invalid(pattern: string, why: string): GroveError {
  return new GroveError('BAD_REQUEST', `invalid regex ${JSON.stringify(pattern.slice(0, 200))}: ${why}`, { field: 'pattern' });
}

const WORD: CharSet = { negated: false, ranges: [], classes: ['word'] };
const SPACE: CharSet = { negated: false, ranges: [], classes: ['space'] };

export function parseRegex(pattern: string): RegexNode {
  const chars = Array.from(pattern, (ch) => ch.codePointAt(0)!);
  let pos = 0;
  const peek = (): number | undefined => chars[pos];
  const is = (ch: string): boolean => chars[pos] === ch.charCodeAt(0);

  const parseAlternation = (depth: number): RegexNode => {
    const branches = [parseBranch(depth)];
    while (is('|')) {
      pos++;
      branches.push(parseBranch(depth));
    }
    return branches.length === 1 ? branches[0]! : { kind: 'alt', items: branches };
  };

  const parseBranch = (depth: number): RegexNode => {
    const items: RegexNode[] = [];
    while (pos < chars.length && !is('|') && !(is(')') && depth > 0)) {
      if (is(')')) throw invalid(pattern, 'unmatched )');
      let atom = parseAtom(depth);
      let chained = 0;
      for (let quantified = parseQuantifier(); quantified !== undefined; quantified = parseQuantifier()) {
        if (atom.kind === 'assert') throw invalid(pattern, 'a repetition of an anchor');
        if (++chained > MAX_DEPTH) throw invalid(pattern, `pattern too complex: more than ${MAX_DEPTH} repetitions in a row`);
        atom = { kind: 'repeat', node: atom, min: quantified[0], max: quantified[1] };
      }
      items.push(atom);
    }
    if (items.length === 0) return { kind: 'empty' };
    return items.length === 1 ? items[0]! : { kind: 'concat', items };
  };

  const parseQuantifier = (): [number, number] | undefined => {
    if (is('*')) return pos++, [0, Infinity];
    if (is('+')) return pos++, [1, Infinity];
    if (is('?')) return pos++, [0, 1];
    if (!is('{')) return undefined;
    pos++;
    const min = readNumber();
    let max = min;
    if (is(',')) {
      pos++;
      max = readNumber() ?? Infinity;
    }
    if (!is('}')) throw invalid(pattern, 'unterminated or malformed interval {m,n}');
    pos++;
    const low = min ?? 0;
    if (min === undefined && max === undefined) throw invalid(pattern, 'an interval needs a bound');
    if (max === undefined || low > max) throw invalid(pattern, 'interval {m,n} with m greater than n');
    if (low > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) throw invalid(pattern, `interval bounds above ${MAX_REPEAT}`);
    return [low, max];
  };

  const readNumber = (): number | undefined => {
    const start = pos;
    let value = 0;
    while (pos < chars.length && chars[pos]! >= 0x30 && chars[pos]! <= 0x39) value = value * 10 + (chars[pos++]! - 0x30);
    return pos === start ? undefined : Math.min(value, MAX_REPEAT + 1);
  };

  const parseAtom = (depth: number): RegexNode => {
    const cp = peek()!;
    pos++;
    switch (String.fromCodePoint(cp)) {
      case '(': {
        if (depth >= MAX_DEPTH) throw invalid(pattern, `pattern too complex: groups nested more than ${MAX_DEPTH} deep`);
        const inner = parseAlternation(depth + 1);
        if (!is(')')) throw invalid(pattern, 'unmatched (');
        pos++;
        return inner;
      }
      case '*': case '+': case '?': case '{':
        throw invalid(pattern, `nothing to repeat before ${String.fromCodePoint(cp)}`);
      case '[': return { kind: 'set', set: parseBracket() };
      case '.': return { kind: 'any' };
      case '^': return { kind: 'assert', assertion: 'bol' };
      case '$': return { kind: 'assert', assertion: 'eol' };
      case '\\': return parseEscape();
      default: return { kind: 'char', cp };
    }
  };

  const parseEscape = (): RegexNode => {
    const cp = peek();
    if (cp === undefined) throw invalid(pattern, 'trailing backslash');
    pos++;
    const ch = String.fromCodePoint(cp);
    switch (ch) {
      case 'w': return { kind: 'set', set: WORD };
      case 'W': return { kind: 'set', set: { ...WORD, negated: true } };
      case 's': return { kind: 'set', set: SPACE };
      case 'S': return { kind: 'set', set: { ...SPACE, negated: true } };
      case 'b': return { kind: 'assert', assertion: 'word-boundary' };
      case 'B': return { kind: 'assert', assertion: 'not-word-boundary' };
      case '<': return { kind: 'assert', assertion: 'word-start' };
      case '>': return { kind: 'assert', assertion: 'word-end' };
      case '`': case '\'':
        throw invalid(pattern, `\\${ch} (start or end of the buffer) is not supported: use ^ or $`);
      default:
        if (ch >= '1' && ch <= '9') throw invalid(pattern, 'back-references are not supported (no linear-time matcher can honour them)');
        return { kind: 'char', cp };
    }
  };

  const parseBracket = (): CharSet => {
    const set: CharSet = { negated: false, ranges: [], classes: [] };
    if (is('^')) {
      set.negated = true;
      pos++;
    }
    let first = true;
    for (;;) {
      const cp = peek();
      if (cp === undefined) throw invalid(pattern, 'unmatched [');
      if (cp === 0x5d && !first) { // ]
        pos++;
        return set;
      }
      first = false;
      if (cp === 0x5b && (chars[pos + 1] === 0x2e || chars[pos + 1] === 0x3d)) { // [. or [=
        throw invalid(pattern, 'collating elements and equivalence classes ([. .], [= =]) are not supported');
      }
      if (cp === 0x5b && chars[pos + 1] === 0x3a) { // [:
        let end = pos + 2;
        while (end + 1 < chars.length && !(chars[end] === 0x3a && chars[end + 1] === 0x5d)) end++;
        if (end + 1 >= chars.length) throw invalid(pattern, 'unterminated character class [:');
        const name = String.fromCodePoint(...chars.slice(pos + 2, end));
        if (!(CLASS_NAMES as readonly string[]).includes(name) || name === 'word') throw invalid(pattern, `unknown character class [:${name.slice(0, 40)}:]`);
        set.classes.push(name as ClassName);
        pos = end + 2;
        continue;
      }
      pos++;
      let hi = cp;
      if (is('-') && chars[pos + 1] !== undefined && chars[pos + 1] !== 0x5d) {
        pos++;
        hi = chars[pos++]!;
        if (hi === 0x5b && chars[pos] === 0x3a) throw invalid(pattern, 'a character class cannot end a range');
        if (hi < cp) throw invalid(pattern, 'invalid range end');
      }
      set.ranges.push([cp, hi]);
    }
  };

  const tree = parseAlternation(0);
  if (pos < chars.length) throw invalid(pattern, 'unmatched )');
  return tree;
}
