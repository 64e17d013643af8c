/**
 * What xdiff does before its Myers search (xprepare.c `xdl_trim_ends` and
 * `xdl_cleanup_records`), which decides which lines the search sees and so
 * which of several equally short scripts it finds:
 *
 * - the lines the two files share at their start and at their end are left
 *   out ("early trim initial and terminal matching records");
 * - of the rest, a line with no equal in the other file is marked changed at
 *   once, and a line with many equals (at least √n, at most 1024: a
 *   "multimatch") is marked changed too when it sits in a run of such lines
 *   (`xdl_clean_mmatch`); "Try to reduce the problem complexity, discard
 *   records that have no matches on the other file."
 *
 * The search then runs over the lines kept (`kept` maps them back to line
 * numbers; `keptClasses` are their classes).
 */
import type { ClassifiedLines } from './classifyLines.ts';

/** One file as the search works on it. */
export interface SearchSide {
  /** Changed flags with a sentinel each side: line `i` is `changed[i + 1]`. */
  changed: Uint8Array;
  /** Line numbers of the lines the search sees. */
  kept: Int32Array;
  /** Their classes. */
  keptClasses: Int32Array;
}

const MAX_EQUAL_LIMIT = 1024;
const SIMILAR_SCAN_WINDOW = 100;
const KEEP_RUN_FACTOR = 4;

/** xdiff's integer square root approximation (`xdl_bogosqrt`). */
export function bogoSqrt(n: number): number {
  let root = 1;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 4)) root *= 2;
  return root;
}

/**
 * True when the multimatch line `i` sits among lines without a match (0) and
 * other multimatch lines (2) — before it and after it — with few enough
 * multimatches that it is better discarded.
 */
function inDiscardableRun(kind: Uint8Array, i: number, start: number, end: number): boolean {
  const s = i - start > SIMILAR_SCAN_WINDOW ? i - SIMILAR_SCAN_WINDOW : start;
  const e = end - i > SIMILAR_SCAN_WINDOW ? i + SIMILAR_SCAN_WINDOW : end;
  let unmatchedBefore = 0;
  let multiBefore = 1;
  for (let r = 1; i - r >= s; r++) {
    const k = kind[i - r]!;
    if (k === 0) unmatchedBefore++;
    else if (k === 2) multiBefore++;
    else break;
  }
  if (unmatchedBefore === 0) return false;
  let unmatchedAfter = 0;
  let multiAfter = 1;
  for (let r = 1; i + r <= e; r++) {
    const k = kind[i + r]!;
    if (k === 0) unmatchedAfter++;
    else if (k === 2) multiAfter++;
    else break;
  }
  if (unmatchedAfter === 0) return false;
  const unmatched = unmatchedBefore + unmatchedAfter;
  const multi = multiBefore + multiAfter;
  return multi * KEEP_RUN_FACTOR < multi + unmatched;
}

function sideOf(classes: Int32Array, count: number, otherCounts: Int32Array, start: number, end: number): SearchSide {
  const changed = new Uint8Array(count + 2);
  const limit = Math.min(bogoSqrt(count), MAX_EQUAL_LIMIT);
  const kind = new Uint8Array(count);
  for (let i = start; i <= end; i++) {
    const matches = otherCounts[classes[i]!]!;
    kind[i] = matches === 0 ? 0 : matches >= limit ? 2 : 1;
  }
  const kept: number[] = [];
  for (let i = start; i <= end; i++) {
    if (kind[i] === 1 || (kind[i] === 2 && !inDiscardableRun(kind, i, start, end))) kept.push(i);
    else changed[i + 1] = 1;
  }
  const keptLines = Int32Array.from(kept);
  return { changed, kept: keptLines, keptClasses: keptLines.map((i) => classes[i]!) };
}

/** Trims the common ends of the two files and discards the lines the search need not see. */
export function discardLines(lines: ClassifiedLines): [SearchSide, SearchSide] {
  const a = lines.old;
  const b = lines.new;
  const shorter = Math.min(a.count, b.count);
  let prefix = 0;
  while (prefix < shorter && a.classes[prefix] === b.classes[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && a.classes[a.count - 1 - suffix] === b.classes[b.count - 1 - suffix]) suffix++;
  return [
    sideOf(a.classes, a.count, lines.newCounts, prefix, a.count - suffix - 1),
    sideOf(b.classes, b.count, lines.oldCounts, prefix, b.count - suffix - 1),
  ];
}
