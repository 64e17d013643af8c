/**
 * Grove started inside the test process (127.0.0.1, port 0, a fresh data
 * directory, optional limits), with its repositories and hand-made HTTP calls
 * to its Git routes. One server per `describe` block: `useBadInputServer`.
 */
import { afterAll, beforeAll } from 'vitest';
import type { GitLimits } from '../../../src/http/gitRoutes.ts';
import { startServer } from '../../../src/runtime/node/startServer.ts';
import { dumpRepository } from '../../../src/testing.ts';
import { tempDir } from '../../support/tempDir.ts';

export const ADMIN_TOKEN = 'test-admin';
export const NAMESPACE = 'bad-input';
export const ZERO_OID = '0'.repeat(40);

export interface TestRepo {
  namespace: string;
  name: string;
  /** `${url}/git/<ns>/<name>.git` */
  remote: string;
  /** A write token of this repository. */
  token: string;
  /** Everything the repository holds, byte for byte (`dumpRepository`). */
  dump(): string;
}

export interface BadInputServer {
  url: string;
  dataDir: string;
  createRepo(name?: string): Promise<TestRepo>;
  close(): Promise<void>;
}

/** A request body: bytes, or a stream for bodies made as they are sent. */
export type RequestBody = Uint8Array | ReadableStream<Uint8Array>;

/** An HTTP answer read whole. */
export interface Answer {
  status: number;
  headers: Headers;
  body: Uint8Array;
  text: string;
}

let repoCounter = 0;

export async function startBadInputServer(limits: Partial<GitLimits> = {}): Promise<BadInputServer> {
  const data = tempDir('grove-bad-input-data-');
  const dataDir = data.dir;
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, adminToken: ADMIN_TOKEN, limits });
  return {
    url: server.url,
    dataDir,
    async createRepo(name = `repo-${++repoCounter}`) {
      const answer = await send(`${server.url}/v1/namespaces/${NAMESPACE}/repos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      if (answer.status !== 201) throw new Error(`create repo ${name}: HTTP ${answer.status} ${answer.text}`);
      const created = JSON.parse(answer.text) as { remote: string; token: string };
      return {
        namespace: NAMESPACE,
        name,
        remote: created.remote,
        token: created.token,
        dump: () => dumpRepository(dataDir, NAMESPACE, name),
      };
    },
    async close() {
      await server.close();
      data.remove();
    },
  };
}

/** Starts a server before the block's tests and closes it after them. */
export function useBadInputServer(limits: Partial<GitLimits> = {}): () => BadInputServer {
  let server: BadInputServer | undefined;
  beforeAll(async () => {
    server = await startBadInputServer(limits);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (server === undefined) throw new Error('the bad-input server is not started');
    return server;
  };
}

/** `fetch`, with the answer read whole. */
export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const body = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body, text: new TextDecoder().decode(body) };
}

export interface GitPostOptions {
  /** The whole Authorization header; default `Bearer <repo token>`, null for none. */
  authorization?: string | null;
  headers?: Record<string, string>;
}

function gitHeaders(repo: TestRepo, service: string, options: GitPostOptions): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': `application/x-${service}-request`, ...options.headers };
  const authorization = options.authorization === undefined ? `Bearer ${repo.token}` : options.authorization;
  if (authorization !== null) headers['authorization'] = authorization;
  return headers;
}

/** POST `body` to the repository's git-receive-pack. */
export function postReceivePack(repo: TestRepo, body: RequestBody, options: GitPostOptions = {}): Promise<Answer> {
  return send(`${repo.remote}/git-receive-pack`, {
    method: 'POST',
    headers: gitHeaders(repo, 'git-receive-pack', options),
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

/** POST `body` to the repository's git-upload-pack; `version: 2` adds `Git-Protocol: version=2`. */
export function postUploadPack(repo: TestRepo, body: RequestBody, options: GitPostOptions & { version?: 0 | 2 } = {}): Promise<Answer> {
  const extra: Record<string, string> = options.version === 2 ? { 'git-protocol': 'version=2' } : {};
  return send(`${repo.remote}/git-upload-pack`, {
    method: 'POST',
    headers: gitHeaders(repo, 'git-upload-pack', { ...options, headers: { ...extra, ...options.headers } }),
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}
