import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitText } from '../../../test/support/gitBytes.ts';
import { historyRepo, type HistoryRepo } from '../../../test/support/historyRepo.ts';
import { isGroveError } from '../../errors.ts';
import { shallowByRevList } from './shallowByRevList.ts';

let repo: HistoryRepo;

beforeAll(async () => {
  repo = await historyRepo();
});

afterAll(() => repo.remove());

/** The boundary git draws from `rev-list --parents <args>`: listed commits with a parent not listed. */
function gitBoundary(args: string[]): { shallow: string[]; notShallow: string[] } {
  const lines = gitText(['rev-list', '--parents', ...args], { cwd: repo.src }).split('\n').filter((l) => l !== '');
  const listed = new Map(lines.map((line) => {
    const [oid, ...parents] = line.split(' ');
    return [oid!, parents];
  }));
  const shallow: string[] = [];
  const notShallow: string[] = [];
  for (const [oid, parents] of listed) (parents.some((p) => !listed.has(p)) ? shallow : notShallow).push(oid);
  return { shallow: shallow.sort(), notShallow: notShallow.sort() };
}

const time = (rev: string): number => Number(gitText(['log', '-1', '--format=%ct', rev], { cwd: repo.src }));

describe('shallowByRevList', () => {
  const cases: [string, string[], string | null, string[]][] = [
    ['since, one branch', ['main'], 'main~40', []],
    ['since, several branches with merges', ['main', 'release/1.x', 'feature/beta'], 'main~150', []],
    ['not a tag', ['main'], null, ['v0.3']],
    ['not two refs, several wants', ['main', 'release/1.x'], null, ['v0.2', 'feature/alpha']],
    ['since and not', ['main', 'release/1.x'], 'main~120', ['v0.3']],
    ['since older than everything', ['orphan'], 'orphan~2', []],
  ];
  for (const [title, wants, since, not] of cases) {
    it(`draws the boundary git's rev-list gives: ${title}`, async () => {
      const args = [
        ...(since === null ? [] : [`--max-age=${time(since)}`]),
        ...(not.length > 0 ? ['--not', ...not, '--not'] : []),
        ...wants,
      ];
      const theirs = gitBoundary(args);
      const peel = (r: string): string => repo.rev(`${r}^{commit}`);
      const ours = await shallowByRevList(repo.opened.repo.objects, wants.map(peel), {
        ...(since === null ? {} : { since: time(since) }),
        not: not.map(peel),
      });
      expect([...ours.shallow].sort()).toEqual(theirs.shallow);
      expect([...ours.notShallow].sort()).toEqual(theirs.notShallow);
      expect(theirs.shallow.length + theirs.notShallow.length).toBeGreaterThan(0);
    });
  }

  it('refuses a cut that leaves no commit, as upload-pack does', async () => {
    const err = await shallowByRevList(repo.opened.repo.objects, [repo.rev('main')], { not: [repo.rev('main')] }).then(() => undefined, (e: unknown) => e);
    expect(isGroveError(err) && err.message).toBe('no commits selected for shallow requests');
  });
});
