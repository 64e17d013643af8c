import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffRepo, type DiffRepo, type FileSpec } from '../../../../test/content/support/diffRepo.ts';
import { gitNumstat, gitPatches, ourDiff, type OurDiff } from '../../../../test/content/support/gitDiff.ts';
import { loadGitRepository, openRepository, type OpenedRepository } from '../../../../test/support/storeRepo.ts';
import { seededRandom } from '../../../../test/support/seededRandom.ts';
import type { FileChange } from './FileChange.ts';
import { unifiedPatch } from './unifiedPatch.ts';

const encoder = new TextEncoder();
const numbered = (n: number, text = (i: number) => `line ${i}`): string[] => Array.from({ length: n }, (_, i) => text(i));
const join = (lines: string[], eol = '\n'): string => lines.map((l) => l + eol).join('');

/** `café section` in Latin-1 (not valid UTF-8), then `rest`. */
const latin1Section = (rest: string): Uint8Array => new Uint8Array([...encoder.encode('caf'), 0xe9, ...encoder.encode(' section\n'), ...encoder.encode(rest)]);

const C_FILE = [
  '#include <stdio.h>', '', 'static int counter = 0;', '', 'int add(int a, int b)', '{', '\tint sum = a + b;', '\tcounter++;', '\treturn sum;', '}', '',
  'int sub(int a, int b)', '{', '\tif (a > b) {', '\t\treturn a - b;', '\t}', '\treturn b - a;', '}', '', 'int main(void)', '{', '\tprintf("%d\\n", add(1, 2));', '\treturn 0;', '}',
];

/** Named edits, each a file before and after. */
const CORPUS: Record<string, [FileSpec, FileSpec]> = {
  'insertion in the middle': [join(numbered(20)), join([...numbered(10), 'new a', 'new b', ...numbered(10, (i) => `line ${i + 10}`)])],
  'deletion at the start and the end': [join(numbered(20)), join(numbered(16, (i) => `line ${i + 2}`))],
  'moved block': [join(numbered(30)), join([...numbered(5), ...numbered(10, (i) => `line ${i + 15}`), ...numbered(10, (i) => `line ${i + 5}`), ...numbered(5, (i) => `line ${i + 25}`)])],
  'whitespace-only change': [join(C_FILE), join(C_FILE.map((l) => (l.startsWith('\t') ? `    ${l.slice(1)}` : l)))],
  'a function added between two (indent heuristic)': [join(C_FILE), join([...C_FILE.slice(0, 11), 'int mul(int a, int b)', '{', '\treturn a * b;', '}', '', ...C_FILE.slice(11)])],
  'an if block added (slides to the blank line)': [join(C_FILE), join([...C_FILE.slice(0, 8), '\tif (sum < 0) {', '\t\tsum = 0;', '\t}', ...C_FILE.slice(8)])],
  'no newline at the end, added': [`${join(numbered(5))}last`, join([...numbered(5), 'last'])],
  'no newline at the end, removed': [join([...numbered(5), 'last']), `${join(numbered(5))}last`],
  'no newline on either side': ['a\nb\nc', 'a\nb\nd'],
  'CRLF lines': [join(numbered(10), '\r\n'), join([...numbered(4), 'changed', ...numbered(5, (i) => `line ${i + 5}`)], '\r\n')],
  'CRLF to LF': [join(numbered(6), '\r\n'), join(numbered(6))],
  'binary: NUL in the first 8000 bytes': [new Uint8Array(9000).fill(0x61).fill(0, 7999, 8000), new Uint8Array(9000).fill(0x62).fill(0, 7999, 8000)],
  'text: NUL only after 8000 bytes': [new Uint8Array(9000).fill(0x0a, 100, 101).fill(0x61, 0, 100).fill(0x61, 101).fill(0, 8500, 8501), new Uint8Array(9000).fill(0x0a, 100, 101).fill(0x62, 0, 100).fill(0x61, 101).fill(0, 8500, 8501)],
  'binary to text': [new Uint8Array([1, 0, 2]), 'text now\n'],
  'function line over 80 bytes, cut inside a UTF-8 char': [join([`function ${'é'.repeat(45)}() {`, ...numbered(8)]), join([`function ${'é'.repeat(45)}() {`, ...numbered(7), 'changed'])],
  'function line in Latin-1': [latin1Section(join(numbered(8))), latin1Section(join([...numbered(7), 'changed']))],
  'function line with trailing spaces and $ and _': [join(['$var = 1;   ', ...numbered(6), '_private  ', ...numbered(6, (i) => `  x ${i}`)]), join(['$var = 1;   ', ...numbered(5), 'edit', '_private  ', ...numbered(5, (i) => `  x ${i}`), '  edit'])],
  'changes 6 lines apart share a hunk': [join(numbered(30)), join(numbered(30, (i) => (i === 5 || i === 12 ? `edit ${i}` : `line ${i}`)))],
  'changes 7 lines apart get two hunks': [join(numbered(30)), join(numbered(30, (i) => (i === 5 || i === 13 ? `edit ${i}` : `line ${i}`)))],
  'every line replaced': [join(numbered(50)), join(numbered(50, (i) => `other ${i}`))],
  'repeated lines (braces and blanks)': [join(['{', '}', '', '{', '}', '', '{', '}', '', 'x', '{', '}']), join(['{', '}', '', 'y', '{', '}', '', '{', '}', '', '{', '}'])],
  'big file with a long common tail (context 0 trims it)': [join([...numbered(30, (i) => `head ${i % 3}`), ...numbered(400)]), join([...numbered(30, (i) => `head ${(i + 1) % 3}`), 'x', ...numbered(400)])],
  'file emptied': [join(numbered(5)), ''],
  'file filled': ['', join(numbered(5))],
};

