/** `client.adminTokens`: admin tokens, which drive the whole control plane (docs/API.md, "Tokens"). */
import type { GroveTransport } from './GroveTransport.ts';
import { iteratePages } from './iteratePages.ts';
import { adminTokenPath, adminTokensPath } from './paths.ts';
import type { CreateAdminTokenRequest, CreatedToken, IterateOptions, ListTokensQuery, Token, TokenList } from './types.ts';

export class AdminTokensApi {
  readonly #http: GroveTransport;

  constructor(http: GroveTransport) {
    this.#http = http;
  }

  /**
   * Mints an admin token (30 days unless `ttl` says otherwise). The secret is in this answer only.
   *
   * ```ts
   * const { id, token } = await client.adminTokens.create({ ttl: 7 * 86400, label: 'deploy bot' });
   * ```
   */
  create(request: CreateAdminTokenRequest = {}): Promise<CreatedToken> {
    return this.#http.request('POST', adminTokensPath(), { body: request });
  }

  /**
   * One page of admin tokens, newest first (active ones unless `state` says otherwise).
   *
   * ```ts
   * const { tokens, next_cursor } = await client.adminTokens.list({ state: 'all', limit: 20 });
   * ```
   */
  list(query: ListTokensQuery = {}): Promise<TokenList> {
    const { limit, cursor, state } = query;
    return this.#http.request('GET', adminTokensPath(), { query: { limit, cursor, state } });
  }

  /**
   * Every admin token matching `query`, page after page.
   *
   * ```ts
   * for await (const t of client.adminTokens.iterate()) console.log(t.id, t.label);
   * ```
   */
  iterate(query: ListTokensQuery = {}, options: IterateOptions = {}): AsyncGenerator<Token, void, undefined> {
    return iteratePages('tokens', query.cursor, (cursor) => this.list({ ...query, ...(cursor === undefined ? {} : { cursor }) }), options);
  }

  /**
   * Revokes an admin token at once.
   *
   * ```ts
   * await client.adminTokens.revoke(id);
   * ```
   */
  async revoke(id: string): Promise<void> {
    await this.#http.request('DELETE', adminTokenPath(id));
  }
}
