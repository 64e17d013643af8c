import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffRepo, type DiffRepo, type FileSpec } from '../../../../test/content/support/diffRepo.ts';
import { gitNumstat, gitPatches, gitRaw, ourDiff } from '../../../../test/content/support/gitDiff.ts';
import { loadGitRepository, openRepository, type OpenedRepository } from '../../../../test/support/storeRepo.ts';
import { seededRandom } from '../../../../test/support/seededRandom.ts';
import { diffTrees } from './diffTrees.ts';

const lines = (n: number, prefix = 'line'): string => Array.from({ length: n }, (_, i) => `${prefix} ${i}\n`).join('');

/** A text of `n` distinct lines of about 40 bytes. */
function prose(seed: number, n: number): string {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => `${i} ${Math.floor(random() * 1e9).toString(36)} the quick brown fox ${Math.floor(random() * 1e6)}\n`).join('');
}

/** `text` with about `percent`% of its lines rewritten. */
function edited(text: string, percent: number, seed: number): string {
  const random = seededRandom(seed);
  return text.split('\n').map((line, i) => (line !== '' && random() * 100 < percent ? `changed ${i} ${random()}` : line)).join('\n');
}

interface Scenario {
  name: string;
  before: Record<string, FileSpec>;
  after: Record<string, FileSpec>;
}

const base = prose(1, 40);
const SCENARIOS: Scenario[] = [
  { name: 'additions, deletions, edits in nested directories', before: { 'a.txt': 'a\n', 'dir/b.txt': 'b\n', 'dir/sub/c.txt': 'c\n', 'z.txt': 'z\n' }, after: { 'a.txt': 'a2\n', 'dir/sub/c.txt': 'c\n', 'dir/sub/d.txt': 'd\n', 'new/e.txt': 'e\n', 'z.txt': 'z\n' } },
  { name: 'a file becomes a directory and back', before: { a: 'file\n', 'a.c': 'x\n', 'b/x': 'in dir\n' }, after: { 'a/inner': 'now a dir\n', 'a.c': 'x\n', b: 'now a file\n' } },
  { name: 'mode changes, symlinks and type changes', before: { 'run.sh': 'echo\n', link: { mode: '120000', content: 'target' }, 'f.txt': 'plain\n', 'g.txt': 'to link\n' }, after: { 'run.sh': { mode: '100755', content: 'echo\n' }, link: { mode: '120000', content: 'other-target' }, 'f.txt': { mode: '120000', content: 'f-target' }, 'g.txt': { mode: '100755', content: 'to link\nmore\n' } } },
  { name: 'exact renames, with and without a mode change', before: { 'old/a.txt': base, 'b.txt': 'bbb\n', 'c.txt': 'same\n', 'd.txt': 'same\n' }, after: { 'new/a.txt': base, 'b2.txt': { mode: '100755', content: 'bbb\n' }, 'c2.txt': 'same\n', 'e.txt': 'same\n' } },
  { name: 'renames with edits, 50% to 99% similar', before: { 'r40.txt': base, 'r60.txt': prose(2, 40), 'r80.txt': prose(3, 40), 'r95.txt': prose(4, 40), 'keep/r60.txt': prose(5, 40) }, after: { 's40.txt': edited(base, 40, 1), 's60.txt': edited(prose(2, 40), 25, 2), 's80.txt': edited(prose(3, 40), 15, 3), 's95.txt': edited(prose(4, 40), 3, 4), 'moved/r60.txt': edited(prose(5, 40), 20, 5) } },
  { name: 'rename below the threshold stays a delete and an add', before: { 'gone.txt': prose(6, 30) }, after: { 'fresh.txt': edited(prose(6, 30), 80, 6) } },
  { name: 'CRLF, no trailing newline and binary renames', before: { 'crlf.txt': prose(7, 20).replace(/\n/g, '\r\n'), 'nonl.txt': 'one\ntwo\nthree', 'bin.dat': new Uint8Array(3000).map((_, i) => (i * 7) % 256) }, after: { 'crlf2.txt': edited(prose(7, 20), 10, 7).replace(/\n/g, '\r\n'), 'nonl.txt': 'one\ntwo\nthree\n', 'bin2.dat': new Uint8Array(3000).map((_, i) => (i % 100 === 0 ? 1 : (i * 7) % 256)) } },
  { name: 'many small files, same basenames in different directories', before: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`pkg${i % 6}/mod${i}/index.js`, `module.exports = ${i};\n${lines(i % 7 + 3, `m${i}`)}`])), after: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [i % 5 === 0 ? `moved${i % 6}/mod${i}/index.js` : `pkg${i % 6}/mod${i}/index.js`, `module.exports = ${i};\n${lines(i % 7 + 3, `m${i}`)}${i % 3 === 0 ? 'extra\n' : ''}`])) },
  { name: 'empty files and a submodule', before: { empty: '', sub: { mode: '160000', commit: '1'.repeat(40) }, 'x.txt': 'x\n' }, after: { 'empty-moved': '', sub: { mode: '160000', commit: '2'.repeat(40) }, 'x.txt': '' } },
  { name: 'a unique basename pairs first, even where another file is more similar', before: { 'x/f.txt': prose(8, 40), 'other.txt': 'unrelated\n' }, after: { 'y/f.txt': edited(prose(8, 40), 18, 8), 'z.txt': edited(prose(8, 40), 2, 9), 'other.txt': 'unrelated\n' } },
  { name: 'basename match, then two inexact candidates', before: { 'd1/u.txt': prose(10, 40), 'a.txt': prose(11, 40), 'b.txt': prose(12, 40) }, after: { 'd2/u.txt': edited(prose(10, 40), 10, 10), 'a2.txt': edited(prose(11, 40), 10, 11), 'b2.txt': edited(prose(12, 40), 10, 12) } },
  { name: 'names git quotes', before: { 'with space.txt': 'a\n', 'tab\there.txt': 'b\n', 'café.txt': 'c\n', 'quote"d.txt': 'd\n', 'back\\slash.txt': prose(13, 10), 'old ü name.txt': prose(14, 10) }, after: { 'with space.txt': 'a2\n', 'tab\there.txt': 'b2\n', 'café.txt': 'c2\n', 'quote"d.txt': 'd2\n', 'new file ü.txt': 'e\n', 'moved/back\\slash.txt': edited(prose(13, 10), 10, 13), 'new ü name.txt': prose(14, 10) } },
];

