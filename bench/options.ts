/**
 * The command line of `npm run bench`:
 *
 *   --size small|medium|large   generated corpus (default medium)
 *   --seed <n>                  generator seed (default 1)
 *   --repo <path>               an existing repository instead of a generated corpus
 *   --rounds <n>                side-by-side rounds per scenario (default 5)
 *   --only B1,B2,B4             groups to run (default all three)
 *   --b4-size small|medium|large   corpus of B4 (default: the --size corpus, or --repo)
 *   --no-bitmaps                C Git serves without its reachability bitmap
 *   --no-pin                    do not pin server and client to separate cores
 *   --cpu-prof                  run Grove with `node --cpu-prof` (profiles in bench/.cache/profiles)
 *   --keep                      keep the run's scratch directory
 */
import { parseArgs } from 'node:util';
import { isCorpusSize, type CorpusSize } from './corpus/corpusProfiles.ts';

export type Group = 'B1' | 'B2' | 'B4';

export interface BenchOptions {
  size: CorpusSize;
  b4Size: CorpusSize | undefined;
  seed: number;
  repo: string | undefined;
  rounds: number;
  only: Set<Group>;
  pin: boolean;
  bitmaps: boolean;
  cpuProf: boolean;
  keep: boolean;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string', default: 'medium' },
      seed: { type: 'string', default: '1' },
      repo: { type: 'string' },
      rounds: { type: 'string', default: '5' },
      only: { type: 'string', default: 'B1,B2,B4' },
      'b4-size': { type: 'string' },
      'no-bitmaps': { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  if (!isCorpusSize(values.size)) throw new Error(`--size must be small, medium or large, not ${values.size}`);
  const b4Size = values['b4-size'];
  if (b4Size !== undefined && !isCorpusSize(b4Size)) throw new Error(`--b4-size must be small, medium or large, not ${b4Size}`);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, not ${values.rounds}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, not ${values.seed}`);
  const only = new Set<Group>();
  for (const word of values.only.split(',')) {
    const group = word.trim().toUpperCase();
    if (group !== 'B1' && group !== 'B2' && group !== 'B4') throw new Error(`--only takes B1, B2 and B4, not ${word}`);
    only.add(group);
  }
  return {
    size: values.size,
    b4Size,
    seed,
    repo: values.repo,
    rounds,
    only,
    pin: !values['no-pin'],
    bitmaps: !values['no-bitmaps'],
    cpuProf: values['cpu-prof'],
    keep: values.keep,
  };
}
