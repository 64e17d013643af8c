/**
 * Objects that are each well-formed but wrong together, which `git fsck
 * --strict` (and `receive.fsckObjects`, or git's connectivity walk) refuses:
 * a link to an object of another type than the link says, a branch that
 * points at a non-commit, and `.gitmodules` blobs git forbids (the
 * CVE-2018-11235 family). Grove checks each object alone (checkObject)
 * and then what the pack's objects link to (PackLinks): every push below is
 * refused, and the repository stays as it was.
 *
 * What each refusal gives: the ref update refused (an `ng` line, or an `unpack`
 * error naming the object) and the repository unchanged. The first block
 * shows that git 2.39's own receive-pack (`receive.fsckObjects`) refuses
 * every one of these very requests.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPack } from '../support/buildPack.ts';
import { bytesOf } from '../support/bytesOf.ts';
import { commitBytes } from '../support/commitBytes.ts';
import { git } from '../support/git.ts';
import { pktTexts } from '../support/pktLines.ts';
import { rawObject, type RawObject } from '../support/rawObject.ts';
import { reportLines } from '../support/reportLines.ts';
import { withTempDir } from '../support/tempDir.ts';
import { treeBytes, type TreeEntry } from '../support/treeBytes.ts';
import { postReceivePack, useBadInputServer, ZERO_OID, type Answer } from './support/badInputServer.ts';
import { expectUnchangedAndWorking } from './support/expectations.ts';
import { pushRequest, type Command } from './support/pushRequest.ts';
import { seededRepo, useSeed } from './support/seed.ts';

const server = useBadInputServer();
const seed = useSeed();

interface LinkCase {
  name: string;
  /** The pack's objects and the command; made lazily, once the seed exists. */
  make(): { objects: RawObject[]; command: Command };
  /** What the refusal must mention, when it must name a check. */
  reason?: RegExp;
}

/** A commit on top of main whose tree has `entries`, then that tree, then `extra`. */
function commitWithTree(entries: TreeEntry[], extra: RawObject[] = []): RawObject[] {
  const tree = rawObject('tree', treeBytes(entries));
  const commit = rawObject('commit', commitBytes({ tree: tree.oid, parents: [seed().third] }));
  return [commit, tree, ...extra];
}

function onMain(objects: RawObject[]): { objects: RawObject[]; command: Command } {
  return { objects, command: [seed().third, objects[0]!.oid, 'refs/heads/main'] };
}

const others = (...names: string[]): TreeEntry[] => seed().treeEntries.filter((e) => !names.includes(e.name));

function withGitmodules(text: string): RawObject[] {
  const gitmodules = rawObject('blob', bytesOf(text));
  return commitWithTree([{ mode: '100644', name: '.gitmodules', oid: gitmodules.oid }, ...seed().treeEntries], [gitmodules]);
}

const CASES: LinkCase[] = [
  {
    name: 'a commit whose tree is a blob',
    make: () => onMain([rawObject('commit', commitBytes({ tree: seed().big.oid, parents: [seed().third] }))]),
  },
  {
    name: 'a commit whose parent is a tree',
    make: () => onMain([rawObject('commit', commitBytes({ tree: seed().tree, parents: [seed().tree] }))]),
  },
  {
    name: 'a tree whose directory entry is a blob',
    make: () => onMain(commitWithTree([...others('dir'), { mode: '40000', name: 'dir', oid: seed().big.oid }])),
  },
  {
    name: 'a tree whose file entry is a tree',
    make: () => {
      const dir = seed().treeEntries.find((e) => e.name === 'dir')!;
      return onMain(commitWithTree([...others('dir'), { ...dir, mode: '100644' }]));
    },
  },
  {
    name: 'a tag whose type line disagrees with the tagged object',
    make: () => {
      const tag = rawObject('tag', bytesOf(`object ${seed().big.oid}\ntype commit\ntag liar\ntagger Bad Input <bad@grove.invalid> 1700000100 +0000\n\nliar\n`));
      return { objects: [tag], command: [ZERO_OID, tag.oid, 'refs/tags/liar'] };
    },
  },
  {
    name: 'a branch that points at a blob',
    make: () => ({ objects: [], command: [ZERO_OID, seed().big.oid, 'refs/heads/blob'] }),
  },
  {
    name: 'a .gitmodules whose submodule name climbs out of .git/modules (gitmodulesName)',
    make: () => onMain(withGitmodules('[submodule "../../hooks"]\n\tpath = x\n\turl = https://example.com/x\n')),
    reason: /gitmodulesName/,
  },
  {
    name: 'a .gitmodules whose submodule url reads as an option (gitmodulesUrl)',
    make: () => onMain(withGitmodules('[submodule "x"]\n\tpath = x\n\turl = -upload-pack=touch /tmp/pwned\n')),
    reason: /gitmodulesUrl/,
  },
];

function requestOf(c: LinkCase): { body: Uint8Array; ref: string } {
  const { objects, command } = c.make();
  const pack = buildPack(objects.map((o) => ({ type: o.type, data: o.data }))).bytes;
  return { body: pushRequest([command], { pack }), ref: command[2] };
}

/** The report lines must refuse `ref` and accept nothing. */
function expectRefusal(report: string[], ref: string): void {
  expect(report.filter((line) => line.startsWith('ok '))).toEqual([]);
  expect(report.filter((line) => line.startsWith(`ng ${ref} `))).toHaveLength(1);
}

describe('receive-pack: git itself refuses each of these pushes (reference)', () => {
  it.each(CASES)('git receive-pack refuses $name', async (c) => {
    await withTempDir('grove-bad-input-reference-', async (scratch) => {
      const dir = join(scratch, 'reference.git');
      await git(['clone', '--quiet', '--bare', seed().dir, dir]);
      await git(['config', 'receive.fsckObjects', 'true'], { cwd: dir });
      const { body, ref } = requestOf(c);
      const run = await git(['receive-pack', dir], { input: body, allowFailure: true });
      const output = new TextEncoder().encode(run.stdout);
      const afterAdvertisement = pktTexts(output).indexOf('<flush>') + 1;
      const report = pktTexts(output).slice(afterAdvertisement, -1).map((line) => line.replace(/\n$/, ''));
      expectRefusal(report, ref);
      if (c.reason !== undefined) expect(run.stderr).toMatch(c.reason);
    });
  });
});

describe('receive-pack: objects wrong together change nothing', () => {
  it.each(CASES)('refuses $name', async (c) => {
    const repo = await seededRepo(server(), seed());
    const { body, ref } = requestOf(c);
    const answer: Answer = await postReceivePack(repo, body);
    const report = reportLines(answer.body, false);
    expectRefusal(report, ref);
    if (c.reason !== undefined) expect(report.join('\n')).toMatch(c.reason);
    await expectUnchangedAndWorking(repo);
  });
});
