/**
 * A Git smart-HTTP server under test, and the list of servers a run covers.
 *
 * Every conformance scenario runs once per server: C Git's `git http-backend`
 * (the reference, which proves the tests right) and Grove. The environment
 * variable GROVE_TEST_SERVERS (comma-separated, e.g. `grove` or
 * `grove,http-backend`) chooses; unset means both, except that Grove is left
 * out, with a printed reason, while `src/runtime/node/startServer.ts` does not exist.
 * Naming `grove` explicitly never leaves it out.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface GitServerUnderTest {
  name: 'grove' | 'http-backend';
  /** An empty repository whose HEAD is the unborn `refs/heads/main`. */
  createRepo(name: string): Promise<{ remote: string; token: string }>;
  /** The server repository's refs and objects, in the format of `snapshotOfRepo.ts`. */
  snapshot(remote: string): Promise<string>;
  /**
   * Everything the server holds for the repository, as finely as it can tell (Grove: stored
   * forms, staging rows, orphan chunks). Only ever compared with another dump of the same
   * server, to prove that a refused request changed nothing.
   */
  dump(remote: string): Promise<string>;
  close(): Promise<void>;
}

export interface ServerAdapter {
  name: GitServerUnderTest['name'];
  start(): Promise<GitServerUnderTest>;
}

const GROVE_SERVER_FILE = fileURLToPath(new URL('../../src/runtime/node/startServer.ts', import.meta.url));

const ADAPTERS: ServerAdapter[] = [
  {
    name: 'grove',
    start: async () => (await import('./grove.ts')).startGrove(),
  },
  {
    name: 'http-backend',
    start: async () => (await import('./httpBackend.ts')).startHttpBackend(),
  },
];

/** The adapters this run covers, in a stable order. */
export function serverAdapters(): ServerAdapter[] {
  const chosen = process.env['GROVE_TEST_SERVERS'];
  if (chosen === undefined || chosen.trim() === '') {
    if (!existsSync(GROVE_SERVER_FILE)) {
      console.warn(`grove left out of the Git conformance suite: ${GROVE_SERVER_FILE} does not exist yet`);
      return ADAPTERS.filter((adapter) => adapter.name !== 'grove');
    }
    return ADAPTERS;
  }
  const names = chosen.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!ADAPTERS.some((adapter) => adapter.name === name)) {
      throw new Error(`GROVE_TEST_SERVERS: unknown server "${name}" (known: grove, http-backend)`);
    }
  }
  return ADAPTERS.filter((adapter) => names.includes(adapter.name));
}
