import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf } from '../../../test/support/bytesOf.ts';
import { gitBytes } from '../../../test/support/gitBytes.ts';
import { makeRepo } from '../../../test/support/makeRepo.ts';
import { readAllObjects, scratchRepo, type ScratchRepo } from '../../../test/support/scratchRepo.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { thrownCode } from '../../../test/support/thrown.ts';
import { treeEntry } from '../../../test/support/treeBytes.ts';
import {
  canonicalMode,
  compareTreeEntryNames,
  isBlobMode,
  isExecutableMode,
  isFileMode,
  isGitlinkMode,
  isSymlinkMode,
  isTreeMode,
  parseTree,
  serializeTree,
  type TreeEntry,
} from './tree.ts';

const encoder = new TextEncoder();
let repo: ScratchRepo;
let blob = '';
let subtree = '';

beforeAll(() => {
  repo = scratchRepo();
  blob = repo.hash('blob', 'content\n');
  subtree = repo.git(['mktree'], `100644 blob ${blob}\tinside\n`);
});

afterAll(() => repo?.remove());

/** `git ls-tree -z` of a tree: [mode, type, oid, name bytes] per entry, in git's order. */
function lsTree(dir: string, tree: string): { mode: string; type: string; oid: string; name: Uint8Array }[] {
  const out = gitBytes(['ls-tree', '-z', tree], { cwd: dir });
  const entries = [];
  let pos = 0;
  while (pos < out.length) {
    const end = out.indexOf(0, pos);
    const tab = out.indexOf(0x09, pos);
    const [mode, type, oid] = new TextDecoder().decode(out.subarray(pos, tab)).split(' ');
    entries.push({ mode: mode!, type: type!, oid: oid!, name: out.slice(tab + 1, end) });
    pos = end + 1;
  }
  return entries;
}

/** A tree git builds itself with `git mktree -z` from entries given in any order. */
function gitMktree(entries: { mode: string; type: string; oid: string; name: Uint8Array }[]): string {
  const input = bytesOf(...entries.flatMap((e) => [`${e.mode} ${e.type} ${e.oid}\t`, e.name, '\0']));
  return repo.git(['mktree', '-z', '--missing'], input);
}

function shuffle<T>(items: readonly T[]): T[] {
  // deterministic: reverse, then interleave halves
  const reversed = [...items].reverse();
  const half = Math.ceil(reversed.length / 2);
  return reversed.flatMap((_, i) => (i % 2 === 0 ? reversed[i / 2] : reversed[half + (i - 1) / 2])).filter((x) => x !== undefined);
}

