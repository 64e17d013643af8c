/**
 * One line of the report: a scenario's figure for Grove and for C Git (each a
 * median of samples, or why there is none), their ratio and the goal from
 * BENCHMARKS.md it is held to.
 */

export type Unit = 'ms' | 'bytes';

export type Cell = { value: number; samples: number[] } | { unsupported: string } | { error: string };

export type Goal =
  /** Grove / C Git must be at most `max`. */
  | { kind: 'ratio'; max: number }
  /** Grove's own figure must be at most `max` (in the row's unit). */
  | { kind: 'absolute'; max: number };

export interface Row {
  group: 'B1' | 'B2' | 'B4';
  scenario: string;
  metric: string;
  unit: Unit;
  grove: Cell;
  cgit: Cell;
  goal?: Goal;
  note?: string;
}

export function valueOf(cell: Cell): number | undefined {
  return 'value' in cell ? cell.value : undefined;
}

export function ratioOf(row: Row): number | undefined {
  const grove = valueOf(row.grove);
  const cgit = valueOf(row.cgit);
  if (grove === undefined || cgit === undefined || cgit === 0) return undefined;
  return grove / cgit;
}

/** true/false when the goal can be judged, undefined when it cannot (no goal, no figure). */
export function goalMet(row: Row): boolean | undefined {
  const goal = row.goal;
  if (goal === undefined) return undefined;
  if (goal.kind === 'absolute') {
    const grove = valueOf(row.grove);
    return grove === undefined ? undefined : grove <= goal.max;
  }
  const ratio = ratioOf(row);
  return ratio === undefined ? undefined : ratio <= goal.max;
}
