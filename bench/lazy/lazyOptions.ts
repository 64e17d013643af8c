/**
 * The command line of `npm run bench:lazy` (bench/lazy.ts):
 *
 *   --sizes a,b      corpora to mount (default medium,large)
 *   --servers a,b    grove, cgit (default both)
 *   --runs N         runs of each contender per corpus and server, interleaved (default 3; medians reported)
 *   --reads N        most reads of the latency probe per mount run (default 2000)
 *   --seed N         corpus seed (default 1)
 *   --no-pin         do not pin servers and clients to separate cores
 *   --keep           keep the scratch directory
 */
import { parseArgs } from 'node:util';
import { parseCount } from '../parseCount.ts';
import { isCorpusSize, type CorpusSize } from '../corpus/corpusProfiles.ts';
import type { ServerName } from '../servers/BenchServer.ts';

export interface LazyOptions {
  sizes: CorpusSize[];
  servers: ServerName[];
  runs: number;
  reads: number;
  seed: number;
  pin: boolean;
  keep: boolean;
}

export function parseLazyOptions(argv: string[]): LazyOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: 'medium,large' },
      servers: { type: 'string', default: 'grove,cgit' },
      runs: { type: 'string', default: '3' },
      reads: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
      'no-pin': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const sizes = list(values.sizes);
  for (const size of sizes) if (!isCorpusSize(size)) throw new Error(`--sizes: unknown corpus size ${size} (small, medium, large)`);
  const servers = list(values.servers);
  for (const server of servers) if (server !== 'grove' && server !== 'cgit') throw new Error(`--servers: unknown server ${server} (grove, cgit)`);
  return {
    sizes: sizes as CorpusSize[],
    servers: servers as ServerName[],
    runs: parseCount('runs', values.runs, 1),
    reads: parseCount('reads', values.reads, 1),
    seed: parseCount('seed', values.seed, 0),
    pin: !values['no-pin'],
    keep: values.keep,
  };
}
