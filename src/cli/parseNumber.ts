/** Whole-number flags (`--limit`, `--depth`) for commander: a bad value is a usage error. */
import { InvalidArgumentError } from 'commander';

export function parsePositiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return value;
}
