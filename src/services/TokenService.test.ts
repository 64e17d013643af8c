import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isGroveError } from '../errors.ts';
import { openSqlite, type NodeSqlite } from '../runtime/node/sqlite.ts';
import { migrateControlSchema } from './controlSchema.ts';
import { TokenService, type TokenScope } from './TokenService.ts';

const REPO = 'a'.repeat(32);
const T0 = Date.UTC(2030, 0, 1);

interface TokenRow {
  id: string;
  repo_id: string | null;
  scope: string;
  secret_hash: Uint8Array;
  label: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

/** A control database with one repository, and a clock the test moves. */
function setup(options: { adminToken?: string } = {}): { sql: NodeSqlite; tokens: TokenService; clock: { now: number }; row(id: string): TokenRow } {
  const sql = openSqlite(':memory:');
  migrateControlSchema(sql);
  sql.run(`INSERT INTO namespaces (name, created_at) VALUES ('ns', 0)`);
  sql.run(`INSERT INTO repos (id, namespace, name, default_branch, created_at, updated_at) VALUES (?, 'ns', 'repo', 'main', 0, 0)`, REPO);
  const clock = { now: T0 };
  const tokens = new TokenService(sql, { ...options, now: () => clock.now });
  return { sql, tokens, clock, row: (id) => sql.query<TokenRow>('SELECT * FROM tokens WHERE id = ?', id)[0]! };
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(isGroveError(err) ? err.code : String(err)).toBe(code);
}

describe('TokenService.mint', () => {
  it('makes grove_<id>_<secret> and stores only the SHA-256 of the secret (docs/STORAGE.md rule 14)', async () => {
    const { tokens, row, sql } = setup();
    const minted = await tokens.mint({ repoId: REPO, scope: 'write', ttlSeconds: 3600, label: 'ci' });
    const match = /^grove_([0-9a-f]{16})_([0-9a-f]{64})$/.exec(minted.token);
    expect(match).not.toBeNull();
    const [, id, secret] = match as unknown as [string, string, string];
    expect(minted).toEqual({ id, token: minted.token, scope: 'write', label: 'ci', expires_at: new Date(T0 + 3_600_000).toISOString() });
    const stored = row(id);
    expect(stored).toMatchObject({ repo_id: REPO, scope: 'write', label: 'ci', created_at: T0, expires_at: T0 + 3_600_000, revoked_at: null, last_used_at: null });
    expect(Buffer.from(stored.secret_hash).toString('hex')).toBe(sha256(secret));
    // The secret appears nowhere in the database.
    const dump = JSON.stringify(sql.query('SELECT * FROM tokens'), (_, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
    expect(dump).not.toContain(secret);
    sql.close();
  });

  it('mints distinct tokens, and one without expiry when ttlSeconds is null', async () => {
    const { tokens, row, sql } = setup();
    const a = await tokens.mint({ repoId: REPO, scope: 'read', ttlSeconds: null });
    const b = await tokens.mint({ repoId: REPO, scope: 'read', ttlSeconds: null });
    expect(a.id).not.toBe(b.id);
    expect(a.token).not.toBe(b.token);
    expect(a.expires_at).toBeNull();
    expect(a.label).toBe('');
    expect(row(a.id).expires_at).toBeNull();
    sql.close();
  });

  it('refuses an admin token for a repository and a repository token with the admin scope (rule 15)', async () => {
    const { tokens, sql } = setup();
    await expectCode(tokens.mint({ repoId: REPO, scope: 'admin', ttlSeconds: null }), 'BAD_REQUEST');
    for (const scope of ['read', 'write'] as TokenScope[]) await expectCode(tokens.mint({ repoId: null, scope, ttlSeconds: null }), 'BAD_REQUEST');
    const admin = await tokens.mint({ repoId: null, scope: 'admin', ttlSeconds: 60 });
    expect(await tokens.verify(admin.token)).toEqual({ tokenId: admin.id, repoId: null, scope: 'admin' });
    expect(Number(sql.query<{ n: number }>('SELECT count(*) AS n FROM tokens')[0]!.n)).toBe(1);
    sql.close();
  });
});

describe('TokenService.verify', () => {
  it('grants what the token was minted for, and records when it was used (at most once a minute)', async () => {
    const { tokens, clock, row, sql } = setup();
    const minted = await tokens.mint({ repoId: REPO, scope: 'read', ttlSeconds: null });
    clock.now = T0 + 1000;
    expect(await tokens.verify(minted.token)).toEqual({ tokenId: minted.id, repoId: REPO, scope: 'read' });
    expect(row(minted.id).last_used_at).toBe(T0 + 1000);
    clock.now = T0 + 31_000;
    await tokens.verify(minted.token);
    expect(row(minted.id).last_used_at).toBe(T0 + 1000);
    clock.now = T0 + 61_001;
    await tokens.verify(minted.token);
    expect(row(minted.id).last_used_at).toBe(T0 + 61_001);
    sql.close();
  });

  it('refuses a token once it expires', async () => {
    const { tokens, clock, sql } = setup();
    const minted = await tokens.mint({ repoId: REPO, scope: 'write', ttlSeconds: 60 });
    clock.now = T0 + 59_999;
    expect(await tokens.verify(minted.token)).not.toBeNull();
    clock.now = T0 + 60_000;
    expect(await tokens.verify(minted.token)).toBeNull();
    clock.now = T0 + 10 * 60_000;
    expect(await tokens.verify(minted.token)).toBeNull();
    sql.close();
  });

  it('refuses a revoked token', async () => {
    const { tokens, clock, sql } = setup();
    const minted = await tokens.mint({ repoId: REPO, scope: 'write', ttlSeconds: null });
    const other = await tokens.mint({ repoId: REPO, scope: 'write', ttlSeconds: null });
    expect(await tokens.verify(minted.token)).not.toBeNull();
    sql.run('UPDATE tokens SET revoked_at = ? WHERE id = ?', T0 + 5, minted.id);
    clock.now = T0 + 10;
    expect(await tokens.verify(minted.token)).toBeNull();
    expect(await tokens.verify(other.token)).not.toBeNull();
    sql.close();
  });

  it('refuses a wrong secret with a right id, a right secret with a wrong id, and malformed tokens', async () => {
    const { tokens, sql } = setup();
    const minted = await tokens.mint({ repoId: REPO, scope: 'write', ttlSeconds: null });
    const secret = minted.token.slice(-64);
    const flip = (c: string): string => (c === '0' ? '1' : '0');
    const wrong = [
      `grove_${minted.id}_${flip(secret[0]!)}${secret.slice(1)}`, // first byte differs
      `grove_${minted.id}_${secret.slice(0, -1)}${flip(secret.at(-1)!)}`, // last byte differs
      `grove_${'f'.repeat(16)}_${secret}`, // unknown id
      `grove_${minted.id}_${secret.toUpperCase()}`,
      `grove_${minted.id}_${secret}0`,
      `grove_${minted.id}_${secret.slice(1)}`,
      `${minted.token} `,
      minted.token.replace('grove_', 'grave_'),
      secret,
      '',
    ];
    for (const token of wrong) expect(await tokens.verify(token), token).toBeNull();
    expect(await tokens.verify(minted.token)).not.toBeNull();
    sql.close();
  });

  it('compares the whole hash: a stored hash of another length, or differing in its last byte, never matches', async () => {
    const { tokens, row, sql } = setup();
    const minted = await tokens.mint({ repoId: REPO, scope: 'read', ttlSeconds: null });
    const hash = new Uint8Array(row(minted.id).secret_hash);
    expect(hash.length).toBe(32);
    sql.run('UPDATE tokens SET secret_hash = ? WHERE id = ?', hash.subarray(0, 31), minted.id);
    expect(await tokens.verify(minted.token)).toBeNull();
    sql.run('UPDATE tokens SET secret_hash = ? WHERE id = ?', Uint8Array.from([...hash, 0]), minted.id);
    expect(await tokens.verify(minted.token)).toBeNull();
    const lastByte = Uint8Array.from(hash);
    lastByte[31]! ^= 1;
    sql.run('UPDATE tokens SET secret_hash = ? WHERE id = ?', lastByte, minted.id);
    expect(await tokens.verify(minted.token)).toBeNull();
    sql.run('UPDATE tokens SET secret_hash = ? WHERE id = ?', hash, minted.id);
    expect(await tokens.verify(minted.token)).not.toBeNull();
    sql.close();
  });

  it('accepts the configured admin secret as an admin token, and only it', async () => {
    const { tokens, sql } = setup({ adminToken: 'correct horse battery staple' });
    expect(await tokens.verify('correct horse battery staple')).toEqual({ tokenId: 'bootstrap', repoId: null, scope: 'admin' });
    expect(await tokens.verify('correct horse battery stapl')).toBeNull();
    expect(await tokens.verify('correct horse battery staple ')).toBeNull();
    const minted = await tokens.mint({ repoId: REPO, scope: 'read', ttlSeconds: null });
    expect(await tokens.verify(minted.token)).toEqual({ tokenId: minted.id, repoId: REPO, scope: 'read' });
    sql.close();

    const none = setup();
    expect(await none.tokens.verify('correct horse battery staple')).toBeNull();
    expect(await none.tokens.verify('')).toBeNull();
    none.sql.close();
  });
});
