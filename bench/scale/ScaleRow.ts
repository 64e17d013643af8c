/**
 * One line of the B3 report: a figure of Grove's (or of C Git's, for
 * reference), in its unit, with the goal of BENCHMARKS.md it is held to.
 */

export type ScaleUnit = 'ms' | 'bytes' | 'per-s' | 'ratio' | 'check';

export type ScaleGoal =
  /** The value must be at most `value`. */
  | { kind: 'max'; value: number }
  /** The value must be at least `value`. */
  | { kind: 'min'; value: number };

export interface ScaleRow {
  scenario: string;
  metric: string;
  unit: ScaleUnit;
  /** The figure; for a check, 1 when it passed and 0 when it failed. NaN when it could not be measured. */
  value: number;
  goal?: ScaleGoal;
  note?: string;
  /** Every sample behind the figure (latencies in ms), for the JSON file. */
  samples?: number[];
}

/** true/false when the goal can be judged, undefined otherwise. */
export function scaleGoalMet(row: ScaleRow): boolean | undefined {
  if (Number.isNaN(row.value)) return undefined;
  if (row.unit === 'check') return row.value === 1;
  if (row.goal === undefined) return undefined;
  return row.goal.kind === 'max' ? row.value <= row.goal.value : row.value >= row.goal.value;
}
