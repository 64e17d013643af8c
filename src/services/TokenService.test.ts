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
    expect(minted).toEqual({ id, token: minted.token, scope: 'write', label: 'ci', created_at: new Date(T0).toISOString(), expires_at: new Date(T0 + 3_600_000).toISOString() });
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

describe('TokenService.mint: time to live', () => {
  it('takes 60 s to one year (31,536,000 s), and refuses anything else with BAD_REQUEST on ttl', async () => {
    const { tokens, sql } = setup();
    for (const ttlSeconds of [60, 31_536_000]) {
      const minted = await tokens.mint({ repoId: REPO, scope: 'read', ttlSeconds });
      expect(minted.expires_at).toBe(new Date(T0 + ttlSeconds * 1000).toISOString());
    }
    for (const ttlSeconds of [59, 31_536_001, 0, -60, 60.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const err = await tokens.mint({ repoId: REPO, scope: 'read', ttlSeconds }).then(() => undefined, (e: unknown) => e);
      expect(isGroveError(err) ? [err.code, err.details] : err, String(ttlSeconds)).toEqual(['BAD_REQUEST', { field: 'ttl' }]);
    }
    expect(Number(sql.query<{ n: number }>('SELECT count(*) AS n FROM tokens')[0]!.n)).toBe(2);
    sql.close();
  });
});

describe('TokenService.list', () => {
  /** Three tokens a second apart, then the clock at T0 + 10 s: `short` (ttl 60) still active. */
  async function three(): Promise<{ t: ReturnType<typeof setup>; short: string; forever: string; hour: string }> {
    const t = setup();
    const short = (await t.tokens.mint({ repoId: REPO, scope: 'read', ttlSeconds: 60, label: 'short' })).id;
    t.clock.now = T0 + 1000;
    const forever = (await t.tokens.mint({ repoId: REPO, scope: 'write', ttlSeconds: null, label: 'forever' })).id;
    t.clock.now = T0 + 2000;
    const hour = (await t.tokens.mint({ repoId: REPO, scope: 'write', ttlSeconds: 3600, label: 'hour' })).id;
    t.clock.now = T0 + 10_000;
    return { t, short, forever, hour };
  }

  const ids = (page: { tokens: { id: string }[] }): string[] => page.tokens.map((x) => x.id);

  it('shows each token newest first, with its state and times, and never its secret', async () => {
    const { t, short, forever, hour } = await three();
    const page = t.tokens.list(REPO, { state: 'all', limit: 50 });
    expect(page.nextCursor).toBeNull();
    expect(page.tokens).toEqual([
      { id: hour, scope: 'write', label: 'hour', state: 'active', created_at: new Date(T0 + 2000).toISOString(), expires_at: new Date(T0 + 2000 + 3_600_000).toISOString(), last_used_at: null, revoked_at: null },
      { id: forever, scope: 'write', label: 'forever', state: 'active', created_at: new Date(T0 + 1000).toISOString(), expires_at: null, last_used_at: null, revoked_at: null },
      { id: short, scope: 'read', label: 'short', state: 'active', created_at: new Date(T0).toISOString(), expires_at: new Date(T0 + 60_000).toISOString(), last_used_at: null, revoked_at: null },
    ]);
    for (const token of page.tokens) expect(Object.keys(token)).not.toContain('token');
    t.sql.close();
  });

  it('moves a token from active to expired when its time is up, and a revoked one to revoked', async () => {
    const { t, short, forever, hour } = await three();
    expect(ids(t.tokens.list(REPO, { state: 'active', limit: 50 }))).toEqual([hour, forever, short]);
    expect(ids(t.tokens.list(REPO, { state: 'expired', limit: 50 }))).toEqual([]);

    t.clock.now = T0 + 60_000; // short expires at this very millisecond
    expect(ids(t.tokens.list(REPO, { state: 'active', limit: 50 }))).toEqual([hour, forever]);
    const expired = t.tokens.list(REPO, { state: 'expired', limit: 50 });
    expect(ids(expired)).toEqual([short]);
    expect(expired.tokens[0]).toMatchObject({ state: 'expired', revoked_at: null, expires_at: new Date(T0 + 60_000).toISOString() });

    t.clock.now = T0 + 70_000;
    t.tokens.revoke(REPO, hour);
    expect(ids(t.tokens.list(REPO, { state: 'active', limit: 50 }))).toEqual([forever]);
    expect(ids(t.tokens.list(REPO, { state: 'expired', limit: 50 }))).toEqual([short]);
    const revoked = t.tokens.list(REPO, { state: 'revoked', limit: 50 });
    expect(ids(revoked)).toEqual([hour]);
    expect(revoked.tokens[0]).toMatchObject({ state: 'revoked', revoked_at: new Date(T0 + 70_000).toISOString() });
    const all = t.tokens.list(REPO, { state: 'all', limit: 50 });
    expect(all.tokens.map((x) => [x.id, x.state])).toEqual([[hour, 'revoked'], [forever, 'active'], [short, 'expired']]);

    // A revoked token that has also expired is listed as revoked, not expired.
    t.clock.now = T0 + 2000 + 3_600_000;
    expect(ids(t.tokens.list(REPO, { state: 'expired', limit: 50 }))).toEqual([short]);
    expect(ids(t.tokens.list(REPO, { state: 'revoked', limit: 50 }))).toEqual([hour]);
    t.sql.close();
  });

  it('agrees with verify: what is listed active is accepted, expired and revoked are refused', async () => {
    const t = setup();
    const short = await t.tokens.mint({ repoId: REPO, scope: 'read', ttlSeconds: 60 });
    const revoked = await t.tokens.mint({ repoId: REPO, scope: 'write', ttlSeconds: null });
    const kept = await t.tokens.mint({ repoId: REPO, scope: 'write', ttlSeconds: 3600 });
    t.tokens.revoke(REPO, revoked.id);
    t.clock.now = T0 + 60_000;
    for (const minted of [short, revoked, kept]) {
      const state = t.tokens.list(REPO, { state: 'all', limit: 50 }).tokens.find((x) => x.id === minted.id)!.state;
      expect(await t.tokens.verify(minted.token) !== null, state).toBe(state === 'active');
    }
    t.sql.close();
  });

  it('shows when a token was last used', async () => {
    const t = setup();
    const minted = await t.tokens.mint({ repoId: REPO, scope: 'read', ttlSeconds: null });
    t.clock.now = T0 + 5000;
    await t.tokens.verify(minted.token);
    expect(t.tokens.list(REPO, { state: 'active', limit: 50 }).tokens[0]!.last_used_at).toBe(new Date(T0 + 5000).toISOString());
    t.sql.close();
  });

  it('keeps repository tokens and admin tokens apart, and other repositories\' tokens out', async () => {
    const t = setup();
    t.sql.run(`INSERT INTO repos (id, namespace, name, default_branch, created_at, updated_at) VALUES (?, 'ns', 'other', 'main', 0, 0)`, 'b'.repeat(32));
    const mine = await t.tokens.mint({ repoId: REPO, scope: 'read', ttlSeconds: null });
    const theirs = await t.tokens.mint({ repoId: 'b'.repeat(32), scope: 'read', ttlSeconds: null });
    const admin = await t.tokens.mint({ repoId: null, scope: 'admin', ttlSeconds: null });
    expect(ids(t.tokens.list(REPO, { state: 'all', limit: 50 }))).toEqual([mine.id]);
    expect(ids(t.tokens.list('b'.repeat(32), { state: 'all', limit: 50 }))).toEqual([theirs.id]);
    expect(ids(t.tokens.list(null, { state: 'all', limit: 50 }))).toEqual([admin.id]);
    t.sql.close();
  });

  it('pages newest first: limit 1 walks each token once, exactly `limit` left gives no cursor, and ties in time go by id', async () => {
    const t = setup();
    const minted: string[] = [];
    for (let i = 0; i < 5; i++) {
      if (i === 3) t.clock.now = T0 + 1000; // tokens 0-2 share a created_at
      minted.push((await t.tokens.mint({ repoId: REPO, scope: 'read', ttlSeconds: null })).id);
    }
    const all = ids(t.tokens.list(REPO, { state: 'all', limit: 50 }));
    const newer = minted.slice(3).sort().reverse();
    const older = minted.slice(0, 3).sort().reverse();
    expect(all).toEqual([...newer, ...older]);

    const walked: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = t.tokens.list(REPO, { state: 'all', limit: 1, ...(cursor === undefined ? {} : { cursor }) });
      expect(page.tokens).toHaveLength(1);
      walked.push(...ids(page));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(walked).toEqual(all);

    const exact = t.tokens.list(REPO, { state: 'all', limit: 5 });
    expect(exact.nextCursor).toBeNull();
    const first = t.tokens.list(REPO, { state: 'all', limit: 2 });
    const rest = t.tokens.list(REPO, { state: 'all', limit: 3, cursor: first.nextCursor! });
    expect([...ids(first), ...ids(rest)]).toEqual(all);
    expect(rest.nextCursor).toBeNull();
    t.sql.close();
  });

  it('keeps a cursor valid while tokens are revoked and minted', async () => {
    const t = setup();
    for (let i = 0; i < 4; i++) {
      t.clock.now = T0 + i * 1000;
      await t.tokens.mint({ repoId: REPO, scope: 'read', ttlSeconds: null });
    }
    const all = ids(t.tokens.list(REPO, { state: 'active', limit: 50 }));
    const first = t.tokens.list(REPO, { state: 'active', limit: 2 });
    t.tokens.revoke(REPO, all[1]!); // the last one seen
    t.clock.now = T0 + 10_000;
    await t.tokens.mint({ repoId: REPO, scope: 'read', ttlSeconds: null }); // newer than everything seen
    expect(ids(t.tokens.list(REPO, { state: 'active', limit: 50, cursor: first.nextCursor! }))).toEqual(all.slice(2));
    t.sql.close();
  });

  it('refuses a cursor no page gave with BAD_REQUEST on cursor', () => {
    const t = setup();
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of ['', 'zzz', encode(['x', 'y']), encode([1]), encode([1, 'a', 2]), encode({ a: 1 })]) {
      let err: unknown;
      try {
        t.tokens.list(REPO, { state: 'all', limit: 1, cursor });
      } catch (e) {
        err = e;
      }
      expect(isGroveError(err) ? [err.code, err.details] : err, cursor).toEqual(['BAD_REQUEST', { field: 'cursor' }]);
    }
    t.sql.close();
  });
});

