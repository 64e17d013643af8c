import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseTtl } from './parseTtl.ts';

describe('parseTtl', () => {
  it('reads seconds and durations with a unit', () => {
    expect(parseTtl('3600')).toBe(3600);
    expect(parseTtl('45s')).toBe(45);
    expect(parseTtl('90m')).toBe(5400);
    expect(parseTtl('1h')).toBe(3600);
    expect(parseTtl('2d')).toBe(172800);
    expect(parseTtl('1w')).toBe(604800);
  });

  it('refuses anything else as a usage error', () => {
    for (const bad of ['', 'h', '1.5h', '-1', '0', '0d', '1y', '1 h', '99999999999999999999']) {
      expect(() => parseTtl(bad), bad).toThrow(InvalidArgumentError);
    }
  });
});
