/** `client.repos`: the repository routes of docs/API.md ("Repositories"). */
import type { GroveTransport } from './GroveTransport.ts';
import { iteratePages } from './iteratePages.ts';
import { repoPath, reposPath } from './paths.ts';
import type {
  CreateRepoRequest,
  ForkRepoRequest,
  ImportRepoRequest,
  IterateOptions,
  ListReposQuery,
  Repo,
  RepoList,
  RepoWithToken,
  UpdateRepoRequest,
} from './types.ts';

export class ReposApi {
  readonly #http: GroveTransport;

  constructor(http: GroveTransport) {
    this.#http = http;
  }

  /**
   * Creates a repository (and its namespace, if new). The answer carries a
   * write token for it, valid one day and shown this once.
   *
   * ```ts
   * const repo = await client.repos.create('team', { name: 'notes', description: 'meeting notes' });
   * console.log(repo.remote, repo.token);
   * ```
   */
  create(namespace: string, request: CreateRepoRequest): Promise<RepoWithToken> {
    return this.#http.request('POST', reposPath(namespace), { body: request });
  }

  /**
   * One page of a namespace's repositories (newest first unless `sort`/`direction` say otherwise).
   *
   * ```ts
   * const { repos, next_cursor } = await client.repos.list('team', { search: 'notes', sort: 'name', direction: 'asc' });
   * ```
   */
  list(namespace: string, query: ListReposQuery = {}): Promise<RepoList> {
    const { limit, cursor, search, sort, direction } = query;
    return this.#http.request('GET', reposPath(namespace), { query: { limit, cursor, search, sort, direction } });
  }

  /**
   * Every repository of a namespace matching `query`, page after page.
   *
   * ```ts
   * for await (const repo of client.repos.iterate('team', { sort: 'name', direction: 'asc' })) console.log(repo.name);
   * ```
   */
  iterate(namespace: string, query: ListReposQuery = {}, options: IterateOptions = {}): AsyncGenerator<Repo, void, undefined> {
    return iteratePages('repos', query.cursor, (cursor) => this.list(namespace, { ...query, ...(cursor === undefined ? {} : { cursor }) }), options);
  }

  /**
   * One repository. An admin token sees any; a repository token only its own.
   *
   * ```ts
   * const { status, default_branch } = await client.repos.get('team', 'notes');
   * ```
   */
  get(namespace: string, name: string): Promise<Repo> {
    return this.#http.request('GET', repoPath(namespace, name));
  }

  /**
   * Changes a repository's description, default branch or read-only flag.
   *
   * ```ts
   * const repo = await client.repos.update('team', 'notes', { read_only: true });
   * ```
   */
  update(namespace: string, name: string, request: UpdateRepoRequest): Promise<Repo> {
    return this.#http.request('PATCH', repoPath(namespace, name), { body: request });
  }

  /**
   * Deletes a repository; its tokens are revoked with it.
   *
   * ```ts
   * await client.repos.delete('team', 'notes');
   * ```
   */
  async delete(namespace: string, name: string): Promise<void> {
    await this.#http.request('DELETE', repoPath(namespace, name));
  }

  /**
   * Forks a repository: the new one shares its parent's objects and copies
   * its default branch (or, with `default_branch_only: false`, every ref).
   *
   * ```ts
   * const fork = await client.repos.fork('team', 'notes', { name: 'notes-draft', namespace: 'agents' });
   * ```
   */
  fork(namespace: string, name: string, request: ForkRepoRequest): Promise<RepoWithToken> {
    return this.#http.request('POST', `${repoPath(namespace, name)}/fork`, { body: request });
  }

  /**
   * Creates `namespace/name` from a smart-HTTP Git remote. The answer comes at
   * once with `status: "importing"`, or, with `wait: true`, once the import is done.
   *
   * ```ts
   * const repo = await client.repos.import('team', 'git', { url: 'https://github.com/git/git.git', depth: 1, wait: true });
   * ```
   */
  import(namespace: string, name: string, request: ImportRepoRequest): Promise<RepoWithToken> {
    return this.#http.request('POST', `${repoPath(namespace, name)}/import`, { body: request });
  }
}
