/**
 * Compiles a regex syntax tree (parseRegex.ts) into a Thompson NFA program,
 * one instruction per state (Russ Cox, "Regular Expression Matching Can Be
 * Simple And Fast"): `char`/`any`/`set` consume one code point, `split` and
 * `jmp` are ε-moves, `assert` is an ε-move taken only where its condition
 * holds, `match` accepts. Intervals `{m,n}` are unrolled, so a program
 * larger than {@link MAX_PROGRAM} states is refused as "pattern too
 * complex".
 */
import { GroveError } from '../../../errors.ts';
import { foldCodePoint } from './caseFold.ts';
import type { CharSet } from './charSet.ts';
import type { Assertion, RegexNode } from './parseRegex.ts';

export type Instruction =
  | { op: 'char'; cp: number }
  | { op: 'any' }
  | { op: 'set'; set: CharSet }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'assert'; assertion: Assertion }
  | { op: 'match' };

export interface Program {
  instructions: Instruction[];
  /** The program has word-boundary assertions (the matcher must look at neighbouring characters). */
  usesWords: boolean;
  /** The program has `^` or `$`. */
  usesLineEdges: boolean;
}

/** Most states a compiled pattern may have. */
export const MAX_PROGRAM = 20_000;

export function compileRegex(tree: RegexNode, options: { ignoreCase: boolean }): Program {
  const out: Instruction[] = [];
  let usesWords = false;
  let usesLineEdges = false;
  const push = (instruction: Instruction): number => {
    if (out.length >= MAX_PROGRAM) {
      throw new GroveError('BAD_REQUEST', `pattern too complex: it compiles to more than ${MAX_PROGRAM} states`, { field: 'pattern' });
    }
    out.push(instruction);
    return out.length - 1;
  };

  const split = (): { op: 'split'; x: number; y: number } => {
    const instruction = { op: 'split' as const, x: 0, y: 0 };
    push(instruction);
    return instruction;
  };
  const jmp = (x: number): { op: 'jmp'; x: number } => {
    const instruction = { op: 'jmp' as const, x };
    push(instruction);
    return instruction;
  };

  const emit = (node: RegexNode): void => {
    switch (node.kind) {
      case 'empty':
        return;
      case 'char':
        push({ op: 'char', cp: options.ignoreCase ? foldCodePoint(node.cp) : node.cp });
        return;
      case 'any':
        push({ op: 'any' });
        return;
      case 'set':
        push({ op: 'set', set: node.set });
        return;
      case 'assert':
        if (node.assertion === 'bol' || node.assertion === 'eol') usesLineEdges = true;
        else usesWords = true;
        push({ op: 'assert', assertion: node.assertion });
        return;
      case 'concat':
        for (const item of node.items) emit(item);
        return;
      case 'alt': {
        // split L1, L2; L1: a; jmp end; L2: split … ; last: z; end:
        const jumps: { x: number }[] = [];
        node.items.forEach((item, i) => {
          if (i === node.items.length - 1) {
            emit(item);
            return;
          }
          const fork = split();
          fork.x = out.length;
          emit(item);
          jumps.push(jmp(0));
          fork.y = out.length;
        });
        for (const j of jumps) j.x = out.length;
        return;
      }
      case 'repeat':
        emitRepeat(node.node, node.min, node.max);
        return;
    }
  };

  const emitRepeat = (node: RegexNode, min: number, max: number): void => {
    for (let i = 0; i < min; i++) emit(node);
    if (max === Infinity) {
      // L: split body, end; body: …; jmp L; end:
      const loop = out.length;
      const fork = split();
      fork.x = out.length;
      emit(node);
      jmp(loop);
      fork.y = out.length;
      return;
    }
    // (x(x(x)?)?)?: each optional copy may skip the rest.
    const forks: { y: number }[] = [];
    for (let i = min; i < max; i++) {
      const fork = split();
      fork.x = out.length;
      forks.push(fork);
      emit(node);
    }
    for (const fork of forks) fork.y = out.length;
  };

  emit(tree);
  push({ op: 'match' });
  return { instructions: out, usesWords, usesLineEdges };
}
