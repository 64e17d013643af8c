/**
 * Where an edit's `old_string` occurs in a text. Exactly first: every
 * occurrence, left to right, not overlapping (as `replaceAll` finds them).
 * When there is none, whitespace-tolerantly: both texts are read with CRLF
 * as LF and each run of spaces and tabs as one space, and the occurrences
 * found that way are mapped back onto the original text — a run matched
 * covers the whole run, an LF matched covers the CR before it. The mapping
 * walks the text once, keeping no per-character table (files of 50 MiB).
 */
export interface Span {
  start: number;
  end: number;
}

export interface Occurrences {
  spans: Span[];
  /** Found only by the whitespace-tolerant reading. */
  loose: boolean;
}

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;

export function findOccurrences(text: string, needle: string): Occurrences {
  const exact = positions(text, needle).map((start) => ({ start, end: start + needle.length }));
  if (exact.length > 0 || needle === '') return { spans: exact, loose: false };
  const normNeedle = loosen(needle);
  const found = positions(loosen(text), normNeedle);
  if (found.length === 0) return { spans: [], loose: true };
  return { spans: mapBack(text, found, normNeedle.length), loose: true };
}

/** The text as the tolerant match reads it. */
export function loosen(text: string): string {
  return text.replaceAll('\r\n', '\n').replace(/[ \t]+/g, ' ');
}

function positions(text: string, needle: string): number[] {
  const found: number[] = [];
  if (needle === '') return found;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) found.push(at);
  return found;
}

/** The original spans of the loosened spans [p, p + length) (ascending, not overlapping). */
function mapBack(text: string, starts: readonly number[], length: number): Span[] {
  const spans: Span[] = [];
  let next = 0; // the span being mapped
  let start = -1;
  let k = 0; // index in the loosened text
  for (let i = 0; i < text.length && next < starts.length; k++) {
    const c = text.charCodeAt(i);
    let j = i + 1;
    if (c === CR && text.charCodeAt(i + 1) === LF) j = i + 2;
    else if (c === SPACE || c === TAB) while (j < text.length && (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB)) j++;
    const first = starts[next]!;
    if (k === first) start = i;
    if (k === first + length - 1) {
      spans.push({ start, end: j });
      next++;
    }
    i = j;
  }
  return spans;
}
