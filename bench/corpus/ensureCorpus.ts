/**
 * A corpus ready to serve: generated once per (size, seed, generator version)
 * into bench/.cache/ and reused, or an existing repository given with
 * `--repo`. A generated corpus ends with `git repack -adf --window=10
 * --depth=50`, as a real server's repository would, so C Git serves it from a
 * well-deltified pack.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchGitEnv, CACHE_DIR } from '../benchEnv.ts';
import { runGit } from '../gitCli.ts';
import { CORPUS_PROFILES, type CorpusSize } from './corpusProfiles.ts';
import { generateCorpus } from './generateCorpus.ts';

/** Bump when the generator changes what it writes: old cached corpora are then ignored. */
const GENERATOR_VERSION = 1;
const COMPLETE_MARK = 'grove-bench-complete';

export interface Ref {
  name: string;
  oid: string;
}

export interface Corpus {
  /** The git directory (bare repository) holding the corpus. */
  gitDir: string;
  label: string;
  objects: number;
  packBytes: number;
  /** Every ref, sorted by name. */
  refs: Ref[];
  /** What HEAD points at, e.g. refs/heads/main. */
  head: string;
  headOid: string;
}

export async function ensureCorpus(size: CorpusSize, seed: number, log: (line: string) => void): Promise<Corpus> {
  const gitDir = join(CACHE_DIR, `corpus-${size}-seed${seed}-v${GENERATOR_VERSION}.git`);
  if (!existsSync(join(gitDir, COMPLETE_MARK))) {
    const partial = `${gitDir}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    const start = performance.now();
    await runGit(['init', '--quiet', '--bare', '-b', 'main', partial]);
    await generateCorpus(partial, CORPUS_PROFILES[size], seed, benchGitEnv());
    const generated = performance.now();
    await runGit(['repack', '-adf', '--window=10', '--depth=50', '-q'], { cwd: partial });
    log(`corpus ${size}: fast-import ${((generated - start) / 1000).toFixed(1)} s, repack ${((performance.now() - generated) / 1000).toFixed(1)} s`);
    writeFileSync(join(partial, COMPLETE_MARK), `${new Date().toISOString()}\n`);
    rmSync(gitDir, { recursive: true, force: true });
    renameSync(partial, gitDir);
  }
  return describeCorpus(gitDir, `${size} (seed ${seed})`);
}

/** An existing repository, used as it is (read only). */
export async function existingCorpus(path: string): Promise<Corpus> {
  const gitDir = resolve(path, (await runGit(['rev-parse', '--git-dir'], { cwd: path })).stdout.trim());
  return describeCorpus(gitDir, gitDir);
}

async function describeCorpus(gitDir: string, label: string): Promise<Corpus> {
  const counts = new Map<string, number>();
  for (const line of (await runGit(['count-objects', '-v'], { cwd: gitDir })).stdout.split('\n')) {
    const [key, value] = line.split(': ');
    if (key !== undefined && value !== undefined) counts.set(key, Number(value));
  }
  const refs = (await runGit(['for-each-ref', '--format=%(refname) %(objectname)'], { cwd: gitDir })).stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [name = '', oid = ''] = line.split(' ');
      return { name, oid };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const head = (await runGit(['symbolic-ref', 'HEAD'], { cwd: gitDir })).stdout.trim();
  const headOid = refs.find((ref) => ref.name === head)?.oid;
  if (headOid === undefined) throw new Error(`${gitDir}: HEAD points at ${head}, which does not exist`);
  return {
    gitDir,
    label,
    objects: (counts.get('in-pack') ?? 0) + (counts.get('count') ?? 0),
    packBytes: ((counts.get('size-pack') ?? 0) + (counts.get('size') ?? 0)) * 1024,
    refs,
    head,
    headOid,
  };
}
