import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitBytes, gitText } from '../../../test/support/gitBytes.ts';
import { historyRepo, type HistoryRepo } from '../../../test/support/historyRepo.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { shallowByDepth } from './shallowByDepth.ts';

let repo: HistoryRepo;
const work = useTempDir('grove-shallow-depth-');

beforeAll(async () => {
  repo = await historyRepo();
});

afterAll(() => repo.remove());

/** What git makes of `fetch --depth <depth>` of `branches` into an empty repository: its shallow file and its commits. */
function gitDepth(branches: string[], depth: number): { shallow: string[]; commits: string[] } {
  const dir = join(work, `d${Math.random().toString(16).slice(2)}`);
  gitBytes(['init', '-q', '--bare', dir]);
  gitBytes(['fetch', '-q', '--depth', String(depth), `file://${repo.src}`, ...branches.map((b) => `refs/heads/${b}:refs/heads/${b}`)], { cwd: dir });
  const file = join(dir, 'shallow');
  const shallow = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : [];
  const commits = gitText(['rev-list', '--all'], { cwd: dir }).split('\n').filter((l) => l !== '');
  return { shallow: shallow.sort(), commits: commits.sort() };
}

describe('shallowByDepth', () => {
  const cases: [string[], number][] = [
    [['main'], 1],
    [['main'], 2],
    [['main', 'release/1.x'], 3],
    [['main', 'feature/beta', 'topic/gamma'], 12],
    [['main'], 70],
    [['orphan'], 3],
    [['orphan'], 10],
  ];
  for (const [branches, depth] of cases) {
    it(`cuts ${branches.join(', ')} at depth ${depth} where git fetch --depth does`, async () => {
      const theirs = gitDepth(branches, depth);
      const ours = await shallowByDepth(repo.opened.repo.objects, branches.map((b) => repo.rev(b)), depth);
      expect([...ours.shallow].sort()).toEqual(theirs.shallow);
      // Everything git fetched is either shallow or "not shallow" (its parents were sent).
      expect([...ours.shallow, ...ours.notShallow].sort()).toEqual(theirs.commits);
    });
  }
});
