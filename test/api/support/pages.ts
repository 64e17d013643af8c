/**
 * Walks a list route page by page (docs/API.md, "Paging"): every page but the
 * last holds exactly `limit` items and a string `next_cursor`; the last holds
 * 1 to `limit` items (none only when the list is empty) and `next_cursor: null`.
 */
import { expect } from 'vitest';
import type { ApiServer } from './apiServer.ts';

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** One page of `path` (which may hold a query already) under `key`. */
export async function page<T>(server: ApiServer, path: string, key: string, query: Record<string, string | number> = {}, token?: string): Promise<Page<T>> {
  const url = new URL(path, 'http://x');
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
  const answer = await server.call('GET', `${url.pathname}${url.search}`, token === undefined ? {} : { token });
  expect(answer.status, answer.text).toBe(200);
  const body = answer.json as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual([key, 'next_cursor'].sort());
  expect(Array.isArray(body[key])).toBe(true);
  const next = body['next_cursor'];
  if (next !== null) expect(typeof next).toBe('string');
  return { items: body[key] as T[], next_cursor: next as string | null };
}

/** Every item of `path`, fetched `limit` at a time, checking the shape of each page. */
export async function walk<T>(server: ApiServer, path: string, key: string, limit: number, query: Record<string, string | number> = {}): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  for (let pages = 0; ; pages++) {
    if (pages > 10_000) throw new Error(`${path}: too many pages`);
    const got: Page<T> = await page<T>(server, path, key, { ...query, limit, ...(cursor === null ? {} : { cursor }) });
    if (got.next_cursor !== null) expect(got.items.length, `page ${pages} of ${path}`).toBe(limit);
    else expect(got.items.length, `last page of ${path}`).toBeLessThanOrEqual(limit);
    if (got.next_cursor === null && pages > 0) expect(got.items.length, `no empty last page of ${path}`).toBeGreaterThan(0);
    all.push(...got.items);
    if (got.next_cursor === null) return all;
    cursor = got.next_cursor;
  }
}
