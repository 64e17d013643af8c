/**
 * A one-commit bare repository of `files` source-like files, written with
 * `git fast-import` (bench/corpus/FastImportWriter.ts) in a second or two
 * even for 20,000 files. The layout is two folder levels of 10 and 100:
 * `src/m<NN>/p<D>/f<NN>.ts` — 100 files per leaf folder, 10 leaves per
 * top folder, so 20,000 files sit in 20 top folders and 200 leaves. From
 * git-fast-import(1):
 *
 *   commit SP <ref> LF mark? author? committer data from? merge* filemodify* LF?
 *   filemodify ::= 'M' SP <mode> SP 'inline' SP <path> LF data
 */
import { benchGitEnv } from '../benchEnv.ts';
import { FastImportWriter } from '../corpus/FastImportWriter.ts';
import { Random } from '../corpus/Random.ts';
import { sourceFile } from '../corpus/sourceText.ts';
import { runGit } from '../gitCli.ts';

export interface TreeRepo {
  /** The bare repository. */
  gitDir: string;
  /** Every file's path, in the order written (sorted). */
  paths: string[];
  /** refs/heads/main. */
  head: string;
  /** Sum of the files' sizes. */
  bytes: number;
}

export const FILES_PER_FOLDER = 100;
export const FOLDERS_PER_TOP = 10;

/** The path of file `i`. */
export function treePath(i: number): string {
  const leaf = Math.floor(i / FILES_PER_FOLDER);
  const top = Math.floor(leaf / FOLDERS_PER_TOP);
  return `src/m${String(top).padStart(2, '0')}/p${leaf % FOLDERS_PER_TOP}/f${String(i % FILES_PER_FOLDER).padStart(2, '0')}.ts`;
}

export async function makeTreeRepo(gitDir: string, files: number, seed: number): Promise<TreeRepo> {
  await runGit(['init', '--quiet', '--bare', '-b', 'main', gitDir]);
  const rng = new Random(seed);
  const writer = new FastImportWriter(gitDir, benchGitEnv());
  const message = `${files} files\n`;
  await writer.write(`commit refs/heads/main\ncommitter Grove Bench <bench@grove.invalid> 1700000000 +0000\ndata ${message.length}\n${message}`);
  const paths: string[] = [];
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const path = treePath(i);
    const text = `${sourceFile(rng, rng.int(5, 30)).join('\n')}\n`;
    await writer.write(`M 100644 inline ${path}\n`);
    await writer.data(text);
    paths.push(path);
    bytes += Buffer.byteLength(text);
  }
  await writer.write('\n');
  await writer.finish();
  const head = (await runGit(['rev-parse', 'refs/heads/main'], { cwd: gitDir })).stdout.trim();
  return { gitDir, paths, head, bytes };
}