describe('serializeTree sorts like git', () => {
  it('orders names by UTF-8 bytes with trees read as name + "/"', () => {
    const files = ['a', 'a.c', 'a-b', 'a0', 'ab', 'A', 'Z', 'é', 'e\u0301', '日本', '\u{1F600}', '\uffff', '\ue000', 'b.c', 'b-', 'b0', 'b+', 'sub.x'];
    const dirs = ['b', 'c', 'sub', 'sub-dir'];
    const entries: TreeEntry[] = [
      ...files.map((name, i) => ({ mode: i % 3 === 0 ? 0o100755 : 0o100644, name, oid: blob })),
      ...dirs.map((name) => ({ mode: 0o40000, name, oid: subtree })),
      { mode: 0o120000, name: 'link', oid: blob },
      { mode: 0o160000, name: 'module', oid: '1234567890abcdef1234567890abcdef12345678' },
    ];
    const typeOf = (mode: number): string => (isTreeMode(mode) ? 'tree' : isGitlinkMode(mode) ? 'commit' : 'blob');
    const oid = gitMktree(
      shuffle(entries).map((e) => ({ mode: e.mode.toString(8).padStart(6, '0'), type: typeOf(e.mode), oid: e.oid, name: encoder.encode(e.name) })),
    );
    const gitData = repo.read('tree', oid);
    expect(serializeTree(shuffle(entries))).toEqual(gitData);
    expect(serializeTree(entries)).toEqual(gitData);

    const parsed = parseTree(gitData);
    expect(parsed.map((e) => e.name)).toEqual(lsTree(repo.dir, oid).map((e) => new TextDecoder().decode(e.name)));
    expect(new Set(parsed)).toEqual(new Set(entries));
  });

  it('orders and keeps names that are not UTF-8 by their bytes', () => {
    const names = [
      Uint8Array.of(0x63, 0x61, 0x66, 0xe9), // "caf\xe9" (ISO-8859-1)
      encoder.encode('café'),
      encoder.encode('cafe'),
      Uint8Array.of(0xff, 0xfe),
      Uint8Array.of(0xc3), // a truncated sequence
    ];
    const oid = gitMktree(shuffle(names).map((name) => ({ mode: '100644', type: 'blob', oid: blob, name })));
    const gitData = repo.read('tree', oid);
    const parsed = parseTree(gitData);
    expect(parsed.map((e) => e.rawName ?? encoder.encode(e.name))).toEqual(lsTree(repo.dir, oid).map((e) => e.name));
    expect(parsed.filter((e) => e.rawName !== undefined)).toHaveLength(3);
    expect(parsed.find((e) => e.rawName?.[0] === 0xff)?.name).toBe('\ufffd\ufffd');
    expect(serializeTree(parsed)).toEqual(gitData);
    expect(serializeTree(shuffle(parsed))).toEqual(gitData);
  });

  it('keeps a leading byte order mark in a name', () => {
    const oid = gitMktree([{ mode: '100644', type: 'blob', oid: blob, name: encoder.encode('\ufeffbom') }]);
    const [entry] = parseTree(repo.read('tree', oid));
    expect(entry?.name).toBe('\ufeffbom');
    expect(entry?.rawName).toBeUndefined();
  });

  it('round-trips very long names, which git accepts', () => {
    const entries: TreeEntry[] = [
      { mode: 0o100644, name: 'x'.repeat(200_000), oid: blob },
      { mode: 0o100644, name: 'é'.repeat(50_000), oid: blob },
    ];
    const data = serializeTree(entries);
    const listed = lsTree(repo.dir, repo.hash('tree', data));
    expect(listed.map((e) => new TextDecoder().decode(e.name))).toEqual(entries.map((e) => e.name));
    expect(parseTree(data)).toEqual(entries);
  });

  it('compares names like git: "a.c" < tree "a" < "a0"', () => {
    const bytes = (s: string): Uint8Array => encoder.encode(s);
    expect(compareTreeEntryNames(bytes('a.c'), false, bytes('a'), true)).toBeLessThan(0);
    expect(compareTreeEntryNames(bytes('a'), true, bytes('a0'), false)).toBeLessThan(0);
    expect(compareTreeEntryNames(bytes('a'), false, bytes('a.c'), false)).toBeLessThan(0);
    expect(compareTreeEntryNames(bytes('a'), false, bytes('a'), true)).toBeLessThan(0);
    expect(compareTreeEntryNames(bytes('x'), true, bytes('x'), true)).toBe(0);
  });
});

describe('parseTree and serializeTree on every tree of a generated repository', () => {
  const work = useTempDir('grove-trees-');

  it('parse matches git ls-tree and serialize gives back the same bytes', async () => {
    const made = await makeRepo(join(work, 'corpus.git'), { commits: 40 });
    const trees = readAllObjects(made.dir).filter((o) => o.type === 'tree');
    expect(trees.length).toBeGreaterThan(40);
    const modes = new Set<number>();
    for (const [index, tree] of trees.entries()) {
      const entries = parseTree(tree.data);
      expect(serializeTree(entries)).toEqual(tree.data);
      for (const entry of entries) modes.add(entry.mode);
      if (index % 4 !== 0) continue; // ls-tree on a quarter of them is plenty
      const listed = lsTree(made.dir, tree.oid);
      expect(entries.map((e) => [e.mode.toString(8).padStart(6, '0'), e.oid, e.name])).toEqual(
        listed.map((e) => [e.mode, e.oid, new TextDecoder().decode(e.name)]),
      );
    }
    expect([...modes].sort()).toEqual([0o40000, 0o100644, 0o100755, 0o120000, 0o160000].sort());
  });
});

