/**
 * Runs a compiled NFA (compileRegex.ts) over one line, in time linear in
 * the line's length whatever the pattern: the set of live states advances
 * one code point at a time, never backtracking. The sets met are cached as
 * the states of a lazily built DFA (kept below {@link MAX_DFA_STATES}, then
 * started afresh), so a line costs about one table lookup per character.
 *
 * The search is unanchored — a fresh thread starts at every position — and
 * only asks whether the line matches anywhere, which is all `git grep`
 * reports. Assertions depend on the position's context: at the start, at
 * the end, and whether the characters before and after are word characters.
 */
import { foldCodePoint } from './caseFold.ts';
import { inCharSet, isWordChar } from './charSet.ts';
import type { Instruction, Program } from './compileRegex.ts';
import type { Assertion } from './parseRegex.ts';

const MAX_DFA_STATES = 4096;

const AT_START = 1;
const AT_END = 2;
const PREV_WORD = 4;
const NEXT_WORD = 8;

/** The live threads before ε-moves at one position: a DFA state. */
interface Kernel {
  pcs: number[];
  /** The closure of this kernel in each of the 16 contexts, once computed. */
  closures: (Closure | undefined)[];
}

/** The threads after ε-moves: those waiting on a character, and whether one matched. */
interface Closure {
  matched: boolean;
  consumers: number[];
  /** Next kernel per ASCII code point. */
  ascii: (Kernel | undefined)[];
  other: Map<number, Kernel>;
}

export class RegexMatcher {
  readonly #program: Instruction[];
  readonly #ignoreCase: boolean;
  readonly #usesWords: boolean;
  readonly #usesContext: boolean;
  #kernels = new Map<string, Kernel>();
  #start: Kernel;

  constructor(program: Program, options: { ignoreCase: boolean }) {
    this.#program = program.instructions;
    this.#ignoreCase = options.ignoreCase;
    this.#usesWords = program.usesWords;
    this.#usesContext = program.usesWords || program.usesLineEdges;
    this.#start = this.#kernel([]);
  }

  /** True when the pattern matches somewhere in `line`. */
  test(line: string): boolean {
    if (this.#kernels.size > MAX_DFA_STATES) this.#reset();
    let kernel = this.#start;
    const length = line.length;
    let pos = 0;
    let prevWord = false;
    for (;;) {
      let cp = -1;
      let width = 0;
      if (pos < length) {
        cp = line.charCodeAt(pos);
        width = 1;
        if (cp >= 0xd800 && cp <= 0xdbff && pos + 1 < length) {
          const low = line.charCodeAt(pos + 1);
          if (low >= 0xdc00 && low <= 0xdfff) {
            cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
            width = 2;
          }
        }
      }
      let context = 0;
      if (this.#usesContext) {
        if (pos === 0) context |= AT_START;
        if (pos >= length) context |= AT_END;
        if (this.#usesWords) {
          if (prevWord) context |= PREV_WORD;
          if (cp >= 0 && isWordChar(cp)) context |= NEXT_WORD;
        }
      }
      const closure = kernel.closures[context] ?? this.#close(kernel, context);
      if (closure.matched) return true;
      if (cp < 0) return false;
      kernel = (cp < 128 ? closure.ascii[cp] : closure.other.get(cp)) ?? this.#step(closure, cp);
      if (this.#usesWords) prevWord = (context & NEXT_WORD) !== 0;
      pos += width;
    }
  }

  #reset(): void {
    this.#kernels = new Map();
    this.#start = this.#kernel([]);
  }

  #kernel(pcs: number[]): Kernel {
    // Kernels already reached stay valid; only the index forgets them (a pathological line).
    if (this.#kernels.size > 4 * MAX_DFA_STATES) this.#kernels = new Map();
    const key = pcs.join(',');
    let kernel = this.#kernels.get(key);
    if (kernel === undefined) {
      kernel = { pcs, closures: new Array<Closure | undefined>(16) };
      this.#kernels.set(key, kernel);
    }
    return kernel;
  }

  #close(kernel: Kernel, context: number): Closure {
    const seen = new Uint8Array(this.#program.length);
    const consumers: number[] = [];
    let matched = false;
    const stack = [0, ...kernel.pcs].reverse();
    while (stack.length > 0 && !matched) {
      const pc = stack.pop()!;
      if (seen[pc] === 1) continue;
      seen[pc] = 1;
      const ins = this.#program[pc]!;
      switch (ins.op) {
        case 'match': matched = true; break;
        case 'jmp': stack.push(ins.x); break;
        case 'split': stack.push(ins.y, ins.x); break;
        case 'assert': if (holds(ins.assertion, context)) stack.push(pc + 1); break;
        default: consumers.push(pc);
      }
    }
    const closure: Closure = { matched, consumers, ascii: new Array<Kernel | undefined>(128), other: new Map() };
    kernel.closures[context] = closure;
    return closure;
  }

  #step(closure: Closure, cp: number): Kernel {
    const folded = this.#ignoreCase ? foldCodePoint(cp) : cp;
    const next: number[] = [];
    for (const pc of closure.consumers) {
      const ins = this.#program[pc]!;
      const accepts = ins.op === 'any' || (ins.op === 'char' && ins.cp === folded) || (ins.op === 'set' && inCharSet(ins.set, cp, this.#ignoreCase));
      if (accepts) next.push(pc + 1);
    }
    next.sort((a, b) => a - b);
    const kernel = this.#kernel(next.filter((pc, i) => i === 0 || next[i - 1] !== pc));
    if (cp < 128) closure.ascii[cp] = kernel;
    else closure.other.set(cp, kernel);
    return kernel;
  }
}

function holds(assertion: Assertion, context: number): boolean {
  const prev = (context & PREV_WORD) !== 0;
  const next = (context & NEXT_WORD) !== 0;
  switch (assertion) {
    case 'bol': return (context & AT_START) !== 0;
    case 'eol': return (context & AT_END) !== 0;
    case 'word-boundary': return prev !== next;
    case 'not-word-boundary': return prev === next;
    case 'word-start': return !prev && next;
    case 'word-end': return prev && !next;
  }
}