/** Before and after trees of a random reshuffle: files deleted, added, moved (same or new basename) with or without edits. */
function randomReshuffle(seed: number): [Record<string, string>, Record<string, string>] {
  const random = seededRandom(seed);
  const words = ['alpha', 'beta', 'gamma', 'delta', 'x', '{', '}', ''];
  const text = (n: number): string => Array.from({ length: n }, () => `${words[Math.floor(random() * words.length)]} ${Math.floor(random() * 50)}`).join('\n') + (random() < 0.9 ? '\n' : '');
  const edit = (t: string): string => t.split('\n').map((l) => (random() < random() * 0.8 ? `${l} edited` : l)).join('\n');
  const before: Record<string, string> = {};
  const after: Record<string, string> = {};
  const n = 20 + Math.floor(random() * 150);
  for (let i = 0; i < n; i++) {
    const base = random() < 0.3 ? `common${Math.floor(random() * 3)}.txt` : `f${i}.txt`;
    const path = `${['', 'a/', 'b/', 'a/c/'][Math.floor(random() * 4)]}${base}`;
    if (before[path] !== undefined) continue;
    const content = random() < 0.1 ? '' : text(2 + Math.floor(random() * 40));
    before[path] = content;
    const roll = random();
    if (roll < 0.15) continue;
    const target = roll < 0.6 ? `${['', 'moved/', 'a/', 'z/'][Math.floor(random() * 4)]}${random() < 0.5 ? base : `r${i}.txt`}` : path;
    if (after[target] === undefined) after[target] = random() < 0.3 ? content : edit(content);
  }
  for (let i = 0; i < 10; i++) after[`added${i}.txt`] = text(5 + Math.floor(random() * 20));
  return [before, after];
}

