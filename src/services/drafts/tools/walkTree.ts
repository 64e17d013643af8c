/**
 * The entries below a folder, depth first: each folder's entries in the
 * order `FileView.list` gives them (by name, bytewise), a folder right
 * before what it holds — the order of `find` with sorted names, and of
 * paths compared component by component. A walk can skip folders (`descend`)
 * and resume after a path it yielded before (`after`, a paging cursor): it
 * then skips whole folders that lie before that path instead of reading them.
 * Folders are read one `list` at a time, as the walk reaches them, so a
 * consumer that stops early reads no more.
 */
import type { FileInfo, FileView } from '../files.ts';

export interface WalkOptions {
  /** False: do not enter this folder (it is still yielded). */
  descend?: (folder: FileInfo) => boolean;
  /** Yield only what comes after this path (components) in walk order. */
  after?: readonly string[];
}

const encoder = new TextEncoder();

/** Every entry below `start` (not `start` itself), depth first. */
export async function* walkTree(files: FileView, start: readonly string[], options: WalkOptions = {}): AsyncGenerator<FileInfo> {
  const after = options.after;
  const stack: { entries: FileInfo[]; next: number }[] = [{ entries: await files.list(start), next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const entry = top.entries[top.next++];
    if (entry === undefined) {
      stack.pop();
      continue;
    }
    const place = after === undefined ? 'later' : placeOf(entry.path.split('/'), after);
    if (place === 'earlier') continue;
    if (place === 'later') yield entry;
    if (entry.kind === 'dir' && (options.descend?.(entry) ?? true)) stack.push({ entries: await files.list(entry.path.split('/')), next: 0 });
  }
}

/** Where `parts` lies in walk order relative to `cursor`: before it, on the way to it (or it), or after it. */
function placeOf(parts: readonly string[], cursor: readonly string[]): 'earlier' | 'ancestor' | 'later' {
  for (let i = 0; i < parts.length; i++) {
    if (i >= cursor.length) return 'later'; // below the cursor: after it
    const order = compareNames(parts[i]!, cursor[i]!);
    if (order !== 0) return order < 0 ? 'earlier' : 'later';
  }
  return 'ancestor';
}

/** Names compared by their UTF-8 bytes, as FileView sorts them. */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
