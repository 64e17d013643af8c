/**
 * xdiff's heuristics only act on big, very different files: the search is
 * cut at a good snake once it costs more than 256 edits, or at the
 * furthest-reaching diagonal past √N; lines with no match, and runs of lines
 * with very many, are discarded before it starts. These files make all of
 * that happen, and the patches must still be git's byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffRepo, type DiffRepo } from '../../../../test/content/support/diffRepo.ts';
import { gitNumstat, gitPatches, ourDiff, type OurDiff } from '../../../../test/content/support/gitDiff.ts';
import { loadGitRepository, openRepository, type OpenedRepository } from '../../../../test/support/storeRepo.ts';
import { seededRandom } from '../../../../test/support/seededRandom.ts';
import { lineDiff } from './lineDiff.ts';

const encoder = new TextEncoder();

/** Blocks of lines both files share, between blocks of noise drawn from six words (kept by the search, never discarded). */
function sharedBlocksInNoise(seed: number): [string, string] {
  const random = seededRandom(seed);
  const a: string[] = [];
  const b: string[] = [];
  for (let k = 0; k < 600; k++) {
    const common = 15 + Math.floor(random() * 30);
    for (let i = 0; i < common; i++) {
      a.push(`common ${k} ${i}`);
      b.push(`common ${k} ${i}`);
    }
    const noiseA = Math.floor(random() * 40);
    const noiseB = Math.floor(random() * 40);
    for (let i = 0; i < noiseA; i++) a.push(`w${Math.floor(random() * 6)}`);
    for (let i = 0; i < noiseB; i++) b.push(`w${Math.floor(random() * 6)}`);
  }
  return [`${a.join('\n')}\n`, `${b.join('\n')}\n`];
}

/** Two files of lines from one skewed vocabulary, the second mostly unrelated to the first. */
function mostlyUnrelated(seed: number, size: number, vocabulary: number): [string, string] {
  const random = seededRandom(seed);
  const line = (): string => {
    const k = Math.floor(random() ** 2 * vocabulary);
    return k % 5 === 0 ? '' : `${' '.repeat((k % 4) * 2)}line ${k}`;
  };
  const a = Array.from({ length: size }, line);
  const b = a.map((l) => (random() < 0.6 ? line() : l));
  return [`${a.join('\n')}\n`, `${b.join('\n')}\n`];
}

describe('lineDiff on big files', () => {
  let repo: DiffRepo;
  let store: OpenedRepository;
  let ours: OurDiff;
  let commits: [string, string];
  const pairs: Record<string, [string, string]> = {
    'shared-1.txt': sharedBlocksInNoise(1),
    'shared-2.txt': sharedBlocksInNoise(2),
    'unrelated-1.txt': mostlyUnrelated(3, 12000, 4000),
    'unrelated-2.txt': mostlyUnrelated(4, 8000, 30),
  };

  beforeAll(async () => {
    repo = diffRepo();
    const before = repo.commit({ files: Object.fromEntries(Object.entries(pairs).map(([name, [a]]) => [name, a])) });
    const after = repo.commit({ files: Object.fromEntries(Object.entries(pairs).map(([name, [, b]]) => [name, b])), parents: [before], branch: 'main' });
    commits = [before, after];
    store = openRepository();
    await loadGitRepository(store, repo.dir);
    ours = await ourDiff(store.repo.objects, repo, before, after);
  });
  afterAll(() => {
    store.close();
    repo.remove();
  });

  it('prints the patches git prints, and counts what --numstat counts', () => {
    const git = gitPatches(repo, ...commits);
    expect(ours.patches.length).toBe(Object.keys(pairs).length);
    ours.patches.forEach((patch, i) => expect(patch === git[i], ours.changes[i]!.path).toBe(true));
    expect(ours.numstat).toEqual(gitNumstat(repo, ...commits));
  });

  it('searches for a minimal diff when asked, as git diff --minimal', () => {
    const [a, b] = pairs['shared-1.txt']!;
    const fast = lineDiff(encoder.encode(a), encoder.encode(b));
    const minimal = lineDiff(encoder.encode(a), encoder.encode(b), { minimal: true });
    expect(`${minimal.additions} ${minimal.deletions} shared-1.txt`).toBe(gitNumstat(repo, ...commits, ['--minimal'], ['shared-1.txt'])[0]);
    expect(minimal.additions).toBeLessThan(fast.additions);
  });
});
