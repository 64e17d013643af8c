/**
 * Token lifetimes on the command line: a number of seconds (`3600`) or a
 * number with a unit, `s`, `m`, `h`, `d` or `w` (`90m`, `1h`, `2d`). The
 * server checks the range (60 s – 365 d).
 */
import { InvalidArgumentError } from 'commander';

const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** Seconds in `text`; throws commander's InvalidArgumentError (a usage error) when it is not a duration. */
export function parseTtl(text: string): number {
  const match = /^(\d+)([smhdw]?)$/.exec(text.trim());
  if (match === null) throw new InvalidArgumentError('expected seconds or a duration such as 90m, 1h, 2d, 1w');
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2]!]!;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new InvalidArgumentError('expected a positive duration');
  return seconds;
}
