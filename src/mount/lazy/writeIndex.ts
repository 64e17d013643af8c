/**
 * A git index (gitformat-index, version 2) for the checkout the mount
 * shows, with the stat data the mount's getattr reports, so that `git
 * status` finds every file clean without reading a byte of content:
 *
 *   - 12-byte header: 4-byte signature { 'D', 'I', 'R', 'C' },
 *     4-byte version number (2), 32-bit number of index entries.
 *   - Index entries, sorted in ascending order on the name field:
 *     32-bit ctime seconds, 32-bit ctime nanosecond fractions,
 *     32-bit mtime seconds, 32-bit mtime nanosecond fractions,
 *     32-bit dev, 32-bit ino, 32-bit mode, 32-bit uid, 32-bit gid,
 *     32-bit file size, 160-bit object name,
 *     16-bit flags (1-bit assume-valid, 1-bit extended, 2-bit stage,
 *     12-bit name length if less than 0xFFF), entry path name,
 *     1-8 nul bytes as necessary to pad the entry to a multiple of eight
 *     bytes while keeping the name NUL-terminated.
 *   - Extensions: 4-byte signature, 32-bit size, data.
 *   - Hash checksum over the content of the index file before this checksum.
 *
 * It carries the cache-tree extension ("TREE": for each tree, top-down and
 * depth first, its NUL-terminated path component, "<entry_count> SP
 * <subtrees> LF" and its object name) since the mount knows every tree id:
 * git then compares the index with HEAD, and commits, without rebuilding
 * trees.
 */
import type { Codec } from '../../git/codec.ts';
import { concatBytes } from '../../git/bytes.ts';
import { hexToBytes, type Oid } from '../../git/objects/objectId.ts';

export interface IndexEntry {
  path: string;
  mode: number;
  oid: Oid;
  size: number;
  mtimeSec: number;
  ctimeSec: number;
  dev: number;
  ino: number;
  uid: number;
  gid: number;
}

/** A tree of the commit: its path ('' for the root) and id. */
export interface IndexTree {
  path: string;
  oid: Oid;
}

const encoder = new TextEncoder();

export function writeIndex(codec: Codec, entries: readonly IndexEntry[], trees: readonly IndexTree[] = []): Uint8Array {
  const named = entries.map((entry) => ({ entry, name: encoder.encode(entry.path) }));
  named.sort((a, b) => compareBytes(a.name, b.name));
  const parts: Uint8Array[] = [];
  const header = new Uint8Array(12);
  const view = new DataView(header.buffer);
  header.set([0x44, 0x49, 0x52, 0x43]);
  view.setUint32(4, 2);
  view.setUint32(8, named.length);
  parts.push(header);
  for (const { entry, name } of named) {
    const length = (62 + name.length + 8) & ~7;
    const bytes = new Uint8Array(length);
    const dv = new DataView(bytes.buffer);
    const words = [entry.ctimeSec, 0, entry.mtimeSec, 0, entry.dev, entry.ino, entry.mode, entry.uid, entry.gid, Math.max(0, entry.size)];
    words.forEach((word, i) => dv.setUint32(i * 4, word >>> 0));
    bytes.set(hexToBytes(entry.oid), 40);
    dv.setUint16(60, Math.min(name.length, 0xfff));
    bytes.set(name, 62);
    parts.push(bytes);
  }
  if (trees.length > 0) parts.push(extension('TREE', cacheTree(named.map((n) => n.entry.path), trees)));
  const body = concatBytes(parts);
  return concatBytes([body, codec.sha1Digest(body)]);
}

function extension(signature: string, data: Uint8Array): Uint8Array {
  const head = new Uint8Array(8);
  head.set(encoder.encode(signature));
  new DataView(head.buffer).setUint32(4, data.length);
  return concatBytes([head, data]);
}

interface CacheTreeNode {
  name: string;
  oid: Oid;
  entries: number;
  children: CacheTreeNode[];
}

/** The TREE extension's data: every tree with the number of index entries below it. */
function cacheTree(paths: readonly string[], trees: readonly IndexTree[]): Uint8Array {
  const byPath = new Map<string, CacheTreeNode>();
  const rootTree = trees.find((t) => t.path === '');
  if (rootTree === undefined) return new Uint8Array();
  const root: CacheTreeNode = { name: '', oid: rootTree.oid, entries: 0, children: [] };
  byPath.set('', root);
  const sorted = trees.filter((t) => t.path !== '').sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  for (const tree of sorted) {
    const slash = tree.path.lastIndexOf('/');
    const parent = byPath.get(slash < 0 ? '' : tree.path.slice(0, slash));
    if (parent === undefined) continue;
    const node: CacheTreeNode = { name: tree.path.slice(slash + 1), oid: tree.oid, entries: 0, children: [] };
    parent.children.push(node);
    byPath.set(tree.path, node);
  }
  for (const path of paths) {
    root.entries++;
    for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
      const node = byPath.get(path.slice(0, slash));
      if (node !== undefined) node.entries++;
    }
  }
  const out: Uint8Array[] = [];
  const write = (node: CacheTreeNode): void => {
    // git keeps subtrees ordered by name length, then bytes (cache-tree.c subtree_name_cmp).
    const children = node.children.filter((c) => c.entries > 0).sort((a, b) => {
      const x = encoder.encode(a.name);
      const y = encoder.encode(b.name);
      return x.length - y.length || compareBytes(x, y);
    });
    out.push(encoder.encode(`${node.name}\0${node.entries} ${children.length}\n`), hexToBytes(node.oid));
    for (const child of children) write(child);
  };
  write(root);
  return concatBytes(out);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
