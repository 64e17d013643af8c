/**
 * The SDK's HTTP behaviour against small scripted node:http servers on
 * 127.0.0.1: retries (only idempotent methods, bounded, honouring
 * Retry-After), error mapping of answers that are not Grove's, network
 * failures, path encoding, the Authorization header, and the bounds of `iterate`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GroveApiError } from './GroveApiError.ts';
import { GroveClient } from './GroveClient.ts';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, count: number) => void;

const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A server answering each request with `handler`; records every request it gets. */
async function scripted(handler: Handler): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      handler(req, res, seen.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const NAMESPACE = { name: 'team', created_at: '2025-01-01T00:00:00.000Z', repo_count: 0 };
const unavailable = { error: { code: 'INTERNAL', message: 'try later' } };

/** A client that does not wait long between retries. */
function client(url: string, token = 'secret'): GroveClient {
  return new GroveClient({ url, token, retry: { baseDelayMs: 1, maxDelayMs: 50 } });
}

async function caught(promise: Promise<unknown>): Promise<GroveApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof GroveApiError) return err;
    throw err;
  }
  throw new Error('expected a GroveApiError');
}

describe('retries', () => {
  it('retries a GET after 503 and returns the answer that follows', async () => {
    const server = await scripted((_req, res, n) => (n === 1 ? json(res, 503, unavailable) : json(res, 200, NAMESPACE)));
    expect(await client(server.url).namespaces.get('team')).toEqual(NAMESPACE);
    expect(server.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /v1/namespaces/team', 'GET /v1/namespaces/team']);
  });

  it('retries a GET after 429 with Retry-After: 0', async () => {
    const limited = { error: { code: 'RATE_LIMITED', message: 'slow down' } };
    const server = await scripted((_req, res, n) => (n === 1 ? json(res, 429, limited, { 'retry-after': '0' }) : json(res, 200, NAMESPACE)));
    expect(await client(server.url).namespaces.get('team')).toEqual(NAMESPACE);
    expect(server.seen).toHaveLength(2);
  });

  it('retries a DELETE after 502 and 504', async () => {
    const server = await scripted((_req, res, n) => {
      if (n === 1) json(res, 502, unavailable);
      else if (n === 2) json(res, 504, unavailable);
      else res.writeHead(204).end();
    });
    await expect(client(server.url).repos.delete('team', 'notes')).resolves.toBeUndefined();
    expect(server.seen.map((s) => s.method)).toEqual(['DELETE', 'DELETE', 'DELETE']);
  });

  it('gives up after 3 tries in all, with the last error', async () => {
    const server = await scripted((_req, res) => json(res, 503, unavailable));
    const err = await caught(client(server.url).namespaces.list());
    expect(err.status).toBe(503);
    expect(err.code).toBe('INTERNAL');
    expect(server.seen).toHaveLength(3);
  });

  it('tries as often as `attempts` says', async () => {
    const server = await scripted((_req, res) => json(res, 503, unavailable));
    const once = new GroveClient({ url: server.url, retry: { attempts: 1 } });
    await caught(once.namespaces.list());
    expect(server.seen).toHaveLength(1);
  });

  it('never retries a POST or a PATCH', async () => {
    const server = await scripted((_req, res) => json(res, 503, unavailable));
    const api = client(server.url);
    expect((await caught(api.repos.create('team', { name: 'notes' }))).status).toBe(503);
    expect((await caught(api.repos.update('team', 'notes', { read_only: true }))).status).toBe(503);
    const limited = await scripted((_req, res) => json(res, 429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }, { 'retry-after': '0' }));
    const err = await caught(client(limited.url).tokens.create('team', 'notes'));
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.retryAfter).toBe(0);
    expect(server.seen.map((s) => s.method)).toEqual(['POST', 'PATCH']);
    expect(limited.seen.map((s) => s.method)).toEqual(['POST']);
  });

  it('does not retry errors that will not change (400, 404, 409, 500)', async () => {
    for (const [status, code] of [[400, 'BAD_REQUEST'], [404, 'NOT_FOUND'], [409, 'ALREADY_EXISTS'], [500, 'INTERNAL']] as const) {
      const server = await scripted((_req, res) => json(res, status, { error: { code, message: 'no' } }));
      const err = await caught(client(server.url).namespaces.get('team'));
      expect([err.status, err.code]).toEqual([status, code]);
      expect(server.seen).toHaveLength(1);
    }
  });

  it('does not wait for a Retry-After longer than maxDelayMs: the error says how long', async () => {
    const server = await scripted((_req, res) => json(res, 429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }, { 'retry-after': '120' }));
    const err = await caught(client(server.url).namespaces.list());
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.status).toBe(429);
    expect(err.retryAfter).toBe(120);
    expect(server.seen).toHaveLength(1);
  });
});

