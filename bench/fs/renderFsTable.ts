/**
 * B5's table: each scenario's median on the local disk, tmpfs and the draft
 * mount, the ratio mount / disk beside Workspace's published ratio (the
 * anchor), and the goal — no scenario slower than the anchor, and every
 * 64 MiB scenario at most 3× the disk.
 */
import { formatMs } from '../stats.ts';

export interface FsRow {
  scenario: string;
  disk: number | null;
  tmpfs: number | null;
  mount: number | null;
  anchor: number;
  big: boolean;
}

export function goalOf(row: FsRow): number {
  return row.big ? Math.min(row.anchor, 3) : row.anchor;
}

export function ratioOf(row: FsRow): number | null {
  return row.mount === null || row.disk === null || row.disk === 0 ? null : row.mount / row.disk;
}

export function renderFsTable(rows: FsRow[]): string {
  const ms = (v: number | null): string => (v === null ? 'failed' : formatMs(v));
  const lines = rows.map((row) => {
    const ratio = ratioOf(row);
    const goal = goalOf(row);
    return [
      row.scenario, ms(row.disk), ms(row.tmpfs), ms(row.mount),
      ratio === null ? '' : `${ratio.toFixed(2)}×`,
      `${row.anchor.toFixed(2)}×`,
      `≤ ${goal.toFixed(2)}×`,
      ratio === null ? '—' : ratio <= goal ? 'yes' : 'NO',
    ];
  });
  const titles = ['scenario', 'local disk', 'tmpfs', 'draft mount', 'mount / disk', 'Workspace', 'goal', 'met?'];
  const widths = titles.map((t, i) => Math.max(t.length, ...lines.map((l) => (l[i] ?? '').length)));
  const render = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [render(titles), rule, ...lines.map(render)].join('\n');
}
