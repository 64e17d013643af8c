/**
 * The sanity check of B3 (not timed): a fork clones with the real `git`, the
 * clone passes `git fsck --full`, its `main` is the parent's, and it holds
 * every object `main` reaches in the corpus.
 */
import { join } from 'node:path';
import type { Corpus } from '../corpus/ensureCorpus.ts';
import { runGit } from '../gitCli.ts';

export interface CloneCheck {
  ok: boolean;
  detail: string;
}

export async function checkForkClone(url: string, token: string, workDir: string, corpus: Corpus): Promise<CloneCheck> {
  const dir = join(workDir, 'fork-clone');
  try {
    await runGit(['-c', `http.extraHeader=Authorization: Bearer ${token}`, 'clone', '--quiet', '--no-checkout', url, dir]);
    const fsck = await runGit(['fsck', '--full', '--no-progress'], { cwd: dir, check: false });
    if (fsck.code !== 0) return { ok: false, detail: `git fsck exited ${fsck.code}: ${fsck.stderr.slice(0, 300)}` };
    const main = (await runGit(['rev-parse', 'refs/remotes/origin/main'], { cwd: dir })).stdout.trim();
    if (main !== corpus.headOid) return { ok: false, detail: `origin/main is ${main}, the parent's main is ${corpus.headOid}` };
    const count = async (cwd: string): Promise<number> => Number((await runGit(['rev-list', '--objects', '--count', main], { cwd })).stdout.trim());
    const [ours, theirs] = [await count(dir), await count(corpus.gitDir)];
    if (ours !== theirs) return { ok: false, detail: `the clone reaches ${ours} objects from main, the corpus ${theirs}` };
    return { ok: true, detail: `git clone + git fsck --full clean; main = ${main.slice(0, 12)}, ${ours} objects reachable` };
  } catch (err) {
    return { ok: false, detail: (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300) };
  }
}
