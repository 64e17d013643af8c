/**
 * The lines of two files as xdiff reads them (xprepare.c `xdl_prepare_ctx`):
 * a record runs up to and including its '\n', and the last one may have
 * none; records with the same bytes, in either file, get the same class
 * number (`xdl_classify_record`), and each class counts its lines in each
 * file (what `xdl_cleanup_records` weighs). Comparing lines is then
 * comparing numbers.
 */

export interface LineFile {
  bytes: Uint8Array;
  /** Line `i` is `bytes[starts[i], starts[i + 1])`; `starts` holds `count + 1` offsets. */
  starts: Int32Array;
  /** The class of each line. */
  classes: Int32Array;
  count: number;
}

export interface ClassifiedLines {
  old: LineFile;
  new: LineFile;
  /** Per class: how many lines of the old file, of the new file, are in it. */
  oldCounts: Int32Array;
  newCounts: Int32Array;
}

const LF = 0x0a;

/** Offsets of the lines of `bytes`, and its end. */
export function lineStarts(bytes: Uint8Array): Int32Array {
  let count = 0;
  for (let at = bytes.indexOf(LF); at >= 0; at = bytes.indexOf(LF, at + 1)) count++;
  if (bytes.length > 0 && bytes[bytes.length - 1] !== LF) count++;
  const starts = new Int32Array(count + 1);
  let line = 0;
  for (let at = bytes.indexOf(LF); at >= 0; at = bytes.indexOf(LF, at + 1)) starts[++line] = at + 1;
  starts[count] = bytes.length;
  return starts;
}

function hashRange(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash;
}

function sameRange(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/** Splits both files into lines and numbers the distinct lines. */
export function classifyLines(oldBytes: Uint8Array, newBytes: Uint8Array): ClassifiedLines {
  const files = [oldBytes, newBytes].map((bytes) => {
    const starts = lineStarts(bytes);
    const count = starts.length - 1;
    return { bytes, starts, classes: new Int32Array(count), count };
  }) as [LineFile, LineFile];
  const firstByHash = new Map<number, number>();
  const nextSameHash: number[] = [];
  const sample: { file: LineFile; start: number; length: number }[] = [];
  const counts: [number[], number[]] = [[], []];
  for (let side = 0; side < 2; side++) {
    const file = files[side]!;
    const { bytes, starts, classes } = file;
    for (let line = 0; line < file.count; line++) {
      const start = starts[line]!;
      const length = starts[line + 1]! - start;
      const hash = hashRange(bytes, start, start + length);
      let found = firstByHash.get(hash) ?? -1;
      while (found >= 0) {
        const s = sample[found]!;
        if (s.length === length && sameRange(s.file.bytes, s.start, bytes, start, length)) break;
        found = nextSameHash[found]!;
      }
      if (found < 0) {
        found = sample.length;
        sample.push({ file, start, length });
        nextSameHash.push(firstByHash.get(hash) ?? -1);
        firstByHash.set(hash, found);
        counts[0].push(0);
        counts[1].push(0);
      }
      counts[side as 0 | 1][found]!++;
      classes[line] = found;
    }
  }
  return { old: files[0], new: files[1], oldCounts: Int32Array.from(counts[0]), newCounts: Int32Array.from(counts[1]) };
}
