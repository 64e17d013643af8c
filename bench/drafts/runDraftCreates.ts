/**
 * Draft creates on a small and a big repository, interleaved one for one
 * (small, big, small, big, …) and one request at a time, so that both series
 * see the same server state; every draft is left open (the storage measure
 * counts them).
 */
import type { DraftApi, RepoRef } from './draftApi.ts';

export interface CreateSeries {
  samples: number[];
  ids: string[];
}

export async function runDraftCreates(api: DraftApi, small: RepoRef, big: RepoRef, n: number): Promise<{ small: CreateSeries; big: CreateSeries }> {
  const out = { small: { samples: [] as number[], ids: [] as string[] }, big: { samples: [] as number[], ids: [] as string[] } };
  for (let i = 0; i < n; i++) {
    for (const [repo, series] of [[small, out.small], [big, out.big]] as const) {
      const made = await api.create(repo, { label: `bench ${i}` });
      series.samples.push(made.ms);
      series.ids.push(made.value.id);
    }
  }
  return out;
}
