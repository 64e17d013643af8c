/**
 * Apply and checkpoint of many changed files, with C Git's commit + push of
 * the same changes for reference, in interleaved runs (Grove apply, Grove
 * checkpoint, C Git, then again). Each Grove run uses a fresh draft of the
 * big repository's main: the changes are written through the `write` tool
 * first (untimed setup, timed aside), then one request is timed. The apply
 * is ff-only, so it is the commit of the draft, not a merge; the checkpoint's
 * draft is discarded after.
 */
import type { CGitRepo, CGitRun } from './cgitCommitPush.ts';
import type { DraftApi, RepoRef } from './draftApi.ts';
import { runWrites, type FileWrite } from './runWrites.ts';
import { changes } from './writePlans.ts';

export interface ApplyRuns {
  apply: number[];
  checkpoint: number[];
  /** Writing the changes into each draft (setup of apply and checkpoint runs). */
  setup: number[];
  cgit: CGitRun[];
  /** The last apply: its commit, the branch before it, and what it wrote. */
  last: { sha: string; parent: string; files: FileWrite[] } | null;
}

export interface ApplyPlan {
  repo: RepoRef;
  paths: readonly string[];
  runs: number;
  concurrency: number;
  cgit: CGitRepo;
  onRun?(run: number, line: string): void;
}

export async function runApplies(api: DraftApi, plan: ApplyPlan): Promise<ApplyRuns> {
  const out: ApplyRuns = { apply: [], checkpoint: [], setup: [], cgit: [], last: null };
  const draftWith = async (files: FileWrite[]): Promise<{ id: string; head: string }> => {
    const draft = (await api.create(plan.repo, { label: 'bench apply' })).value;
    out.setup.push((await runWrites(api, plan.repo, draft.id, files, plan.concurrency)).wallMs);
    return draft;
  };
  for (let run = 0; run < plan.runs; run++) {
    const applied = changes(plan.paths, `apply-${run}`);
    const draft = await draftWith(applied);
    const apply = await api.apply(plan.repo, draft.id, `Apply ${plan.paths.length} changes (run ${run})`);
    if (!apply.value.created) throw new Error(`apply of draft ${draft.id} made no commit`);
    out.apply.push(apply.ms);
    out.last = { sha: apply.value.sha, parent: draft.head, files: applied };

    const kept = await draftWith(changes(plan.paths, `checkpoint-${run}`));
    const checkpoint = await api.checkpoint(plan.repo, kept.id, `Checkpoint ${plan.paths.length} changes (run ${run})`);
    if (!checkpoint.value.created) throw new Error(`checkpoint of draft ${kept.id} made no revision`);
    out.checkpoint.push(checkpoint.ms);
    await api.discard(plan.repo, kept.id);

    const cgit = await plan.cgit.run(changes(plan.paths, `cgit-${run}`), `Commit ${plan.paths.length} changes (run ${run})`);
    out.cgit.push(cgit);
    plan.onRun?.(run, `apply ${apply.ms.toFixed(0)} ms, checkpoint ${checkpoint.ms.toFixed(0)} ms, C Git add ${cgit.addMs.toFixed(0)} + commit ${cgit.commitMs.toFixed(0)} + push ${cgit.pushMs.toFixed(0)} ms`);
  }
  return out;
}
