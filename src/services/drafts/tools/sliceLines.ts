/**
 * The lines `read` returns: lines `offset`… of a file, at most `limit` of
 * them, as raw text — each line keeps its own end (`\n` or `\r\n`; the last
 * line has none when the file does not end with one), so the pages of a
 * file laid end to end are the file. A line is what lies between two LFs,
 * as git and grepLines.ts split them. A line longer than MAX_LINE_CHARS
 * characters (UTF-16 units) is cut there and marked with TRUNCATED_MARK
 * before its end of line.
 *
 * Cheap on big files: one native `indexOf` per line finds the line ends
 * over the bytes, and only the selected lines are decoded (of a long line,
 * only enough bytes for its first MAX_LINE_CHARS characters).
 */
export const MAX_LINE_CHARS = 2000;
export const TRUNCATED_MARK = '… [truncated]';

export interface LineSlice {
  content: string;
  /** The first line returned (1-based). */
  fromLine: number;
  /** The last line returned; fromLine - 1 when none is. */
  toLine: number;
  totalLines: number;
  /** Lines cut at MAX_LINE_CHARS. */
  truncatedLines: number;
}

const LF = 0x0a;
const CR = 0x0d;
/** Bytes that always hold more than MAX_LINE_CHARS whole characters (at most 3 bytes per UTF-16 unit), plus a cut character. */
const LONG_LINE_BYTES = MAX_LINE_CHARS * 4 + 4;
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

export function sliceLines(bytes: Uint8Array, offset: number, limit: number): LineSlice {
  const spans: number[] = []; // start, end (after its LF) of each selected line
  let totalLines = 0;
  let anyLong = false;
  for (let pos = 0; pos < bytes.length;) {
    totalLines++;
    const lf = bytes.indexOf(LF, pos);
    const end = lf < 0 ? bytes.length : lf + 1;
    if (totalLines >= offset && totalLines < offset + limit) {
      spans.push(pos, end);
      if (end - pos > MAX_LINE_CHARS) anyLong = true;
    }
    pos = end;
  }
  const count = spans.length / 2;
  const base = { fromLine: offset, toLine: offset + count - 1, totalLines };
  if (count === 0) return { ...base, content: '', truncatedLines: 0 };
  if (!anyLong) return { ...base, content: decoder.decode(bytes.subarray(spans[0]!, spans[spans.length - 1]!)), truncatedLines: 0 };
  let content = '';
  let truncatedLines = 0;
  for (let i = 0; i < spans.length; i += 2) {
    const line = cutLine(bytes, spans[i]!, spans[i + 1]!);
    content += line.text;
    if (line.cut) truncatedLines++;
  }
  return { ...base, content, truncatedLines };
}

/** One line's text, cut at MAX_LINE_CHARS characters (its end of line kept). */
function cutLine(bytes: Uint8Array, start: number, end: number): { text: string; cut: boolean } {
  let bodyEnd = end;
  if (bodyEnd > start && bytes[bodyEnd - 1] === LF) bodyEnd--;
  if (bodyEnd > start && bytes[bodyEnd - 1] === CR && bodyEnd < end) bodyEnd--;
  const eol = bodyEnd === end ? '' : bodyEnd + 1 === end ? '\n' : '\r\n';
  if (bodyEnd - start <= MAX_LINE_CHARS) return { text: decoder.decode(bytes.subarray(start, end)), cut: false };
  const head = decoder.decode(bytes.subarray(start, Math.min(bodyEnd, start + LONG_LINE_BYTES)));
  const cut = cutText(head);
  return { text: cut.text + eol, cut: cut.cut };
}

/** `line` cut at MAX_LINE_CHARS characters and marked, or as it is. */
export function cutText(line: string): { text: string; cut: boolean } {
  if (line.length <= MAX_LINE_CHARS) return { text: line, cut: false };
  let kept = line.slice(0, MAX_LINE_CHARS);
  if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1); // do not split a surrogate pair
  return { text: kept + TRUNCATED_MARK, cut: true };
}
