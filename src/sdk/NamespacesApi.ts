/** `client.namespaces`: the namespace routes of docs/API.md ("Namespaces"). */
import type { GroveTransport } from './GroveTransport.ts';
import { iteratePages } from './iteratePages.ts';
import { namespacePath, namespacesPath } from './paths.ts';
import type { CreateNamespaceRequest, DeleteNamespaceOptions, IterateOptions, ListNamespacesQuery, Namespace, NamespaceList } from './types.ts';

export class NamespacesApi {
  readonly #http: GroveTransport;

  constructor(http: GroveTransport) {
    this.#http = http;
  }

  /**
   * Creates an empty namespace (`POST /v1/namespaces`); `ALREADY_EXISTS` if the name is taken.
   *
   * ```ts
   * const ns = await client.namespaces.create({ name: 'team' });
   * ```
   */
  create(request: CreateNamespaceRequest): Promise<Namespace> {
    return this.#http.request('POST', namespacesPath(), { body: request });
  }

  /**
   * One page of namespaces, by name (`GET /v1/namespaces`).
   *
   * ```ts
   * const { namespaces, next_cursor } = await client.namespaces.list({ limit: 100 });
   * ```
   */
  list(query: ListNamespacesQuery = {}): Promise<NamespaceList> {
    return this.#http.request('GET', namespacesPath(), { query: { limit: query.limit, cursor: query.cursor } });
  }

  /**
   * Every namespace, page after page.
   *
   * ```ts
   * for await (const ns of client.namespaces.iterate()) console.log(ns.name, ns.repo_count);
   * ```
   */
  iterate(query: ListNamespacesQuery = {}, options: IterateOptions = {}): AsyncGenerator<Namespace, void, undefined> {
    return iteratePages('namespaces', query.cursor, (cursor) => this.list({ ...query, ...(cursor === undefined ? {} : { cursor }) }), options);
  }

  /**
   * One namespace (`GET /v1/namespaces/:ns`); `NOT_FOUND` if there is none.
   *
   * ```ts
   * const { repo_count } = await client.namespaces.get('team');
   * ```
   */
  get(namespace: string): Promise<Namespace> {
    return this.#http.request('GET', namespacePath(namespace));
  }

  /**
   * Deletes a namespace (`DELETE /v1/namespaces/:ns`). One that still has
   * repositories answers `NAMESPACE_NOT_EMPTY` unless `force` is set, which
   * deletes them too.
   *
   * ```ts
   * await client.namespaces.delete('team', { force: true });
   * ```
   */
  async delete(namespace: string, options: DeleteNamespaceOptions = {}): Promise<void> {
    await this.#http.request('DELETE', namespacePath(namespace), { query: { force: options.force === true ? true : undefined } });
  }
}
