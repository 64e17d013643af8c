/**
 * The three corpus sizes of BENCHMARKS.md — small (~2k objects), medium
 * (~50k), large (~200k) — as the knobs of generateCorpus.ts. The object
 * counts follow from these numbers (measured, not computed); the last
 * `tailCommits` commits of `main` are plain edits, with no tag or branch on
 * them, so "a clone 100 commits behind" means exactly 100 commits.
 */

export type CorpusSize = 'small' | 'medium' | 'large';

export interface CorpusProfile {
  size: CorpusSize;
  /** Commits on `main`, merges included. */
  commits: number;
  /** Text files of the first commit, spread over `directories` folders. */
  initialFiles: number;
  directories: number;
  /** Small files in one wide folder (`vendor/wide`). */
  wideFiles: number;
  /** Binary files of 4–120 KiB (noise, sometimes patched in place). */
  binaries: number;
  /** Files over 8 MiB, added along the history (see generateCorpus.ts). */
  bigFiles: number;
  /** Plain commits at the end of `main`. */
  tailCommits: number;
  /** Mean number of commits on `main` between annotated tags, lightweight tags, release branches. */
  tagEvery: number;
  buildEvery: number;
  releaseEvery: number;
}

export const CORPUS_PROFILES: Record<CorpusSize, CorpusProfile> = {
  small: { size: 'small', commits: 190, initialFiles: 180, directories: 40, wideFiles: 120, binaries: 6, bigFiles: 1, tailCommits: 110, tagEvery: 20, buildEvery: 10, releaseEvery: 40 },
  medium: { size: 'medium', commits: 4800, initialFiles: 2500, directories: 400, wideFiles: 1000, binaries: 40, bigFiles: 3, tailCommits: 110, tagEvery: 150, buildEvery: 60, releaseEvery: 700 },
  large: { size: 'large', commits: 19000, initialFiles: 9000, directories: 1400, wideFiles: 2500, binaries: 120, bigFiles: 4, tailCommits: 110, tagEvery: 150, buildEvery: 60, releaseEvery: 700 },
};

export function isCorpusSize(value: string): value is CorpusSize {
  return value === 'small' || value === 'medium' || value === 'large';
}
