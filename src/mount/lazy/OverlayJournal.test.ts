/**
 * Changes made to the tree, journaled, and replayed on a fresh tree of the
 * same commit (what a restart does) give the same tree; a line cut short by
 * a crash is dropped with everything after it.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { FileTree, type BaseEntry, type Node } from './FileTree.ts';
import { FsError } from './FsError.ts';
import { applyOp, OverlayJournal, syncUpperFiles, type JournalOp } from './OverlayJournal.ts';

const work = useTempDir('grove-lazy-journal-');
const oid = (n: number): string => n.toString(16).padStart(40, '0');

const base: BaseEntry[] = [
  { path: 'README.md', mode: 0o100644, oid: oid(1), size: 10 },
  { path: 'bin/run.sh', mode: 0o100755, oid: oid(2), size: 20 },
  { path: 'src/a/one.ts', mode: 0o100644, oid: oid(3), size: 30 },
  { path: 'src/a/two.ts', mode: 0o100644, oid: oid(4), size: 40 },
  { path: 'link', mode: 0o120000, oid: oid(5), size: 9 },
  { path: 'vendor/sub', mode: 0o160000, oid: oid(6), size: 0 },
];

/** The tree as path → what it is (no inode numbers: a replay allocates its own). */
function shape(tree: FileTree): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, node] of tree.walk('')) out[path] = describeNode(node);
  return out;
}

function describeNode(node: Node): string {
  if (node.kind === 'dir') return `dir ${node.perm.toString(8)} ${node.subdirs}${node.gitlink === undefined ? '' : ` gitlink ${node.gitlink}`}`;
  if (node.kind === 'symlink') return `symlink ${node.target ?? node.blob} ${node.size}`;
  return `file ${node.perm.toString(8)} ${node.upper ?? node.blob} ${node.size}`;
}

describe('FileTree and OverlayJournal', () => {
  it('replays to the same tree', () => {
    const dir = join(work, 'replay');
    const upper = join(dir, 'upper');
    mkdirSync(upper, { recursive: true });
    const journal = new OverlayJournal(join(dir, 'journal.jsonl'));
    const live = FileTree.fromBase(base, 1000);
    const ops: JournalOp[] = [
      { op: 'create', path: 'src/new.txt', upper: 'u1', perm: 0o644, t: 2000 },
      { op: 'copyup', path: 'README.md', upper: 'u2', t: 2001 },
      { op: 'mkdir', path: 'docs', perm: 0o755, t: 2002 },
      { op: 'rename', from: 'src/a', to: 'docs/a', t: 2003 },
      { op: 'unlink', path: 'docs/a/two.ts', t: 2004 },
      { op: 'symlink', path: 'docs/link', target: '../README.md', t: 2005 },
      { op: 'chmod', path: 'bin/run.sh', perm: 0o644, t: 2006 },
      { op: 'create', path: 'README.md', upper: 'u3', perm: 0o600, t: 2007 },
    ];
    writeFileSync(join(upper, 'u1'), 'new\n');
    writeFileSync(join(upper, 'u3'), 'replaced\n');
    const freed: string[] = [];
    for (const op of ops) {
      freed.push(...applyOp(live, op));
      journal.append(op);
    }
    expect(freed).toEqual(['u2']);
    syncUpperFiles(live, upper);

    const replayed = FileTree.fromBase(base, 1000);
    for (const op of new OverlayJournal(join(dir, 'journal.jsonl')).read()) applyOp(replayed, op);
    expect(syncUpperFiles(replayed, upper)).toEqual(new Set(['u1', 'u3']));
    expect(shape(replayed)).toEqual(shape(live));
    expect(shape(replayed)).toMatchObject({
      'README.md': 'file 600 u3 9',
      'bin/run.sh': `file 644 ${oid(2)} 20`,
      'docs/a/one.ts': `file 644 ${oid(3)} 30`,
      'docs/link': 'symlink ../README.md 12',
      'src/new.txt': 'file 644 u1 4',
      'vendor/sub': `dir 755 0 gitlink ${oid(6)}`,
    });
    expect(replayed.lookup('src/a')).toBeUndefined();
    expect(replayed.lookup('docs/a/two.ts')).toBeUndefined();

    appendFileSync(join(dir, 'journal.jsonl'), '{"op":"unlink","pa');
    expect(new OverlayJournal(join(dir, 'journal.jsonl')).read()).toEqual(ops);
  });

  it('refuses what rename(2), rmdir(2) and mkdir(2) refuse', () => {
    const tree = FileTree.fromBase(base, 1000);
    const errno = (run: () => unknown): string => {
      try {
        run();
      } catch (err) {
        return (err as FsError).errno;
      }
      return 'ok';
    };
    expect(errno(() => tree.rename('src', 'src/a/inside', 1))).toBe('EINVAL');
    expect(errno(() => tree.rename('README.md', 'src', 1))).toBe('EISDIR');
    expect(errno(() => tree.rename('src/a', 'README.md', 1))).toBe('ENOTDIR');
    expect(errno(() => tree.rmdir('src', 1))).toBe('ENOTEMPTY');
    expect(errno(() => tree.mkdir('bin', 0o755, 1))).toBe('EEXIST');
    expect(errno(() => tree.unlink('nope', 1))).toBe('ENOENT');
    expect(errno(() => tree.mkdir('README.md/x', 0o755, 1))).toBe('ENOTDIR');
  });
});
