/**
 * xdiff's Myers search (xdiffi.c `xdl_recs_cmp`, `xdl_split`): "An O(ND)
 * Difference Algorithm and its Variations" (Myers, 1986), searched from both
 * corners of a box at once; where the two searches meet, the box is split in
 * two and each half searched again ("divide et impera"), until one side of a
 * box is empty and every line left on the other is changed.
 *
 * git does not ask for a minimal script (`--minimal` is off), so xdiff's
 * heuristics apply, and are reproduced here because they decide the output:
 * past 256 edits, a diagonal that has run a snake of more than 20 equal lines
 * and got far from its corner is taken as the split (`XDL_HEUR_MIN_COST`,
 * `XDL_SNAKE_CNT`, `XDL_K_HEUR`); past √(lines) edits (at least 256) the
 * furthest-reaching diagonal is (`mxcost`). Both keep big, very different
 * files from costing O(N·D).
 *
 * Boxes are kept on an explicit stack instead of the C recursion; the order
 * they are searched in does not change what is marked.
 */
import { bogoSqrt, type SearchSide } from './discardLines.ts';

const MAX_COST_MIN = 256;
const HEURISTIC_MIN_COST = 256;
const SNAKE_COUNT = 20;
const K_HEURISTIC = 4;
const LINE_MAX = 0x7fffffff;

interface Split {
  i1: number;
  i2: number;
  minLow: boolean;
  minHigh: boolean;
}

interface Search {
  ha1: Int32Array;
  ha2: Int32Array;
  /** Forward and backward furthest points by diagonal, diagonal `d` at index `d + offset`. */
  forward: Int32Array;
  backward: Int32Array;
  offset: number;
  maxCost: number;
}

/** `xdl_split`: where to cut the box (off1, off2)–(lim1, lim2). */
function split(s: Search, off1: number, lim1: number, off2: number, lim2: number, needMin: boolean, out: Split): void {
  const { ha1, ha2, forward: kf, backward: kb, offset: o } = s;
  const dmin = off1 - lim2;
  const dmax = lim1 - off2;
  const fmid = off1 - off2;
  const bmid = lim1 - lim2;
  const odd = ((fmid - bmid) & 1) !== 0;
  let fmin = fmid;
  let fmax = fmid;
  let bmin = bmid;
  let bmax = bmid;
  kf[fmid + o] = off1;
  kb[bmid + o] = lim1;

  for (let ec = 1; ; ec++) {
    let gotSnake = false;

    if (fmin > dmin) kf[--fmin - 1 + o] = -1;
    else ++fmin;
    if (fmax < dmax) kf[++fmax + 1 + o] = -1;
    else --fmax;
    for (let d = fmax; d >= fmin; d -= 2) {
      let i1 = kf[d - 1 + o]! >= kf[d + 1 + o]! ? kf[d - 1 + o]! + 1 : kf[d + 1 + o]!;
      const prev1 = i1;
      let i2 = i1 - d;
      while (i1 < lim1 && i2 < lim2 && ha1[i1] === ha2[i2]) {
        i1++;
        i2++;
      }
      if (i1 - prev1 > SNAKE_COUNT) gotSnake = true;
      kf[d + o] = i1;
      if (odd && bmin <= d && d <= bmax && kb[d + o]! <= i1) {
        out.i1 = i1;
        out.i2 = i2;
        out.minLow = out.minHigh = true;
        return;
      }
    }

    if (bmin > dmin) kb[--bmin - 1 + o] = LINE_MAX;
    else ++bmin;
    if (bmax < dmax) kb[++bmax + 1 + o] = LINE_MAX;
    else --bmax;
    for (let d = bmax; d >= bmin; d -= 2) {
      let i1 = kb[d - 1 + o]! < kb[d + 1 + o]! ? kb[d - 1 + o]! : kb[d + 1 + o]! - 1;
      const prev1 = i1;
      let i2 = i1 - d;
      while (i1 > off1 && i2 > off2 && ha1[i1 - 1] === ha2[i2 - 1]) {
        i1--;
        i2--;
      }
      if (prev1 - i1 > SNAKE_COUNT) gotSnake = true;
      kb[d + o] = i1;
      if (!odd && fmin <= d && d <= fmax && i1 <= kf[d + o]!) {
        out.i1 = i1;
        out.i2 = i2;
        out.minLow = out.minHigh = true;
        return;
      }
    }

    if (needMin) continue;

    // A good snake far from the corner, once the cost is high: split there.
    if (gotSnake && ec > HEURISTIC_MIN_COST) {
      let best = 0;
      for (let d = fmax; d >= fmin; d -= 2) {
        const dd = d > fmid ? d - fmid : fmid - d;
        const i1 = kf[d + o]!;
        const i2 = i1 - d;
        const v = i1 - off1 + (i2 - off2) - dd;
        if (v > K_HEURISTIC * ec && v > best && off1 + SNAKE_COUNT <= i1 && i1 < lim1 && off2 + SNAKE_COUNT <= i2 && i2 < lim2) {
          for (let k = 1; ha1[i1 - k] === ha2[i2 - k]; k++) {
            if (k === SNAKE_COUNT) {
              best = v;
              out.i1 = i1;
              out.i2 = i2;
              break;
            }
          }
        }
      }
      if (best > 0) {
        out.minLow = true;
        out.minHigh = false;
        return;
      }
      for (let d = bmax; d >= bmin; d -= 2) {
        const dd = d > bmid ? d - bmid : bmid - d;
        const i1 = kb[d + o]!;
        const i2 = i1 - d;
        const v = lim1 - i1 + (lim2 - i2) - dd;
        if (v > K_HEURISTIC * ec && v > best && off1 < i1 && i1 <= lim1 - SNAKE_COUNT && off2 < i2 && i2 <= lim2 - SNAKE_COUNT) {
          for (let k = 0; ha1[i1 + k] === ha2[i2 + k]; k++) {
            if (k === SNAKE_COUNT - 1) {
              best = v;
              out.i1 = i1;
              out.i2 = i2;
              break;
            }
          }
        }
      }
      if (best > 0) {
        out.minLow = false;
        out.minHigh = true;
        return;
      }
    }

    // Enough: take the furthest-reaching diagonal of either search.
    if (ec >= s.maxCost) {
      let fbest = -1;
      let fbest1 = -1;
      for (let d = fmax; d >= fmin; d -= 2) {
        let i1 = Math.min(kf[d + o]!, lim1);
        let i2 = i1 - d;
        if (lim2 < i2) {
          i1 = lim2 + d;
          i2 = lim2;
        }
        if (fbest < i1 + i2) {
          fbest = i1 + i2;
          fbest1 = i1;
        }
      }
      let bbest = LINE_MAX;
      let bbest1 = LINE_MAX;
      for (let d = bmax; d >= bmin; d -= 2) {
        let i1 = Math.max(off1, kb[d + o]!);
        let i2 = i1 - d;
        if (i2 < off2) {
          i1 = off2 + d;
          i2 = off2;
        }
        if (i1 + i2 < bbest) {
          bbest = i1 + i2;
          bbest1 = i1;
        }
      }
      if (lim1 + lim2 - bbest < fbest - (off1 + off2)) {
        out.i1 = fbest1;
        out.i2 = fbest - fbest1;
        out.minLow = true;
        out.minHigh = false;
      } else {
        out.i1 = bbest1;
        out.i2 = bbest - bbest1;
        out.minLow = false;
        out.minHigh = true;
      }
      return;
    }
  }
}

