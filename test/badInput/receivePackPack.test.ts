/**
 * Broken packs pushed to receive-pack: each must be refused in the report
 * (`unpack <reason>`, `ng <ref> unpacker error`) with a reason that names the
 * defect, and leave the repository byte for byte as it was — and still
 * accepting real pushes afterwards.
 *
 * Each push updates `main` from the seed's tip to a new commit carried by the
 * pack; the two positive controls at the top prove the pack builder makes
 * packs Grove and git accept, so each failure below comes from its one
 * defect — and real git (`index-pack`) refuses each broken pack too.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPack, resealed, sha1, type EntrySpec } from '../support/buildPack.ts';
import { bytesOf } from '../support/bytesOf.ts';
import { commitBytes } from '../support/commitBytes.ts';
import { deltaBytes, diffDelta } from '../support/deltaBytes.ts';
import { git } from '../support/git.ts';
import { rawObject } from '../support/rawObject.ts';
import { withTempDir } from '../support/tempDir.ts';
import { treeBytes } from '../support/treeBytes.ts';
import { postReceivePack, useBadInputServer, type Answer } from './support/badInputServer.ts';
import { expectReport, expectUnchangedAndWorking } from './support/expectations.ts';
import { nextCommit, type NextCommit } from './support/nextCommit.ts';
import { pushRequest } from './support/pushRequest.ts';
import { seededRepo, useSeed, type Seed, type SeededRepo } from './support/seed.ts';

const server = useBadInputServer();
const seed = useSeed();

/** Whole objects, the new blob as an OFS_DELTA on a copy of the old one. */
function ofsPack(s: Seed, next: NextCommit): EntrySpec[] {
  return [
    { type: 'blob', data: s.big.data },
    { ofsBase: 0, delta: diffDelta(s.big.data, next.blob.data) },
    { type: 'tree', data: next.tree.data },
    { type: 'commit', data: next.commit.data },
  ];
}

/** A thin pack: the new blob as a REF_DELTA on the stored `big.txt`. */
function thinPack(s: Seed, next: NextCommit): EntrySpec[] {
  return [
    { type: 'commit', data: next.commit.data },
    { type: 'tree', data: next.tree.data },
    { refBase: s.big.oid, delta: diffDelta(s.big.data, next.blob.data) },
  ];
}

/** Pushes `pack` as the update of main to `next`'s commit. */
function pushPack(repo: SeededRepo, next: NextCommit, pack: Uint8Array): Promise<Answer> {
  return postReceivePack(repo, pushRequest([[seed().third, next.commit.oid, 'refs/heads/main']], { pack }));
}

/**
 * `git index-pack --fix-thin [--strict]` on `pack` in a bare clone of the seed
 * (so thin deltas find their base, and links their targets): what real git says of it.
 */
async function gitIndexPack(pack: Uint8Array, options: { strict?: boolean } = {}): Promise<{ code: number; stderr: string }> {
  return withTempDir('grove-bad-input-index-', async (scratch) => {
    const dir = join(scratch, 'reference.git');
    await git(['clone', '--quiet', '--bare', seed().dir, dir]);
    const args = ['index-pack', '--stdin', '--fix-thin', ...(options.strict === true ? ['--strict'] : [])];
    const run = await git(args, { cwd: dir, input: pack, allowFailure: true });
    return { code: run.code, stderr: run.stderr };
  });
}

/** Real git refuses `pack`, and Grove refuses it with `unpack <reason>`, changing nothing. */
async function expectRefused(repo: SeededRepo, next: NextCommit, pack: Uint8Array, reason: string): Promise<void> {
  expect((await gitIndexPack(pack)).code).not.toBe(0);
  expectReport(await pushPack(repo, next, pack), refused(reason));
  await expectUnchangedAndWorking(repo, { push: true });
}

function refused(reason: string): string[] {
  return [`unpack ${reason}`, 'ng refs/heads/main unpacker error'];
}

describe('receive-pack: the pack builder makes packs that are accepted', () => {
  it('accepts whole objects with an OFS_DELTA, as real git does', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const pack = buildPack(ofsPack(seed(), next));
    expect((await gitIndexPack(pack.bytes, { strict: true })).code).toBe(0);
    expectReport(await pushPack(repo, next, pack.bytes), ['unpack ok', 'ok refs/heads/main']);
  });

  it('accepts a thin pack whose REF_DELTA base is in the repository, as real git does', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const pack = buildPack(thinPack(seed(), next));
    expect((await gitIndexPack(pack.bytes, { strict: true })).code).toBe(0);
    expectReport(await pushPack(repo, next, pack.bytes), ['unpack ok', 'ok refs/heads/main']);
  });
});

