import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitText } from '../../../test/support/gitBytes.ts';
import { historyRepo, type HistoryRepo } from '../../../test/support/historyRepo.ts';
import { revListObjects } from '../../../test/support/storeRepo.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { isGroveError } from '../../errors.ts';
import { enumerateObjects } from './enumerateObjects.ts';
import { parseFilterSpec } from '../protocol/parseFilterSpec.ts';
import { WalkProgress } from './WalkProgress.ts';

let repo: HistoryRepo;
const work = useTempDir('grove-enumerate-');

beforeAll(async () => {
  repo = await historyRepo();
});

afterAll(() => repo.remove());

/** The objects `git pack-objects --revs [--include-tag]` puts in a pack for `wants --not haves`. */
function packObjectsSet(wants: string[], haves: string[], includeTag: boolean): Set<string> {
  const base = join(work, `p${Math.random().toString(16).slice(2)}`);
  const args = ['pack-objects', '--revs', '-q', ...(includeTag ? ['--include-tag'] : []), base];
  const hash = gitText(args, { cwd: repo.src, input: [...wants, ...haves.map((h) => `^${h}`)].join('\n') + '\n' });
  const idx = `${base}-${hash}.idx`;
  expect(readdirSync(work)).toContain(idx.slice(work.length + 1));
  const listing = gitText(['show-index'], { cwd: repo.src, input: readFileSync(idx) });
  return new Set(listing.split('\n').filter((l) => l !== '').map((l) => l.split(' ')[1]!));
}

function typeOf(oid: string): string {
  return gitText(['cat-file', '-t', oid], { cwd: repo.src });
}

const cases: [string, string[], string[]][] = [
  ['a clone of main', ['main'], []],
  ['a fetch of main on top of main~40', ['main'], ['main~40']],
  ['two branches on top of two others', ['main', 'release/1.x'], ['main~100', 'feature/alpha']],
  ['an annotated tag', ['v0.2'], []],
  ['a tag of a tag on top of main~10', ['nested-outer'], ['main~10']],
  ['a tree', ['main~7^{tree}'], []],
  ['a blob and a commit', ['main:README.md', 'main~3'], []],
  ['a tree on top of a commit', ['main~7^{tree}'], ['main~9']],
  ['main with an unrelated history as have', ['main~280'], ['orphan']],
  ['an unrelated history with main as have', ['orphan'], ['main']],
  ['nothing new', ['main~20'], ['main']],
];

describe('enumerateObjects', () => {
  for (const [title, wantRevs, haveRevs] of cases) {
    it(`gives exactly git rev-list --objects wants --not haves: ${title}`, async () => {
      const wants = wantRevs.map((r) => repo.rev(r));
      const haves = haveRevs.map((r) => repo.rev(r));
      const plan = await enumerateObjects(repo.opened.repo.objects, { wants, haves });
      const expected = revListObjects(repo.src, [...wants, '--not', ...haves]);
      expect(plan.oids.length).toBe(new Set(plan.oids).size);
      expect(new Set(plan.oids)).toEqual(expected);

      // What the client has: the trees and blobs of the boundary commits.
      const commitish = wants.filter((w) => typeOf(w) === 'commit' || typeOf(w) === 'tag');
      const boundary = commitish.length === 0 ? [] : gitText(['rev-list', '--boundary', ...commitish, '--not', ...haves, '--'], { cwd: repo.src })
        .split('\n').filter((l) => l.startsWith('-')).map((l) => l.slice(1));
      const clientHas = boundary.length === 0 ? new Set<string>() : revListObjects(repo.src, ['--no-walk', ...boundary]);
      for (const commit of boundary) clientHas.delete(commit);
      expect(plan.clientHas).toEqual(clientHas);
      for (const oid of plan.oids) expect(plan.clientHas.has(oid), oid).toBe(false);
    });
  }

  // A wanted blob under a boundary commit's tree is already on the client: git leaves it out.
  it('leaves out a wanted blob that the boundary commits hold, as git rev-list does', async () => {
    const blob = repo.rev('main:README.md');
    const wants = [blob, repo.rev('main~3')];
    const haves = [repo.rev('main~5')];
    const expected = revListObjects(repo.src, [...wants, '--not', ...haves]);
    expect(expected.has(blob)).toBe(false);
    const plan = await enumerateObjects(repo.opened.repo.objects, { wants, haves });
    expect(plan.clientHas.has(blob)).toBe(true);
    expect(new Set(plan.oids)).toEqual(expected);
  });

  it('lists the commits before the other objects', async () => {
    const plan = await enumerateObjects(repo.opened.repo.objects, { wants: [repo.rev('main'), repo.rev('v0.3')], haves: [repo.rev('main~30')] });
    const types = new Map(gitText(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { cwd: repo.src, input: plan.oids.join('\n') })
      .split('\n').map((l) => l.split(' ') as [string, string]));
    const firstOther = plan.oids.findIndex((oid) => types.get(oid) !== 'commit');
    expect(firstOther).toBeGreaterThan(0);
    expect(plan.oids.slice(firstOther).some((oid) => types.get(oid) === 'commit')).toBe(false);
  });

  const tagCases: [string, string[], string[]][] = [
    ['a clone of main', ['main'], []],
    ['a fetch of main on top of main~150', ['main'], ['main~150']],
    ['a fetch of the release branch', ['release/1.x'], ['main~150']],
    ['a fetch of an old main', ['main~200'], []],
    ['a fetch of a feature branch only', ['feature/beta'], ['main~200']],
  ];
  for (const [title, wantRevs, haveRevs] of tagCases) {
    it(`with include-tag sends what git pack-objects --include-tag sends: ${title}`, async () => {
      const wants = wantRevs.map((r) => repo.rev(r));
      const haves = haveRevs.map((r) => repo.rev(r));
      const refs = await repo.opened.repo.listRefs();
      const plan = await enumerateObjects(repo.opened.repo.objects, { wants, haves, includeTagsFrom: refs });
      const expected = packObjectsSet(wants, haves, true);
      expect(new Set(plan.oids)).toEqual(expected);
      const withoutTags = packObjectsSet(wants, haves, false);
      if (title === 'a clone of main') expect(expected.size - withoutTags.size).toBeGreaterThanOrEqual(5); // v0.x and the nested tags
    });
  }

  it('throws MISSING_OBJECT for a want the store lacks', async () => {
    const missing = '0123456789abcdef0123456789abcdef01234567';
    const err = await enumerateObjects(repo.opened.repo.objects, { wants: [missing], haves: [] }).then(() => undefined, (e: unknown) => e);
    expect(isGroveError(err) && err.code).toBe('MISSING_OBJECT');
  });
});

