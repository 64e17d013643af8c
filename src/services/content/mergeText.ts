/**
 * A line-level three-way merge of one file, deciding as git's `xdl_merge`
 * (xdiff/xmerge.c) does at the level git's merges use (ll-merge.c:
 * XDL_MERGE_ZEALOUS, no indent heuristic):
 *
 * - each side is diffed against the base (lineDiff.ts, git's xdiff);
 * - a change of one side that ends before the other side's next change
 *   begins — at least one unchanged base line between them — is taken as is
 *   ("if (xscr1->i1 + xscr1->chg1 < xscr2->i1)");
 * - changes that overlap or touch, chained across both sides, form one
 *   region; it merges cleanly only when both sides turned it into the same
 *   lines (what "refine conflicts" leaves without a conflict), else the file
 *   conflicts.
 *
 * `mergeText` returns the merged bytes, or null on a conflict (the content
 * API refuses a conflicting merge). `mergeTextWithMarkers` writes each
 * conflicting region as git's default (`merge`) conflict style does:
 *
 *     <<<<<<< ours
 *     our lines
 *     =======
 *     their lines
 *     >>>>>>> theirs
 *
 * each side ended with a line feed if it lacked one.
 */
import { concatBytes } from '../../git/bytes.ts';
import type { LineFile } from './diff/classifyLines.ts';
import { lineDiff, type LineChange } from './diff/lineDiff.ts';

interface Side {
  file: LineFile;
  changes: LineChange[];
  next: number;
}

export function mergeText(base: Uint8Array, ours: Uint8Array, theirs: Uint8Array): Uint8Array | null {
  return merge(base, ours, theirs, null)?.merged ?? null;
}

/** The merge with conflict markers (`labels` name the sides); `conflicts` counts the conflicting regions. */
export function mergeTextWithMarkers(base: Uint8Array, ours: Uint8Array, theirs: Uint8Array, labels: { ours: string; theirs: string }): { merged: Uint8Array; conflicts: number } {
  return merge(base, ours, theirs, labels)!;
}

const encoder = new TextEncoder();
const LF = new Uint8Array([10]);

function merge(base: Uint8Array, ours: Uint8Array, theirs: Uint8Array, labels: { ours: string; theirs: string } | null): { merged: Uint8Array; conflicts: number } | null {
  let conflicts = 0;
  const a = lineDiff(base, ours, { indentHeuristic: false });
  const b = lineDiff(base, theirs, { indentHeuristic: false });
  if (a.changes.length === 0) return { merged: theirs, conflicts };
  if (b.changes.length === 0) return { merged: ours, conflicts };
  const baseFile = a.old;
  const sides: [Side, Side] = [
    { file: a.new, changes: a.changes, next: 0 },
    { file: b.new, changes: b.changes, next: 0 },
  ];
  const out: Uint8Array[] = [];
  let done = 0; // base lines already accounted for
  for (;;) {
    const first = nextSide(sides);
    if (first === undefined) break;
    const start = first.changes[first.next]!.oldStart;
    let end = start;
    const taken: [LineChange[], LineChange[]] = [[], []];
    // Take every change, of either side, that begins no later than the region ends.
    for (let grew = true; grew;) {
      grew = false;
      sides.forEach((side, s) => {
        const change = side.changes[side.next];
        if (change === undefined || change.oldStart > end) return;
        taken[s]!.push(change);
        side.next++;
        end = Math.max(end, change.oldStart + change.oldCount);
        grew = true;
      });
    }
    out.push(lines(baseFile, done, start));
    const mine = regionText(baseFile, sides[0], taken[0], start, end);
    const other = regionText(baseFile, sides[1], taken[1], start, end);
    if (taken[0].length > 0 && taken[1].length > 0 && !equalBytes(mine, other)) {
      if (labels === null) return null;
      conflicts++;
      const ended = (text: Uint8Array): Uint8Array[] => (text.length > 0 && text[text.length - 1] !== 10 ? [text, LF] : [text]);
      out.push(encoder.encode(`<<<<<<< ${labels.ours}\n`), ...ended(mine), encoder.encode('=======\n'), ...ended(other), encoder.encode(`>>>>>>> ${labels.theirs}\n`));
    } else {
      out.push(taken[0].length > 0 ? mine : other);
    }
    done = end;
  }
  out.push(lines(baseFile, done, baseFile.count));
  return { merged: concatBytes(out), conflicts };
}

/** The side whose next change begins first (ours on a tie); undefined when both are done. */
function nextSide(sides: [Side, Side]): Side | undefined {
  const [a, b] = sides;
  const ca = a.changes[a.next];
  const cb = b.changes[b.next];
  if (ca === undefined) return cb === undefined ? undefined : b;
  if (cb === undefined) return a;
  return ca.oldStart <= cb.oldStart ? a : b;
}

/** Base lines [start, end) as `side` changed them with `changes`. */
function regionText(base: LineFile, side: Side, changes: readonly LineChange[], start: number, end: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = start;
  for (const c of changes) {
    parts.push(lines(base, at, c.oldStart), lines(side.file, c.newStart, c.newStart + c.newCount));
    at = c.oldStart + c.oldCount;
  }
  parts.push(lines(base, at, end));
  return concatBytes(parts);
}

function lines(file: LineFile, from: number, to: number): Uint8Array {
  return file.bytes.subarray(file.starts[from]!, file.starts[to]!);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
