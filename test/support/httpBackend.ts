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
 * It accepts any credentials: the reference has no authentication.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { git } from './git.ts';
import { gitEnv } from './gitEnv.ts';
import type { GitServerUnderTest } from './gitServer.ts';
import { snapshotOfRepo } from './snapshotOfRepo.ts';
import { tempDir } from './tempDir.ts';

const HEADER_END = Buffer.from('\r\n\r\n');
const HEADER_END_LF = Buffer.from('\n\n');

export async function startHttpBackend(): Promise<GitServerUnderTest> {
  const projects = tempDir('grove-http-backend-');
  const root = projects.dir;
  const server = createServer((req, res) => serveCgi(root, req, res));
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

/** Runs one request through `git http-backend` and relays its CGI answer. */
function serveCgi(root: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const env: Record<string, string> = {
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REMOTE_USER: 'grove-test',
    REMOTE_ADDR: '127.0.0.1',
  };
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const contentType = header('content-type');
  if (contentType !== undefined) env['CONTENT_TYPE'] = contentType;
  const contentLength = header('content-length');
  if (contentLength !== undefined) env['CONTENT_LENGTH'] = contentLength;
  const contentEncoding = header('content-encoding');
  if (contentEncoding !== undefined) env['HTTP_CONTENT_ENCODING'] = contentEncoding;
  const gitProtocol = header('git-protocol');
  if (gitProtocol !== undefined) env['GIT_PROTOCOL'] = gitProtocol;

  const child = spawn('git', ['http-backend'], { env: gitEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin.on('error', () => {});
  req.pipe(child.stdin);
  res.on('close', () => {
    if (child.exitCode === null) child.kill();
  });

  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    let end = head.indexOf(HEADER_END);
    let separator = HEADER_END.length;
    const endLf = head.indexOf(HEADER_END_LF);
    if (end < 0 || (endLf >= 0 && endLf < end)) {
      end = endLf;
      separator = HEADER_END_LF.length;
    }
    if (end < 0) return;
    headersSent = true;
    writeCgiHead(res, head.subarray(0, end).toString('latin1'));
    const rest = head.subarray(end + separator);
    if (rest.length > 0) res.write(rest);
  });
  child.on('error', (err) => {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`cannot run git http-backend: ${err.message}\n`);
  });
  child.on('close', (code) => {
    if (!headersSent && !res.headersSent) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`git http-backend exited ${code}: ${Buffer.concat(stderr).toString('utf8')}\n`);
      return;
    }
    res.end();
  });
}

/** Writes the status and headers a CGI program printed (`Status: 404 Not Found`...). */
function writeCgiHead(res: ServerResponse, text: string): void {
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
    else headers.push([name, value]);
  }
  res.writeHead(status, headers.flat());
}
