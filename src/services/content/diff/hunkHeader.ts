/**
 * Hunk headers as git prints them: `@@ -<old> +<new> @@ <function>` where a
 * range is `start,count`, `start` alone when the count is 1, and `start - 1`
 * when it is 0 (xutils.c `xdl_format_hunk_hdr`).
 *
 * The function text is the nearest line above the hunk (in the old file)
 * that git's default funcname rule accepts (xemit.c `def_ff`): it starts with
 * an ASCII letter, `_` or `$`; it is cut to 80 bytes and its trailing
 * whitespace dropped. git then cuts the header line where its UTF-8 stops
 * being valid (diff.c `sane_truncate_line`) and ends it with a newline.
 */
import type { LineFile } from './classifyLines.ts';

const FUNC_MAX = 80;

function isAsciiAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** git's isspace: TAB, LF, CR and SP only. */
export function isGitSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** The function text of line `line`, or undefined when git's default rule rejects it. */
export function functionText(lines: LineFile, line: number): Uint8Array | undefined {
  const start = lines.starts[line]!;
  let length = lines.starts[line + 1]! - start;
  const first = lines.bytes[start];
  if (length === 0 || first === undefined || !(isAsciiAlpha(first) || first === 0x5f || first === 0x24)) return undefined;
  if (length > FUNC_MAX) length = FUNC_MAX;
  while (length > 0 && isGitSpace(lines.bytes[start + length - 1]!)) length--;
  return lines.bytes.subarray(start, start + length);
}

/** Length of the longest prefix of `bytes` that is valid UTF-8 as git's `pick_one_utf8_char` reads it. */
export function validUtf8Prefix(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  const cont = (at: number): boolean => at < n && (bytes[at]! & 0xc0) === 0x80;
  while (i < n) {
    const s0 = bytes[i]!;
    if (s0 < 0x80) {
      i += 1;
    } else if ((s0 & 0xe0) === 0xc0) {
      if (!cont(i + 1) || (s0 & 0xfe) === 0xc0) break;
      i += 2;
    } else if ((s0 & 0xf0) === 0xe0) {
      const s1 = bytes[i + 1] ?? 0;
      if (!cont(i + 1) || !cont(i + 2)) break;
      if ((s0 === 0xe0 && (s1 & 0xe0) === 0x80) || (s0 === 0xed && (s1 & 0xe0) === 0xa0)) break;
      if (s0 === 0xef && s1 === 0xbf && (bytes[i + 2]! & 0xfe) === 0xbe) break;
      i += 3;
    } else if ((s0 & 0xf8) === 0xf0) {
      const s1 = bytes[i + 1] ?? 0;
      if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) break;
      if ((s0 === 0xf0 && (s1 & 0xf0) === 0x80) || (s0 === 0xf4 && s1 > 0x8f) || s0 > 0xf4) break;
      i += 4;
    } else {
      break;
    }
  }
  return i;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`;
}

/** The header line (with its newline) of a hunk of old lines [s1, s1 + c1) and new lines [s2, s2 + c2), 0-based. */
export function hunkHeader(s1: number, c1: number, s2: number, c2: number, func: Uint8Array | undefined): Uint8Array {
  const text = `@@ -${range(s1 + 1, c1)} +${range(s2 + 1, c2)} @@`;
  const funcLength = func === undefined ? 0 : func.length;
  const line = new Uint8Array(text.length + (funcLength > 0 ? 1 + funcLength : 0) + 1);
  for (let i = 0; i < text.length; i++) line[i] = text.charCodeAt(i);
  if (func !== undefined && funcLength > 0) {
    line[text.length] = 0x20;
    line.set(func, text.length + 1);
  }
  line[line.length - 1] = 0x0a;
  const valid = validUtf8Prefix(line);
  if (valid === line.length) return line;
  const cut = new Uint8Array(valid + 1);
  cut.set(line.subarray(0, valid));
  cut[valid] = 0x0a;
  return cut;
}
