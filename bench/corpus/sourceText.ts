/**
 * Source-like text for the corpus: lines that look like code (indentation,
 * identifiers, calls, comments), and the small edits a developer makes —
 * change a line, insert a few, delete a few — so that successive versions of
 * a file differ a little and Git stores them as deltas.
 */
import type { Random } from './Random.ts';

const WORDS = [
  'value', 'index', 'count', 'buffer', 'result', 'config', 'handler', 'request', 'response', 'stream',
  'object', 'tree', 'commit', 'parent', 'offset', 'length', 'cursor', 'entry', 'record', 'cache',
  'limit', 'token', 'error', 'state', 'options', 'reader', 'writer', 'path', 'name', 'size',
  'delta', 'base', 'chunk', 'queue', 'node', 'table', 'row', 'column', 'key', 'hash',
];
const KEYWORDS = ['const', 'let', 'return', 'if', 'for', 'await', 'throw', 'export function', 'case'];
const OPS = [' = ', ' + ', ' - ', ' * ', ' === ', ' !== ', ' < ', ' >= ', ' ?? ', ' && '];

function identifier(rng: Random): string {
  const first = rng.pick(WORDS);
  if (rng.chance(0.5)) return first;
  const second = rng.pick(WORDS);
  return first + second.charAt(0).toUpperCase() + second.slice(1);
}

/** One line of code-like text, without its newline. */
export function sourceLine(rng: Random): string {
  const indent = '  '.repeat(rng.int(0, 4));
  const kind = rng.int(0, 9);
  if (kind === 0) return `${indent}// ${identifier(rng)} ${rng.pick(WORDS)} ${rng.pick(WORDS)} when ${identifier(rng)} changes`;
  if (kind === 1) return `${indent}}`;
  if (kind === 2) return '';
  const call = `${identifier(rng)}.${identifier(rng)}(${identifier(rng)}, ${rng.int(0, 4096)})`;
  return `${indent}${rng.pick(KEYWORDS)} ${identifier(rng)}${rng.pick(OPS)}${call};`;
}

/** A new file of `lines` lines. */
export function sourceFile(rng: Random, lines: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(sourceLine(rng));
  return out;
}

/** Applies 1 to `maxEdits` small edits in place, keeping at least a few lines. */
export function editSource(rng: Random, lines: string[], maxEdits: number): void {
  const edits = rng.int(1, maxEdits);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(0, Math.max(0, lines.length - 1));
    const kind = rng.int(0, 9);
    if (kind < 5 && lines.length > 0) {
      lines[at] = sourceLine(rng);
    } else if (kind < 8 || lines.length < 8) {
      const added: string[] = [];
      for (let i = rng.int(1, 6); i > 0; i--) added.push(sourceLine(rng));
      lines.splice(at, 0, ...added);
    } else {
      lines.splice(at, rng.int(1, 3));
    }
  }
}
