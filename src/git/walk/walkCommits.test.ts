import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitText } from '../../../test/support/gitBytes.ts';
import { historyRepo, type HistoryRepo } from '../../../test/support/historyRepo.ts';
import type { CommitInfo } from '../ports.ts';
import { walkCommits } from './walkCommits.ts';

let repo: HistoryRepo;

beforeAll(async () => {
  repo = await historyRepo();
});

afterAll(() => repo.remove());

/** `git rev-list [--boundary] <interesting> --not <uninteresting>`, split into listed commits and boundary. */
function revList(interesting: string[], uninteresting: string[]): { commits: string[]; boundary: Set<string> } {
  const out = gitText(['rev-list', '--boundary', ...interesting, '--not', ...uninteresting, '--'], { cwd: repo.src });
  const lines = out.split('\n').filter((l) => l !== '');
  return {
    commits: lines.filter((l) => !l.startsWith('-')),
    boundary: new Set(lines.filter((l) => l.startsWith('-')).map((l) => l.slice(1))),
  };
}

/** Children before parents: no commit of the list comes after one of its parents. */
function expectTopological(commits: readonly CommitInfo[]): void {
  const position = new Map(commits.map((c, i) => [c.oid, i]));
  for (const [i, commit] of commits.entries()) {
    for (const parent of commit.parents) {
      const at = position.get(parent);
      if (at !== undefined) expect(at, `${parent} listed before its child ${commit.oid}`).toBeGreaterThan(i);
    }
  }
}

const cases: [string, string[], string[]][] = [
  ['all of main', ['main'], []],
  ['main not a merged feature branch', ['main'], ['feature/alpha']],
  ['a feature branch not an old main', ['feature/beta'], ['main~50']],
  ['two tips not two others', ['release/1.x', 'topic/gamma'], ['main~100', 'feature/alpha']],
  ['a release branch not main', ['release/1.x'], ['main']],
  ['main not the release branch', ['main'], ['release/1.x']],
  ['a tip not itself', ['main'], ['main']],
  ['a want below a have', ['main~30'], ['main']],
  ['an unrelated history and a piece of main', ['orphan', 'main~5'], ['main~10']],
  ['main not an unrelated history', ['main~250'], ['orphan']],
  ['a merge commit not its first parent', ['main^{/Merge branch .feature.beta}'], ['main^{/Merge branch .feature.beta}^1']],
];

describe('walkCommits', () => {
  for (const [title, interesting, uninteresting] of cases) {
    it(`gives exactly git rev-list A --not B: ${title}`, async () => {
      const wants = interesting.map((r) => repo.rev(`${r}^{commit}`));
      const haves = uninteresting.map((r) => repo.rev(`${r}^{commit}`));
      const walk = await walkCommits(repo.opened.repo.objects, wants, haves);
      const expected = revList(wants, haves);
      expect(walk.commits.map((c) => c.oid).sort()).toEqual([...expected.commits].sort());
      expect(new Set(walk.edges.map((c) => c.oid))).toEqual(expected.boundary);
      expectTopological(walk.commits);
      // The infos are the stored ones: tree, parents and time as git has them.
      const sample = walk.commits.slice(0, 5);
      for (const commit of sample) {
        const [tree, time, ...parents] = gitText(['log', '-1', '--format=%T %ct %P', commit.oid], { cwd: repo.src }).split(' ');
        expect(commit).toMatchObject({ tree, time: Number(time), parents: parents.filter((p) => p !== '') });
      }
    });
  }

  it('has something to compare in the cases above: merges and boundaries', async () => {
    const expected = revList([repo.rev('main')], [repo.rev('feature/alpha')]);
    expect(expected.commits.length).toBeGreaterThan(100);
    const all = revList([repo.rev('main')], []);
    const merges = gitText(['rev-list', '--merges', 'main'], { cwd: repo.src }).split('\n');
    expect(merges.length).toBeGreaterThanOrEqual(3);
    expect(all.commits.length).toBeGreaterThan(300);
    expect(revList([repo.rev('release/1.x'), repo.rev('topic/gamma')], [repo.rev('main~100'), repo.rev('feature/alpha')]).boundary.size).toBeGreaterThan(0);
  });

  it('ignores ids that are not stored commits', async () => {
    const tree = repo.rev('main~3^{tree}');
    const missing = '0123456789abcdef0123456789abcdef01234567';
    const walk = await walkCommits(repo.opened.repo.objects, [repo.rev('main~3'), tree, missing], [repo.rev('main~6'), missing]);
    expect(walk.commits.map((c) => c.oid).sort()).toEqual(revList([repo.rev('main~3')], [repo.rev('main~6')]).commits.sort());
    expect(await walkCommits(repo.opened.repo.objects, [], [repo.rev('main')])).toEqual({ commits: [], edges: [] });
  });

  it('walks the unreachable commit that is stored, from itself', async () => {
    const walk = await walkCommits(repo.opened.repo.objects, [repo.unreachable.commit], [repo.rev('main')]);
    expect(walk.commits.map((c) => c.oid)).toEqual([repo.unreachable.commit]);
    expect(walk.edges.map((c) => c.oid)).toEqual([repo.rev('main')]);
  });
});
