/**
 * Ref updates receive-pack must refuse although the pack is fine: history
 * that is not complete (connectivity), ref names git refuses, a stale old
 * value (compare-and-swap), and with `atomic` one bad update among good ones.
 * Each is an `ng <ref> <reason>` after `unpack ok`; nothing moves and none of
 * the pack's objects is kept.
 */
import { describe, expect, it } from 'vitest';
import { buildPack, type EntrySpec } from '../support/buildPack.ts';
import { commitBytes } from '../support/commitBytes.ts';
import { rawObject } from '../support/rawObject.ts';
import { postReceivePack, useBadInputServer, ZERO_OID } from './support/badInputServer.ts';
import { expectReport, expectUnchangedAndWorking } from './support/expectations.ts';
import { nextCommit } from './support/nextCommit.ts';
import { pushRequest, type Command } from './support/pushRequest.ts';
import { lsRemote, seededRepo, useSeed } from './support/seed.ts';

const server = useBadInputServer();
const seed = useSeed();
const EMPTY_PACK = buildPack([]).bytes;

/** `git ls-remote` order: HEAD first, then refs by name. */
function byRefName(a: string, b: string): number {
  const name = (line: string): string => (line.endsWith('\tHEAD') ? '' : line.split('\t')[1] ?? '');
  return name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0;
}

/** A complete, correct pack of a new commit on top of main. */
function goodPack(): { commit: string; pack: Uint8Array } {
  const next = nextCommit(seed());
  const entries: EntrySpec[] = [
    { type: 'commit', data: next.commit.data },
    { type: 'tree', data: next.tree.data },
    { type: 'blob', data: next.blob.data },
  ];
  return { commit: next.commit.oid, pack: buildPack(entries).bytes };
}

async function push(commands: readonly Command[], pack: Uint8Array, expected: string[], capabilities?: string[]): Promise<void> {
  const repo = await seededRepo(server(), seed());
  const answer = await postReceivePack(repo, pushRequest(commands, { pack, ...(capabilities === undefined ? {} : { capabilities }) }));
  expectReport(answer, expected);
  await expectUnchangedAndWorking(repo, { push: true });
}

describe('receive-pack: incomplete history', () => {
  it('refuses a commit whose tree is in neither the pack nor the repository', async () => {
    const next = nextCommit(seed());
    const pack = buildPack([{ type: 'commit', data: next.commit.data }, { type: 'blob', data: next.blob.data }]).bytes;
    await push([[seed().third, next.commit.oid, 'refs/heads/main']], pack, ['unpack ok', 'ng refs/heads/main missing necessary objects']);
  });

  it('refuses a commit whose parent is in neither the pack nor the repository', async () => {
    const ghost = rawObject('commit', commitBytes({ tree: seed().tree, message: 'never pushed\n' }));
    const commit = rawObject('commit', commitBytes({ tree: seed().tree, parents: [ghost.oid] }));
    const pack = buildPack([{ type: 'commit', data: commit.data }]).bytes;
    await push([[seed().third, commit.oid, 'refs/heads/main']], pack, ['unpack ok', 'ng refs/heads/main missing necessary objects']);
  });

  it('refuses a new value that is neither in the pack nor in the repository', async () => {
    const { commit } = goodPack();
    await push([[seed().third, commit, 'refs/heads/main']], EMPTY_PACK, ['unpack ok', 'ng refs/heads/main missing necessary objects']);
  });
});

describe('receive-pack: ref names git refuses', () => {
  const names = [
    'refs/heads/a..b',
    'refs/heads/x.lock',
    'HEAD',
    'main',
    'heads/outside-refs',
    'refs/heads/ti~lde',
    'refs/heads/trailing/',
    'refs/heads/.hidden',
  ];
  it.each(names)('refuses %j as a funny refname', async (name) => {
    await push([[ZERO_OID, seed().third, name]], EMPTY_PACK, ['unpack ok', `ng ${name} funny refname`]);
  });

  it('refuses a funny refname and still applies the other updates of a non-atomic push', async () => {
    const repo = await seededRepo(server(), seed());
    const answer = await postReceivePack(
      repo,
      pushRequest([[ZERO_OID, seed().third, 'refs/heads/a..b'], [ZERO_OID, seed().second, 'refs/heads/fine']], { pack: EMPTY_PACK }),
    );
    expectReport(answer, ['unpack ok', 'ng refs/heads/a..b funny refname', 'ok refs/heads/fine']);
    expect(await lsRemote(repo)).toBe(`${repo.lsRemote}\n${seed().second}\trefs/heads/fine`.split('\n').sort(byRefName).join('\n'));
  });
});

describe('receive-pack: compare-and-swap', () => {
  it('refuses an update whose old value is stale, and keeps none of the pack', async () => {
    const { commit, pack } = goodPack();
    await push([[seed().second, commit, 'refs/heads/main']], pack, ['unpack ok', 'ng refs/heads/main failed to update ref: stale old value']);
  });

  it('refuses to create a ref that already exists', async () => {
    await push([[ZERO_OID, seed().third, 'refs/heads/side']], EMPTY_PACK, ['unpack ok', 'ng refs/heads/side reference already exists']);
  });

  it('refuses a delete whose old value is stale', async () => {
    await push([[seed().second, ZERO_OID, 'refs/heads/side']], EMPTY_PACK, ['unpack ok', 'ng refs/heads/side failed to update ref: stale old value']);
  });
});

describe('receive-pack: atomic', () => {
  it('moves nothing when one ref name among good updates is refused', async () => {
    const { commit, pack } = goodPack();
    await push(
      [
        [seed().third, commit, 'refs/heads/main'],
        [ZERO_OID, commit, 'refs/heads/new'],
        [ZERO_OID, commit, 'refs/heads/bad..name'],
        [seed().first, ZERO_OID, 'refs/heads/side'],
      ],
      pack,
      [
        'unpack ok',
        'ng refs/heads/main atomic push failure',
        'ng refs/heads/new atomic push failure',
        'ng refs/heads/bad..name funny refname',
        'ng refs/heads/side atomic push failure',
      ],
      ['report-status', 'atomic'],
    );
  });

  it('moves nothing when one old value among good updates is stale', async () => {
    const { commit, pack } = goodPack();
    await push(
      [
        [seed().third, commit, 'refs/heads/main'],
        [ZERO_OID, commit, 'refs/heads/new'],
        [seed().second, ZERO_OID, 'refs/heads/side'],
      ],
      pack,
      [
        'unpack ok',
        'ng refs/heads/main atomic push failure',
        'ng refs/heads/new atomic push failure',
        'ng refs/heads/side failed to update ref: stale old value',
      ],
      ['report-status', 'atomic'],
    );
  });

  it('moves nothing when one update lacks its objects', async () => {
    const { commit, pack } = goodPack();
    const ghost = rawObject('commit', commitBytes({ tree: seed().tree, message: 'never pushed\n' }));
    await push(
      [
        [seed().third, commit, 'refs/heads/main'],
        [ZERO_OID, ghost.oid, 'refs/heads/ghost'],
      ],
      pack,
      ['unpack ok', 'ng refs/heads/main atomic push failure', 'ng refs/heads/ghost missing necessary objects'],
      ['report-status', 'atomic'],
    );
  });
});
