/**
 * B3 forks: `n` forks of the big repository and `tinyN` of a one-commit one,
 * one request at a time, the tiny ones spread evenly among the big ones so
 * that both series see the same server state (the same number of
 * repositories, the same database sizes).
 */
import { forkRepo } from './groveApi.ts';
import type { HttpClient } from './HttpClient.ts';

export interface ForkRun {
  big: number[];
  tiny: number[];
  /** Names of the forks of the big repository, in the order made. */
  bigNames: string[];
}

export interface ForkPlan {
  namespace: string;
  big: string;
  tiny: string;
  /** Namespace of the forks. */
  target: string;
  n: number;
  tinyN: number;
  onProgress?(done: number): void;
}

export async function runForks(client: HttpClient, adminToken: string, plan: ForkPlan): Promise<ForkRun> {
  const run: ForkRun = { big: [], tiny: [], bigNames: [] };
  for (let i = 0; i < plan.n; i++) {
    const name = `m-${String(i).padStart(5, '0')}`;
    run.big.push((await forkRepo(client, adminToken, plan.namespace, plan.big, plan.target, name)).ms);
    run.bigNames.push(name);
    // Bresenham: after big fork i, as many tiny ones as bring them to ⌊(i + 1) · tinyN / n⌋.
    while ((run.tiny.length + 1) * plan.n <= (i + 1) * plan.tinyN) {
      const tinyName = `t-${String(run.tiny.length).padStart(5, '0')}`;
      run.tiny.push((await forkRepo(client, adminToken, plan.namespace, plan.tiny, plan.target, tinyName)).ms);
    }
    if ((i + 1) % 1000 === 0) plan.onProgress?.(i + 1);
  }
  return run;
}
