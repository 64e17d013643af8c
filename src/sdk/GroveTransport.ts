/**
 * The HTTP half of the SDK: one JSON request to `/v1`, with the token, the
 * query string, the error mapping of readApiError.ts and the retries of
 * retryPolicy.ts. Only `fetch` and Web Standards: it runs in Node, Workers,
 * Deno, Bun and browsers alike.
 */
import { GroveApiError } from './GroveApiError.ts';
import { readApiError } from './readApiError.ts';
import { DEFAULT_RETRY, retryDelay, type RetryOptions } from './retryPolicy.ts';

/** The `fetch` the SDK calls: the global one, or any function of the same shape. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** Query parameters; `undefined` ones are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

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
    const label = `${method} ${path}`;
    const url = this.#base + path + queryString(options.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#token !== undefined && this.#token !== '') headers['authorization'] = `Bearer ${this.#token}`;
    const init: RequestInit = { method, headers };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#attempt(url, init, label);
      if (!(outcome instanceof GroveApiError)) return outcome as T;
      const delay = retryDelay(method, outcome, attempt, this.#retry);
      if (delay === null) throw outcome;
      await sleep(delay);
    }
  }

  /** One try: the parsed answer, or the error it ended with (returned, so the caller decides on retrying). */
  async #attempt(url: string, init: RequestInit, label: string): Promise<unknown> {
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, init);
      text = await response.text();
    } catch (err) {
      const reason = err instanceof Error ? describeCause(err) : String(err);
      return new GroveApiError({ status: 0, code: 'NETWORK_ERROR', message: `${label}: no answer from ${this.#base}: ${reason}`, request: label, cause: err });
    }
    if (!response.ok) return readApiError(response.status, response.statusText, response.headers, text, label);
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      return new GroveApiError({ status: response.status, code: 'INVALID_RESPONSE', message: `${label}: the answer is not JSON`, request: label, cause: err });
    }
  }
}

/** `?a=1&b=x`, or '' when there is nothing to send. */
function queryString(query: Query | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
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
