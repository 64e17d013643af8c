/**
 * C Git's nearest thing to a Grove fork, for the ls-refs reference: a bare
 * repository whose `objects/info/alternates` names the corpus's object
 * directory and whose only branch is `main` at the corpus's HEAD — the refs a
 * Grove fork copies by default (HEAD and the default branch).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Corpus } from '../corpus/ensureCorpus.ts';
import { runGit } from '../gitCli.ts';
import type { BenchServer } from '../servers/BenchServer.ts';

/** Makes `count` such repositories under C Git's root directory; their names. */
export async function makeCGitForks(server: BenchServer, root: string, corpus: Corpus, count: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `fork-${String(i).padStart(3, '0')}`;
    await server.createRepo(name, 'main');
    const dir = join(root, `${name}.git`);
    writeFileSync(join(dir, 'objects', 'info', 'alternates'), `${join(corpus.gitDir, 'objects')}\n`);
    await runGit(['update-ref', 'refs/heads/main', corpus.headOid], { cwd: dir });
    names.push(name);
  }
  return names;
}