describe('network failures', () => {
  it('maps a refused connection to NETWORK_ERROR (status 0), retried for GET', async () => {
    const server = await scripted((_req, res) => json(res, 200, NAMESPACE));
    await closers.pop()!(); // the port is now closed
    const err = await caught(client(server.url).namespaces.get('team'));
    expect(err.code).toBe('NETWORK_ERROR');
    expect(err.status).toBe(0);
    expect(err.message).toContain('GET /v1/namespaces/team');
    expect(server.seen).toHaveLength(0);
  });

  it('retries a GET whose connection was cut, and not a POST', async () => {
    const server = await scripted((req, res, n) => {
      if (n === 1 || req.method === 'POST') req.socket.destroy();
      else json(res, 200, NAMESPACE);
    });
    expect(await client(server.url).namespaces.get('team')).toEqual(NAMESPACE);
    expect(server.seen).toHaveLength(2);
    const err = await caught(client(server.url).namespaces.create({ name: 'team' }));
    expect(err.code).toBe('NETWORK_ERROR');
    expect(server.seen.map((s) => s.method)).toEqual(['GET', 'GET', 'POST']);
  });
});

describe('answers that are not Grove errors', () => {
  it('maps an error status without a Grove body to HTTP_ERROR with that status', async () => {
    const server = await scripted((_req, res) => {
      res.writeHead(418, { 'content-type': 'text/html' });
      res.end('<html>teapot</html>');
    });
    const err = await caught(client(server.url).namespaces.get('team'));
    expect([err.status, err.code]).toEqual([418, 'HTTP_ERROR']);
    expect(err.message).toContain('HTTP 418');
  });

  it('maps a 200 that is not JSON to INVALID_RESPONSE', async () => {
    const server = await scripted((_req, res) => res.writeHead(200).end('not json'));
    const err = await caught(client(server.url).namespaces.get('team'));
    expect([err.status, err.code]).toEqual([200, 'INVALID_RESPONSE']);
  });

  it('keeps code, message and details of a Grove error body', async () => {
    const server = await scripted((_req, res) => json(res, 400, { error: { code: 'BAD_REQUEST', message: 'bad ttl', details: { field: 'ttl' } } }));
    const err = await caught(client(server.url).tokens.create('team', 'notes', { ttl: 1 }));
    expect(err).toMatchObject({ status: 400, code: 'BAD_REQUEST', message: 'bad ttl', details: { field: 'ttl' }, request: 'POST /v1/namespaces/team/repos/notes/tokens' });
  });
});

