import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitText } from '../../../test/support/gitBytes.ts';
import { loadGitRepository, openRepository, type OpenedRepository } from '../../../test/support/storeRepo.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import type { OpenRepository, RepoRecord } from '../RepoService.ts';
import { resolveObject, resolveRevision } from './resolveRevision.ts';

/** A repository where one short name matches several refs, so git's rule order decides. */
function makeGitRepo(dir: string): void {
  const git = (...args: string[]): string => gitText(args, { cwd: dir });
  git('init', '--quiet', '--initial-branch=main', '.');
  for (let i = 0; i < 4; i++) git('commit', '--quiet', '--allow-empty', '-m', `c${i}`);
  git('checkout', '--quiet', '-b', 'side', 'HEAD~2');
  git('commit', '--quiet', '--allow-empty', '-m', 'side');
  git('checkout', '--quiet', 'main');
  git('merge', '--quiet', '--no-ff', '-m', 'merge', 'side');
  git('branch', 'x', 'HEAD~1');
  git('tag', 'x', 'HEAD~2');
  git('update-ref', 'refs/x', 'HEAD~3');
  git('tag', 'only-tag', 'HEAD~4');
  git('tag', '-a', 'annotated', '-m', 'a', 'HEAD^2');
  git('tag', '-a', 'tag-of-tag', '-m', 'b', 'annotated');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD~1');
  git('update-ref', 'refs/remotes/origin/HEAD', 'HEAD^2');
  git('update-ref', 'refs/remotes/solo', 'HEAD~3');
  // A branch named like the id of another commit: the id wins, as in git.
  git('branch', git('rev-parse', 'HEAD~3'), 'HEAD');
}

describe('resolveRevision', () => {
  const dir = useTempDir('grove-resolve-');
  let opened: OpenedRepository;
  let repo: OpenRepository;

  beforeAll(async () => {
    makeGitRepo(dir);
    opened = openRepository();
    await loadGitRepository(opened, dir);
    repo = { record: { name: 'r' } as RepoRecord, repo: opened.repo, objects: opened.repo.objects, packCache: opened.repo.packCache, release: () => {} };
  });
  afterAll(() => opened.close());

  it('names the commit git rev-parse names, by git\'s rule order', async () => {
    const sha3 = gitText(['rev-parse', 'HEAD~3'], { cwd: dir });
    const revs = ['HEAD', '@', 'main', 'x', 'refs/x', 'tags/x', 'heads/x', 'refs/heads/x', 'refs/tags/x', 'only-tag', 'annotated', 'tag-of-tag',
      'origin/main', 'origin', 'solo', 'main~1', 'main^', 'main^0', 'main^2', 'HEAD~2^', 'HEAD^2^', 'main~1~', 'x~1', 'annotated~1', sha3, sha3.toUpperCase()];
    for (const rev of revs) {
      expect((await resolveRevision(repo, rev)).sha, rev).toBe(gitText(['rev-parse', '--verify', '--end-of-options', `${rev}^{commit}`], { cwd: dir }));
    }
    expect((await resolveRevision(repo, 'x')).ref).toBe('refs/x');
    expect((await resolveRevision(repo, 'HEAD')).ref).toBe('refs/heads/main');
    expect((await resolveRevision(repo, 'tag-of-tag')).ref).toBe('refs/tags/tag-of-tag');
    expect((await resolveRevision(repo, sha3)).ref).toBeNull();
  });

  it('is NOT_FOUND for unknown names, missing ids, parents that do not exist and non-commits; BAD_REQUEST for empty names', async () => {
    const tree = gitText(['rev-parse', 'HEAD^{tree}'], { cwd: dir });
    for (const rev of ['nope', 'refs/heads/nope', '0'.repeat(40), 'main~99', 'main^3', tree, 'main~1~9', 'HEAD^^2']) {
      await expect(resolveRevision(repo, rev), rev).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(await resolveObject(repo, tree)).toEqual({ sha: tree, type: 'tree', ref: null });
    await expect(resolveRevision(repo, '')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
