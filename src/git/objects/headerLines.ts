/**
 * The header/message layout shared by commits and tags: header lines
 * `<key> SP <value> LF`, one empty line, then the message. A multi-line value
 * (gpgsig, mergetag) continues on lines that start with one space, which is
 * not part of the value (git's `add_header_value`/`read_commit_extra_header_lines`).
 */
import { GroveError } from '../../errors.ts';

const LF = 0x0a;

/** Splits an object at its first empty line: the header (without its final LF) and the message bytes. */
export function splitHeader(data: Uint8Array): { header: Uint8Array; message: Uint8Array } {
  let end = data.indexOf(LF);
  while (end >= 0 && data[end + 1] !== LF) end = data.indexOf(LF, end + 1);
  if (end >= 0) return { header: data.subarray(0, end), message: data.subarray(end + 2) };
  // No empty line: all header, no message (git tolerates this; it never writes it).
  const last = data.length > 0 && data[data.length - 1] === LF ? data.length - 1 : data.length;
  return { header: data.subarray(0, last), message: data.subarray(data.length) };
}

/** The header's `[key, value]` pairs in order, continuation lines folded into their value. */
export function parseHeaderLines(header: string): [string, string][] {
  const fields: [string, string][] = [];
  if (header === '') return fields;
  for (const line of header.split('\n')) {
    if (line.charCodeAt(0) === 0x20) {
      const last = fields[fields.length - 1];
      if (last === undefined) throw new GroveError('BAD_OBJECT', 'object header starts with a continuation line');
      last[1] += `\n${line.slice(1)}`;
      continue;
    }
    const space = line.indexOf(' ');
    fields.push(space < 0 ? [line, ''] : [line.slice(0, space), line.slice(space + 1)]);
  }
  return fields;
}

const KEY = /^[^ \n\0]+$/;

/** One header line as git writes it, LF included; throws BAD_OBJECT for a key that cannot be a header name. */
export function formatHeaderLine(key: string, value: string): string {
  if (!KEY.test(key)) throw new GroveError('BAD_OBJECT', `bad object header name "${key.slice(0, 100)}"`);
  return `${key} ${value.replaceAll('\n', '\n ')}\n`;
}
