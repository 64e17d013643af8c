/**
 * A forwarding HTTP proxy on 127.0.0.1 that lets a test act between a git
 * client's requests, e.g. push to the same ref from elsewhere after the client
 * read the ref advertisement and before its `git-receive-pack` POST reaches the
 * server, or hold two POSTs until both have arrived. It forwards requests and
 * answers byte for byte; it never changes them.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface InterceptedRequest {
  method: string;
  /** Path and query, as sent by the client. */
  path: string;
}

export interface InterceptProxy {
  /** The same repository URL, through the proxy. */
  via(remote: string): string;
  close(): Promise<void>;
}

/** Proxies to `target` (an origin, `http://127.0.0.1:<port>`); `before` runs before each request is forwarded. */
export async function startInterceptProxy(
  target: string,
  before: (req: InterceptedRequest) => Promise<void>,
): Promise<InterceptProxy> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const intercepted = { method: req.method ?? 'GET', path: req.url ?? '/' };
    before(intercepted).then(
      () => {
        const headers = { ...req.headers, host: upstream.host };
        const forward = request(
          { host: upstream.hostname, port: upstream.port, method: intercepted.method, path: intercepted.path, headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
            answer.pipe(res);
          },
        );
        forward.on('error', (err) => {
          if (!res.headersSent) res.writeHead(502);
          res.end(String(err));
        });
        req.pipe(forward);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`intercept proxy hook failed: ${String(err)}\n`);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    via(remote) {
      const url = new URL(remote);
      if (url.origin !== upstream.origin) throw new Error(`${remote} is not on ${target}`);
      url.host = `127.0.0.1:${port}`;
      return url.href;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
