import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitRun, gitText } from '../../../test/support/gitBytes.ts';
import { historyRepo, type HistoryRepo } from '../../../test/support/historyRepo.ts';
import { revListObjects } from '../../../test/support/storeRepo.ts';
import type { ObjectStore } from '../ports.ts';
import { allReachCommon, findUnreachable } from './reachability.ts';

let repo: HistoryRepo;

beforeAll(async () => {
  repo = await historyRepo();
});

afterAll(() => repo.remove());

/** `git merge-base --is-ancestor a b`: is `a` an ancestor of (or equal to) `b`? */
function isAncestor(a: string, b: string): boolean {
  const result = gitRun(['merge-base', '--is-ancestor', a, b], { cwd: repo.src });
  if (result.status !== 0 && result.status !== 1) throw new Error(result.stderr);
  return result.status === 0;
}

const allReachCases: [string, string[], string[], boolean][] = [
  ['a want above a common commit', ['main'], ['main~10'], true],
  ['a want below a common commit', ['main~10'], ['main'], false],
  ['a want equal to a common commit', ['main~10'], ['main~10'], true],
  ['two wants, one unrelated to the common commits', ['main', 'orphan'], ['main~5'], false],
  ['two wants, each above one of the common commits', ['main', 'orphan'], ['main~5', 'orphan~1'], true],
  ['a branch above a merged feature branch', ['release/1.x'], ['feature/alpha'], true],
  ['a feature branch not above a release branch', ['feature/beta'], ['release/1.x'], false],
  ['a merge commit above its second parent only', ['main^{/Merge branch .topic.gamma}'], ['topic/gamma'], true],
  ['several wants above an old commit', ['main', 'release/1.x', 'feature/beta', 'topic/gamma'], ['main~250'], true],
  ['a want unrelated to every common commit', ['orphan'], ['main', 'release/1.x'], false],
];

describe('allReachCommon', () => {
  for (const [title, wantRevs, commonRevs, expected] of allReachCases) {
    it(`agrees with git merge-base --is-ancestor: ${title}`, async () => {
      const wants = wantRevs.map((r) => repo.rev(r));
      const common = commonRevs.map((r) => repo.rev(r));
      expect(wants.every((w) => common.some((c) => isAncestor(c, w)))).toBe(expected);
      expect(await allReachCommon(repo.opened.repo.objects, wants, new Set(common))).toBe(expected);
    });
  }

  it('is false without common commits, or with common ids that are not stored commits', async () => {
    const wants = [repo.rev('main')];
    expect(await allReachCommon(repo.opened.repo.objects, wants, new Set())).toBe(false);
    const notCommits = new Set([repo.rev('main~3^{tree}'), '0123456789abcdef0123456789abcdef01234567']);
    expect(await allReachCommon(repo.opened.repo.objects, wants, notCommits)).toBe(false);
  });
});

