import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitText } from '../../../test/support/gitBytes.ts';
import { historyRepo, type HistoryRepo } from '../../../test/support/historyRepo.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { walkCommits } from './walkCommits.ts';
import { withShallowBoundary } from './withShallowBoundary.ts';

let repo: HistoryRepo;
const work = useTempDir('grove-shallow-boundary-');

beforeAll(async () => {
  repo = await historyRepo();
});

afterAll(() => repo.remove());

describe('withShallowBoundary', () => {
  it('shows the boundary commits without parents and leaves everything else as stored', async () => {
    const store = repo.opened.repo.objects;
    const [cut, other] = [repo.rev('main~3'), repo.rev('main~2')];
    const view = withShallowBoundary(store, new Set([cut]));
    const seen = await view.readCommits([cut, other]);
    const stored = await store.readCommits([cut, other]);
    expect(seen.get(cut)).toEqual({ ...stored.get(cut), parents: [] });
    expect(seen.get(other)).toEqual(stored.get(other));
    expect(stored.get(cut)!.parents).toHaveLength(1);
    expect(await view.info([cut])).toEqual(await store.info([cut]));
    expect(withShallowBoundary(store, new Set())).toBe(store);
  });

  it('stops a history walk where git --shallow-file stops it', async () => {
    const view = withShallowBoundary(repo.opened.repo.objects, new Set([repo.rev('main~3'), repo.rev('release/1.x~5')]));
    const walk = await walkCommits(view, [repo.rev('main'), repo.rev('release/1.x')], []);
    const file = join(work, 'shallow');
    writeFileSync(file, `${repo.rev('main~3')}\n${repo.rev('release/1.x~5')}\n`);
    const expected = gitText(['--shallow-file', file, 'rev-list', 'main', 'release/1.x'], { cwd: repo.src }).split('\n');
    expect(walk.commits.map((c) => c.oid).sort()).toEqual(expected.sort());
  });
});
