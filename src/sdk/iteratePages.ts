/**
 * Every item of a paged list (docs/API.md, "Paging"): asks for page after page,
 * passing each `next_cursor` back as `cursor`, until it is `null`. Bounded:
 * past `maxPages` pages, or on a cursor that does not move, it throws rather
 * than loop forever.
 */
import { GroveApiError } from './GroveApiError.ts';
import type { IterateOptions, Page } from './types.ts';

export const DEFAULT_MAX_PAGES = 1_000;

export async function* iteratePages<Key extends string, Item>(
  key: Key,
  firstCursor: string | undefined,
  fetchPage: (cursor: string | undefined) => Promise<Page<Key, Item>>,
  options: IterateOptions = {},
): AsyncGenerator<Item, void, undefined> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  let cursor = firstCursor;
  const seen = new Set<string>();
  for (let pages = 0; ; pages++) {
    if (pages >= maxPages) {
      throw new GroveApiError({ status: 0, code: 'PAGE_LIMIT', message: `stopped after ${maxPages} pages of ${key}; raise maxPages to read more` });
    }
    const page = await fetchPage(cursor);
    const items: Item[] = page[key];
    if (!Array.isArray(items)) {
      throw new GroveApiError({ status: 200, code: 'INVALID_RESPONSE', message: `a page of ${key} without a "${key}" array` });
    }
    yield* items;
    const next = page.next_cursor;
    if (next === null || next === undefined) return;
    if (seen.has(next)) {
      throw new GroveApiError({ status: 200, code: 'INVALID_RESPONSE', message: `the server sent the cursor ${next} twice while listing ${key}` });
    }
    seen.add(next);
    cursor = next;
  }
}
