/**
 * The HTTP half of the SDK: one request to `/v1`, with the token, the query
 * string, the error mapping of readApiError.ts and the retries of
 * retryPolicy.ts. `request` sends and reads JSON; `raw` hands back the
 * streamed answer of a byte route (file, blob, archive); `upload` streams a
 * request body (`duplex: 'half'`) and is never retried, a stream being
 * readable once. Only `fetch` and Web Standards: it runs in Node, Workers,
 * Deno, Bun and browsers alike.
 */
import { GroveApiError } from './GroveApiError.ts';
import { readApiError } from './readApiError.ts';
import { DEFAULT_RETRY, retryDelay, type RetryOptions } from './retryPolicy.ts';

/** The `fetch` the SDK calls: the global one, or any function of the same shape. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** Query parameters; `undefined` ones are left out, an array repeats its key. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request body `upload` streams. */
export type UploadBody = ReadableStream<Uint8Array> | Uint8Array | string;

export interface TransportOptions {
  /** Server origin, optionally with a path prefix, e.g. `https://grove.example.com`. */
  url: string;
  /** An admin or repository token, sent as `Authorization: Bearer <token>`. */
  token?: string | undefined;
  fetch?: FetchFunction | undefined;
  retry?: RetryOptions | undefined;
}

export class GroveTransport {
  readonly #base: string;
  readonly #token: string | undefined;
  readonly #fetch: FetchFunction;
  readonly #retry: Required<RetryOptions>;

  constructor(options: TransportOptions) {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch {
      throw new TypeError(`not a URL: ${options.url}`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${options.url}`);
    this.#base = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
    this.#token = options.token;
    const fetchFunction = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
    this.#fetch = fetchFunction;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /**
   * Sends `method path` (path under the base, e.g. `/v1/namespaces`) and
   * returns the parsed JSON answer, or `undefined` for an empty one (204).
   */
  async request<T>(method: Method, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
    const headers = this.#headers('application/json');
    const init: RequestInit = { method, headers };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    return this.#withRetries(method, path, options.query, init, (response, label) => readJson(response, label)) as Promise<T>;
  }

  /**
   * Sends a GET whose answer is bytes and returns the Response as it came
   * (status 200, 206 or 304), its body unread, so it can be streamed. Error
   * answers are thrown as GroveApiError; failures before an answer are retried.
   */
  raw(path: string, options: { query?: Query; headers?: Record<string, string> } = {}): Promise<Response> {
    const init: RequestInit = { method: 'GET', headers: { ...this.#headers('*/*'), ...options.headers } };
    return this.#withRetries('GET', path, options.query, init, async (response) => response) as Promise<Response>;
  }

  /**
   * Sends `body` as the request body (streamed when it is a stream) and
   * returns the parsed JSON answer. Tried once: a stream cannot be sent again.
   */
  async upload<T>(method: Method, path: string, body: UploadBody, options: { query?: Query; contentType?: string } = {}): Promise<T> {
    const headers = this.#headers('application/json');
    headers['content-type'] = options.contentType ?? 'application/octet-stream';
    const init: RequestInit & { duplex?: 'half' } = { method, headers, body: body as RequestInit['body'] };
    if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) init.duplex = 'half';
    const outcome = await this.#attempt(this.#url(path, options.query), init, `${method} ${path}`, (response, label) => readJson(response, label));
    if (outcome instanceof GroveApiError) throw outcome;
    return outcome as T;
  }

  #headers(accept: string): Record<string, string> {
    const headers: Record<string, string> = { accept };
    if (this.#token !== undefined && this.#token !== '') headers['authorization'] = `Bearer ${this.#token}`;
    return headers;
  }

  #url(path: string, query: Query | undefined): string {
    return this.#base + path + queryString(query);
  }

  async #withRetries(method: Method, path: string, query: Query | undefined, init: RequestInit, read: Reader): Promise<unknown> {
    const label = `${method} ${path}`;
    const url = this.#url(path, query);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#attempt(url, init, label, read);
      if (!(outcome instanceof GroveApiError)) return outcome;
      const delay = retryDelay(method, outcome, attempt, this.#retry);
      if (delay === null) throw outcome;
      await sleep(delay);
    }
  }

  /** One try: what `read` makes of the answer, or the error it ended with (returned, so the caller decides on retrying). */
  async #attempt(url: string, init: RequestInit, label: string, read: Reader): Promise<unknown> {
    let response: Response;
    try {
      response = await this.#fetch(url, init);
      if (!response.ok && response.status !== 304) {
        const text = await response.text();
        return readApiError(response.status, response.statusText, response.headers, text, label);
      }
      return await read(response, label);
    } catch (err) {
      if (err instanceof GroveApiError) return err;
      const reason = err instanceof Error ? describeCause(err) : String(err);
      return new GroveApiError({ status: 0, code: 'NETWORK_ERROR', message: `${label}: no answer from ${this.#base}: ${reason}`, request: label, cause: err });
    }
  }
}

type Reader = (response: Response, label: string) => Promise<unknown>;

/** The JSON of a success answer, `undefined` when empty; INVALID_RESPONSE when it is not JSON. */
async function readJson(response: Response, label: string): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    return new GroveApiError({ status: response.status, code: 'INVALID_RESPONSE', message: `${label}: the answer is not JSON`, request: label, cause: err });
  }
}

/** `?a=1&b=x`, or '' when there is nothing to send. */
function queryString(query: Query | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(key, item);
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** `fetch failed` says little; its cause (e.g. `connect ECONNREFUSED 127.0.0.1:1`) says more. */
function describeCause(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message !== '' ? `${err.message} (${cause.message})` : err.message;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