/** A code-like file: nested blocks, blank lines, comments and repeats. */
function codeLike(random: () => number, n: number): string[] {
  const out: string[] = [];
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const roll = random();
    const pad = '\t'.repeat(depth);
    if (roll < 0.1 && depth < 4) {
      out.push(`${pad}${random() < 0.5 ? 'if' : 'for'} (x${Math.floor(random() * 20)}) {`);
      depth++;
    } else if (roll < 0.2 && depth > 0) {
      depth--;
      out.push(`${'\t'.repeat(depth)}}`);
    } else if (roll < 0.3) {
      out.push('');
    } else if (roll < 0.35 && depth === 0) {
      out.push(`function f${Math.floor(random() * 50)}(a, b) {`);
      depth = 1;
    } else if (roll < 0.45) {
      out.push(`${pad}return x${Math.floor(random() * 5)};`);
    } else {
      out.push(`${pad}call${Math.floor(random() * 30)}(${Math.floor(random() * 4)});`);
    }
  }
  while (depth > 0) out.push(`${'\t'.repeat(--depth)}}`);
  return out;
}

/** A random edit of `lines`: inserts, deletes, replaces, moves, re-indents. */
function randomEdit(random: () => number, lines: string[]): string[] {
  const out = [...lines];
  const edits = 1 + Math.floor(random() * 8);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const size = 1 + Math.floor(random() * 6);
    const roll = random();
    if (roll < 0.3) out.splice(at, 0, ...codeLike(random, size));
    else if (roll < 0.55) out.splice(at, size);
    else if (roll < 0.75) out.splice(at, size, ...codeLike(random, size));
    else if (roll < 0.85) {
      const block = out.splice(at, size);
      out.splice(Math.floor(random() * (out.length + 1)), 0, ...block);
    } else {
      for (let i = at; i < Math.min(out.length, at + size); i++) out[i] = out[i]!.startsWith('\t') ? `  ${out[i]!.slice(1)}` : `\t${out[i]}`;
    }
  }
  return out;
}

function randomPair(seed: number): [string, string] {
  const random = seededRandom(seed);
  const before = codeLike(random, Math.floor(random() * 120));
  const after = randomEdit(random, before);
  const eol = random() < 0.1 ? '\r\n' : '\n';
  const text = (lines: string[]): string => {
    const body = join(lines, eol);
    return random() < 0.15 && body.endsWith(eol) ? body.slice(0, -eol.length) : body;
  };
  return [text(before), text(after)];
}

const PROPERTY_PAIRS = 400;