/** Marks, in `a.changed` and `b.changed`, the kept lines that the search finds changed. */
export function markChanges(a: SearchSide, b: SearchSide, options: { minimal?: boolean } = {}): void {
  const n1 = a.kept.length;
  const n2 = b.kept.length;
  const diagonals = n1 + n2 + 3;
  const search: Search = {
    ha1: a.keptClasses,
    ha2: b.keptClasses,
    forward: new Int32Array(diagonals),
    backward: new Int32Array(diagonals),
    offset: n2 + 1,
    maxCost: Math.max(bogoSqrt(diagonals), MAX_COST_MIN),
  };
  const { ha1, ha2 } = search;
  const out: Split = { i1: 0, i2: 0, minLow: false, minHigh: false };
  const boxes: [number, number, number, number, boolean][] = [[0, n1, 0, n2, options.minimal === true]];
  for (let box = boxes.pop(); box !== undefined; box = boxes.pop()) {
    let [off1, lim1, off2, lim2] = box;
    while (off1 < lim1 && off2 < lim2 && ha1[off1] === ha2[off2]) {
      off1++;
      off2++;
    }
    while (off1 < lim1 && off2 < lim2 && ha1[lim1 - 1] === ha2[lim2 - 1]) {
      lim1--;
      lim2--;
    }
    if (off1 === lim1) {
      for (let i = off2; i < lim2; i++) b.changed[b.kept[i]! + 1] = 1;
    } else if (off2 === lim2) {
      for (let i = off1; i < lim1; i++) a.changed[a.kept[i]! + 1] = 1;
    } else {
      split(search, off1, lim1, off2, lim2, box[4], out);
      const { i1, i2, minLow, minHigh } = out;
      boxes.push([i1, lim1, i2, lim2, minHigh], [off1, i1, off2, i2, minLow]);
    }
  }
}
