/**
 * The reference server: C Git's own `git http-backend`, run as a CGI program
 * behind a small `node:http` server on 127.0.0.1 (one process per request).
 *
 * From git-http-backend(1): "The program supports clients fetching using both
 * the smart and dumb protocols, as well as pushing using the smart protocol.
 * [...] GIT_PROJECT_ROOT [...] GIT_HTTP_EXPORT_ALL [...] the REMOTE_USER
 * [...] http.receivepack". Requests with `Content-Encoding: gzip` are inflated
 * by http-backend itself (HTTP_CONTENT_ENCODING), and protocol v2 needs the
 * `Git-Protocol` header copied to GIT_PROTOCOL.
 *
 * The CGI work itself is in gitHttpBackendCgi.ts (shared with the benchmarks).
 * It accepts any credentials: the reference has no authentication.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { git } from './git.ts';
import { gitEnv } from './gitEnv.ts';
import { serveGitHttpBackendCgi } from './gitHttpBackendCgi.ts';
import type { GitServerUnderTest } from './gitServer.ts';
import { snapshotOfRepo } from './snapshotOfRepo.ts';
import { tempDir } from './tempDir.ts';

export async function startHttpBackend(): Promise<GitServerUnderTest> {
  const projects = tempDir('grove-http-backend-');
  const root = projects.dir;
  const cgi = { projectRoot: root, env: gitEnv, remoteUser: 'grove-test' };
  const server = createServer((req, res) => serveGitHttpBackendCgi(cgi, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  const repoDir = (remote: string): string => {
    const path = new URL(remote).pathname;
    if (!path.startsWith('/') || path.includes('..')) throw new Error(`not a remote of this server: ${remote}`);
    return join(root, decodeURIComponent(path));
  };

  return {
    name: 'http-backend',
    async createRepo(name) {
      const remote = `${base}/${encodeURIComponent(name)}.git`;
      const dir = repoDir(remote);
      await git(['init', '--quiet', '--bare', '-b', 'main', dir]);
      for (const [key, value] of [
        ['http.receivepack', 'true'],
        ['uploadpack.allowFilter', 'true'],
        ['uploadpack.allowAnySHA1InWant', 'true'],
      ] as const) {
        await git(['config', key, value], { cwd: dir });
      }
      return { remote, token: 'reference-server-accepts-any-token' };
    },
    snapshot: (remote) => snapshotOfRepo(repoDir(remote)),
    dump: (remote) => snapshotOfRepo(repoDir(remote)),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      projects.remove();
    },
  };
}
