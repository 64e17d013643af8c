/**
 * Tokens: a repo token (scope `read` or `write`) opens one repository; an
 * admin token drives the control plane. The plaintext is shown once, at
 * creation; only the SHA-256 of its secret is stored, and it is compared in
 * constant time. A token reads `grove_<id>_<secret>`: the id finds the row,
 * the secret proves possession, and the prefix lets secret scanners spot it.
 */
import { GroveError } from '../errors.ts';
import type { SqlPort } from '../store/sqlPort.ts';
import { decodeCursor, pageOf } from './cursor.ts';
import { randomHex } from './randomId.ts';

export type TokenScope = 'read' | 'write' | 'admin';

export interface TokenGrant {
  tokenId: string;
  /** The repository it opens; null for an admin token. */
  repoId: string | null;
  scope: TokenScope;
  /** For a draft token: the one draft it opens, and the paths it may read and write there. */
  draft?: DraftScope;
}

/** What a draft token may touch: one draft, and paths matching its globs (git wildmatch, `**` across folders). */
export interface DraftScope {
  id: string;
  read: string[];
  write: string[];
}

export interface MintedToken {
  id: string;
  token: string;
  scope: TokenScope;
  label: string;
  created_at: string;
  expires_at: string | null;
}

export type TokenState = 'active' | 'expired' | 'revoked';

/** What a list shows of a token: never its secret. */
export interface TokenInfo {
  id: string;
  scope: TokenScope;
  label: string;
  state: TokenState;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

interface TokenRow {
  id: string;
  scope: TokenScope;
  label: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

/** Bounds of a token's time to live, in seconds. */
export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 365 * 24 * 60 * 60;

const TOKEN = /^grove_([0-9a-f]{16})_([0-9a-f]{64})$/;
/** last_used_at is refreshed at most this often, so reads do not become writes. */
const TOUCH_INTERVAL_MS = 60_000;

export class TokenService {
  readonly #sql: SqlPort;
  readonly #now: () => number;
  readonly #bootstrapAdminHash: Promise<Uint8Array | null>;

  /** `adminToken`: the deployment's configured admin secret (any string), accepted as an admin token. */
  constructor(sql: SqlPort, options: { adminToken?: string; now?: () => number } = {}) {
    this.#sql = sql;
    this.#now = options.now ?? Date.now;
    this.#bootstrapAdminHash = options.adminToken === undefined ? Promise.resolve(null) : sha256(options.adminToken);
  }

