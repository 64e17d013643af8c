/** `client.repo(ns, name).refs`: a repository's refs, with compare-and-swap updates (docs/API.md, "Content"). */
import type { GroveTransport } from './GroveTransport.ts';
import { refPath, repoPath } from './paths.ts';
import type { CreateRefRequest, DeleteRefOptions, ListRefsQuery, Ref, RefList, UpdateRefRequest } from './types.ts';

export class RefsApi {
  readonly #http: GroveTransport;
  readonly #namespace: string;
  readonly #name: string;

  constructor(http: GroveTransport, namespace: string, name: string) {
    this.#http = http;
    this.#namespace = namespace;
    this.#name = name;
  }

  /**
   * Every ref (or those under `prefix`), sorted by name, HEAD included as a symbolic ref.
   *
   * ```ts
   * const { refs } = await client.repo('team', 'notes').refs.list({ prefix: 'refs/heads/' });
   * ```
   */
  list(query: ListRefsQuery = {}): Promise<RefList> {
    return this.#http.request('GET', `${repoPath(this.#namespace, this.#name)}/refs`, { query: { prefix: query.prefix } });
  }

  /**
   * One ref: a full name (`refs/heads/main`), `HEAD`, or a short name (`main`, `v1`).
   *
   * ```ts
   * const { sha } = await client.repo('team', 'notes').refs.get('refs/heads/main');
   * ```
   */
  get(ref: string): Promise<Ref> {
    return this.#http.request('GET', refPath(this.#namespace, this.#name, ref));
  }

  /**
   * Creates a ref at an existing object (409 `ALREADY_EXISTS` when it exists).
   *
   * ```ts
   * await client.repo('team', 'notes').refs.create({ name: 'refs/heads/draft', sha: head });
   * ```
   */
  create(request: CreateRefRequest): Promise<Ref> {
    return this.#http.request('POST', `${repoPath(this.#namespace, this.#name)}/refs`, { body: request });
  }

  /**
   * Moves a ref. With `expected_sha`, only if it is still there (409
   * `REF_CONFLICT` otherwise); a branch moves only forward unless `force`.
   *
   * ```ts
   * await client.repo('team', 'notes').refs.update('refs/heads/main', { sha: next, expected_sha: current });
   * ```
   */
  update(ref: string, request: UpdateRefRequest): Promise<Ref> {
    return this.#http.request('PATCH', refPath(this.#namespace, this.#name, ref), { body: request });
  }

  /**
   * Deletes a ref (with `expected_sha`, only if it is there).
   *
   * ```ts
   * await client.repo('team', 'notes').refs.delete('refs/heads/draft', { expected_sha: sha });
   * ```
   */
  async delete(ref: string, options: DeleteRefOptions = {}): Promise<void> {
    await this.#http.request('DELETE', refPath(this.#namespace, this.#name, ref), { query: { expected_sha: options.expected_sha } });
  }
}
