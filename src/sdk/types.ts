/**
 * The JSON of Grove's REST API (docs/API.md), field for field as it travels
 * on the wire: snake_case names, ISO 8601 timestamps as strings. The control
 * plane's shapes are here; the content routes' are in contentTypes.ts,
 * re-exported from here. src/sdk/openapiCoverage.test.ts
 * checks these against the server's /openapi.json.
 */

/** `[A-Za-z0-9][A-Za-z0-9._-]{1,62}`, not ending in `.git` or `.lock`. */
export type Name = string;

/** An ISO 8601 timestamp, e.g. `2025-06-01T12:00:00.000Z`. */
export type Timestamp = string;

/** One page of a list route: the items under `key`, and the cursor of the next page (`null` on the last). */
export type Page<Key extends string, Item> = { [K in Key]: Item[] } & { next_cursor: string | null };

/** `limit` (1–200, default 50) and `cursor` (the `next_cursor` of the previous page). */
export interface PageQuery {
  limit?: number;
  cursor?: string;
}

// Namespaces

export interface Namespace {
  name: Name;
  created_at: Timestamp;
  repo_count: number;
}

export interface CreateNamespaceRequest {
  name: Name;
}

export type NamespaceList = Page<'namespaces', Namespace>;

export type ListNamespacesQuery = PageQuery;

export interface DeleteNamespaceOptions {
  /** Also delete the namespace's repositories (otherwise a non-empty namespace answers `NAMESPACE_NOT_EMPTY`). */
  force?: boolean;
}

// Repositories

export type RepoStatus = 'ready' | 'importing' | 'failed';

export interface ForkSource {
  kind: 'fork';
  id: string;
  namespace: Name;
  name: Name;
}

export interface ImportSource {
  kind: 'import';
  url: string;
  branch: string | null;
  depth: number | null;
}

export type RepoSource = ForkSource | ImportSource | null;

export interface Repo {
  id: string;
  name: Name;
  namespace: Name;
  description: string;
  default_branch: string;
  read_only: boolean;
  status: RepoStatus;
  status_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_push_at: Timestamp | null;
  source: RepoSource;
  /** The Git URL: `<origin>/git/<ns>/<name>.git`. */
  remote: string;
}

/** The answer of create, fork and import: the repository and a write token for it (valid one day, shown once). */
export interface RepoWithToken extends Repo {
  token: string;
}

export interface CreateRepoRequest {
  name: Name;
  description?: string;
  /** Default `main`. */
  default_branch?: string;
  /** Default `false`. */
  read_only?: boolean;
}

export type RepoSort = 'created_at' | 'updated_at' | 'last_push_at' | 'name';

export interface ListReposQuery extends PageQuery {
  /** Substring of the name, case-insensitive. */
  search?: string;
  /** Default `created_at`. */
  sort?: RepoSort;
  /** Default `desc`. */
  direction?: 'asc' | 'desc';
}

export type RepoList = Page<'repos', Repo>;

export interface UpdateRepoRequest {
  description?: string;
  default_branch?: string;
  read_only?: boolean;
}

export interface ForkRepoRequest {
  /** Name of the fork. */
  name: Name;
  /** Namespace of the fork; default: the parent's. */
  namespace?: Name;
  description?: string;
  /** Default `false`. */
  read_only?: boolean;
  /** Copy only `HEAD` and the default branch (default `true`); `false` copies every ref. */
  default_branch_only?: boolean;
}

export interface ImportRepoRequest {
  /** A smart-HTTP Git remote. */
  url: string;
  /** Fetch only this branch. */
  branch?: string;
  /** Shallow history of this many commits. */
  depth?: number;
  /** Sent to the remote (e.g. `Authorization`), never stored. */
  headers?: Record<string, string>;
  description?: string;
  read_only?: boolean;
  /** Answer once the import is done (201) instead of at once (202, `status: "importing"`). */
  wait?: boolean;
}

// Tokens

export type TokenScope = 'read' | 'write' | 'admin';

export type TokenState = 'active' | 'expired' | 'revoked';

export interface Token {
  id: string;
  scope: TokenScope;
  label: string;
  state: TokenState;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** The answer of a token create: the only time the secret is shown. */
export interface CreatedToken {
  id: string;
  /** The secret, e.g. `grove_<16 hex>_<64 hex>`. */
  token: string;
  scope: TokenScope;
  label: string;
  created_at: Timestamp;
  expires_at: Timestamp | null;
}

export interface CreateTokenRequest {
  /** Default `write`. */
  scope?: 'read' | 'write';
  /** Seconds, 60 – 31,536,000; default 86,400 (one day). */
  ttl?: number;
  label?: string;
}

export interface CreateAdminTokenRequest {
  /** Seconds, 60 – 31,536,000; default 2,592,000 (30 days). */
  ttl?: number;
  label?: string;
}

export interface ListTokensQuery extends PageQuery {
  /** Default `active`. */
  state?: TokenState | 'all';
}

export type TokenList = Page<'tokens', Token>;

export type * from './contentTypes.ts';