describe('diffTrees', () => {
  let repo: DiffRepo;
  let store: OpenedRepository;
  const commits = new Map<string, [string, string]>();

  beforeAll(async () => {
    repo = diffRepo();
    for (const scenario of SCENARIOS) {
      const before = repo.commit({ files: scenario.before });
      const after = repo.commit({ files: scenario.after, parents: [before] });
      commits.set(scenario.name, [before, after]);
    }
    repo.git(['update-ref', 'refs/heads/main', commits.get(SCENARIOS[0]!.name)![1]]);
    store = openRepository();
    await loadGitRepository(store, repo.dir);
  });
  afterAll(() => {
    store.close();
    repo.remove();
  });

  for (const scenario of SCENARIOS) {
    it(`lists what git diff --raw -M lists, and counts what --numstat counts: ${scenario.name}`, async () => {
      const [before, after] = commits.get(scenario.name)!;
      const ours = await ourDiff(store.repo.objects, repo, before, after);
      expect(ours.raw).toEqual(gitRaw(repo, before, after));
      expect(ours.numstat).toEqual(gitNumstat(repo, before, after));
      expect(ours.patches).toEqual(gitPatches(repo, before, after));
    });
  }

  it('agrees with git on random reshuffles of many files (raw, numstat and patch)', async () => {
    let renames = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const [before, after] = randomReshuffle(seed);
      const shuffled = diffRepo();
      const opened = openRepository();
      try {
        const a = shuffled.commit({ files: before });
        const b = shuffled.commit({ files: after, parents: [a], branch: 'main' });
        await loadGitRepository(opened, shuffled.dir);
        const ours = await ourDiff(opened.repo.objects, shuffled, a, b);
        expect(ours.raw, `seed ${seed}`).toEqual(gitRaw(shuffled, a, b));
        expect(ours.numstat, `seed ${seed}`).toEqual(gitNumstat(shuffled, a, b));
        expect(ours.patches, `seed ${seed}`).toEqual(gitPatches(shuffled, a, b));
        renames += ours.changes.filter((c) => c.status === 'renamed').length;
      } finally {
        opened.close();
        shuffled.remove();
      }
    }
    expect(renames).toBeGreaterThan(50);
  });

  it('without renames, lists what git diff --raw --no-renames lists', async () => {
    const [before, after] = commits.get('renames with edits, 50% to 99% similar')!;
    const ours = await ourDiff(store.repo.objects, repo, before, after, { renames: false });
    expect(ours.raw).toEqual(gitRaw(repo, before, after, ['--no-renames']));
    expect(ours.patches).toEqual(gitPatches(repo, before, after, ['--no-renames']));
    expect(ours.changes.every((c) => c.status !== 'renamed')).toBe(true);
  });

  it('over the rename limit, skips inexact renames after the basename matches, as git does', async () => {
    const [before, after] = commits.get('basename match, then two inexact candidates')!;
    const ours = await ourDiff(store.repo.objects, repo, before, after, { renameLimit: 1 });
    // The basename match comes before the limit applies; the 2 × 2 left are over it.
    expect(ours.raw).toEqual(gitRaw(repo, before, after, ['-l1']));
    expect(ours.changes.map((c) => c.status)).toEqual(['deleted', 'added', 'deleted', 'added', 'renamed']);
    const unlimited = await ourDiff(store.repo.objects, repo, before, after);
    expect(unlimited.changes.map((c) => c.status)).toEqual(['renamed', 'renamed', 'renamed']);
  });

  it('compares against the empty tree when a side is null', async () => {
    const [, after] = commits.get(SCENARIOS[0]!.name)!;
    const tree = repo.git(['rev-parse', `${after}^{tree}`]);
    const added = await diffTrees(store.repo.objects, null, tree);
    expect(added.map((c) => `${c.status} ${c.path}`)).toEqual(['added a.txt', 'added dir/sub/c.txt', 'added dir/sub/d.txt', 'added new/e.txt', 'added z.txt']);
    const deleted = await diffTrees(store.repo.objects, tree, null);
    expect(deleted.map((c) => `${c.status} ${c.path}`)).toEqual(added.map((c) => `deleted ${c.path}`));
    expect(await diffTrees(store.repo.objects, tree, tree)).toEqual([]);
  });

  it('never reads a subtree both sides share', async () => {
    const [before, after] = commits.get('additions, deletions, edits in nested directories')!;
    const read: string[] = [];
    const objects = store.repo.objects;
    const spy = { ...objects, has: objects.has.bind(objects), info: objects.info.bind(objects), readPacked: objects.readPacked.bind(objects), readCommits: objects.readCommits.bind(objects), readObjects: async (oids: readonly string[]) => {
      read.push(...oids);
      return objects.readObjects(oids);
    } };
    await diffTrees(spy, repo.git(['rev-parse', `${before}^{tree}`]), repo.git(['rev-parse', `${after}^{tree}`]), { renames: false });
    const shared = repo.git(['rev-parse', `${before}:dir/sub`]);
    expect(repo.git(['rev-parse', `${after}:dir/sub`])).not.toBe(shared); // d.txt was added there
    const untouched = repo.git(['rev-parse', `${before}^{tree}`]);
    expect(read).toContain(untouched);
    expect(new Set(read).size).toBe(read.length);
  });
});
