/**
 * Grove as users run it: `node bin/grove.js serve --port 0 --data <dir>`, a
 * process of its own, with the admin token from GROVE_ADMIN_TOKEN. Repositories
 * are created through `POST /v1/namespaces/bench/repos` and filled by pushing
 * with the real git CLI.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { REPO_ROOT } from '../benchEnv.ts';
import type { Corpus } from '../corpus/ensureCorpus.ts';
import { runGit } from '../gitCli.ts';
import { CORPUS_REFSPECS, type BenchServer, type RemoteRepo } from './BenchServer.ts';
import { spawnServer } from './spawnServer.ts';

const ADMIN_TOKEN = 'grove-bench-admin-token';
const NAMESPACE = 'bench';

export interface GroveServerOptions {
  /** Extra `node` flags for the server process (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Tokens of repositories created by an earlier process on the same data directory. */
  tokens?: Map<string, string>;
}

export interface GroveBenchServer extends BenchServer {
  /** The token of each repository this server (or an earlier one on its data) created. */
  tokens: Map<string, string>;
}

export async function startGroveServer(dataDir: string, options: GroveServerOptions = {}): Promise<GroveBenchServer> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('GROVE_') && !key.startsWith('GIT_')) env[key] = value;
  }
  env['GROVE_ADMIN_TOKEN'] = ADMIN_TOKEN;
  env['GROVE_LOG_LEVEL'] = 'warn';
  const args = [...(options.nodeArgs ?? []), join(REPO_ROOT, 'bin/grove.js'), 'serve', '--port', '0', '--data', dataDir];
  const proc = await spawnServer(process.execPath, args, env, /Grove listening on (\S+)/);
  const tokens = options.tokens ?? new Map<string, string>();

  const remote = (name: string, token: string): RemoteRepo => ({
    url: `${proc.url}/git/${NAMESPACE}/${name}.git`,
    headers: { authorization: `Bearer ${token}` },
    gitConfig: ['-c', `http.extraHeader=Authorization: Bearer ${token}`],
  });

  const createRepo = async (name: string, defaultBranch = 'main'): Promise<RemoteRepo> => {
    const response = await fetch(`${proc.url}/v1/namespaces/${NAMESPACE}/repos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, default_branch: defaultBranch }),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`Grove: create repo ${name}: HTTP ${response.status} ${text}`);
    const token = (JSON.parse(text) as { token?: unknown }).token;
    if (typeof token !== 'string') throw new Error(`Grove: create repo ${name}: no token in ${text}`);
    tokens.set(name, token);
    return remote(name, token);
  };

  return {
    name: 'grove',
    pid: proc.pid,
    url: proc.url,
    forks: false,
    tokens,
    createRepo,
    async importCorpus(name, corpus: Corpus) {
      const repo = await createRepo(name, corpus.head.replace(/^refs\/heads\//, ''));
      await runGit([...repo.gitConfig, 'push', '--quiet', repo.url, ...CORPUS_REFSPECS], { cwd: corpus.gitDir });
      return repo;
    },
    existingRepo(name) {
      const token = tokens.get(name);
      if (token === undefined) throw new Error(`Grove: no token for repository ${name}`);
      return remote(name, token);
    },
    async settle() {},
    async dropCaches() {
      // A pack cache entry stays valid across unrelated ref changes, so "the first clone after a
      // push" is measured with the cache emptied, straight in the repository databases.
      const dir = join(dataDir, 'repos');
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.sqlite'))) {
        const db = new DatabaseSync(join(dir, file));
        try {
          db.exec('PRAGMA busy_timeout = 5000; DELETE FROM pack_cache; DELETE FROM pack_cache_chunks;');
        } finally {
          db.close();
        }
      }
    },
    stop: () => proc.stop(),
  };
}
