/**
 * The hunks of a unified diff, as xdiff emits them for `git diff`
 * (xemit.c `xdl_emit_diff`, `xdl_get_hunk`): changes closer than
 * 2 × context lines (in the old file) share a hunk; each hunk shows
 * `context` unchanged lines around it, its header names the nearest function
 * line above it, and a line without a final newline is followed by
 * `\ No newline at end of file` (xutils.c `xdl_emit_diffrec`).
 */
import type { ByteSink } from './ByteSink.ts';
import type { LineFile } from './classifyLines.ts';
import { functionText, hunkHeader } from './hunkHeader.ts';
import type { LineDiff } from './lineDiff.ts';

const NO_NEWLINE = new TextEncoder().encode('\n\\ No newline at end of file\n');
const PREFIX = { context: 0x20, removed: 0x2d, added: 0x2b } as const;

function writeLine(out: ByteSink, lines: LineFile, line: number, prefix: number): void {
  const start = lines.starts[line]!;
  const end = lines.starts[line + 1]!;
  out.bytes(Uint8Array.of(prefix));
  out.bytes(lines.bytes.subarray(start, end));
  if (end > start && lines.bytes[end - 1] !== 0x0a) out.bytes(NO_NEWLINE);
}

/** Writes every hunk of `diff` with `context` lines of context (git's default is 3). */
export function writeHunks(out: ByteSink, diff: LineDiff, context: number): void {
  const { changes, old: a, new: b } = diff;
  const maxCommon = 2 * context;
  let func: Uint8Array | undefined;
  let funcSearchedDownTo = -1;
  for (let first = 0; first < changes.length; ) {
    let last = first;
    while (last + 1 < changes.length) {
      const prev = changes[last]!;
      if (changes[last + 1]!.oldStart - (prev.oldStart + prev.oldCount) > maxCommon) break;
      last++;
    }
    const xch = changes[first]!;
    const xche = changes[last]!;
    const s1 = Math.max(xch.oldStart - context, 0);
    let s2 = Math.max(xch.newStart - context, 0);
    const after = Math.min(context, a.count - (xche.oldStart + xche.oldCount), b.count - (xche.newStart + xche.newCount));
    const e1 = xche.oldStart + xche.oldCount + after;
    const e2 = xche.newStart + xche.newCount + after;

    // Nearest function line above the hunk; lines already searched for the previous hunk keep its answer.
    for (let line = s1 - 1; line !== funcSearchedDownTo && line >= 0 && line < a.count; line--) {
      const text = functionText(a, line);
      if (text !== undefined) {
        func = text;
        break;
      }
    }
    funcSearchedDownTo = s1 - 1;
    out.bytes(hunkHeader(s1, e1 - s1, s2, e2 - s2, func));

    for (; s2 < xch.newStart; s2++) writeLine(out, b, s2, PREFIX.context);
    let o = xch.oldStart;
    let n = xch.newStart;
    for (let i = first; i <= last; i++) {
      const change = changes[i]!;
      for (; o < change.oldStart && n < change.newStart; o++, n++) writeLine(out, b, n, PREFIX.context);
      for (o = change.oldStart; o < change.oldStart + change.oldCount; o++) writeLine(out, a, o, PREFIX.removed);
      for (n = change.newStart; n < change.newStart + change.newCount; n++) writeLine(out, b, n, PREFIX.added);
    }
    for (n = xche.newStart + xche.newCount; n < e2; n++) writeLine(out, b, n, PREFIX.context);
    first = last + 1;
  }
}