describe('TokenService.revoke', () => {
  it('revokes once: a second revocation is no error and keeps the first time', async () => {
    const t = setup();
    const minted = await t.tokens.mint({ repoId: REPO, scope: 'write', ttlSeconds: null });
    t.clock.now = T0 + 1000;
    t.tokens.revoke(REPO, minted.id);
    expect(t.row(minted.id).revoked_at).toBe(T0 + 1000);
    t.clock.now = T0 + 2000;
    t.tokens.revoke(REPO, minted.id);
    expect(t.row(minted.id).revoked_at).toBe(T0 + 1000);
    expect(await t.tokens.verify(minted.token)).toBeNull();
    t.sql.close();
  });

  it('answers NOT_FOUND for an unknown id, a token of another repository, or the wrong kind, and revokes nothing', async () => {
    const t = setup();
    t.sql.run(`INSERT INTO repos (id, namespace, name, default_branch, created_at, updated_at) VALUES (?, 'ns', 'other', 'main', 0, 0)`, 'b'.repeat(32));
    const mine = await t.tokens.mint({ repoId: REPO, scope: 'write', ttlSeconds: null });
    const admin = await t.tokens.mint({ repoId: null, scope: 'admin', ttlSeconds: null });
    const attempts: [string | null, string][] = [[REPO, 'f'.repeat(16)], ['b'.repeat(32), mine.id], [null, mine.id], [REPO, admin.id], [null, 'bootstrap']];
    for (const [repoId, id] of attempts) {
      let err: unknown;
      try {
        t.tokens.revoke(repoId, id);
      } catch (e) {
        err = e;
      }
      expect(isGroveError(err) ? err.code : err, `${repoId} ${id}`).toBe('NOT_FOUND');
    }
    expect(await t.tokens.verify(mine.token)).not.toBeNull();
    expect(await t.tokens.verify(admin.token)).not.toBeNull();
    t.sql.close();
  });
});
