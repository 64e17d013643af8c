/**
 * How the CLI prints: `--json` prints the server's JSON as it came; text mode
 * prints one item as aligned `key: value` lines and a list as an aligned
 * table with a header row. Text from the server is shown on one line with
 * control characters (newlines, terminal escapes) replaced by spaces.
 */

export type Cell = string | number | boolean | null | undefined;

/** Writes `value` as indented JSON, one document. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes text lines to stdout. */
export function printLines(...lines: string[]): void {
  process.stdout.write(lines.map((line) => `${line}\n`).join(''));
}

/** `key: value` lines, values aligned after the longest key. */
export function formatFields(fields: ReadonlyArray<readonly [string, Cell]>): string {
  const width = Math.max(0, ...fields.map(([key]) => key.length + 1));
  return fields.map(([key, value]) => `${`${key}:`.padEnd(width)} ${cellText(value)}`.trimEnd() + '\n').join('');
}

/** A table: the header row, then one row per item, columns separated by two spaces (the last one not padded). */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const texts = [header.map((h) => h), ...rows.map((row) => row.map(cellText))];
  const widths = header.map((_, column) => Math.max(...texts.map((row) => (row[column] ?? '').length)));
  return texts
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd() + '\n')
    .join('');
}

/** One cell as text: `-` for null, `yes`/`no` for booleans. */
export function cellText(value: Cell): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  // eslint-disable-next-line no-control-regex
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}
