/**
 * The index the mount writes is one git reads as its own: the entries `git
 * ls-files --stage` lists and the stat data `--debug` shows are the ones
 * given, nothing differs from HEAD, `git fsck` accepts it, and a commit
 * made from it — which takes its trees from the cache-tree extension —
 * has HEAD's tree.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gitBytes, gitText } from '../../../test/support/gitBytes.ts';
import { makeRepo } from '../../../test/support/makeRepo.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { writeIndex, type IndexEntry, type IndexTree } from './writeIndex.ts';

const work = useTempDir('grove-lazy-index-');
const repo = join(work, 'repo');
let entries: IndexEntry[];
let trees: IndexTree[];

beforeAll(async () => {
  await makeRepo(join(work, 'src.git'), { commits: 40 });
  gitBytes(['clone', '-q', '--no-checkout', join(work, 'src.git'), repo]);
  entries = [];
  trees = [{ path: '', oid: gitText(['rev-parse', 'HEAD^{tree}'], { cwd: repo }).trim() }];
  const listed = gitText(['ls-tree', '-r', '-t', '-z', 'HEAD'], { cwd: repo }).split('\0').filter((l) => l !== '');
  listed.forEach((line, i) => {
    const [meta = '', path = ''] = line.split('\t');
    const [mode = '', type = '', oid = ''] = meta.split(' ');
    if (type === 'tree') trees.push({ path, oid });
    else entries.push({ path, mode: parseInt(mode, 8), oid, size: 100 + i, mtimeSec: 1_600_000_000 + i, ctimeSec: 1_600_000_100 + i, dev: 42, ino: 1000 + i, uid: 7, gid: 8 });
  });
});

describe('writeIndex', () => {
  it('writes entries and stat data git reads back, equal to HEAD', () => {
    writeFileSync(join(repo, '.git', 'index'), writeIndex(nodeCodec, [...entries].reverse(), trees));
    const stage = gitText(['ls-files', '--stage', '-z'], { cwd: repo }).split('\0').filter((l) => l !== '');
    const expected = gitText(['ls-tree', '-r', '-z', 'HEAD'], { cwd: repo }).split('\0').filter((l) => l !== '')
      .map((line) => {
        const [meta = '', path = ''] = line.split('\t');
        const [mode = '', , oid = ''] = meta.split(' ');
        return `${mode} ${oid} 0\t${path}`;
      });
    expect(stage).toEqual(expected);
    expect(gitText(['diff-index', '--cached', 'HEAD'], { cwd: repo })).toBe('');
    const debug = gitText(['ls-files', '--debug', '--', entries[3]!.path], { cwd: repo });
    const e = entries[3]!;
    expect(debug).toContain(`ctime: ${e.ctimeSec}:0`);
    expect(debug).toContain(`mtime: ${e.mtimeSec}:0`);
    expect(debug).toContain(`dev: ${e.dev}\tino: ${e.ino}`);
    expect(debug).toContain(`uid: ${e.uid}\tgid: ${e.gid}`);
    expect(debug).toContain(`size: ${e.size}\tflags: 0`);
    gitText(['fsck', '--no-progress', '--no-dangling'], { cwd: repo });
  });

  it('carries a cache-tree git commits from', () => {
    const commit = (): string => {
      gitText(['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'from the index'], { cwd: repo });
      return gitText(['rev-parse', 'HEAD^{tree}'], { cwd: repo }).trim();
    };
    const head = gitText(['rev-parse', 'HEAD^{tree}'], { cwd: repo }).trim();
    // git takes the root tree from the extension without recomputing it: a wrong id there shows it is read.
    const other = gitText(['rev-parse', 'HEAD~5^{tree}'], { cwd: repo }).trim();
    writeFileSync(join(repo, '.git', 'index'), writeIndex(nodeCodec, entries, trees.map((t) => (t.path === '' ? { path: '', oid: other } : t))));
    expect(commit()).toBe(other);
    writeFileSync(join(repo, '.git', 'index'), writeIndex(nodeCodec, entries, trees));
    expect(commit()).toBe(head);
  });
});