describe('findUnreachable', () => {
  /** The refs of the Grove repository, as upload-pack passes them (tags included, symrefs not). */
  async function tips(): Promise<string[]> {
    return (await repo.opened.repo.listRefs()).flatMap((r) => (r.oid === null || r.target !== undefined ? [] : [r.oid]));
  }

  /** What git says: the wants `git rev-list --objects <tips>` does not list. */
  function unreachableByGit(wants: string[], tipOids: string[]): string[] {
    const reachable = revListObjects(repo.src, tipOids);
    return wants.filter((w) => !reachable.has(w));
  }

  it('finds the unreachable commit and its blob among reachable commits, trees, blobs and tags', async () => {
    const old = repo.rev('main~280');
    // A blob reachable only through an old commit: in main~280's tree, no longer in main's.
    const oldBlobs = revListObjects(repo.src, [`${old}^{tree}`, '--not', repo.rev('main^{tree}')]);
    const oldOnly = [...oldBlobs].find((oid) => !revListObjects(repo.src, [repo.rev('main^{tree}')]).has(oid) && oid !== repo.rev(`${old}^{tree}`));
    expect(oldOnly).toBeDefined();
    const wants = [
      repo.rev('main~50'), repo.rev('main~50^{tree}'), oldOnly!, repo.unreachable.commit, repo.unreachable.blob,
      repo.rev('refs/tags/v0.1'), repo.rev('refs/tags/nested-inner'), repo.rev('release/1.x'), repo.rev('orphan~2'),
    ];
    const tipOids = await tips();
    const expected = unreachableByGit(wants, tipOids);
    expect(expected.sort()).toEqual([repo.unreachable.commit, repo.unreachable.blob].sort());
    expect((await findUnreachable(repo.opened.repo.objects, wants, tipOids)).sort()).toEqual(expected);
  });

  it('finds an unreachable commit among commits only (the walk cut off by generation)', async () => {
    const wants = [repo.rev('main~290'), repo.unreachable.commit, repo.rev('feature/alpha~3')];
    const tipOids = await tips();
    expect(await findUnreachable(repo.opened.repo.objects, wants, tipOids)).toEqual(unreachableByGit(wants, tipOids));
    expect(unreachableByGit(wants, tipOids)).toEqual([repo.unreachable.commit]);
  });

  it('reaches through tag tips: a tag of a tag reaches the inner tag and the commit', async () => {
    const outer = repo.rev('refs/tags/nested-outer');
    const wants = [repo.rev('refs/tags/nested-inner'), repo.rev('main'), repo.rev('main~3'), repo.rev('main~3:README.md')];
    expect(unreachableByGit(wants, [outer])).toEqual([]);
    expect(await findUnreachable(repo.opened.repo.objects, wants, [outer])).toEqual([]);
  });

  it('with fewer tips, finds what only the other refs reach', async () => {
    const alpha = repo.rev('feature/alpha');
    const wants = [repo.rev('main'), repo.rev('feature/alpha~2'), repo.rev('main~1^{tree}'), repo.rev('orphan'), repo.rev('main~299')];
    const expected = unreachableByGit(wants, [alpha]);
    expect(expected.length).toBe(3);
    expect((await findUnreachable(repo.opened.repo.objects, wants, [alpha])).sort()).toEqual(expected.sort());
  });

  it('answers at once for wants that are tips', async () => {
    const tipOids = await tips();
    expect(await findUnreachable(repo.opened.repo.objects, tipOids, tipOids)).toEqual([]);
    expect(await findUnreachable(repo.opened.repo.objects, [], tipOids)).toEqual([]);
  });

  /** `store`, recording every id it is asked to read. */
  function recording(): { store: ObjectStore; commits: Set<string>; objects: Set<string> } {
    const inner = repo.opened.repo.objects;
    const commits = new Set<string>();
    const objects = new Set<string>();
    return {
      commits,
      objects,
      store: {
        has: (oids) => inner.has(oids),
        info: (oids) => inner.info(oids),
        readPacked: (oids) => inner.readPacked(oids),
        readObjects: (oids) => {
          for (const oid of oids) objects.add(oid);
          return inner.readObjects(oids);
        },
        readCommits: (oids) => {
          for (const oid of oids) commits.add(oid);
          return inner.readCommits(oids);
        },
      },
    };
  }

  it('finds blobs of the newest tip\'s tree by reading that tree alone, and no history', async () => {
    const tipOids = await tips();
    const mainTree = repo.rev('main^{tree}');
    const inMain = revListObjects(repo.src, [mainTree]);
    const deepest = gitText(['ls-tree', '-r', 'main'], { cwd: repo.src }).split('\n').filter((l) => l.includes(' blob ')).map((l) => l.split('\t')[1]!)
      .sort((a, b) => b.split('/').length - a.split('/').length)[0]!;
    const blobs = [repo.rev('main:README.md'), repo.rev(`main:${deepest}`)];
    const seen = recording();
    expect(await findUnreachable(seen.store, blobs, tipOids)).toEqual([]);
    const trees = [...seen.objects].filter((oid) => gitText(['cat-file', '-t', oid], { cwd: repo.src }) === 'tree');
    expect(trees.length).toBeGreaterThan(1);
    expect(trees.filter((oid) => !inMain.has(oid))).toEqual([]);
    // Commits read: the tips (tags peeled), none of their history.
    const tipCommits = new Set(gitText(['rev-list', '--no-walk', ...tipOids], { cwd: repo.src }).split('\n'));
    expect([...seen.commits].filter((oid) => !tipCommits.has(oid))).toEqual([]);
  });

  it('finds an old blob by walking history newest first, and stops there', async () => {
    const tipOids = await tips();
    // A blob of main~40 that neither main~39 nor any tip holds in its tree: only history reaches it.
    const inTips = revListObjects(repo.src, ['--no-walk', ...tipOids, repo.rev('main~39')]);
    const old = [...revListObjects(repo.src, [`${repo.rev('main~40')}^{tree}`])].find((oid) => !inTips.has(oid));
    expect(old).toBeDefined();
    const seen = recording();
    expect(await findUnreachable(seen.store, [old!], tipOids)).toEqual([]);
    // It stopped there: nothing of the history well below main~40 was read.
    const tipCommits = new Set(gitText(['rev-list', '--no-walk', ...tipOids], { cwd: repo.src }).split('\n'));
    const below = new Set(gitText(['rev-list', 'main~90'], { cwd: repo.src }).split('\n'));
    expect([...seen.commits].filter((oid) => below.has(oid) && !tipCommits.has(oid))).toEqual([]);
    expect(seen.commits.size).toBeLessThan(gitText(['rev-list', '--all'], { cwd: repo.src }).split('\n').length / 2);
  });
});