  async mint(options: { repoId: string | null; scope: TokenScope; ttlSeconds: number | null; label?: string; draft?: DraftScope }): Promise<MintedToken> {
    if ((options.scope === 'admin') !== (options.repoId === null)) {
      throw new GroveError('BAD_REQUEST', 'an admin token has no repository, and a repository token is read or write');
    }
    if (options.draft !== undefined && options.repoId === null) throw new GroveError('BAD_REQUEST', 'a draft token belongs to a repository');
    if (options.ttlSeconds !== null && !(Number.isInteger(options.ttlSeconds) && options.ttlSeconds >= MIN_TTL_SECONDS && options.ttlSeconds <= MAX_TTL_SECONDS)) {
      throw new GroveError('BAD_REQUEST', `ttl must be a whole number of seconds from ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS} (one year)`, { field: 'ttl' });
    }
    const id = randomHex(8);
    const secret = randomHex(32);
    const now = this.#now();
    const expiresAt = options.ttlSeconds === null ? null : now + options.ttlSeconds * 1000;
    this.#sql.run(
      `INSERT INTO tokens (id, repo_id, scope, secret_hash, label, created_at, expires_at, draft_id, paths) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id, options.repoId, options.scope, await sha256(secret), options.label ?? '', now, expiresAt,
      options.draft?.id ?? null, options.draft === undefined ? null : JSON.stringify({ read: options.draft.read, write: options.draft.write }),
    );
    return {
      id,
      token: `grove_${id}_${secret}`,
      scope: options.scope,
      label: options.label ?? '',
      created_at: new Date(now).toISOString(),
      expires_at: expiresAt === null ? null : new Date(expiresAt).toISOString(),
    };
  }

  /** Tokens of a repository (or admin tokens, for `repoId` null), newest first. */
  list(repoId: string | null, options: { state: TokenState | 'all'; limit: number; cursor?: string }): { tokens: TokenInfo[]; nextCursor: string | null } {
    const now = this.#now();
    const where = [repoId === null ? `repo_id IS NULL` : `repo_id = ?`];
    const params: (string | number)[] = repoId === null ? [] : [repoId];
    if (options.state === 'revoked') where.push(`revoked_at IS NOT NULL`);
    if (options.state === 'expired') where.push(`revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ?`);
    if (options.state === 'active') where.push(`revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`);
    if (options.state === 'expired' || options.state === 'active') params.push(now);
    if (options.cursor !== undefined) {
      const [createdAt, id] = decodeCursor(options.cursor, ['number', 'string']);
      where.push(`(created_at, id) < (?, ?)`);
      params.push(createdAt!, id!);
    }
    const rows = this.#sql.query<TokenRow>(
      `SELECT id, scope, label, created_at, expires_at, revoked_at, last_used_at FROM tokens
       WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`,
      ...params, options.limit + 1,
    );
    const page = pageOf(rows, options.limit, (row) => [row.created_at, row.id]);
    return { tokens: page.items.map((row) => tokenInfo(row, now)), nextCursor: page.nextCursor };
  }

  /** Revokes a token of the repository (or an admin token, for `repoId` null); revoking twice is no error. */
  revoke(repoId: string | null, id: string): void {
    const row = this.#sql.query<{ revoked_at: number | null }>(
      `SELECT revoked_at FROM tokens WHERE id = ? AND ${repoId === null ? 'repo_id IS NULL' : 'repo_id = ?'}`,
      id, ...(repoId === null ? [] : [repoId]),
    )[0];
    if (row === undefined) throw new GroveError('NOT_FOUND', `no token ${id.slice(0, 32)} here`, { id: id.slice(0, 32) });
    if (row.revoked_at === null) this.#sql.run(`UPDATE tokens SET revoked_at = ? WHERE id = ?`, this.#now(), id);
  }

  /** The grant of a presented token, or null when it is unknown, wrong, expired or revoked. */
  async verify(presented: string): Promise<TokenGrant | null> {
    const bootstrap = await this.#bootstrapAdminHash;
    if (bootstrap !== null && constantTimeEqual(await sha256(presented), bootstrap)) {
      return { tokenId: 'bootstrap', repoId: null, scope: 'admin' };
    }
    const match = TOKEN.exec(presented);
    if (match === null) return null;
    const [, id, secret] = match as unknown as [string, string, string];
    const row = this.#sql.query<{
      repo_id: string | null; scope: TokenScope; secret_hash: Uint8Array; expires_at: number | null; revoked_at: number | null; last_used_at: number | null;
      draft_id: string | null; paths: string | null;
    }>(
      `SELECT repo_id, scope, secret_hash, expires_at, revoked_at, last_used_at, draft_id, paths FROM tokens WHERE id = ?`, id,
    )[0];
    const hash = await sha256(secret);
    if (row === undefined || !constantTimeEqual(hash, row.secret_hash)) return null;
    const now = this.#now();
    if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) return null;
    if (row.last_used_at === null || now - row.last_used_at > TOUCH_INTERVAL_MS) {
      this.#sql.run(`UPDATE tokens SET last_used_at = ? WHERE id = ?`, now, id);
    }
    if (row.draft_id === null) return { tokenId: id, repoId: row.repo_id, scope: row.scope };
    const paths = JSON.parse(row.paths ?? '{}') as { read?: string[]; write?: string[] };
    return { tokenId: id, repoId: row.repo_id, scope: row.scope, draft: { id: row.draft_id, read: paths.read ?? [], write: paths.write ?? [] } };
  }
}

function tokenInfo(row: TokenRow, now: number): TokenInfo {
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  const state: TokenState = row.revoked_at !== null ? 'revoked' : row.expires_at !== null && row.expires_at <= now ? 'expired' : 'active';
  return {
    id: row.id,
    scope: row.scope,
    label: row.label,
    state,
    created_at: new Date(row.created_at).toISOString(),
    expires_at: iso(row.expires_at),
    last_used_at: iso(row.last_used_at),
    revoked_at: iso(row.revoked_at),
  };
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
