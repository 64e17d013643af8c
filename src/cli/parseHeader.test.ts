import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { collectHeader } from './parseHeader.ts';

describe('collectHeader', () => {
  it('gathers Name: value pairs, the value trimmed and free to hold colons', () => {
    const one = collectHeader('Authorization: Bearer a:b', undefined);
    expect(collectHeader('X-Trace:1', one)).toEqual({ Authorization: 'Bearer a:b', 'X-Trace': '1' });
  });

  it('refuses a header without a name', () => {
    for (const bad of ['no colon', ': value', 'bad name: v']) expect(() => collectHeader(bad, undefined), bad).toThrow(InvalidArgumentError);
  });
});
