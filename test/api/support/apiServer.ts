/**
 * Grove started inside the test process for the control-plane tests: on
 * 127.0.0.1 port 0, with its data directory at `<root>/data` in a fresh
 * temporary `root` (so a file written outside the data directory would still
 * land where a test can see it), a known admin token and a logger that
 * records every call. Requests go out with `fetch`, or with `node:http` when
 * the path must reach the server exactly as written (`fetch` resolves `..`
 * and `%2e%2e` segments before sending).
 */
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Logger } from '../../../src/http/logger.ts';
import { startServer, type ServerOptions } from '../../../src/runtime/node/startServer.ts';
import { tempDir } from '../../support/tempDir.ts';
import type { MintedJson, RepoWithTokenJson } from './shapes.ts';

/** One call of the server's logger. */
export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  fields: object;
  message: string;
}

/** An HTTP answer read whole; `json` is the parsed body, or undefined when it is not JSON. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface CallOptions {
  /** Bearer token; default the admin token; null sends no Authorization. */
  token?: string | null;
  /** A JSON body (sent with `content-type: application/json`). */
  json?: unknown;
  /** A raw body, sent as is. */
  body?: string;
  headers?: Record<string, string>;
}

export interface ApiServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The temporary directory holding `dataDir` and nothing else. */
  root: string;
  dataDir: string;
  /** The configured (bootstrap) admin token. */
  admin: string;
  /** Every call of the server's logger so far. */
  logs: LogEntry[];
  /** `fetch(url + path)`, the body read whole. */
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  /** The same over `node:http`, the path sent byte for byte as given. */
  rawCall(method: string, path: string, options?: CallOptions): Promise<Answer>;
  /** POST /v1/namespaces/:ns/repos as admin; fails the test unless 201. */
  createRepo(namespace: string, body: Record<string, unknown>): Promise<RepoWithTokenJson>;
  /** POST /v1/namespaces/:ns/repos/:name/fork as admin; fails the test unless 201. */
  createFork(namespace: string, name: string, body: Record<string, unknown>): Promise<RepoWithTokenJson>;
  /** POST /v1/namespaces/:ns/repos/:name/tokens as admin; fails the test unless 201. */
  mintToken(namespace: string, name: string, body?: Record<string, unknown>): Promise<MintedJson>;
  /** POST /v1/tokens as admin; fails the test unless 201. */
  mintAdminToken(body?: Record<string, unknown>): Promise<MintedJson>;
  close(): Promise<void>;
}

export type ApiServerOptions = Omit<ServerOptions, 'host' | 'port' | 'dataDir' | 'adminToken'>;

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const made = tempDir('grove-api-');
  const dataDir = join(made.dir, 'data');
  const admin = `grove-api-admin-${randomBytes(16).toString('hex')}`;
  const logs: LogEntry[] = [];
  const record = (level: LogEntry['level']) => (fields: object, message: string): void => {
    logs.push({ level, fields, message });
  };
  const recorder: Logger = { info: record('info'), warn: record('warn'), error: record('error') };
  const server = await startServer({ ...options, host: '127.0.0.1', port: 0, dataDir, adminToken: admin, log: options.log ?? recorder });

  const headersOf = (options: CallOptions): Record<string, string> => {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? admin : options.token;
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    return { ...headers, ...options.headers };
  };
  const bodyOf = (options: CallOptions): string | undefined =>
    options.json !== undefined ? JSON.stringify(options.json) : options.body;

  const api: ApiServer = {
    url: server.url,
    root: made.dir,
    dataDir,
    admin,
    logs,
    async call(method, path, options = {}) {
      const body = bodyOf(options);
      const response = await fetch(`${server.url}${path}`, { method, headers: headersOf(options), ...(body === undefined ? {} : { body }) });
      return answerOf(response.status, response.headers, await response.text());
    },
    rawCall(method, path, options = {}) {
      const { hostname, port } = new URL(server.url);
      const body = bodyOf(options);
      return new Promise((resolve, reject) => {
        const req = request({ host: hostname, port, method, path, headers: headersOf(options) }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const headers = new Headers();
            for (const [key, value] of Object.entries(res.headers)) {
              if (typeof value === 'string') headers.set(key, value);
              else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
            }
            resolve(answerOf(res.statusCode ?? 0, headers, Buffer.concat(chunks).toString('utf8')));
          });
        });
        req.on('error', reject);
        req.end(body);
      });
    },
    async createRepo(namespace, body) {
      const answer = await api.call('POST', `/v1/namespaces/${namespace}/repos`, { json: body });
      expect(answer.status, `create ${namespace}/${String(body['name'])}: ${answer.text}`).toBe(201);
      return answer.json as RepoWithTokenJson;
    },
    async createFork(namespace, name, body) {
      const answer = await api.call('POST', `/v1/namespaces/${namespace}/repos/${name}/fork`, { json: body });
      expect(answer.status, `fork ${namespace}/${name} as ${String(body['name'])}: ${answer.text}`).toBe(201);
      return answer.json as RepoWithTokenJson;
    },
    async mintToken(namespace, name, body = {}) {
      const answer = await api.call('POST', `/v1/namespaces/${namespace}/repos/${name}/tokens`, { json: body });
      expect(answer.status, `mint a token of ${namespace}/${name}: ${answer.text}`).toBe(201);
      return answer.json as MintedJson;
    },
    async mintAdminToken(body = {}) {
      const answer = await api.call('POST', '/v1/tokens', { json: body });
      expect(answer.status, `mint an admin token: ${answer.text}`).toBe(201);
      return answer.json as MintedJson;
    },
    async close() {
      await server.close();
      made.remove();
    },
  };
  return api;
}

/** A server for the enclosing `describe` block (or file): started before its tests, closed after them. */
export function useApiServer(options: ApiServerOptions = {}): () => ApiServer {
  let server: ApiServer | undefined;
  beforeAll(async () => {
    server = await startApiServer(options);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (server === undefined) throw new Error('the API server is not started');
    return server;
  };
}

function answerOf(status: number, headers: Headers, text: string): Answer {
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}

let counter = 0;

/** A name no other test of this run uses: `<prefix>-<n>-<random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${++counter}-${randomBytes(3).toString('hex')}`;
}

/** Resolves once the clock has moved on by 2 ms or more: two writes either side of it get different timestamps. */
export async function tick(): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < 2) await new Promise((resolve) => setTimeout(resolve, 1));
}
