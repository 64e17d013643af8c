/**
 * A small HTTP/1.1 client for many short requests: node:http over a
 * keep-alive agent (less overhead per request than fetch), each request timed
 * from its start until the last byte of the answer has been read.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpAnswer {
  status: number;
  body: Buffer;
  /** From the call until the whole answer was read, in milliseconds. */
  ms: number;
}

export class HttpClient {
  readonly #base: URL;
  readonly #agent: Agent;

  /** `maxSockets`: connections kept to the server (at least the concurrency the caller uses). */
  constructor(baseUrl: string, maxSockets = 8) {
    this.#base = new URL(baseUrl);
    this.#agent = new Agent({ keepAlive: true, maxSockets });
  }

  send(method: string, path: string, headers: Record<string, string>, body?: Uint8Array | string): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const start = performance.now();
      const payload = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
      const req = request(
        {
          agent: this.#agent,
          host: this.#base.hostname,
          port: this.#base.port,
          method,
          path,
          headers: payload === undefined ? headers : { ...headers, 'content-length': String(payload.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: performance.now() - start }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
