/** `client.tokens`: the tokens of one repository (docs/API.md, "Tokens"). */
import type { GroveTransport } from './GroveTransport.ts';
import { iteratePages } from './iteratePages.ts';
import { repoTokenPath, repoTokensPath } from './paths.ts';
import type { CreatedToken, CreateTokenRequest, IterateOptions, ListTokensQuery, Token, TokenList } from './types.ts';

export class RepoTokensApi {
  readonly #http: GroveTransport;

  constructor(http: GroveTransport) {
    this.#http = http;
  }

  /**
   * Mints a token for a repository (scope `write` and one day unless said
   * otherwise). The secret is in this answer only.
   *
   * ```ts
   * const { token, expires_at } = await client.tokens.create('team', 'notes', { scope: 'read', ttl: 3600, label: 'ci' });
   * ```
   */
  create(namespace: string, name: string, request: CreateTokenRequest = {}): Promise<CreatedToken> {
    return this.#http.request('POST', repoTokensPath(namespace, name), { body: request });
  }

  /**
   * One page of a repository's tokens, newest first (active ones unless `state` says otherwise).
   *
   * ```ts
   * const { tokens } = await client.tokens.list('team', 'notes', { state: 'all' });
   * ```
   */
  list(namespace: string, name: string, query: ListTokensQuery = {}): Promise<TokenList> {
    const { limit, cursor, state } = query;
    return this.#http.request('GET', repoTokensPath(namespace, name), { query: { limit, cursor, state } });
  }

  /**
   * Every token of a repository matching `query`, page after page.
   *
   * ```ts
   * for await (const t of client.tokens.iterate('team', 'notes', { state: 'expired' })) console.log(t.id);
   * ```
   */
  iterate(namespace: string, name: string, query: ListTokensQuery = {}, options: IterateOptions = {}): AsyncGenerator<Token, void, undefined> {
    return iteratePages('tokens', query.cursor, (cursor) => this.list(namespace, name, { ...query, ...(cursor === undefined ? {} : { cursor }) }), options);
  }

  /**
   * Revokes a token at once (a no-op if it already is).
   *
   * ```ts
   * await client.tokens.revoke('team', 'notes', tokenId);
   * ```
   */
  async revoke(namespace: string, name: string, id: string): Promise<void> {
    await this.#http.request('DELETE', repoTokenPath(namespace, name, id));
  }
}
