/**
 * The Grove client: the control plane (namespaces, repositories, tokens) and
 * each repository's content (`repo(ns, name)`) over the REST API of
 * docs/API.md. Portable (only `fetch`), no dependencies.
 */
import { AdminTokensApi } from './AdminTokensApi.ts';
import { GroveTransport, type FetchFunction } from './GroveTransport.ts';
import { NamespacesApi } from './NamespacesApi.ts';
import { RepoTokensApi } from './RepoTokensApi.ts';
import { RepoContentApi } from './RepoContentApi.ts';
import { ReposApi } from './ReposApi.ts';
import type { RetryOptions } from './retryPolicy.ts';

export interface GroveClientOptions {
  /** Server origin, optionally with a path prefix, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** An admin token for the control plane, or a repository token (it can read its repository). */
  token?: string | undefined;
  /** A `fetch` to use instead of the global one (tests, proxies, custom agents). */
  fetch?: FetchFunction | undefined;
  /**
   * Retries of idempotent requests (GET, PUT of a note, DELETE) on 429, 502,
   * 503, 504 and network errors; default 3 tries in all. POST, PATCH and the
   * streamed file upload are never retried.
   */
  retry?: RetryOptions | undefined;
}

/**
 * A client of one Grove server.
 *
 * ```ts
 * const client = new GroveClient({ url: 'http://127.0.0.1:8787', token: process.env.GROVE_TOKEN });
 * const repo = await client.repos.create('team', { name: 'notes' });
 * for await (const r of client.repos.iterate('team')) console.log(r.name, r.remote);
 * ```
 */
export class GroveClient {
  /** Create, list, get and delete namespaces. */
  readonly namespaces: NamespacesApi;
  /** Create, list, get, update, delete, fork and import repositories. */
  readonly repos: ReposApi;
  /** Mint, list and revoke the tokens of a repository. */
  readonly tokens: RepoTokensApi;
  /** Mint, list and revoke admin tokens. */
  readonly adminTokens: AdminTokensApi;
  readonly #http: GroveTransport;

  constructor(options: GroveClientOptions) {
    const http = new GroveTransport(options);
    this.#http = http;
    this.namespaces = new NamespacesApi(http);
    this.repos = new ReposApi(http);
    this.tokens = new RepoTokensApi(http);
    this.adminTokens = new AdminTokensApi(http);
  }

  /**
   * One repository's content: refs, log, commits, trees, files, archives,
   * compare, commits of files, revert, restore, notes and grep. No request is
   * made until a method of the handle is called.
   *
   * ```ts
   * const repo = client.repo('team', 'notes');
   * const { commits } = await repo.log({ limit: 10 });
   * const readme = await (await repo.file('main', 'README.md')).text();
   * await repo.commitFiles({ branch: 'main', message: 'Fix typo', changes: [{ op: 'put', path: 'README.md', content: readme.replace('teh', 'the') }] });
   * ```
   */
  repo(namespace: string, name: string): RepoContentApi {
    return new RepoContentApi(this.#http, namespace, name);
  }
}
