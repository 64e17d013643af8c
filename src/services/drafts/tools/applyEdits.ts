/**
 * The edits of one `edit` call applied to a text in memory, in order, each
 * to the result of the one before (findOccurrences.ts for how `old_string`
 * is found). An edit must find its `old_string` once — or, with
 * `replace_all`, at least once; otherwise the whole call fails (EINVAL
 * with the edit's index in `details.edit`, and `details.count` when it was
 * found several times) and nothing is written. A whitespace-tolerant match
 * that spans CRLF line ends writes `new_string`'s LFs as CRLF, so a CRLF
 * file stays CRLF.
 */
import { GroveError } from '../../../errors.ts';
import { findOccurrences } from './findOccurrences.ts';

export interface EditSpec {
  old_string: string;
  new_string: string;
  replace_all?: boolean;
}

export interface EditedText {
  text: string;
  replacements: number;
}

/** `fieldOf(i)` names edit i's `old_string` in errors (`edits[0].old_string`, or `old_string`). */
export function applyEdits(text: string, edits: readonly EditSpec[], path: string, fieldOf: (index: number) => string): EditedText {
  let current = text;
  let replacements = 0;
  edits.forEach((edit, index) => {
    const field = fieldOf(index);
    const { spans, loose } = findOccurrences(current, edit.old_string);
    if (spans.length === 0) {
      throw new GroveError('EINVAL', `edit ${index + 1}: old_string was not found in '${path}', not even ignoring differences in spaces, tabs and line ends; read the file again and copy the text exactly`, { field, edit: index, path });
    }
    if (spans.length > 1 && edit.replace_all !== true) {
      throw new GroveError('EINVAL', `edit ${index + 1}: old_string occurs ${spans.length} times in '${path}'; include more of the surrounding text to make it unique, or set replace_all`, { field, edit: index, path, count: spans.length });
    }
    let out = '';
    let at = 0;
    for (const span of spans) {
      const crlf = loose && current.slice(span.start, span.end).includes('\r\n') && !edit.new_string.includes('\r\n');
      out += current.slice(at, span.start) + (crlf ? edit.new_string.replaceAll('\n', '\r\n') : edit.new_string);
      at = span.end;
    }
    current = out + current.slice(at);
    replacements += spans.length;
  });
  return { text: current, replacements };
}
