/**
 * The reference server's process: `node bench/servers/cgiServerMain.ts --root <dir>`
 * serves every bare repository under <dir> through C Git's `git http-backend`
 * (the CGI core the conformance tests use, test/support/gitHttpBackendCgi.ts)
 * on 127.0.0.1, port chosen by the system, and prints
 * "C Git listening on <url>".
 *
 * `GET /__bench/idle` answers 204 once no http-backend child is running, so the
 * bench reads the CPU of children only after they have been reaped.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { serveGitHttpBackendCgi } from '../../test/support/gitHttpBackendCgi.ts';
import { benchGitEnv } from '../benchEnv.ts';

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const root = values.root;
if (root === undefined) throw new Error('usage: cgiServerMain.ts --root <dir>');

const running = new Set<ChildProcess>();
const cgi = {
  projectRoot: root,
  env: benchGitEnv,
  remoteUser: 'bench',
  onChild(child: ChildProcess) {
    running.add(child);
    child.once('exit', () => running.delete(child));
  },
};

const server = createServer((req, res) => {
  if (req.url === '/__bench/idle') {
    const poll = (): void => {
      if (running.size === 0) res.writeHead(204).end();
      else setTimeout(poll, 2);
    };
    poll();
    return;
  }
  serveGitHttpBackendCgi(cgi, req, res);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`C Git listening on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