describe('receive-pack: a corrupt pack changes nothing', () => {
  it('refuses a pack with a bad signature', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const pack = buildPack(ofsPack(seed(), next), { signature: 'PACX' });
    await expectRefused(repo, next, pack.bytes, 'not a pack: signature is 0x50414358, expected "PACK"');
  });

  it('refuses a pack of an unsupported version', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const pack = buildPack(ofsPack(seed(), next), { version: 4 });
    await expectRefused(repo, next, pack.bytes, 'unsupported pack version 4 (only 2 and 3 are read)');
  });

  it('refuses a pack cut in the middle of an entry', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const pack = buildPack(ofsPack(seed(), next));
    const cut = pack.bytes.subarray(0, pack.zlibOffsets[2]! + 5);
    await expectRefused(repo, next, cut, `pack truncated inside the zlib stream of pack entry 2 at offset ${pack.offsets[2]}`);
  });

  it('refuses a pack cut in its trailer', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const pack = buildPack(ofsPack(seed(), next));
    const cut = pack.bytes.subarray(0, pack.trailerOffset + 7);
    await expectRefused(repo, next, cut, 'pack truncated: 7 of the 20 trailer bytes after 4 objects');
  });

  it('refuses a pack whose header declares more objects than it holds', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const pack = buildPack(ofsPack(seed(), next), { count: 5 });
    await expectRefused(repo, next, pack.bytes, 'pack ends after 4 objects (a trailer follows), its header declares 5');
  });

  it('refuses a pack whose header declares fewer objects than it holds', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const pack = buildPack(ofsPack(seed(), next), { count: 3 });
    const actual = Buffer.from(sha1(pack.bytes.subarray(0, pack.offsets[3]))).toString('hex');
    const trailer = Buffer.from(pack.bytes.subarray(pack.offsets[3]!, pack.offsets[3]! + 20)).toString('hex');
    await expectRefused(
      repo,
      next,
      pack.bytes,
      `pack checksum mismatch: trailer is ${trailer}, content hashes to ${actual} (and more data follows: the header may declare too few objects)`,
    );
  });

  it('refuses an entry whose zlib stream is corrupt', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const pack = buildPack(ofsPack(seed(), next));
    const bytes = pack.bytes.slice();
    bytes[pack.zlibOffsets[2]! + 1]! ^= 0x01; // the zlib header's check bits no longer add up
    await expectRefused(repo, next, resealed(bytes), `pack entry 2 at offset ${pack.offsets[2]}: corrupt zlib stream (incorrect header check)`);
  });

  it('refuses an entry that inflates to another size than its header says', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const entries = ofsPack(seed(), next);
    entries[2] = { ...entries[2]!, headerSize: next.tree.data.length + 10 };
    const pack = buildPack(entries);
    const size = next.tree.data.length;
    await expectRefused(repo, next, pack.bytes, `pack entry 2 at offset ${pack.offsets[2]} inflates to ${size} bytes, its header says ${size + 10}`);
  });

  it('refuses a pack whose trailer checksum is wrong', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const pack = buildPack(ofsPack(seed(), next));
    const bytes = pack.bytes.slice();
    bytes[bytes.length - 1]! ^= 0xff;
    const trailer = Buffer.from(bytes.subarray(pack.trailerOffset)).toString('hex');
    const actual = Buffer.from(pack.bytes.subarray(pack.trailerOffset)).toString('hex');
    await expectRefused(repo, next, bytes, `pack checksum mismatch: trailer is ${trailer}, content hashes to ${actual}`);
  });

  it('refuses bytes after the trailer', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const pack = buildPack(ofsPack(seed(), next));
    // Stricter than git, whose index-pack stops reading at the trailer; no client sends more.
    expectReport(
      await pushPack(repo, next, bytesOf(pack.bytes, 'junk')),
      refused(`trailing data after the pack trailer at offset ${pack.bytes.length}`),
    );
    await expectUnchangedAndWorking(repo, { push: true });
  });
});

