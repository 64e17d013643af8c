/**
 * What every benchmark group receives: the corpus, the two servers each
 * holding it (or why one could not), the number of rounds and a logger.
 */
import type { Corpus } from '../corpus/ensureCorpus.ts';
import type { Cell } from '../report/Row.ts';
import type { BenchServer, RemoteRepo, ServerName } from '../servers/BenchServer.ts';
import { median } from '../stats.ts';

export interface ServedCorpus {
  server: BenchServer;
  /** The repository holding the corpus; undefined when loading it failed (see setupError). */
  repo: RemoteRepo | undefined;
  setupError?: string;
}

export interface BenchContext {
  corpus: Corpus;
  servers: Record<ServerName, ServedCorpus>;
  rounds: number;
  /**
   * Changes a ref the clients never ask for (refs/bench/bump, by a push) and
   * empties Grove's pack cache (whose entries survive unrelated ref changes),
   * so that the next clone is a "first clone after a push".
   */
  bumpRefs(server: ServerName): Promise<void>;
  /** A scratch directory of this run. */
  workDir: string;
  log(line: string): void;
}

/** Side by side: Grove first, then C Git, in every round. */
export const ORDER: ServerName[] = ['grove', 'cgit'];

/** Samples of one server in one scenario, or the reason it has none. */
export interface Series<S> {
  samples: S[];
  failure?: string;
}

/** The cell of one metric: the median of the samples, or the failure (unsupported when a feature is missing). */
export function cellOf<S>(series: Series<S>, pick: (sample: S) => number, unsupported: boolean): Cell {
  if (series.failure !== undefined) return unsupported ? { unsupported: series.failure } : { error: series.failure };
  if (series.samples.length === 0) return { error: 'no samples' };
  const samples = series.samples.map(pick);
  return { value: median(samples), samples };
}

export function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
}
