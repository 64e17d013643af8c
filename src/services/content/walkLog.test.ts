import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FastImportStream } from '../../../test/support/fastImport.ts';
import { gitBytes, gitText } from '../../../test/support/gitBytes.ts';
import { seededRandom } from '../../../test/support/seededRandom.ts';
import { loadGitRepository, openRepository, type OpenedRepository } from '../../../test/support/storeRepo.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { walkLog, type WalkLogOptions } from './walkLog.ts';

const PATHS = ['a', 'b', 'd/x', 'd/y', 'e/f/g'];
const QUERIES = [undefined, 'a', 'b', 'd', 'd/x', 'd/y', 'e', 'e/f', 'e/f/g', 'nothing'];
const T0 = 1_600_000_000;

/**
 * A random history: commits on random earlier commits, a quarter of them
 * merges mixing their parents' files, dated in coarse steps (many equal
 * dates, children often older than parents), changing a file or two or
 * nothing. Returns the tips.
 */
function randomHistory(dir: string, seed: number): string[] {
  const random = seededRandom(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const stream = new FastImportStream();
  const trees: Map<string, number>[] = [];
  const marks: number[] = [];
  for (let i = 0; i < 70; i++) {
    const tree = new Map<string, number>(i === 0 ? [] : trees[int(i)]!);
    const parents = i === 0 ? [] : [marks[int(i)]!];
    if (i > 2 && random() < 0.25) {
      const other = int(i);
      parents.push(marks[other]!);
      for (const [path, blob] of trees[other]!) if (random() < 0.5) tree.set(path, blob);
    }
    const edits = int(3);
    for (let e = 0; e < edits; e++) {
      const path = PATHS[int(PATHS.length)]!;
      if (tree.has(path) && random() < 0.2) tree.delete(path);
      else tree.set(path, stream.blob(`${path} at ${i}\n`));
    }
    const mark = stream.mark();
    const time = T0 + int(12) * 100;
    stream.line('commit refs/heads/work').line(`mark :${mark}`)
      .line(`author ${FastImportStream.who(time)}`).line(`committer ${FastImportStream.who(time)}`).data(`commit ${i}\n`);
    if (parents[0] !== undefined) stream.line(`from :${parents[0]}`);
    for (const parent of parents.slice(1)) stream.line(`merge :${parent}`);
    stream.line('deleteall');
    for (const [path, blob] of tree) stream.line(`M 100644 :${blob} ${path}`);
    stream.line('');
    trees.push(tree);
    marks.push(mark);
  }
  const tips = [69, 68, 50, 35].map((i) => `tip${i}`);
  for (const [k, i] of [69, 68, 50, 35].entries()) stream.line(`reset refs/heads/${tips[k]}`).line(`from :${marks[i]}`).line('');
  stream.line('done');
  gitText(['init', '--quiet', '--bare', '--initial-branch=work', dir]);
  gitBytes(['fast-import', '--quiet', '--done', '--date-format=raw', '--force'], { cwd: dir, input: stream.bytes() });
  return tips;
}

async function listed(opened: OpenedRepository, tip: string, options: WalkLogOptions): Promise<string[]> {
  const out: string[] = [];
  for await (const oid of walkLog(opened.repo.objects, tip, options)) out.push(oid);
  return out;
}

function gitLog(dir: string, args: string[]): string[] {
  const out = gitText(['log', '--format=%H', ...args], { cwd: dir });
  return out === '' ? [] : out.split('\n');
}

describe('walkLog', () => {
  const root = useTempDir('grove-walklog-');
  const opened: OpenedRepository[] = [];
  afterAll(() => {
    for (const o of opened) o.close();
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`lists what git log lists, in its order, on random history ${seed}`, async () => {
      const dir = join(root, `history-${seed}.git`);
      const tips = randomHistory(dir, seed);
      const repo = openRepository();
      opened.push(repo);
      await loadGitRepository(repo, dir);
      for (const tipName of tips) {
        const tip = gitText(['rev-parse', tipName], { cwd: dir });
        for (const path of QUERIES) {
          for (const firstParent of [false, true]) {
            const parts = path === undefined ? [] : path.split('/');
            const args = [...(firstParent ? ['--first-parent'] : []), tip, '--', ...(path === undefined ? [] : [path])];
            expect(await listed(repo, tip, { path: parts, firstParent }), args.join(' ')).toEqual(gitLog(dir, args));
          }
        }
        for (const [since, until] of [[T0 + 500, undefined], [undefined, T0 + 600], [T0 + 300, T0 + 800]] as const) {
          for (const path of [undefined, 'd']) {
            const args = [...(since === undefined ? [] : [`--since=@${since}`]), ...(until === undefined ? [] : [`--until=@${until}`]), tip, '--', ...(path === undefined ? [] : [path])];
            const options: WalkLogOptions = { path: path === undefined ? [] : [path], ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) };
            expect(await listed(repo, tip, options), args.join(' ')).toEqual(gitLog(dir, args));
          }
        }
      }
    });
  }
});
