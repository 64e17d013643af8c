/**
 * B3 creates: `n` repositories made one after another, and `n` more with
 * `concurrency` requests in flight — in alternating rounds (sequential,
 * concurrent, sequential, …) so both see the same machine. Throughput is
 * repositories per second of wall time; latency is per request.
 */
import { performance } from 'node:perf_hooks';
import { createRepo } from './groveApi.ts';
import type { HttpClient } from './HttpClient.ts';

export interface CreateSeries {
  samples: number[];
  wallMs: number;
}

export interface CreateRun {
  sequential: CreateSeries;
  concurrent: CreateSeries;
}

export const CREATE_ROUNDS = 4;

export async function runCreates(client: HttpClient, adminToken: string, n: number, concurrency: number): Promise<CreateRun> {
  const run: CreateRun = { sequential: { samples: [], wallMs: 0 }, concurrent: { samples: [], wallMs: 0 } };
  let seqNext = 0;
  let parNext = 0;
  for (let round = 0; round < CREATE_ROUNDS; round++) {
    const size = round === CREATE_ROUNDS - 1 ? n - seqNext : Math.floor(n / CREATE_ROUNDS);

    let start = performance.now();
    for (const end = seqNext + size; seqNext < end; seqNext++) {
      run.sequential.samples.push((await createRepo(client, adminToken, 'create-seq', nameOf(seqNext))).ms);
    }
    run.sequential.wallMs += performance.now() - start;

    start = performance.now();
    const end = parNext + size;
    const worker = async (): Promise<void> => {
      while (parNext < end) {
        const i = parNext++;
        run.concurrent.samples.push((await createRepo(client, adminToken, 'create-par', nameOf(i))).ms);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    run.concurrent.wallMs += performance.now() - start;
  }
  return run;
}

function nameOf(i: number): string {
  return `r-${String(i).padStart(5, '0')}`;
}
