/**
 * The command line of `npm run bench:scale`:
 *
 *   --creates <n>       repositories created, sequentially and again 8 in flight (default 1000 each)
 *   --concurrency <n>   creates in flight in the concurrent run (default 8)
 *   --forks <n>         forks of the medium corpus (default 1000; 10000 for the big run)
 *   --tiny-forks <n>    forks of a one-commit repository, interleaved with them (default 100)
 *   --ls-refs <n>       distinct cold repositories asked for ls-refs (default 1000, at most --forks)
 *   --max-open <n>      Grove's maxOpenRepos in the ls-refs run (default 16)
 *   --size small|medium|large   corpus to fork (default medium)
 *   --seed <n>          corpus seed (default 1)
 *   --no-cgit           skip C Git's ls-refs for reference
 *   --no-pin            do not pin server and client to separate cores
 *   --cpu-prof          run Grove under `node --cpu-prof` (bench/.cache/profiles-scale/<phase>)
 *   --keep              keep the scratch directory
 */
import { parseArgs } from 'node:util';
import { parseCount } from '../parseCount.ts';
import { isCorpusSize, type CorpusSize } from '../corpus/corpusProfiles.ts';

export interface ScaleOptions {
  creates: number;
  concurrency: number;
  forks: number;
  tinyForks: number;
  lsRefs: number;
  maxOpen: number;
  size: CorpusSize;
  seed: number;
  cgit: boolean;
  pin: boolean;
  cpuProf: boolean;
  keep: boolean;
}

export function parseScaleOptions(argv: string[]): ScaleOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      creates: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '8' },
      forks: { type: 'string', default: '1000' },
      'tiny-forks': { type: 'string', default: '100' },
      'ls-refs': { type: 'string' },
      'max-open': { type: 'string', default: '16' },
      size: { type: 'string', default: 'medium' },
      seed: { type: 'string', default: '1' },
      'no-cgit': { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  if (!isCorpusSize(values.size)) throw new Error(`--size must be small, medium or large, not ${values.size}`);
  const forks = parseCount('forks', values.forks, 1);
  const lsRefs = values['ls-refs'] === undefined ? Math.min(1000, forks) : parseCount('ls-refs', values['ls-refs'], 1);
  if (lsRefs > forks) throw new Error(`--ls-refs (${lsRefs}) cannot exceed --forks (${forks}): the ls-refs run asks the forks`);
  return {
    creates: parseCount('creates', values.creates, 1),
    concurrency: parseCount('concurrency', values.concurrency, 1),
    forks,
    tinyForks: parseCount('tiny-forks', values['tiny-forks'], 0),
    lsRefs,
    maxOpen: parseCount('max-open', values['max-open'], 1),
    size: values.size,
    seed: parseCount('seed', values.seed, 0),
    cgit: !values['no-cgit'],
    pin: !values['no-pin'],
    cpuProf: values['cpu-prof'],
    keep: values.keep,
  };
}
