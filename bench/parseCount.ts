/** A command-line count: `text` as an integer of at least `min`, or an error naming the flag `--<name>`. */
export function parseCount(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}, not ${text}`);
  return value;
}
