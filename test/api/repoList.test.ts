/**
 * `GET /v1/namespaces/:ns/repos` of docs/API.md: `limit` (1–200, default
 * 50), `cursor`, `search` (substring of the name, case-insensitive), `sort`
 * (`created_at`|`updated_at`|`last_push_at`|`name`, default `created_at`),
 * `direction` (`asc`|`desc`, default `desc`); 200 `{repos: Repo[], next_cursor}`.
 *
 * The order of every sort × direction is checked on repositories whose
 * created, updated and pushed times all differ (a push sets `last_push_at`;
 * one never pushed to sorts as the oldest), and the paging contract on each:
 * limit 1 walks every repository once, a full last page has `next_cursor:
 * null`, and a cursor stays valid while repositories come and go.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git } from '../support/git.ts';
import { useTempDir } from '../support/tempDir.ts';
import { tick, uniqueName, useApiServer } from './support/apiServer.ts';
import { page, walk } from './support/pages.ts';
import { expectError, expectRepo, ms, type RepoJson } from './support/shapes.ts';
import { initWorkTree } from './support/workTree.ts';

const server = useApiServer();
const work = useTempDir('grove-api-list-');

const names = (repos: RepoJson[]): string[] => repos.map((r) => r.name);
const path = (ns: string): string => `/v1/namespaces/${ns}/repos`;

describe('sort × direction', () => {
  const ns = uniqueName('sorted');
  // Created in this order; then echo and delta are changed (in that order), then alpha and charlie pushed to.
  const CREATED = ['delta', 'alpha', 'echo', 'charlie', 'bravo'];
  const UPDATED = ['bravo', 'echo', 'delta', 'alpha', 'charlie'];
  const NEVER_PUSHED = ['bravo', 'delta', 'echo'];
  const PUSHED = ['alpha', 'charlie'];

  beforeAll(async () => {
    const tokens: Record<string, string> = {};
    for (const name of CREATED) {
      await tick();
      tokens[name] = (await server().createRepo(ns, { name })).token;
    }
    for (const name of ['echo', 'delta']) {
      await tick();
      expect((await server().call('PATCH', `${path(ns)}/${name}`, { json: { description: `changed ${name}` } })).status).toBe(200);
    }
    const dir = join(work, 'sorted');
    await initWorkTree(dir);
    for (const name of PUSHED) {
      await tick();
      await git(['push', '--quiet', `${server().url}/git/${ns}/${name}.git`, 'main'], { cwd: dir, token: tokens[name]! });
    }
  });

  it('lists Repos, newest created first by default', async () => {
    const got = await page<RepoJson>(server(), path(ns), 'repos');
    expect(got.next_cursor).toBeNull();
    expect(names(got.items)).toEqual([...CREATED].reverse());
    for (const repo of got.items) expectRepo(repo, server().url, { namespace: ns });
    for (const name of PUSHED) expect(got.items.find((r) => r.name === name)?.last_push_at).not.toBeNull();
    for (const name of NEVER_PUSHED) expect(got.items.find((r) => r.name === name)?.last_push_at).toBeNull();
    const byDefault = await page<RepoJson>(server(), path(ns), 'repos', { sort: 'created_at', direction: 'desc' });
    expect(byDefault).toEqual(got);
  });

  it('has the times the order below relies on all different', async () => {
    const repos = (await page<RepoJson>(server(), path(ns), 'repos')).items;
    const byName = new Map(repos.map((r) => [r.name, r]));
    const created = CREATED.map((n) => ms(byName.get(n)!.created_at));
    const updated = UPDATED.map((n) => ms(byName.get(n)!.updated_at));
    const pushed = PUSHED.map((n) => ms(byName.get(n)!.last_push_at!));
    for (const times of [created, updated, pushed]) {
      for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
    }
  });

  const orders: Record<string, { asc: string[]; desc: string[] }> = {
    created_at: { asc: CREATED, desc: [...CREATED].reverse() },
    updated_at: { asc: UPDATED, desc: [...UPDATED].reverse() },
    name: { asc: ['alpha', 'bravo', 'charlie', 'delta', 'echo'], desc: ['echo', 'delta', 'charlie', 'bravo', 'alpha'] },
  };

  for (const sort of ['created_at', 'updated_at', 'name'] as const) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`sort=${sort}&direction=${direction}: in that order, the same walked one at a time`, async () => {
        const expected = orders[sort]![direction];
        const whole = await page<RepoJson>(server(), path(ns), 'repos', { sort, direction });
        expect(names(whole.items)).toEqual(expected);
        expect(whole.next_cursor).toBeNull();
        for (const limit of [1, 2, 5]) {
          expect(names(await walk<RepoJson>(server(), path(ns), 'repos', limit, { sort, direction })), `limit ${limit}`).toEqual(expected);
        }
      });
    }
  }

  for (const direction of ['asc', 'desc'] as const) {
    it(`sort=last_push_at&direction=${direction}: never pushed to sorts as the oldest`, async () => {
      const whole = names((await page<RepoJson>(server(), path(ns), 'repos', { sort: 'last_push_at', direction })).items);
      // The never-pushed repositories are tied; their order among themselves is not specified.
      if (direction === 'asc') {
        expect(whole.slice(0, 3).sort()).toEqual(NEVER_PUSHED);
        expect(whole.slice(3)).toEqual(PUSHED);
      } else {
        expect(whole.slice(0, 2)).toEqual([...PUSHED].reverse());
        expect(whole.slice(2).sort()).toEqual(NEVER_PUSHED);
      }
      for (const limit of [1, 2, 3]) {
        const walked = names(await walk<RepoJson>(server(), path(ns), 'repos', limit, { sort: 'last_push_at', direction }));
        expect(walked, `limit ${limit}`).toEqual(whole);
      }
    });
  }

  it('answers 400 BAD_REQUEST to a sort or direction not documented, naming the field', async () => {
    for (const [query, field] of [
      ['sort=size', 'sort'], ['sort=NAME', 'sort'], ['sort=', 'sort'], ['sort=id', 'sort'],
      ['direction=up', 'direction'], ['direction=DESC', 'direction'], ['direction=', 'direction'],
    ] as const) {
      const error = expectError(await server().call('GET', `${path(ns)}?${query}`), 'BAD_REQUEST', query);
      expect(error.details).toMatchObject({ field });
    }
  });

  it('answers 400 BAD_REQUEST to a cursor of another sort', async () => {
    const byName = await page<RepoJson>(server(), path(ns), 'repos', { sort: 'name', limit: 1 });
    const error = expectError(await server().call('GET', `${path(ns)}?sort=created_at&cursor=${byName.next_cursor!}`), 'BAD_REQUEST');
    expect(error.details).toMatchObject({ field: 'cursor' });
    const byTime = await page<RepoJson>(server(), path(ns), 'repos', { limit: 1 });
    expectError(await server().call('GET', `${path(ns)}?sort=name&cursor=${byTime.next_cursor!}`), 'BAD_REQUEST');
  });
});

describe('paging', () => {
  const ns = uniqueName('paged');
  const all: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 9; i++) {
      const name = `p-${String(i).padStart(2, '0')}`;
      await server().createRepo(ns, { name });
      all.push(name);
    }
  });

  it('walks every repository exactly once with limit 1, for each sort', async () => {
    for (const sort of ['created_at', 'updated_at', 'last_push_at', 'name']) {
      const walked = names(await walk<RepoJson>(server(), path(ns), 'repos', 1, { sort, direction: 'asc' }));
      expect(walked.length, sort).toBe(all.length);
      expect(new Set(walked).size, sort).toBe(all.length);
      expect([...walked].sort(), sort).toEqual(all);
    }
  });

  it('gives next_cursor null when exactly `limit` repositories remain', async () => {
    const exact = await page<RepoJson>(server(), path(ns), 'repos', { limit: all.length, sort: 'name', direction: 'asc' });
    expect(names(exact.items)).toEqual(all);
    expect(exact.next_cursor).toBeNull();
    const first = await page<RepoJson>(server(), path(ns), 'repos', { limit: 6, sort: 'name', direction: 'asc' });
    const second = await page<RepoJson>(server(), path(ns), 'repos', { limit: 3, sort: 'name', direction: 'asc', cursor: first.next_cursor! });
    expect(names(second.items)).toEqual(all.slice(6));
    expect(second.next_cursor).toBeNull();
  });

  it('keeps a cursor valid while repositories before and after it are deleted and added', async () => {
    const first = await page<RepoJson>(server(), path(ns), 'repos', { limit: 3, sort: 'name', direction: 'asc' });
    expect(names(first.items)).toEqual(['p-00', 'p-01', 'p-02']);
    for (const name of ['p-02', 'p-00', 'p-05']) expect((await server().call('DELETE', `${path(ns)}/${name}`)).status).toBe(204);
    for (const name of ['p-015', 'p-045', 'p-99']) await server().createRepo(ns, { name });
    const rest: string[] = [];
    let cursor: string | null = first.next_cursor;
    while (cursor !== null) {
      const next: { items: RepoJson[]; next_cursor: string | null } = await page<RepoJson>(server(), path(ns), 'repos', { limit: 2, sort: 'name', direction: 'asc', cursor });
      rest.push(...names(next.items));
      cursor = next.next_cursor;
    }
    expect(rest).toEqual(['p-03', 'p-04', 'p-045', 'p-06', 'p-07', 'p-08', 'p-99']);
  });

  it('keeps a created_at cursor valid too: a deleted last-seen item, a new newest one', async () => {
    const newestFirst = names(await walk<RepoJson>(server(), path(ns), 'repos', 200));
    const first = await page<RepoJson>(server(), path(ns), 'repos', { limit: 2 });
    expect(names(first.items)).toEqual(newestFirst.slice(0, 2));
    expect((await server().call('DELETE', `${path(ns)}/${newestFirst[1]!}`)).status).toBe(204);
    await tick();
    await server().createRepo(ns, { name: 'p-newest' });
    const rest = names(await walkFrom(first.next_cursor!));
    expect(rest).toEqual(newestFirst.slice(2));
  });

  async function walkFrom(cursor: string): Promise<RepoJson[]> {
    const out: RepoJson[] = [];
    let next: string | null = cursor;
    while (next !== null) {
      const got: { items: RepoJson[]; next_cursor: string | null } = await page<RepoJson>(server(), path(ns), 'repos', { limit: 3, cursor: next });
      out.push(...got.items);
      next = got.next_cursor;
    }
    return out;
  }

  it('takes limit from 1 to 200 and defaults to 50', async () => {
    const big = uniqueName('big');
    for (let i = 0; i < 51; i++) await server().createRepo(big, { name: `b-${i}` });
    const byDefault = await page<RepoJson>(server(), path(big), 'repos');
    expect(byDefault.items).toHaveLength(50);
    expect(byDefault.next_cursor).not.toBeNull();
    const most = await page<RepoJson>(server(), path(big), 'repos', { limit: 200 });
    expect(most.items).toHaveLength(51);
    expect(most.next_cursor).toBeNull();
  });

  it.each(['0', '201', 'abc', '-5', '2.5', ''])('answers 400 BAD_REQUEST to limit=%j', async (limit) => {
    const error = expectError(await server().call('GET', `${path(ns)}?limit=${limit}`), 'BAD_REQUEST', limit);
    expect(error.details).toMatchObject({ field: 'limit' });
  });

  it('answers 400 BAD_REQUEST to a cursor no page gave', async () => {
    for (const cursor of ['zzz', Buffer.from('["x","y"]').toString('base64url'), Buffer.from('[1]').toString('base64url'), 'c'.repeat(1025)]) {
      const error = expectError(await server().call('GET', `${path(ns)}?cursor=${cursor}`), 'BAD_REQUEST', cursor.slice(0, 40));
      expect(error.details).toMatchObject({ field: 'cursor' });
    }
  });

  it('answers an empty page for a namespace with no repositories, 404 NOT_FOUND for one that does not exist', async () => {
    const empty = uniqueName('empty');
    expect((await server().call('POST', '/v1/namespaces', { json: { name: empty } })).status).toBe(201);
    expect(await page<RepoJson>(server(), path(empty), 'repos')).toEqual({ items: [], next_cursor: null });
    const missing = uniqueName('missing');
    const error = expectError(await server().call('GET', path(missing)), 'NOT_FOUND');
    expect(error.details).toMatchObject({ namespace: missing });
  });

  it('lists only the repositories of the namespace', async () => {
    const other = uniqueName('other');
    await server().createRepo(other, { name: 'p-00' });
    const mine = await walk<RepoJson>(server(), path(ns), 'repos', 200);
    expect(mine.every((r) => r.namespace === ns)).toBe(true);
    expect(names(await walk<RepoJson>(server(), path(other), 'repos', 200))).toEqual(['p-00']);
  });
});

describe('search', () => {
  const ns = uniqueName('search');
  const NAMES = ['Alpha-one', 'alpha_two', 'alphaXtwo', 'beta.one', 'Gamma', 'a_b', 'axb', 'a.b'];

  beforeAll(async () => {
    for (const name of NAMES) await server().createRepo(ns, { name });
  });

  const search = async (text: string, query: Record<string, string | number> = {}): Promise<string[]> =>
    names(await walk<RepoJson>(server(), path(ns), 'repos', 200, { search: text, sort: 'name', direction: 'asc', ...query })).sort();

  it('matches a substring of the name, ignoring case', async () => {
    expect(await search('alpha')).toEqual(['Alpha-one', 'alphaXtwo', 'alpha_two'].sort());
    expect(await search('ALPHA')).toEqual(['Alpha-one', 'alphaXtwo', 'alpha_two'].sort());
    expect(await search('ONE')).toEqual(['Alpha-one', 'beta.one']);
    expect(await search('gamma')).toEqual(['Gamma']);
    expect(await search('mm')).toEqual(['Gamma']);
    expect(await search('Alpha-one')).toEqual(['Alpha-one']);
    expect(await search('nothing-like-it')).toEqual([]);
  });

  it('treats _ and % literally, not as wildcards', async () => {
    expect(await search('_')).toEqual(['a_b', 'alpha_two']);
    expect(await search('a_b')).toEqual(['a_b']);
    expect(await search('a_t')).toEqual(['alpha_two']);
    expect(await search('%')).toEqual([]);
    expect(await search('a%b')).toEqual([]);
    expect(await search('%one')).toEqual([]);
    expect(await search('\\')).toEqual([]);
    expect(await search('.')).toEqual(['a.b', 'beta.one']);
  });

  it('an empty search matches everything', async () => {
    expect(await search('')).toEqual([...NAMES].sort());
  });

  it('pages through the matches only', async () => {
    const walked = names(await walk<RepoJson>(server(), path(ns), 'repos', 1, { search: 'a' }));
    expect(walked.length).toBe(new Set(walked).size);
    expect([...walked].sort()).toEqual(NAMES.filter((n) => n.toLowerCase().includes('a')).sort());
  });

  it('answers 400 BAD_REQUEST to a search longer than a name can be', async () => {
    const error = expectError(await server().call('GET', `${path(ns)}?search=${'a'.repeat(64)}`), 'BAD_REQUEST');
    expect(error.details).toMatchObject({ field: 'search' });
    expect(await search('a'.repeat(63))).toEqual([]);
  });
});
