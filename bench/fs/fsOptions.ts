/**
 * Options of `npm run bench:fs` (bench/fs.ts):
 *
 *   --reps N          timed samples per scenario and target (default 5; the median is reported)
 *   --warmup N        untimed samples first (default 1)
 *   --scenarios a,b   only scenarios whose names contain one of these
 *   --cpu-prof        profile the mount process (bench/.cache/profiles-fs)
 */
import { parseArgs } from 'node:util';
import { parseCount } from '../parseCount.ts';

export interface FsOptions {
  reps: number;
  warmup: number;
  scenarios: string[];
  cpuProf: boolean;
}

export function parseFsOptions(argv: string[]): FsOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      reps: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      scenarios: { type: 'string', default: '' },
      'cpu-prof': { type: 'boolean', default: false },
    },
  });
  return {
    reps: parseCount('reps', values.reps, 1),
    warmup: parseCount('warmup', values.warmup, 0),
    scenarios: values.scenarios.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    cpuProf: values['cpu-prof'],
  };
}
