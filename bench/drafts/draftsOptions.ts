/**
 * The command line of `npm run bench:drafts`:
 *
 *   --creates <n>       drafts created on each repository, interleaved (default 200)
 *   --files <n>         files of the big repository (default 20000)
 *   --writes <n>        small writes to one draft per run (default 1000)
 *   --write-runs <n>    runs of those writes, one at a time and again concurrently (default 3 each)
 *   --concurrency <n>   writes in flight in the concurrent runs (default 8)
 *   --changed <n>       files changed in the draft that is applied or checkpointed (default 1000)
 *   --apply-runs <n>    applies (and checkpoints, and C Git commit+push), each on a fresh draft (default 5)
 *   --seed <n>          seed of the big repository's contents (default 1)
 *   --no-pin            do not pin server and client to separate cores
 *   --cpu-prof          run Grove under `node --cpu-prof` (bench/.cache/profiles-drafts/<phase>)
 *   --keep              keep the scratch directory
 */
import { parseArgs } from 'node:util';
import { parseCount } from '../parseCount.ts';

export interface DraftsOptions {
  creates: number;
  files: number;
  writes: number;
  writeRuns: number;
  concurrency: number;
  changed: number;
  applyRuns: number;
  seed: number;
  pin: boolean;
  cpuProf: boolean;
  keep: boolean;
}

export function parseDraftsOptions(argv: string[]): DraftsOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      creates: { type: 'string', default: '200' },
      files: { type: 'string', default: '20000' },
      writes: { type: 'string', default: '1000' },
      'write-runs': { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '8' },
      changed: { type: 'string', default: '1000' },
      'apply-runs': { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      'no-pin': { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const files = parseCount('files', values.files, 100);
  const changed = parseCount('changed', values.changed, 1);
  if (changed > files) throw new Error(`--changed (${changed}) cannot exceed --files (${files})`);
  return {
    creates: parseCount('creates', values.creates, 1),
    files,
    writes: parseCount('writes', values.writes, 1),
    writeRuns: parseCount('write-runs', values['write-runs'], 1),
    concurrency: parseCount('concurrency', values.concurrency, 1),
    changed,
    applyRuns: parseCount('apply-runs', values['apply-runs'], 1),
    seed: parseCount('seed', values.seed, 0),
    pin: !values['no-pin'],
    cpuProf: values['cpu-prof'],
    keep: values.keep,
  };
}
