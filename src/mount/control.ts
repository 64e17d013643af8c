/**
 * The control socket of a running mount: a Unix socket whose path follows
 * from the mount's directory alone (so `grove unmount <dir>` needs no
 * registry), answering HTTP — `GET /status`, `POST /sync`, `POST /unmount`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { MountHandle } from './MountHandle.ts';

/** Where mounts keep their caches and sockets: `$GROVE_MOUNT_HOME`, else `~/.cache/grove/mounts`. */
export function mountHome(): string {
  return process.env['GROVE_MOUNT_HOME'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir() || tmpdir(), '.cache'), 'grove', 'mounts');
}

/**
 * The control socket of the mount at `dir` (short enough for a Unix socket
 * path). Only the parent is resolved on disk: `dir` itself may be the mount,
 * and a lookup in it from the process that serves it would never return.
 */
export function controlSocketPath(dir: string): string {
  const absolute = resolve(dir);
  let real: string;
  try {
    real = join(realpathSync(dirname(absolute)), basename(absolute));
  } catch {
    real = absolute;
  }
  const key = createHash('sha256').update(real).digest('hex').slice(0, 24);
  return join(process.env['GROVE_MOUNT_SOCKETS'] ?? join(tmpdir(), 'grove-mounts'), `${key}.sock`);
}

/** Serves `handle` on the control socket of `dir` until the mount closes. */
export async function serveControl(dir: string, handle: MountHandle): Promise<Server> {
  const path = controlSocketPath(dir);
  mkdirSync(join(path, '..'), { recursive: true });
  rmSync(path, { force: true });
  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const route = `${req.method} ${req.url}`;
    if (route === 'GET /status') return answer(200, handle.status());
    if (route === 'POST /sync') {
      if (handle.sync === undefined) return answer(400, { error: 'this mount has nothing to sync: it is read from a remote' });
      handle.sync().then((report) => answer(200, report), (err: Error) => answer(500, { error: err.message }));
      return;
    }
    if (route === 'POST /unmount') {
      handle.unmount().then(() => answer(200, { unmounted: true }), (err: Error) => answer(500, { error: err.message }));
      return;
    }
    answer(404, { error: `no route ${route}` });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(path, () => done());
  });
  void handle.closed.finally(() => {
    server.close();
    rmSync(path, { force: true });
  });
  return server;
}

/** Asks the mount at `dir`; null when no mount answers there. */
export async function callControl(dir: string, method: 'GET' | 'POST', route: string, timeoutMs = 600_000): Promise<{ status: number; body: unknown } | null> {
  const socketPath = controlSocketPath(dir);
  return new Promise((done) => {
    const req = request({ socketPath, method, path: route, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // kept as text
        }
        done({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => done(null));
    req.end();
  });
}
