/**
 * A Grove server started in the test process (127.0.0.1, port 0) with its data
 * directory in view, and the admin REST calls of docs/API.md that fork tests
 * make: create, fork, get and delete repositories. `request` answers any status
 * with its JSON body, so a test can assert refusals (404, 409) as well.
 *
 * The server can be closed and started again on the same data directory, e.g.
 * to measure the directory with every database closed.
 */
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/runtime/node/startServer.ts';
import { tempDir } from './tempDir.ts';

const ADMIN_TOKEN = 'grove-fork-tests-admin-token';

/** A repository as the API shows it (`Repo & {token}` in create and fork answers). */
export interface RepoAnswer {
  id: string;
  name: string;
  namespace: string;
  description: string;
  default_branch: string;
  read_only: boolean;
  status: string;
  source: null | { kind: 'fork'; id: string; namespace: string; name: string } | { kind: 'import'; url: string };
  /** The Git URL. */
  remote: string;
  /** Write token; present in create and fork answers only. */
  token: string;
}

export interface ForkBody {
  name: string;
  namespace?: string;
  description?: string;
  read_only?: boolean;
  default_branch_only?: boolean;
}

export interface ApiAnswer {
  status: number;
  /** The parsed JSON body, or null when there is none. */
  body: unknown;
}

export interface GroveAdmin {
  readonly dataDir: string;
  /** Base URL of the running server. */
  url(): string;
  /** `<method> <url>/v1<path>` with the admin token and an optional JSON body. */
  request(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  createRepo(namespace: string, name: string): Promise<RepoAnswer>;
  /** `POST …/fork`; throws unless it answers 201. */
  fork(namespace: string, name: string, body: ForkBody): Promise<RepoAnswer>;
  /** `DELETE …`; throws unless it answers 204. */
  deleteRepo(namespace: string, name: string): Promise<void>;
  /** Path of a repository's database file, `<data>/repos/<id>.sqlite`. */
  dbPath(id: string): string;
  /** Closes the server, every database with it; the data directory stays. */
  close(): Promise<void>;
  /** Starts the server again on the same data directory (after `close`). */
  start(): Promise<void>;
  /** Closes the server if it runs and deletes the data directory. */
  remove(): Promise<void>;
}

/** Starts a server on a fresh data directory. */
export async function startGroveAdmin(options: { maxOpenRepos?: number } = {}): Promise<GroveAdmin> {
  const data = tempDir('grove-fork-data-');
  const launch = (): Promise<RunningServer> =>
    startServer({
      host: '127.0.0.1',
      port: 0,
      dataDir: data.dir,
      adminToken: ADMIN_TOKEN,
      ...(options.maxOpenRepos === undefined ? {} : { maxOpenRepos: options.maxOpenRepos }),
    });
  let server: RunningServer | undefined = await launch();
  const running = (): RunningServer => {
    if (server === undefined) throw new Error('the Grove server is closed');
    return server;
  };

  const request = async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const response = await fetch(`${running().url}/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
  };
  const expectStatus = (what: string, answer: ApiAnswer, status: number): void => {
    if (answer.status !== status) throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  };
  const repoPath = (namespace: string, name: string): string =>
    `/namespaces/${encodeURIComponent(namespace)}/repos/${encodeURIComponent(name)}`;
  const close = async (): Promise<void> => {
    const closing = server;
    server = undefined;
    await closing?.close();
  };

  return {
    dataDir: data.dir,
    url: () => running().url,
    request,
    async createRepo(namespace, name) {
      const answer = await request('POST', `/namespaces/${encodeURIComponent(namespace)}/repos`, { name });
      expectStatus(`create ${namespace}/${name}`, answer, 201);
      return answer.body as RepoAnswer;
    },
    async fork(namespace, name, body) {
      const answer = await request('POST', `${repoPath(namespace, name)}/fork`, body);
      expectStatus(`fork ${namespace}/${name} as ${body.namespace ?? namespace}/${body.name}`, answer, 201);
      return answer.body as RepoAnswer;
    },
    async deleteRepo(namespace, name) {
      expectStatus(`delete ${namespace}/${name}`, await request('DELETE', repoPath(namespace, name)), 204);
    },
    dbPath: (id) => join(data.dir, 'repos', `${id}.sqlite`),
    async start() {
      if (server !== undefined) throw new Error('the Grove server is running already');
      server = await launch();
    },
    close,
    async remove() {
      await close();
      data.remove();
    },
  };
}