describe('requests', () => {
  it('encodes names as path segments, sends the token and the query, and JSON bodies', async () => {
    const server = await scripted((req, res) => (req.method === 'DELETE' ? res.writeHead(204).end() : json(res, 200, { repos: [], next_cursor: null })));
    const api = new GroveClient({ url: `${server.url}/prefix/`, token: 'tok' });
    await api.repos.list('a b', { search: 'x&y', sort: 'name', direction: 'asc', limit: 5 });
    await api.tokens.revoke('n/s', '../x', 'id?#');
    await api.namespaces.delete('team', { force: true });
    await api.namespaces.delete('team');
    await api.repos.update('team', 'notes', { description: 'ñ' });
    expect(server.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /prefix/v1/namespaces/a%20b/repos?limit=5&search=x%26y&sort=name&direction=asc',
      'DELETE /prefix/v1/namespaces/n%2Fs/repos/..%2Fx/tokens/id%3F%23',
      'DELETE /prefix/v1/namespaces/team?force=true',
      'DELETE /prefix/v1/namespaces/team',
      'PATCH /prefix/v1/namespaces/team/repos/notes',
    ]);
    expect(server.seen.every((s) => s.authorization === 'Bearer tok')).toBe(true);
    expect(JSON.parse(server.seen[4]!.body)).toEqual({ description: 'ñ' });
  });

  it('sends no Authorization header without a token', async () => {
    const server = await scripted((_req, res) => json(res, 200, NAMESPACE));
    await new GroveClient({ url: server.url }).namespaces.get('team');
    expect(server.seen[0]!.authorization).toBeUndefined();
  });

  it('uses the fetch it is given', async () => {
    const calls: string[] = [];
    const api = new GroveClient({
      url: 'http://grove.invalid',
      fetch: async (input, init) => {
        calls.push(`${init.method} ${input}`);
        return new Response(JSON.stringify(NAMESPACE), { status: 200 });
      },
    });
    expect(await api.namespaces.get('team')).toEqual(NAMESPACE);
    expect(calls).toEqual(['GET http://grove.invalid/v1/namespaces/team']);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => new GroveClient({ url: 'ftp://x' })).toThrow(/not an http\(s\) URL/);
    expect(() => new GroveClient({ url: 'nope' })).toThrow(/not a URL/);
  });
});

describe('iterate', () => {
  it('stops with PAGE_LIMIT past maxPages', async () => {
    const server = await scripted((_req, res, n) => json(res, 200, { namespaces: [{ ...NAMESPACE, name: `ns${n}` }], next_cursor: `c${n}` }));
    const names: string[] = [];
    const err = await caught((async () => {
      for await (const ns of client(server.url).namespaces.iterate({}, { maxPages: 3 })) names.push(ns.name);
    })());
    expect(err.code).toBe('PAGE_LIMIT');
    expect(names).toEqual(['ns1', 'ns2', 'ns3']);
    expect(server.seen.map((s) => s.url)).toEqual(['/v1/namespaces', '/v1/namespaces?cursor=c1', '/v1/namespaces?cursor=c2']);
  });

  it('stops with INVALID_RESPONSE on a cursor that does not move', async () => {
    const server = await scripted((_req, res) => json(res, 200, { tokens: [], next_cursor: 'same' }));
    const err = await caught((async () => {
      for await (const _ of client(server.url).adminTokens.iterate()) void _;
    })());
    expect(err.code).toBe('INVALID_RESPONSE');
    expect(server.seen).toHaveLength(2);
  });
});

