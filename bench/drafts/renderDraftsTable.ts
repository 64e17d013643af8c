/** The table `npm run bench:drafts` prints: scenario, value — then the notes. Rows are those of the scale bench (ScaleRow). */
import type { ScaleRow, ScaleUnit } from '../scale/ScaleRow.ts';
import { formatBytes, formatMs } from '../stats.ts';

function formatValue(value: number, unit: ScaleUnit): string {
  if (Number.isNaN(value)) return 'error';
  switch (unit) {
    case 'ms': return value < 10 ? `${value.toFixed(2)} ms` : formatMs(value);
    case 'bytes': return formatBytes(value);
    case 'per-s': return `${value.toFixed(0)}/s`;
    case 'ratio': return `${value.toFixed(2)}×`;
    case 'check': return value === 1 ? 'ok' : 'FAILED';
  }
}

export function renderDraftsTable(header: string[], rows: ScaleRow[]): string {
  const lines = rows.map((row) => [`${row.scenario}: ${row.metric}`, formatValue(row.value, row.unit)]);
  const titles = ['scenario', 'value'];
  const widths = titles.map((title, i) => Math.max(title.length, ...lines.map((line) => (line[i] ?? '').length)));
  const render = (cells: string[]): string =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const out = [...header, '', render(titles), `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...lines.map(render)];
  const notes = rows.filter((row) => row.note !== undefined).map((row) => `- ${row.scenario} (${row.metric}): ${row.note}`);
  if (notes.length > 0) out.push('', 'Notes:', ...notes);
  return out.join('\n');
}
