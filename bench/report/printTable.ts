/**
 * The one table a run prints: scenario, Grove, C Git, ratio (Grove / C Git),
 * goal, met? — plus the notes of rows that have one.
 */
import { formatBytes, formatMs } from '../stats.ts';
import { goalMet, ratioOf, type Cell, type Row, type Unit } from './Row.ts';

function formatValue(value: number, unit: Unit): string {
  return unit === 'ms' ? formatMs(value) : formatBytes(value);
}

function formatCell(cell: Cell, unit: Unit): string {
  if ('value' in cell) return formatValue(cell.value, unit);
  if ('unsupported' in cell) return 'unsupported';
  return 'error';
}

function formatGoal(row: Row): string {
  const goal = row.goal;
  if (goal === undefined) return '';
  return goal.kind === 'ratio' ? `≤ ${goal.max.toFixed(2)}×` : `≤ ${formatValue(goal.max, row.unit)}`;
}

export function renderTable(header: string[], rows: Row[]): string {
  const lines = rows.map((row) => {
    const ratio = ratioOf(row);
    const met = goalMet(row);
    return [
      `${row.group} ${row.scenario}: ${row.metric}`,
      formatCell(row.grove, row.unit),
      formatCell(row.cgit, row.unit),
      ratio === undefined ? '' : `${ratio.toFixed(2)}×`,
      formatGoal(row),
      met === undefined ? (row.goal === undefined ? '' : '—') : met ? 'yes' : 'NO',
    ];
  });
  const titles = ['scenario', 'Grove', 'C Git', 'ratio', 'goal', 'met?'];
  const widths = titles.map((title, i) => Math.max(title.length, ...lines.map((line) => (line[i] ?? '').length)));
  const render = (cells: string[]): string =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const out = [...header, '', render(titles), `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...lines.map(render)];
  const notes = rows.flatMap((row) => {
    const problems = [row.grove, row.cgit].flatMap((cell, i) => {
      const who = i === 0 ? 'Grove' : 'C Git';
      if ('unsupported' in cell) return [`${who} unsupported: ${cell.unsupported}`];
      if ('error' in cell) return [`${who} error: ${cell.error}`];
      return [];
    });
    const all = [...(row.note === undefined ? [] : [row.note]), ...problems];
    return all.length === 0 ? [] : [`- ${row.group} ${row.scenario} (${row.metric}): ${all.join('; ')}`];
  });
  const uniqueNotes = [...new Set(notes.map((n) => n.replace(/ \([^)]*\): /, ': ')))];
  if (uniqueNotes.length > 0) out.push('', 'Notes:', ...uniqueNotes);
  return out.join('\n');
}
