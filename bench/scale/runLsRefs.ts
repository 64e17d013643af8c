/**
 * B3 cold ls-refs: one protocol v2 `ls-refs` to each of many repositories in
 * turn (round-robin), against a Grove that keeps only a few databases open,
 * so every request opens a closed database. Interleaved with them, for
 * reference: the same request to one repository asked again and again (its
 * database stays open: the warm cost), and to C Git's `git http-backend`
 * (a process per request: always cold). Every answer is checked.
 */
import type { HttpClient } from './HttpClient.ts';
import { LS_REFS_BODY, LS_REFS_HEADERS, parseLsRefs } from './lsRefs.ts';

export interface LsRefsTarget {
  client: HttpClient;
  /** Path of the repository's upload-pack endpoint, per repository name. */
  path(name: string): string;
  headers: Record<string, string>;
}

export interface LsRefsPlan {
  grove: LsRefsTarget;
  /** Repositories asked once each, in this order. */
  cold: string[];
  /** The repository asked every `every`-th time. */
  warm: string;
  cgit?: { target: LsRefsTarget; names: string[] };
  /** One warm (and one C Git) request after every `every` cold ones. */
  every: number;
  /** What every repository's refs/heads/main must be. */
  expectMain: string;
}

export interface LsRefsRun {
  cold: number[];
  warm: number[];
  cgit: number[];
}

export async function runLsRefs(plan: LsRefsPlan): Promise<LsRefsRun> {
  const run: LsRefsRun = { cold: [], warm: [], cgit: [] };
  const ask = async (target: LsRefsTarget, name: string): Promise<number> => {
    const answer = await target.client.send('POST', target.path(name), { ...LS_REFS_HEADERS, ...target.headers }, LS_REFS_BODY);
    if (answer.status !== 200) throw new Error(`ls-refs ${name}: HTTP ${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`);
    const refs = parseLsRefs(answer.body);
    const main = refs.find((r) => r.name === 'refs/heads/main');
    const head = refs.find((r) => r.name === 'HEAD');
    if (main?.oid !== plan.expectMain || head?.symrefTarget !== 'refs/heads/main') {
      throw new Error(`ls-refs ${name}: unexpected answer ${JSON.stringify(refs).slice(0, 300)}`);
    }
    return answer.ms;
  };
  for (let i = 0; i < plan.cold.length; i++) {
    run.cold.push(await ask(plan.grove, plan.cold[i] as string));
    if (i % plan.every === plan.every - 1) {
      run.warm.push(await ask(plan.grove, plan.warm));
      if (plan.cgit !== undefined && plan.cgit.names.length > 0) {
        run.cgit.push(await ask(plan.cgit.target, plan.cgit.names[run.cgit.length % plan.cgit.names.length] as string));
      }
    }
  }
  return run;
}
