/**
 * The line diff git computes for `git diff` (xdiff with git's defaults: the
 * Myers algorithm, not minimal, with the indent heuristic): xdiffi.c
 * `xdl_do_diff`, then `xdl_change_compact` on each file, then
 * `xdl_build_script`. The result is the list of changes: runs of old lines
 * replaced by runs of new lines, in file order.
 *
 * `additions` and `deletions` count the `+` and `-` lines, which is what
 * `git diff --numstat` prints for a text file.
 */
import { classifyLines, type LineFile } from './classifyLines.ts';
import { discardLines } from './discardLines.ts';
import { markChanges } from './markChanges.ts';
import { slideChanges } from './slideChanges.ts';

/** Old lines [oldStart, oldStart + oldCount) became new lines [newStart, newStart + newCount) (0-based). */
export interface LineChange {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
}

export interface LineDiff {
  old: LineFile;
  new: LineFile;
  changes: LineChange[];
  additions: number;
  deletions: number;
}

export interface LineDiffOptions {
  /** Slide changes with git's indent heuristic (default true, as `diff.indentHeuristic`). */
  indentHeuristic?: boolean;
  /** Search for a minimal diff (`--minimal`); default false, as git. */
  minimal?: boolean;
}

/**
 * The changes between two byte strings, line by line, as git finds them.
 *
 * @example
 * const diff = lineDiff(new TextEncoder().encode('a\nb\n'), new TextEncoder().encode('a\nc\n'));
 * // diff.changes: [{ oldStart: 1, oldCount: 1, newStart: 1, newCount: 1 }]; additions 1, deletions 1
 */
export function lineDiff(oldBytes: Uint8Array, newBytes: Uint8Array, options: LineDiffOptions = {}): LineDiff {
  const lines = classifyLines(oldBytes, newBytes);
  const [a, b] = discardLines(lines);
  markChanges(a, b, options.minimal === undefined ? {} : { minimal: options.minimal });
  const oldSide = { lines: lines.old, changed: a.changed };
  const newSide = { lines: lines.new, changed: b.changed };
  const slide = options.indentHeuristic === undefined ? {} : { indentHeuristic: options.indentHeuristic };
  slideChanges(oldSide, newSide, slide);
  slideChanges(newSide, oldSide, slide);
  const changes = buildScript(a.changed, lines.old.count, b.changed, lines.new.count);
  let additions = 0;
  let deletions = 0;
  for (const change of changes) {
    additions += change.newCount;
    deletions += change.oldCount;
  }
  return { old: lines.old, new: lines.new, changes, additions, deletions };
}

/** Runs of changed lines, paired up in file order (`xdl_build_script`). */
function buildScript(changed1: Uint8Array, count1: number, changed2: Uint8Array, count2: number): LineChange[] {
  const changes: LineChange[] = [];
  const at1 = (i: number): boolean => i >= 0 && changed1[i + 1] !== 0;
  const at2 = (i: number): boolean => i >= 0 && changed2[i + 1] !== 0;
  for (let i1 = count1, i2 = count2; i1 >= 0 || i2 >= 0; i1--, i2--) {
    if (at1(i1 - 1) || at2(i2 - 1)) {
      const end1 = i1;
      while (at1(i1 - 1)) i1--;
      const end2 = i2;
      while (at2(i2 - 1)) i2--;
      changes.push({ oldStart: i1, oldCount: end1 - i1, newStart: i2, newCount: end2 - i2 });
    }
  }
  return changes.reverse();
}
