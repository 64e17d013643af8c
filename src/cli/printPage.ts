/**
 * The list commands' output: one page (and, in text mode, a pointer to the
 * next one on stderr), or with `--all` every page, followed to the end. With
 * `--json` and `--all` the items are printed as one page whose `next_cursor` is null.
 */
import type { Page } from '../sdk/types.ts';
import type { ClientFlags } from './clientFromFlags.ts';
import { printJson } from './output.ts';

export interface PageFlags {
  limit?: number;
  cursor?: string;
  all?: boolean;
}

export async function printPage<Key extends string, Item>(
  flags: ClientFlags & PageFlags,
  key: Key,
  onePage: () => Promise<Page<Key, Item>>,
  allItems: () => AsyncIterable<Item>,
  table: (items: readonly Item[]) => string,
): Promise<void> {
  let items: Item[];
  let next: string | null = null;
  if (flags.all === true) {
    items = [];
    for await (const item of allItems()) items.push(item);
  } else {
    const page = await onePage();
    if (flags.json === true) {
      printJson(page);
      return;
    }
    items = page[key];
    next = page.next_cursor;
  }
  if (flags.json === true) {
    printJson({ [key]: items, next_cursor: null });
    return;
  }
  process.stdout.write(items.length === 0 ? `no ${key === 'repos' ? 'repositories' : key}\n` : table(items));
  if (next !== null) process.stderr.write(`more: pass --cursor ${next} for the next page, or --all\n`);
}
