/**
 * Sliding groups of changed lines to where a reader expects them (xdiffi.c
 * `xdl_change_compact`, run on each file against the other). A group of
 * added or deleted lines can slide up or down while the line leaving it
 * equals the line entering it; xdiff slides each group as far as it goes
 * both ways (merging groups it runs into), then:
 *
 * - if some position lines it up with a change in the other file, puts it
 *   at the last such position;
 * - otherwise applies git's "indent heuristic" (on by default since Git
 *   2.14, `diff.indentHeuristic`): each position is scored by the indentation
 *   and blank lines around the two splits it makes, with the weights git
 *   measured on a corpus (mhagger/diff-slider-tools), and the best (the
 *   lowest, the last of equals) wins, within 100 lines of the bottom.
 *
 * Sliding never changes how many lines are added or deleted.
 */
import type { LineFile } from './classifyLines.ts';

/** A file's lines and their changed flags (line `i` is `changed[i + 1]`; both ends are sentinels). */
export interface SlideSide {
  lines: LineFile;
  changed: Uint8Array;
}

const MAX_INDENT = 200;
const MAX_BLANKS = 20;
const START_OF_FILE_PENALTY = 1;
const END_OF_FILE_PENALTY = 21;
const TOTAL_BLANK_WEIGHT = -30;
const POST_BLANK_WEIGHT = 6;
const RELATIVE_INDENT_PENALTY = -4;
const RELATIVE_INDENT_WITH_BLANK_PENALTY = 10;
const RELATIVE_OUTDENT_PENALTY = 24;
const RELATIVE_OUTDENT_WITH_BLANK_PENALTY = 17;
const RELATIVE_DEDENT_PENALTY = 23;
const RELATIVE_DEDENT_WITH_BLANK_PENALTY = 17;
const INDENT_WEIGHT = 60;
const MAX_SLIDING = 100;

/** A run of changed lines [start, end) of one file; empty (start = end) between two unchanged lines. */
class Group {
  start = 0;
  end = 0;
  readonly #side: SlideSide;
  readonly #count: number;

  constructor(side: SlideSide) {
    this.#side = side;
    this.#count = side.lines.count;
    while (this.#changed(this.end)) this.end++;
  }

  #changed(line: number): boolean {
    return this.#side.changed[line + 1] !== 0;
  }

