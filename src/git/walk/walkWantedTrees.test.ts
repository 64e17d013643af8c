import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitText } from '../../../test/support/gitBytes.ts';
import { historyRepo, type HistoryRepo } from '../../../test/support/historyRepo.ts';
import { parseFilterSpec } from '../protocol/parseFilterSpec.ts';
import { walkWantedTrees } from './walkWantedTrees.ts';

let repo: HistoryRepo;

beforeAll(async () => {
  repo = await historyRepo();
});

afterAll(() => repo.remove());

/** `git rev-list --objects --no-walk [--filter] <revs>`: the trees and blobs under the given commits and trees. */
function gitListing(revs: string[], spec: string | null): Set<string> {
  const out = gitText(['rev-list', '--objects', '--no-walk', ...(spec === null ? [] : [`--filter=${spec}`]), ...revs], { cwd: repo.src });
  const ids = out.split('\n').filter((l) => l !== '').map((l) => l.slice(0, 40));
  const commits = new Set(gitText(['rev-list', '--no-walk', ...revs.filter((r) => !r.includes('^{tree}') && !r.includes(':'))], { cwd: repo.src }).split('\n'));
  return new Set(ids.filter((oid) => !commits.has(oid)));
}

describe('walkWantedTrees', () => {
  const cases: [string | null, string[], string[]][] = [
    [null, ['main', 'release/1.x'], []],
    ['blob:none', ['main'], ['main~4^{tree}']],
    ['blob:limit=3k', ['main', 'feature/beta'], []],
    ['tree:0', ['main'], ['main~4^{tree}']],
    ['tree:1', ['main'], []],
    ['tree:2', ['main'], ['main:src']],
    ['tree:4', ['main', 'release/1.x'], ['main~9:deep']],
  ];
  for (const [spec, commitRevs, treeRevs] of cases) {
    it(`lists what git rev-list --objects ${spec === null ? '' : `--filter=${spec} `}does under ${[...commitRevs, ...treeRevs].join(' ')}`, async () => {
      const roots = commitRevs.map((r) => repo.rev(`${r}^{tree}`));
      const given = treeRevs.map((r) => repo.rev(r));
      const found: string[] = [];
      await walkWantedTrees(repo.opened.repo.objects, { given, roots }, new Set(), spec === null ? undefined : parseFilterSpec(spec), (oid) => found.push(oid));
      expect(found.length).toBe(new Set(found).size);
      expect(new Set(found)).toEqual(gitListing([...commitRevs, ...treeRevs].map((r) => repo.rev(r)), spec));
    });
  }

  it('skips what is already seen (what the client has), subtrees and all', async () => {
    const seen = new Set([repo.rev('main:src'), repo.rev('main:README.md')]);
    const found: string[] = [];
    await walkWantedTrees(repo.opened.repo.objects, { given: [], roots: [repo.rev('main^{tree}')] }, seen, undefined, (oid) => found.push(oid));
    const under = new Set(gitText(['rev-list', '--objects', repo.rev('main:src')], { cwd: repo.src }).split('\n').map((l) => l.slice(0, 40)));
    expect(found.filter((oid) => under.has(oid) || oid === repo.rev('main:README.md'))).toEqual([]);
    expect(found).toContain(repo.rev('main^{tree}'));
  });
});
