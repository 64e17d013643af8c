import { describe, expect, it } from 'vitest';
import { parseRate, parseSize } from './serveCommand.ts';

describe('grove serve settings from the environment', () => {
  it('reads sizes in bytes with k, m, g, t suffixes (powers of 1024), and refuses anything else', () => {
    expect(parseSize('1048576')).toBe(1048576);
    expect(parseSize('512k')).toBe(512 * 1024);
    expect(parseSize('100M')).toBe(100 * 1024 ** 2);
    expect(parseSize('2g')).toBe(2 * 1024 ** 3);
    expect(parseSize('2GiB')).toBe(2 * 1024 ** 3);
    for (const bad of ['', '0', '-1', '1.5g', 'abc', '12q', '1e9']) expect(parseSize(bad), bad).toBeUndefined();
  });

  it('reads rates as <requests>/<seconds>', () => {
    expect(parseRate('2000/10')).toEqual({ limit: 2000, windowSeconds: 10 });
    expect(parseRate(' 5 / 0.5s ')).toEqual({ limit: 5, windowSeconds: 0.5 });
    for (const bad of ['', '2000', '0/10', '10/0', 'a/b', '10/-1']) expect(parseRate(bad), bad).toBeUndefined();
  });
});
