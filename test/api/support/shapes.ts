/**
 * The JSON shapes of docs/API.md, and assertions that an answer has exactly
 * the documented fields with the documented types: `Namespace`, `Repo` (with
 * its `remote` URL and `source`), `Token`, a minted token, and the error body
 * `{error: {code, message, details?}}` with the one status of its code.
 */
import { expect } from 'vitest';
import type { Answer } from './apiServer.ts';

export interface NamespaceJson {
  name: string;
  created_at: string;
  repo_count: number;
}

export type SourceJson =
  | null
  | { kind: 'fork'; id: string; namespace: string; name: string }
  | { kind: 'import'; url: string; branch: string | null; depth: number | null };

export interface RepoJson {
  id: string;
  name: string;
  namespace: string;
  description: string;
  default_branch: string;
  read_only: boolean;
  status: 'ready' | 'importing' | 'failed';
  status_reason: string | null;
  created_at: string;
  updated_at: string;
  last_push_at: string | null;
  source: SourceJson;
  remote: string;
}

export interface RepoWithTokenJson extends RepoJson {
  token: string;
}

export interface MintedJson {
  id: string;
  token: string;
  scope: 'read' | 'write' | 'admin';
  label: string;
  created_at: string;
  expires_at: string | null;
}

export interface TokenJson {
  id: string;
  scope: 'read' | 'write' | 'admin';
  label: string;
  state: 'active' | 'expired' | 'revoked';
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ErrorJson {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** The status docs/API.md gives each error code. */
export const STATUS_OF: Readonly<Record<string, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  NAMESPACE_NOT_EMPTY: 409,
  REPO_NOT_READY: 409,
  REF_CONFLICT: 409,
  MERGE_CONFLICT: 409,
  RANGE_NOT_SATISFIABLE: 416,
  PAYLOAD_TOO_LARGE: 413,
  OBJECT_TOO_LARGE: 413,
  REPO_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BAD_OBJECT: 422,
  MISSING_OBJECT: 422,
  BAD_REF_NAME: 422,
  REMOTE_NOT_ALLOWED: 422,
  REMOTE_ERROR: 502,
  RATE_LIMITED: 429,
  DRAFT_CLOSED: 409,
  ENOENT: 404,
  EEXIST: 409,
  EISDIR: 400,
  ENOTDIR: 400,
  ENOTEMPTY: 409,
  EINVAL: 400,
  INTERNAL: 500,
};

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TOKEN = /^grove_([0-9a-f]{16})_([0-9a-f]{64})$/;

/** An ISO 8601 UTC timestamp as `Date.prototype.toISOString` writes it. */
export function expectIso(value: unknown, what = 'timestamp'): asserts value is string {
  expect(typeof value, what).toBe('string');
  expect(value, what).toMatch(ISO);
  expect(new Date(value as string).toISOString(), what).toBe(value);
}

/** The milliseconds of an ISO timestamp. */
export function ms(iso: string): number {
  return Date.parse(iso);
}

/**
 * The answer is the JSON error of `code`, with the status docs/API.md gives
 * it and nothing but `{error: {code, message, details?}}`; returns the error.
 */
export function expectError(answer: Answer, code: string, context = ''): ErrorJson['error'] {
  const status = STATUS_OF[code];
  if (status === undefined) throw new Error(`no status for ${code}`);
  const what = `${context} → ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, what).toBe(status);
  expect(answer.headers.get('content-type'), what).toMatch(/^application\/json\b/);
  const body = answer.json as ErrorJson;
  expect(typeof body, what).toBe('object');
  expect(Object.keys(body), what).toEqual(['error']);
  const keys = Object.keys(body.error);
  expect(keys.filter((k) => k !== 'details').sort(), what).toEqual(['code', 'message']);
  expect(body.error.code, what).toBe(code);
  expect(typeof body.error.message, what).toBe('string');
  expect(body.error.message.length, what).toBeGreaterThan(0);
  if ('details' in body.error) {
    expect(typeof body.error.details, what).toBe('object');
    expect(body.error.details, what).not.toBeNull();
    expect(Array.isArray(body.error.details), what).toBe(false);
  }
  if (code === 'UNAUTHORIZED') expect(answer.headers.get('www-authenticate'), what).toMatch(/^Basic realm=/);
  return body.error;
}

/** A `Namespace`: exactly `{name, created_at, repo_count}`. */
export function expectNamespace(value: unknown, expected: Partial<NamespaceJson> = {}): NamespaceJson {
  const ns = value as NamespaceJson;
  expect(Object.keys(ns).sort()).toEqual(['created_at', 'name', 'repo_count']);
  expect(typeof ns.name).toBe('string');
  expectIso(ns.created_at, 'created_at');
  expect(Number.isInteger(ns.repo_count)).toBe(true);
  expect(ns.repo_count).toBeGreaterThanOrEqual(0);
  expect(ns).toMatchObject(expected);
  return ns;
}

const REPO_KEYS = [
  'created_at', 'default_branch', 'description', 'id', 'last_push_at', 'name', 'namespace',
  'read_only', 'remote', 'source', 'status', 'status_reason', 'updated_at',
];

/** A `Repo` (or, with `withToken`, `Repo & {token}`) of the server at `origin`: every documented field, typed. */
export function expectRepo(value: unknown, origin: string, expected: Partial<RepoJson> = {}, options: { withToken?: boolean } = {}): RepoJson {
  const repo = value as RepoWithTokenJson;
  expect(Object.keys(repo).sort()).toEqual(options.withToken === true ? [...REPO_KEYS, 'token'].sort() : REPO_KEYS);
  expect(repo.id).toMatch(/^[0-9a-f]{32}$/);
  for (const key of ['name', 'namespace', 'description', 'default_branch'] as const) expect(typeof repo[key], key).toBe('string');
  expect(typeof repo.read_only).toBe('boolean');
  expect(['ready', 'importing', 'failed']).toContain(repo.status);
  if (repo.status_reason !== null) expect(typeof repo.status_reason).toBe('string');
  expectIso(repo.created_at, 'created_at');
  expectIso(repo.updated_at, 'updated_at');
  expect(ms(repo.updated_at)).toBeGreaterThanOrEqual(ms(repo.created_at));
  if (repo.last_push_at !== null) expectIso(repo.last_push_at, 'last_push_at');
  expectSource(repo.source);
  expect(repo.remote).toBe(`${origin}/git/${repo.namespace}/${repo.name}.git`);
  if (options.withToken === true) expect(repo.token).toMatch(TOKEN);
  expect(repo).toMatchObject(expected);
  return repo;
}

function expectSource(source: SourceJson): void {
  if (source === null) return;
  if (source.kind === 'fork') {
    expect(Object.keys(source).sort()).toEqual(['id', 'kind', 'name', 'namespace']);
    expect(source.id).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof source.namespace).toBe('string');
    expect(typeof source.name).toBe('string');
  } else {
    expect(source.kind).toBe('import');
    expect(Object.keys(source).sort()).toEqual(['branch', 'depth', 'kind', 'url']);
    expect(typeof source.url).toBe('string');
    if (source.branch !== null) expect(typeof source.branch).toBe('string');
    if (source.depth !== null) expect(Number.isInteger(source.depth)).toBe(true);
  }
}

/** A create answer `{id, token, scope, label, created_at, expires_at}`; the token is `grove_<id>_<64 hex>`. */
export function expectMinted(value: unknown, expected: Partial<MintedJson> = {}): MintedJson {
  const minted = value as MintedJson;
  expect(Object.keys(minted).sort()).toEqual(['created_at', 'expires_at', 'id', 'label', 'scope', 'token']);
  expect(minted.id).toMatch(/^[0-9a-f]{16}$/);
  const match = TOKEN.exec(minted.token);
  expect(match, minted.token).not.toBeNull();
  expect(match?.[1]).toBe(minted.id);
  expect(['read', 'write', 'admin']).toContain(minted.scope);
  expect(typeof minted.label).toBe('string');
  expectIso(minted.created_at, 'created_at');
  if (minted.expires_at !== null) expectIso(minted.expires_at, 'expires_at');
  expect(minted).toMatchObject(expected);
  return minted;
}

/** A listed `Token`: `{id, scope, label, state, created_at, expires_at, last_used_at, revoked_at}`, no secret. */
export function expectToken(value: unknown, expected: Partial<TokenJson> = {}): TokenJson {
  const token = value as TokenJson;
  expect(Object.keys(token).sort()).toEqual(['created_at', 'expires_at', 'id', 'label', 'last_used_at', 'revoked_at', 'scope', 'state']);
  expect(token.id).toMatch(/^[0-9a-f]{16}$/);
  expect(['read', 'write', 'admin']).toContain(token.scope);
  expect(['active', 'expired', 'revoked']).toContain(token.state);
  expect(typeof token.label).toBe('string');
  expectIso(token.created_at, 'created_at');
  for (const key of ['expires_at', 'last_used_at', 'revoked_at'] as const) {
    if (token[key] !== null) expectIso(token[key], key);
  }
  expect(token.state === 'revoked').toBe(token.revoked_at !== null);
  expect(token).toMatchObject(expected);
  return token;
}

/** The secret part of a repository or minted admin token. */
export function secretOf(token: string): string {
  const match = TOKEN.exec(token);
  if (match === null) throw new Error(`not a Grove token: ${token}`);
  return match[2]!;
}
