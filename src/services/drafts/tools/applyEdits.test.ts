import { describe, expect, it } from 'vitest';
import { applyEdits, type EditSpec } from './applyEdits.ts';
import { findOccurrences, loosen } from './findOccurrences.ts';

const field = (i: number): string => `edits[${i}].old_string`;
const apply = (text: string, ...edits: EditSpec[]): ReturnType<typeof applyEdits> => applyEdits(text, edits, 'f.txt', field);

function failure(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (err) {
    const e = err as { code: string; details: Record<string, unknown> };
    return { code: e.code, ...e.details };
  }
  throw new Error('expected a failure');
}

describe('findOccurrences', () => {
  it('finds exact occurrences left to right, not overlapping', () => {
    expect(findOccurrences('aaaa', 'aa')).toEqual({ spans: [{ start: 0, end: 2 }, { start: 2, end: 4 }], loose: false });
    expect(findOccurrences('abc', 'x')).toEqual({ spans: [], loose: true });
  });

  it('reads runs of spaces and tabs as one space, and CRLF as LF, when nothing matches exactly', () => {
    expect(loosen('a \t b\r\nc\r\r\n')).toBe('a b\nc\r\n');
    const text = 'if (x)  {\r\n\treturn   1;\r\n}\r\n';
    const { spans, loose } = findOccurrences(text, 'if (x) {\n return 1;\n}');
    expect(loose).toBe(true);
    expect(spans).toHaveLength(1);
    expect(text.slice(spans[0]!.start, spans[0]!.end)).toBe('if (x)  {\r\n\treturn   1;\r\n}');
  });

  it('maps a match that starts or ends in a run onto the whole run', () => {
    const text = 'x =    1;  y = 2;';
    const { spans } = findOccurrences(text, '= 1; ');
    expect(text.slice(spans[0]!.start, spans[0]!.end)).toBe('=    1;  ');
  });

  it('counts every loose occurrence', () => {
    const { spans } = findOccurrences('a  b\na\tb\na b c', 'a \tb');
    expect(spans.map((s) => s.start)).toEqual([0, 5, 9]);
  });
});

describe('applyEdits', () => {
  it('replaces a unique occurrence, and applies edits in order to the result of the last', () => {
    expect(apply('one two three', { old_string: 'two', new_string: '2' })).toEqual({ text: 'one 2 three', replacements: 1 });
    expect(apply('a b', { old_string: 'a', new_string: 'c' }, { old_string: 'c b', new_string: 'done' })).toEqual({ text: 'done', replacements: 2 });
  });

  it('replaces every occurrence with replace_all', () => {
    expect(apply('x.x.x', { old_string: 'x', new_string: 'yy', replace_all: true })).toEqual({ text: 'yy.yy.yy', replacements: 3 });
  });

  it('refuses an old_string found several times without replace_all, with the count', () => {
    expect(failure(() => apply('x.x.x', { old_string: 'x', new_string: 'y' }))).toMatchObject({ code: 'EINVAL', edit: 0, count: 3, field: 'edits[0].old_string' });
  });

  it('refuses an old_string found nowhere, naming the edit', () => {
    expect(failure(() => apply('abc', { old_string: 'a', new_string: 'z' }, { old_string: 'nope', new_string: 'z' }))).toMatchObject({ code: 'EINVAL', edit: 1, field: 'edits[1].old_string' });
  });

  it('requires a loose match to be unique too', () => {
    expect(failure(() => apply('a  b\na\tb\n', { old_string: 'a b\n', new_string: 'c\n' }))).toMatchObject({ code: 'EINVAL', count: 2 });
    expect(apply('a  b\na\tb\n', { old_string: 'a  b\n', new_string: 'c\n' }).text).toBe('c\na\tb\n'); // exact wins
  });

  it('keeps a CRLF file CRLF when a loose match spans line ends', () => {
    const text = 'first\r\nsecond\r\nthird\r\n';
    expect(apply(text, { old_string: 'first\nsecond\n', new_string: 'one\ntwo\n' }).text).toBe('one\r\ntwo\r\nthird\r\n');
  });
});