describe('content requests', () => {
  const WRITTEN = { sha: 'a'.repeat(40), tree: 'b'.repeat(40), parents: [], author: {}, committer: {}, message: 'm\n', branch: 'main' };

  it('never retries the streamed file upload, whatever its body', async () => {
    const server = await scripted((_req, res) => json(res, 503, unavailable));
    const repo = client(server.url).repo('team', 'notes');
    const stream = new ReadableStream<Uint8Array>({ start: (c) => { c.enqueue(new TextEncoder().encode('streamed')); c.close(); } });
    expect((await caught(repo.putFile('main', 'a/b.txt', stream))).status).toBe(503);
    expect((await caught(repo.putFile('main', 'a/b.txt', 'text'))).status).toBe(503);
    expect((await caught(repo.putFile('main', 'a/b.txt', new Uint8Array([1, 2])))).status).toBe(503);
    expect(server.seen.map((s) => `${s.method} ${s.url} ${s.body}`)).toEqual([
      'PUT /v1/namespaces/team/repos/notes/files/main/a/b.txt streamed',
      'PUT /v1/namespaces/team/repos/notes/files/main/a/b.txt text',
      `PUT /v1/namespaces/team/repos/notes/files/main/a/b.txt ${String.fromCharCode(1, 2)}`,
    ]);
  });

  it('streams the upload body with its query, and reads the written commit', async () => {
    const server = await scripted((_req, res) => json(res, 201, WRITTEN));
    const written = await client(server.url).repo('team', 'notes').putFile('feature/x', 'dir/my file.txt', 'hi', { message: 'Up', expected_head: 'c'.repeat(40) });
    expect(written).toEqual(WRITTEN);
    expect(server.seen[0]!.url).toBe(`/v1/namespaces/team/repos/notes/files/feature%2Fx/dir/my%20file.txt?message=Up&expected_head=${'c'.repeat(40)}`);
  });

  it('retries a note PUT (idempotent) and a byte GET, and never a commit POST', async () => {
    const server = await scripted((req, res, n) => {
      if (req.method === 'POST' || n % 2 === 1) return json(res, 503, unavailable);
      if (req.url!.includes('/files/')) return res.writeHead(200, { 'content-type': 'text/plain', etag: '"e"', 'content-length': '5' }).end('bytes');
      return json(res, 200, { object: 'o', note_sha: 'n', notes_ref: 'refs/notes/commits', notes_head: 'h', changed: true });
    });
    const repo = client(server.url).repo('team', 'notes');
    expect((await repo.notes.put('main', { text: 'x' })).changed).toBe(true);
    const file = await repo.file('main', 'README.md');
    expect([await file.text(), file.etag, file.contentType, file.size]).toEqual(['bytes', '"e"', 'text/plain', 5]);
    expect((await caught(repo.commitFiles({ branch: 'main', message: 'm', changes: [] }))).status).toBe(503);
    expect(server.seen.map((s) => s.method)).toEqual(['PUT', 'PUT', 'GET', 'GET', 'POST']);
  });

  it('repeats an array query parameter, encodes refs as one segment, and sends Range and If-None-Match', async () => {
    const server = await scripted((req, res) => {
      if (req.url!.includes('/grep')) return json(res, 200, { commit: 'c', matches: [], skipped: [], next_cursor: null });
      if (req.headers['if-none-match'] !== undefined) return res.writeHead(304, { etag: '"e"' }).end();
      return res.writeHead(206, { 'content-range': 'bytes 2-4/10' }).end('abc');
    });
    const repo = client(server.url).repo('team', 'notes');
    await repo.grep({ pattern: 'a b', paths: ['src', ':!src/x'], ignore_case: true });
    const part = await repo.file('refs/heads/x', 'f.bin', { range: { start: 2, end: 4 } });
    expect([part.status, part.range, part.size, await part.text()]).toEqual([206, { start: 2, end: 4 }, 10, 'abc']);
    const same = await repo.blob('e', { ifNoneMatch: 'e' });
    expect([same.notModified, (await same.bytes()).length]).toEqual([true, 0]);
    expect(server.seen.map((s) => s.url)).toEqual([
      '/v1/namespaces/team/repos/notes/grep?pattern=a+b&ignore_case=true&paths=src&paths=%3A%21src%2Fx',
      '/v1/namespaces/team/repos/notes/files/refs%2Fheads%2Fx/f.bin',
      '/v1/namespaces/team/repos/notes/blobs/e',
    ]);
  });

  it('refuses a path with . or .. segments before sending anything', async () => {
    const server = await scripted((_req, res) => json(res, 200, {}));
    const err = await caught(client(server.url).repo('team', 'notes').file('main', 'a/../b'));
    expect(err.code).toBe('BAD_REQUEST');
    expect(server.seen).toHaveLength(0);
  });
});
