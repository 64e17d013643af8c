/** `--header 'Name: value'` (repeatable) for `repo import`: the headers sent to the remote. */
import { InvalidArgumentError } from 'commander';

/** Commander's collector: adds one `Name: value` to the headers gathered so far. */
export function collectHeader(text: string, previous: Record<string, string> | undefined): Record<string, string> {
  const colon = text.indexOf(':');
  const name = colon < 0 ? '' : text.slice(0, colon).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new InvalidArgumentError("expected 'Name: value'");
  return { ...previous, [name]: text.slice(colon + 1).trim() };
}
