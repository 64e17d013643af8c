/**
 * The B6 table: one block of rows per corpus and server — the lazy mount,
 * `git clone` and `git clone --filter=blob:none` side by side, the mount's
 * figure over the full clone's, the goal and whether it is met.
 */
import { formatMs } from '../stats.ts';

export interface LazyRow {
  block: string;
  metric: string;
  mount: number;
  clone: number;
  blobless: number;
  /** 'ratio': mount/clone ≤ max; 'ms': mount ≤ max. */
  goal?: { kind: 'ratio' | 'ms'; max: number };
}

export function renderLazyTable(rows: LazyRow[]): string {
  const lines = rows.map((row) => {
    const ratio = row.mount / row.clone;
    const goal = row.goal === undefined ? '' : row.goal.kind === 'ratio' ? `≤ ${row.goal.max}×` : `≤ ${formatMs(row.goal.max)}`;
    const met = row.goal === undefined ? '' : (row.goal.kind === 'ratio' ? ratio : row.mount) <= row.goal.max ? 'yes' : 'NO';
    return [`${row.block}: ${row.metric}`, formatMs(row.mount), formatMs(row.clone), formatMs(row.blobless), `${ratio.toFixed(2)}×`, goal, met];
  });
  const titles = ['scenario', 'lazy mount', 'git clone', 'clone --filter=blob:none', 'mount / clone', 'goal', 'met?'];
  const widths = titles.map((t, i) => Math.max(t.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [render(titles), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...lines.map(render)].join('\n');
}