/** `git [--shallow-file F] rev-list <listing> <args>`: the ids listed (edge lines of --objects-edge-aggressive left out). */
function revList(args: string[], shallow: string[] = [], listing = '--objects'): Set<string> {
  const prefix: string[] = [];
  if (shallow.length > 0) {
    const file = join(work, `shallow-${Math.random().toString(16).slice(2)}`);
    writeFileSync(file, shallow.map((oid) => `${oid}\n`).join(''));
    prefix.push('--shallow-file', file);
  }
  const out = gitText([...prefix, 'rev-list', listing, ...args], { cwd: repo.src });
  return new Set(out.split('\n').filter((l) => l !== '' && !l.startsWith('-')).map((l) => l.slice(0, 40)));
}

describe('enumerateObjects with a shallow boundary', () => {
  const cases: [string, string[], string[], string[]][] = [
    ['a clone cut at main~3', ['main'], [], ['main~3']],
    ['three branches cut at several commits', ['main', 'release/1.x', 'feature/beta'], [], ['main~2', 'release/1.x~4', 'feature/beta~1', 'main~60']],
    ['a fetch from a client shallow at main~5: its boundary holds on the have side', ['release/1.x'], ['main'], ['main~5']],
    ['new commits on top of a shallow client', ['main'], ['main~10'], ['main~12', 'main~10']],
  ];
  for (const [title, wantRevs, haveRevs, shallowRevs] of cases) {
    it(`gives git --shallow-file rev-list --objects: ${title}`, async () => {
      const wants = wantRevs.map((r) => repo.rev(r));
      const haves = haveRevs.map((r) => repo.rev(r));
      const shallow = shallowRevs.map((r) => repo.rev(r));
      const plan = await enumerateObjects(repo.opened.repo.objects, { wants, haves, shallow: new Set(shallow) });
      expect(new Set(plan.oids)).toEqual(revList([...wants, '--not', ...haves], shallow));
      // With aggressive edges, as pack-objects --shallow --thin walks (the haves' own trees are the client's too).
      const aggressive = await enumerateObjects(repo.opened.repo.objects, { wants, haves, shallow: new Set(shallow), aggressiveEdges: true });
      expect(new Set(aggressive.oids)).toEqual(revList([...wants, '--not', ...haves], shallow, '--objects-edge-aggressive'));
    });
  }
});

describe('enumerateObjects with a filter', () => {
  const cases: [string, string, string[], string[]][] = [
    ['blob:none', 'blob:none', ['main', 'release/1.x'], []],
    ['blob:none on top of haves', 'blob:none', ['main'], ['main~40']],
    ['blob:limit=1k', 'blob:limit=1k', ['main', 'v0.2'], []],
    ['blob:limit=0', 'blob:limit=0', ['main~5'], []],
    ['tree:0', 'tree:0', ['main', 'release/1.x'], []],
    ['tree:1', 'tree:1', ['main'], []],
    ['tree:3', 'tree:3', ['main', 'feature/beta'], ['main~100']],
    ['combine of two blob filters', 'combine:blob:limit=2k+blob:limit=500', ['main'], []],
    ['blob:none with a wanted blob and a wanted tree', 'blob:none', ['main~3', 'main:README.md', 'main~7^{tree}'], []],
    ['tree:0 with a wanted tree', 'tree:0', ['main~7^{tree}', 'main~2:src'], []],
    ['tree:2 with a wanted subtree', 'tree:2', ['main~2:src', 'main'], []],
  ];
  for (const [title, spec, wantRevs, haveRevs] of cases) {
    it(`gives git rev-list --objects --filter: ${title}`, async () => {
      const wants = wantRevs.map((r) => repo.rev(r));
      const haves = haveRevs.map((r) => repo.rev(r));
      const plan = await enumerateObjects(repo.opened.repo.objects, { wants, haves, filter: parseFilterSpec(spec) });
      expect(plan.oids.length).toBe(new Set(plan.oids).size);
      expect(new Set(plan.oids)).toEqual(revList([`--filter=${spec}`, ...wants, '--not', ...haves]));
    });
  }
});

it('counts the objects it finds', async () => {
  const progress = new WalkProgress(100);
  const plan = await enumerateObjects(repo.opened.repo.objects, { wants: [repo.rev('main')], haves: [], progress });
  expect(progress.count).toBe(plan.oids.length);
});
