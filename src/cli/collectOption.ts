/** Repeatable options (`--put a=b --put c=d`) for commander: each value gathered, `from=to` pairs split. */
import { InvalidArgumentError } from 'commander';

/** Commander's collector: appends one value to those gathered so far. */
export function collectValue(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Commander's collector for `left=right`: both sides non-empty, split at the first `=`. */
export function collectPair(value: string, previous: Array<[string, string]> | undefined): Array<[string, string]> {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) throw new InvalidArgumentError("expected 'left=right'");
  return [...(previous ?? []), [value.slice(0, at), value.slice(at + 1)]];
}