describe('mode helpers', () => {
  it('canonicalMode reads odd modes as git ls-tree shows them', () => {
    for (const mode of ['100664', '100700', '100775', '120777', '40755', '170000', '1', '100644', '100755', '40000', '160000']) {
      const data = treeEntry(mode, 'x', blob);
      const oid = repo.hash('tree', data);
      const [listed] = lsTree(repo.dir, oid);
      const parsed = parseTree(data)[0]!;
      expect(parsed.mode).toBe(Number.parseInt(mode, 8));
      expect(canonicalMode(parsed.mode).toString(8).padStart(6, '0'), mode).toBe(listed?.mode);
    }
  });

  it('classifies the five modes git writes', () => {
    const table = [
      [0o100644, { file: true, exec: false, link: false, tree: false, gitlink: false, blob: true }],
      [0o100755, { file: true, exec: true, link: false, tree: false, gitlink: false, blob: true }],
      [0o120000, { file: false, exec: false, link: true, tree: false, gitlink: false, blob: true }],
      [0o40000, { file: false, exec: false, link: false, tree: true, gitlink: false, blob: false }],
      [0o160000, { file: false, exec: false, link: false, tree: false, gitlink: true, blob: false }],
    ] as const;
    for (const [mode, expected] of table) {
      expect({
        file: isFileMode(mode),
        exec: isExecutableMode(mode),
        link: isSymlinkMode(mode),
        tree: isTreeMode(mode),
        gitlink: isGitlinkMode(mode),
        blob: isBlobMode(mode),
      }).toEqual(expected);
    }
  });
});

describe('errors', () => {
  const entry = bytesOf('100644 a\0', new Uint8Array(20).fill(1));

  it.each([
    ['a truncated id', entry.subarray(0, entry.length - 1)],
    ['a mode with an 8', bytesOf('100648 a\0', new Uint8Array(20))],
    ['no mode', bytesOf(' a\0', new Uint8Array(20))],
    ['an empty name', bytesOf('100644 \0', new Uint8Array(20))],
    ['no NUL after the name', encoder.encode('100644 abc')],
  ])('parseTree throws BAD_OBJECT on %s', (_, data) => {
    expect(thrownCode(() => parseTree(data))).toBe('BAD_OBJECT');
  });

  it('serializeTree refuses names and entries git would reject', () => {
    const ok: TreeEntry = { mode: 0o100644, name: 'a', oid: 'ab'.repeat(20) };
    expect(thrownCode(() => serializeTree([ok, { ...ok }]))).toBe('BAD_OBJECT');
    expect(thrownCode(() => serializeTree([ok, { ...ok, name: 'a.c' }, { ...ok, mode: 0o40000 }]))).toBe('BAD_OBJECT');
    expect(thrownCode(() => serializeTree([{ ...ok, name: '' }]))).toBe('BAD_OBJECT');
    expect(thrownCode(() => serializeTree([{ ...ok, name: 'a/b' }]))).toBe('BAD_OBJECT');
    expect(thrownCode(() => serializeTree([{ ...ok, name: 'a\0b' }]))).toBe('BAD_OBJECT');
    expect(thrownCode(() => serializeTree([{ ...ok, name: 'a\ud800' }]))).toBe('BAD_OBJECT');
    expect(thrownCode(() => serializeTree([{ ...ok, oid: 'AB'.repeat(20) }]))).toBe('BAD_OBJECT');
    expect(thrownCode(() => serializeTree([{ ...ok, mode: 0 }]))).toBe('BAD_OBJECT');
    expect(serializeTree([])).toEqual(new Uint8Array());
  });
});
