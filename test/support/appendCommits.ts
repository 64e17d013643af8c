/**
 * Adds a run of small, deterministic commits to a branch of a local repository
 * (bare or not) through `git fast-import`, much faster than one `git commit` each.
 * The working tree, if any, is left alone: use it for history, not checkouts.
 */
import { FastImportStream, runFastImport } from './fastImport.ts';
import { revParse } from './git.ts';

export interface AppendCommitsOptions {
  /** Branch to write, e.g. `main` (refs/heads/ is implied). */
  branch: string;
  /** Parent of the first commit (a commit-ish); default: the branch's current tip. */
  from?: string;
  /** Allow the branch to move to a commit that does not contain its old tip. */
  force?: boolean;
  count: number;
  /** Distinguishes the files and messages of this run from any other. */
  label: string;
  /** Raw time of the first commit; each next one is 60 s later. */
  startTime: number;
}

/** Returns the id of the new tip. */
export async function appendCommits(repoDir: string, options: AppendCommitsOptions): Promise<string> {
  const stream = new FastImportStream();
  const ref = `refs/heads/${options.branch}`;
  for (let i = 0; i < options.count; i++) {
    const time = options.startTime + i * 60;
    stream
      .line(`commit ${ref}`)
      .line(`author ${FastImportStream.who(time)}`)
      .line(`committer ${FastImportStream.who(time)}`)
      .data(`${options.label} ${i}\n`);
    if (i === 0) stream.line(`from ${options.from ?? `${ref}^0`}`);
    stream
      .line(`M 100644 inline ${options.label}/file${i % 10}.txt`)
      .data(`${options.label} commit ${i}\n`)
      .line('');
  }
  await runFastImport(repoDir, stream, options.force === true);
  return revParse(repoDir, ref);
}
