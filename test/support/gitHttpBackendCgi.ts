/**
 * The CGI core of the reference server: runs one HTTP request through C Git's
 * `git http-backend` and relays its answer. Used by the conformance tests
 * (httpBackend.ts, inside the test process) and by the benchmarks
 * (bench/servers/cgiServerMain.ts, a process of its own), so both compare
 * Grove with the same wrapper.
 *
 * From git-http-backend(1): "GIT_PROJECT_ROOT [...] GIT_HTTP_EXPORT_ALL [...]
 * REMOTE_USER [...] http.receivepack". Requests with `Content-Encoding: gzip`
 * are inflated by http-backend itself (HTTP_CONTENT_ENCODING), and protocol v2
 * needs the `Git-Protocol` header copied to GIT_PROTOCOL. The CGI answer is
 * `Status:` and other header lines, an empty line, then the body (RFC 3875 §6).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

const HEADER_END = Buffer.from('\r\n\r\n');
const HEADER_END_LF = Buffer.from('\n\n');

export interface GitHttpBackendCgiOptions {
  /** GIT_PROJECT_ROOT: the directory the request paths are resolved in. */
  projectRoot: string;
  /** The whole environment of the `git http-backend` child, given the request's CGI variables. */
  env(cgi: Record<string, string>): Record<string, string>;
  /** REMOTE_USER, which lets http-backend accept pushes; unset means no REMOTE_USER. */
  remoteUser?: string;
  /** Called with each child once spawned (the benchmarks count children still running). */
  onChild?(child: ChildProcess): void;
}

/** Runs one request through `git http-backend` and relays its CGI answer. */
export function serveGitHttpBackendCgi(options: GitHttpBackendCgiOptions, req: IncomingMessage, res: ServerResponse): void {
  const child = spawn('git', ['http-backend'], { env: options.env(cgiVariables(options, req)), stdio: ['pipe', 'pipe', 'pipe'] });
  options.onChild?.(child);
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
      // Backpressure: a slow client pauses the child rather than filling our memory.
      if (!res.write(chunk)) {
        child.stdout.pause();
        res.once('drain', () => child.stdout.resume());
      }
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

/** The CGI/1.1 meta-variables of a request, plus those git http-backend reads. */
function cgiVariables(options: GitHttpBackendCgiOptions, req: IncomingMessage): Record<string, string> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const env: Record<string, string> = {
    GIT_PROJECT_ROOT: options.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REMOTE_ADDR: '127.0.0.1',
  };
  if (options.remoteUser !== undefined) env['REMOTE_USER'] = options.remoteUser;
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
  return env;
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