  #set(line: number, value: number): void {
    this.#side.changed[line + 1] = value;
  }

  get isEmpty(): boolean {
    return this.start === this.end;
  }

  next(): boolean {
    if (this.end === this.#count) return false;
    this.start = this.end + 1;
    for (this.end = this.start; this.#changed(this.end); this.end++);
    return true;
  }

  previous(): boolean {
    if (this.start === 0) return false;
    this.end = this.start - 1;
    for (this.start = this.end; this.#changed(this.start - 1); this.start--);
    return true;
  }

  slideDown(): boolean {
    const classes = this.#side.lines.classes;
    if (this.end < this.#count && classes[this.start] === classes[this.end]) {
      this.#set(this.start++, 0);
      this.#set(this.end++, 1);
      while (this.#changed(this.end)) this.end++;
      return true;
    }
    return false;
  }

  slideUp(): boolean {
    const classes = this.#side.lines.classes;
    if (this.start > 0 && classes[this.start - 1] === classes[this.end - 1]) {
      this.#set(--this.start, 1);
      this.#set(--this.end, 0);
      while (this.#changed(this.start - 1)) this.start--;
      return true;
    }
    return false;
  }
}

function mustMove(moved: boolean, what: string): void {
  if (!moved) throw new Error(`diff: group sync broken ${what}`);
}

/** Columns of indentation (TAB to the next multiple of 8), at most 200; -1 for a blank line (`get_indent`). */
function indentOf(lines: LineFile, line: number): number {
  const { bytes, starts } = lines;
  let indent = 0;
  for (let i = starts[line]!, end = starts[line + 1]!; i < end; i++) {
    const c = bytes[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return indent;
    if (c === 0x20) indent += 1;
    else if (c === 0x09) indent += 8 - (indent % 8);
    if (indent >= MAX_INDENT) return MAX_INDENT;
  }
  return -1;
}

interface Score {
  effectiveIndent: number;
  penalty: number;
}

/** Adds the score of splitting the file above line `split` (`measure_split` + `score_add_split`). */
function scoreSplit(lines: LineFile, indents: Map<number, number>, split: number, score: Score): void {
  const indent = (line: number): number => {
    let value = indents.get(line);
    if (value === undefined) indents.set(line, (value = indentOf(lines, line)));
    return value;
  };
  const endOfFile = split >= lines.count;
  const own = endOfFile ? -1 : indent(split);
  let preBlank = 0;
  let preIndent = -1;
  for (let i = split - 1; i >= 0; i--) {
    preIndent = indent(i);
    if (preIndent !== -1) break;
    preBlank++;
    if (preBlank === MAX_BLANKS) {
      preIndent = 0;
      break;
    }
  }
  let postBlank = 0;
  let postIndent = -1;
  for (let i = split + 1; i < lines.count; i++) {
    postIndent = indent(i);
    if (postIndent !== -1) break;
    postBlank++;
    if (postBlank === MAX_BLANKS) {
      postIndent = 0;
      break;
    }
  }

  if (preIndent === -1 && preBlank === 0) score.penalty += START_OF_FILE_PENALTY;
  if (endOfFile) score.penalty += END_OF_FILE_PENALTY;
  const blanksAfter = own === -1 ? 1 + postBlank : 0;
  const totalBlank = preBlank + blanksAfter;
  score.penalty += TOTAL_BLANK_WEIGHT * totalBlank + POST_BLANK_WEIGHT * blanksAfter;
  const effective = own !== -1 ? own : postIndent;
  const anyBlanks = totalBlank !== 0;
  score.effectiveIndent += effective;
  if (effective === -1 || preIndent === -1) return;
  if (effective > preIndent) {
    score.penalty += anyBlanks ? RELATIVE_INDENT_WITH_BLANK_PENALTY : RELATIVE_INDENT_PENALTY;
  } else if (effective < preIndent) {
    if (postIndent !== -1 && postIndent > effective) {
      score.penalty += anyBlanks ? RELATIVE_OUTDENT_WITH_BLANK_PENALTY : RELATIVE_OUTDENT_PENALTY;
    } else {
      score.penalty += anyBlanks ? RELATIVE_DEDENT_WITH_BLANK_PENALTY : RELATIVE_DEDENT_PENALTY;
    }
  }
}

function compareScores(a: Score, b: Score): number {
  const indents = Number(a.effectiveIndent > b.effectiveIndent) - Number(a.effectiveIndent < b.effectiveIndent);
  return INDENT_WEIGHT * indents + (a.penalty - b.penalty);
}

/** Slides the groups of `side`, keeping `other`'s group cursor in step (`xdl_change_compact`). */
export function slideChanges(side: SlideSide, other: SlideSide, options: { indentHeuristic?: boolean } = {}): void {
  const g = new Group(side);
  const go = new Group(other);
  const indents = new Map<number, number>();
  for (;;) {
    if (!g.isEmpty) {
      let size: number;
      let earliestEnd: number;
      let endMatchingOther: number;
      do {
        size = g.end - g.start;
        endMatchingOther = -1;
        while (g.slideUp()) mustMove(go.previous(), 'sliding up');
        earliestEnd = g.end;
        if (!go.isEmpty) endMatchingOther = g.end;
        while (g.slideDown()) {
          mustMove(go.next(), 'sliding down');
          if (!go.isEmpty) endMatchingOther = g.end;
        }
      } while (size !== g.end - g.start);

      if (g.end === earliestEnd) {
        // could not move
      } else if (endMatchingOther !== -1) {
        while (go.isEmpty) {
          mustMove(g.slideUp(), 'to match');
          mustMove(go.previous(), 'sliding to match');
        }
      } else if (options.indentHeuristic !== false) {
        let shift = Math.max(earliestEnd, g.end - size - 1, g.end - MAX_SLIDING);
        let bestShift = -1;
        let best: Score = { effectiveIndent: 0, penalty: 0 };
        for (; shift <= g.end; shift++) {
          const score: Score = { effectiveIndent: 0, penalty: 0 };
          scoreSplit(side.lines, indents, shift, score);
          scoreSplit(side.lines, indents, shift - size, score);
          if (bestShift === -1 || compareScores(score, best) <= 0) {
            best = score;
            bestShift = shift;
          }
        }
        while (g.end > bestShift) {
          mustMove(g.slideUp(), 'to the best shift');
          mustMove(go.previous(), 'sliding to the best shift');
        }
      }
    }
    if (!g.next()) break;
    mustMove(go.next(), 'moving to the next group');
  }
}