describe('unifiedPatch', () => {
  let repo: DiffRepo;
  let store: OpenedRepository;
  let corpus: OurDiff;
  let corpusCommits: [string, string];
  let random: OurDiff;
  let randomCommits: [string, string];

  beforeAll(async () => {
    repo = diffRepo();
    const names = Object.keys(CORPUS).map((_, i) => `c${String(i).padStart(2, '0')}.txt`);
    const before = repo.commit({ files: Object.fromEntries(Object.values(CORPUS).map(([a], i) => [names[i]!, a])) });
    const after = repo.commit({ files: Object.fromEntries(Object.values(CORPUS).map(([, b], i) => [names[i]!, b])), parents: [before] });
    corpusCommits = [before, after];
    const pairs = Array.from({ length: PROPERTY_PAIRS }, (_, i) => randomPair(i + 1));
    const r1 = repo.commit({ files: Object.fromEntries(pairs.map(([a], i) => [`p${String(i).padStart(3, '0')}.c`, a])) });
    const r2 = repo.commit({ files: Object.fromEntries(pairs.map(([, b], i) => [`p${String(i).padStart(3, '0')}.c`, b])), parents: [r1], branch: 'main' });
    randomCommits = [r1, r2];
    store = openRepository();
    await loadGitRepository(store, repo.dir);
    corpus = await ourDiff(store.repo.objects, repo, before, after);
    random = await ourDiff(store.repo.objects, repo, r1, r2);
  });
  afterAll(() => {
    store.close();
    repo.remove();
  });

  it('prints every edit of the corpus byte for byte as git diff does', () => {
    const git = gitPatches(repo, ...corpusCommits);
    expect(corpus.patches.length).toBe(Object.keys(CORPUS).length);
    Object.keys(CORPUS).forEach((name, i) => {
      expect(corpus.patches[i], name).toBe(git[i]);
    });
    expect(corpus.numstat).toEqual(gitNumstat(repo, ...corpusCommits));
  });

  it(`prints ${PROPERTY_PAIRS} random edits of code-like files as git diff does (match rate 100%)`, () => {
    const git = gitPatches(repo, ...randomCommits);
    expect(random.patches.length).toBe(git.length);
    const mismatched = random.patches.map((patch, i) => (patch === git[i] ? null : random.changes[i]!.path)).filter((p) => p !== null);
    expect(mismatched).toEqual([]);
    expect(random.numstat).toEqual(gitNumstat(repo, ...randomCommits));
    expect(git.length).toBeGreaterThan(PROPERTY_PAIRS * 0.9);
  });

  it('honours the context size', async () => {
    for (const name of ['changes 7 lines apart get two hunks', 'big file with a long common tail (context 0 trims it)', 'moved block']) {
      const change = corpus.changes[Object.keys(CORPUS).indexOf(name)]!;
      const blobs = await store.repo.objects.readObjects([change.old_sha!, change.new_sha!]);
      for (const context of [0, 1, 5]) {
        const ours = unifiedPatch(change, blobs.get(change.old_sha!)!.data, blobs.get(change.new_sha!)!.data, { context });
        const git = gitPatches(repo, ...corpusCommits, [`-U${context}`], [change.path]);
        expect(ours.patch, `${name} -U${context}`).toBe(git[0]);
        expect(`${ours.additions} ${ours.deletions} ${change.path}`).toBe(gitNumstat(repo, ...corpusCommits, [`-U${context}`], [change.path])[0]);
      }
    }
  });

  it('abbreviates ids to the asked length', () => {
    const change: FileChange = { path: 'f', old_path: 'f', status: 'modified', old_mode: 0o100644, new_mode: 0o100644, old_sha: 'a'.repeat(40), new_sha: 'b'.repeat(40), similarity: null };
    const patch = unifiedPatch(change, encoder.encode('x\n'), encoder.encode('y\n'), { abbrev: 12 });
    expect(patch).toEqual({
      patch: `diff --git a/f b/f\nindex ${'a'.repeat(12)}..${'b'.repeat(12)} 100644\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+y\n`,
      additions: 1,
      deletions: 1,
      binary: false,
    });
  });
});
