/**
 * A history to walk, in git and in a Grove repository: the generated
 * repository of `makeRepo` (merges, branches, annotated tags and a tag of a
 * tag), plus an unrelated history on `refs/heads/orphan` and a commit no ref
 * reaches (with a blob only it reaches), which Grove also stores: it came with a
 * push of a ref deleted since. Git runs synchronously (no server in these tests).
 */
import { join } from 'node:path';
import { ZERO_OID } from '../../src/git/objects/objectId.ts';
import { gitBytes, gitText } from './gitBytes.ts';
import { makeRepo } from './makeRepo.ts';
import { loadGitRepository, openRepository, packObjects, pushPack, type OpenedRepository } from './storeRepo.ts';
import { tempDir } from './tempDir.ts';

export interface HistoryRepo {
  /** The git repository (bare). */
  src: string;
  opened: OpenedRepository;
  /** A commit on top of main that no ref reaches, and a blob only it holds. */
  unreachable: { commit: string; blob: string };
  /** The object id `git rev-parse` gives for `rev`. */
  rev(rev: string): string;
  remove(): void;
}

function commitOf(dir: string, files: Record<string, string>, parents: string[], message: string): string {
  const lines = Object.entries(files).map(([name, text]) => `100644 blob ${gitText(['hash-object', '-w', '--stdin'], { cwd: dir, input: text })}\t${name}`);
  const tree = gitText(['mktree'], { cwd: dir, input: `${lines.join('\n')}\n` });
  return gitText(['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-m', message], { cwd: dir });
}

export async function historyRepo(): Promise<HistoryRepo> {
  const tmp = tempDir('grove-history-');
  const src = join(tmp.dir, 'src.git');
  await makeRepo(src);
  let orphan = '';
  for (let i = 0; i < 3; i++) orphan = commitOf(src, { 'orphan.txt': `orphan ${i}\n` }, orphan === '' ? [] : [orphan], `orphan ${i}`);
  gitBytes(['update-ref', 'refs/heads/orphan', orphan], { cwd: src });
  const main = gitText(['rev-parse', 'main'], { cwd: src });
  const commit = commitOf(src, { 'lost.txt': 'only the unreachable commit has this\n' }, [main], 'unreachable');
  const blob = gitText(['rev-parse', `${commit}:lost.txt`], { cwd: src });
  gitBytes(['repack', '-a', '-d', '-f', '-q', '--depth=50', '--window=20'], { cwd: src });

  const opened = openRepository();
  await loadGitRepository(opened, src);
  // Store the unreachable commit through a ref, then delete the ref.
  const pushed = await pushPack(opened.target, packObjects(src, [commit, `^${main}`]), [{ old: ZERO_OID, new: commit, name: 'refs/heads/tmp' }]);
  const deleted = await pushPack(opened.target, new Uint8Array(), [{ old: commit, new: ZERO_OID, name: 'refs/heads/tmp' }]);
  if (!pushed.refs[0]?.ok || !deleted.refs[0]?.ok) throw new Error('could not store the unreachable commit');

  return {
    src,
    opened,
    unreachable: { commit, blob },
    rev: (rev) => gitText(['rev-parse', '--verify', rev], { cwd: src }),
    remove: () => {
      opened.close();
      tmp.remove();
    },
  };
}
