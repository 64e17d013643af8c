import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitText } from '../../../test/support/gitBytes.ts';
import { historyRepo, type HistoryRepo } from '../../../test/support/historyRepo.ts';
import { revListObjects } from '../../../test/support/storeRepo.ts';

let repo: HistoryRepo;

beforeAll(async () => {
  repo = await historyRepo();
});

afterAll(() => repo.remove());

/** Trees and blobs of `git rev-list --objects <revs>`. */
function treesAndBlobs(revs: string[]): Set<string> {
  const all = revListObjects(repo.src, revs);
  const commits = new Set(gitText(['rev-list', ...revs], { cwd: repo.src }).split('\n').filter((l) => l !== ''));
  return new Set([...all].filter((oid) => !commits.has(oid)));
}

describe('what each pushed commit brings (commit_objects)', () => {
  it('records a list for every commit, and each commit with its ancestors brings exactly its whole history of trees and blobs', async () => {
    const store = repo.opened.repo.objects;
    const commits = gitText(['rev-list', '--all'], { cwd: repo.src }).split('\n').filter((l) => l !== '');
    expect(await store.readIntroduced(commits)).toBeDefined();
    // A sample of tips across the history: root, merges, branch heads.
    const sample = [
      ...gitText(['rev-list', '--max-parents=0', '--all'], { cwd: repo.src }).split('\n'),
      ...gitText(['rev-list', '--min-parents=2', '--all'], { cwd: repo.src }).split('\n').slice(0, 5),
      ...commits.filter((_, i) => i % 37 === 0),
    ].filter((l) => l !== '');
    for (const tip of sample) {
      const history = gitText(['rev-list', tip], { cwd: repo.src }).split('\n').filter((l) => l !== '');
      const brought = await store.readIntroduced(history);
      expect(new Set(brought!.map((o) => o.oid)), tip).toEqual(treesAndBlobs([tip]));
    }
  });

  it('brings, for the commits between two points, the trees and blobs git would send once the edges are taken away', async () => {
    const store = repo.opened.repo.objects;
    for (const [wants, haves] of [[['main'], ['main~40']], [['main', 'release/1.x'], ['main~100', 'feature/alpha']]] as const) {
      const commits = gitText(['rev-list', ...wants, ...haves.map((h) => `^${h}`)], { cwd: repo.src }).split('\n').filter((l) => l !== '');
      const brought = new Set((await store.readIntroduced(commits))!.map((o) => o.oid));
      const needed = treesAndBlobs([...wants, ...haves.map((h) => `^${h}`)]);
      for (const oid of needed) expect(brought.has(oid), oid).toBe(true);
    }
  });

  it('answers undefined when some commit has no list', async () => {
    expect(await repo.opened.repo.objects.readIntroduced(['0'.repeat(40)])).toBeUndefined();
  });
});
