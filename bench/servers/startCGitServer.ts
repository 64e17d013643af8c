/**
 * The reference: C Git's `git http-backend` 2.39 behind the Node CGI wrapper
 * (cgiServerMain.ts), one process, serving bare repositories under
 * `<workDir>`. Each repository is configured as BENCHMARKS.md asks
 * (partial clone and any-SHA-1 wants allowed, pushes accepted) and, because
 * Grove checks every object it receives, with `receive.fsckObjects` on. A
 * corpus is served from its own repacked pack and reachability bitmap
 * (`--no-bitmaps` turns the bitmap off).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchGitEnv } from '../benchEnv.ts';
import type { Corpus } from '../corpus/ensureCorpus.ts';
import { runGit } from '../gitCli.ts';
import type { BenchServer, RemoteRepo } from './BenchServer.ts';
import { spawnServer } from './spawnServer.ts';

const MAIN = join(import.meta.dirname, 'cgiServerMain.ts');

const REPO_CONFIG: [string, string][] = [
  ['http.receivepack', 'true'],
  ['uploadpack.allowFilter', 'true'],
  ['uploadpack.allowAnySHA1InWant', 'true'],
  ['receive.fsckObjects', 'true'],
  ['receive.autogc', 'false'],
  ['gc.auto', '0'],
];

export interface CGitServerOptions {
  /**
   * Let pack-objects use the corpus's reachability bitmap (default true: `git repack -adf`
   * writes one in a bare repository, as on a real server).
   */
  bitmaps?: boolean;
}

export async function startCGitServer(workDir: string, options: CGitServerOptions = {}): Promise<BenchServer> {
  mkdirSync(workDir, { recursive: true });
  const proc = await spawnServer(process.execPath, [MAIN, '--root', workDir], benchGitEnv(), /C Git listening on (\S+)/);

  const configure = async (dir: string, name: string): Promise<RemoteRepo> => {
    const config: [string, string][] = [...REPO_CONFIG, ['pack.useBitmaps', options.bitmaps === false ? 'false' : 'true']];
    for (const [key, value] of config) await runGit(['config', key, value], { cwd: dir });
    return { url: `${proc.url}/${name}.git`, headers: {}, gitConfig: [] };
  };

  return {
    name: 'cgit',
    pid: proc.pid,
    url: proc.url,
    forks: true,
    async createRepo(name, defaultBranch = 'main') {
      const dir = join(workDir, `${name}.git`);
      await runGit(['init', '--quiet', '--bare', '-b', defaultBranch, dir]);
      return configure(dir, name);
    },
    async importCorpus(name, corpus: Corpus) {
      const dir = join(workDir, `${name}.git`);
      // A local clone links (or copies) the corpus's pack as it is: C Git serves the repacked pack.
      await runGit(['clone', '--quiet', '--mirror', corpus.gitDir, dir]);
      await runGit(['symbolic-ref', 'HEAD', corpus.head], { cwd: dir });
      return configure(dir, name);
    },
    existingRepo: (name) => ({ url: `${proc.url}/${name}.git`, headers: {}, gitConfig: [] }),
    async settle() {
      const response = await fetch(`${proc.url}/__bench/idle`);
      await response.arrayBuffer();
    },
    async dropCaches() {},
    stop: () => proc.stop(),
  };
}
