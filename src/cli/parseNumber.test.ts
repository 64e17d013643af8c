import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parsePositiveInteger } from './parseNumber.ts';

describe('parsePositiveInteger', () => {
  it('reads whole numbers from 1', () => {
    expect(parsePositiveInteger('1')).toBe(1);
    expect(parsePositiveInteger('200')).toBe(200);
    for (const bad of ['0', '-1', '1.5', 'ten', '', '1e3']) expect(() => parsePositiveInteger(bad), bad).toThrow(InvalidArgumentError);
  });
});