describe('receive-pack: a delta that cannot be resolved changes nothing', () => {
  it('refuses a REF_DELTA whose base is neither in the pack nor in the repository', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const ghost = 'feedfacefeedfacefeedfacefeedfacefeedface';
    const entries = thinPack(seed(), next);
    entries[2] = { refBase: ghost, delta: diffDelta(seed().big.data, next.blob.data) };
    await expectRefused(repo, next, buildPack(entries).bytes, `pack has 1 unresolved delta: base ${ghost} is neither in the pack nor in the repository`);
  });

  it('refuses an OFS_DELTA that points before the start of the pack', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const entries = ofsPack(seed(), next);
    const offset = buildPack(entries).offsets[1]!;
    entries[1] = { ofsDistance: offset + 100, delta: diffDelta(seed().big.data, next.blob.data) };
    await expectRefused(
      repo,
      next,
      buildPack(entries).bytes,
      `pack entry 1 at offset ${offset}: OFS_DELTA distance ${offset + 100} points before the first entry`,
    );
  });

  it('refuses an OFS_DELTA that points into the middle of an entry', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const entries = ofsPack(seed(), next);
    const offset = buildPack(entries).offsets[1]!;
    entries[1] = { ofsDistance: offset - 14, delta: diffDelta(seed().big.data, next.blob.data) };
    await expectRefused(
      repo,
      next,
      buildPack(entries).bytes,
      `pack entry 1 at offset ${offset}: OFS_DELTA base offset 14 is not the start of an earlier entry`,
    );
  });

  it('refuses a delta whose copy instruction reads past the end of its base', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const base = seed().big.data;
    const entries = thinPack(seed(), next);
    entries[2] = { refBase: seed().big.oid, delta: deltaBytes(base.length, [{ copy: [base.length - 10, 100] }]) };
    await expectRefused(
      repo,
      next,
      buildPack(entries).bytes,
      `bad delta: copy of 100 bytes at base offset ${base.length - 10} exceeds the ${base.length}-byte base`,
    );
  });

  it('refuses a delta that declares another base size than its base has', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const base = seed().big.data;
    const entries = ofsPack(seed(), next);
    entries[1] = { ofsBase: 0, delta: deltaBytes(base.length + 1, [{ copy: [0, 10] }]) };
    await expectRefused(repo, next, buildPack(entries).bytes, `bad delta: base size is ${base.length} bytes, the delta expects ${base.length + 1}`);
  });

  it('refuses a delta that produces fewer bytes than it declares', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const base = seed().big.data;
    const entries = ofsPack(seed(), next);
    entries[1] = { ofsBase: 0, delta: deltaBytes(base.length, [{ copy: [0, 10] }], 20) };
    await expectRefused(repo, next, buildPack(entries).bytes, 'bad delta: result is 10 bytes, the delta declares 20');
  });
});

describe('receive-pack: an object that fails validation changes nothing', () => {
  /** Grove's unpack reason names the object and git's fsck message; `git index-pack --strict` says the same. */
  async function expectInvalid(next: NextCommit, bad: { type: string; oid: string }, fsckMessage: string): Promise<void> {
    const repo = await seededRepo(server(), seed());
    const pack = buildPack(thinPack(seed(), next).slice(0, 2).concat({ type: 'blob', data: next.blob.data }));
    expect((await gitIndexPack(pack.bytes, { strict: true })).stderr).toContain(fsckMessage);
    expectReport(await pushPack(repo, next, pack.bytes), refused(`${bad.type} ${bad.oid}: ${fsckMessage}`));
    await expectUnchangedAndWorking(repo, { push: true });
  }

  it('refuses a commit whose author has a bad time zone', async () => {
    const next = nextCommit(seed(), { commit: { author: 'Bad Input <bad@grove.invalid> 1700000100 +01x0' } });
    await expectInvalid(next, next.commit, 'badTimezone: invalid author/committer line - bad time zone');
  });

  it('refuses a tree with an entry named .git', async () => {
    const next = nextCommit(seed(), {
      treeEntries: (blob) => [{ mode: '100644', name: '.git', oid: blob.oid }, ...seed().treeEntries.filter((e) => e.name !== 'big.txt')],
    });
    await expectInvalid(next, next.tree, "hasDotgit: contains '.git'");
  });

  it('refuses a tree whose entries are not sorted', async () => {
    const next = nextCommit(seed(), {
      treeEntries: (blob) => [...seed().treeEntries.filter((e) => e.name !== 'big.txt'), { mode: '100644', name: 'big.txt', oid: blob.oid }],
    });
    await expectInvalid(next, next.tree, 'treeNotSorted: not properly sorted');
  });

  it('refuses an object that cannot be parsed as a tree', async () => {
    const repo = await seededRepo(server(), seed());
    const tree = rawObject('tree', bytesOf(treeBytes(seed().treeEntries), '100644 cut'));
    const commit = rawObject('commit', commitBytes({ tree: tree.oid, parents: [seed().third] }));
    const pack = buildPack([{ type: 'commit', data: commit.data }, { type: 'tree', data: tree.data }]);
    expect((await gitIndexPack(pack.bytes, { strict: true })).stderr).toContain('badTree');
    const answer = await postReceivePack(repo, pushRequest([[seed().third, commit.oid, 'refs/heads/main']], { pack: pack.bytes }));
    expectReport(answer, refused(`tree ${tree.oid}: badTree: cannot be parsed as a tree`));
    await expectUnchangedAndWorking(repo, { push: true });
  });
});
