import { afterEach, describe, expect, it } from 'vitest';
import { diffRepo, type DiffRepo } from '../../../test/content/support/diffRepo.ts';
import { groveRepoOf, type GroveCopy } from '../../../test/content/support/groveRepoOf.ts';
import { openRepository } from '../../../test/support/storeRepo.ts';
import { ZERO_OID } from '../../git/objects/objectId.ts';
import { parseTree } from '../../git/objects/tree.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import type { OpenRepository } from '../RepoService.ts';
import { commitFiles, type CommitFilesOptions } from './commitFiles.ts';
import { parseDate } from './commitIdent.ts';
import { restore } from './restore.ts';

const encoder = new TextEncoder();
const NOW = Date.UTC(2024, 0, 2, 3, 4, 5);

async function* never(): AsyncGenerator<Uint8Array> {
  throw new Error('the content was read');
}

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield encoder.encode(part);
}

describe('commitFiles and restore', () => {
  let git: DiffRepo | undefined;
  let copy: GroveCopy | undefined;
  afterEach(() => {
    copy?.close();
    git?.remove();
    copy = undefined;
    git = undefined;
  });

  async function repoWithHistory(): Promise<{ repo: OpenRepository; first: string; second: string }> {
    git = diffRepo();
    const first = git.commit({ files: { 'a.txt': 'a\n', 'dir/b.txt': 'b\n' } });
    const second = git.commit({ files: { 'a.txt': 'a2\n', 'c.txt': 'c\n' }, parents: [first], branch: 'main' });
    copy = await groveRepoOf(git.dir);
    return { repo: copy.repo, first, second };
  }

  const put = (path: string, content: string): Extract<CommitFilesOptions['changes'][number], { op: 'put' }> => ({ op: 'put', path, content: encoder.encode(content) });

  it('checks paths, modes and identities before reading any content', async () => {
    const { repo } = await repoWithHistory();
    const streamed = { op: 'put' as const, path: 'ok.txt', content: { stream: never() } };
    const base = { branch: 'main', message: 'm', now: NOW };
    await expect(commitFiles(repo, nodeCodec, { ...base, changes: [streamed, put('../bad', '')] })).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { field: 'changes[1].path' } });
    await expect(commitFiles(repo, nodeCodec, { ...base, changes: [streamed, { ...put('x', ''), mode: 0o100664 }] })).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { field: 'changes[1].mode' } });
    await expect(commitFiles(repo, nodeCodec, { ...base, author: { name: 'A <a>', email: 'a@b' }, changes: [streamed] })).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { field: 'author.name' } });
    await expect(commitFiles(repo, nodeCodec, { ...base, committer: { name: 'C', email: 'c@d', date: 'yesterday' }, changes: [streamed] })).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { field: 'committer.date' } });
    await expect(commitFiles(repo, nodeCodec, { ...base, branch: 'missing', changes: [streamed] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(commitFiles(repo, nodeCodec, { ...base, message: 'a\0b', changes: [] })).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { field: 'message' } });
  });

  it('stores a streamed content as the same blob as an inline one; the default identity commits now, in UTC', async () => {
    const { repo, second } = await repoWithHistory();
    const written = await commitFiles(repo, nodeCodec, {
      branch: 'main', message: 'two files', now: NOW,
      changes: [put('inline.txt', 'same\ncontent\n'), { op: 'put', path: 'streamed.txt', content: { stream: chunks('same\n', 'content\n') } }],
    });
    expect(written.commit).toMatchObject({
      parents: [second],
      message: 'two files\n',
      committer: { name: 'Grove', email: 'grove@localhost', timestamp: NOW / 1000, timezone: '+0000' },
      author: { name: 'Grove', email: 'grove@localhost', timestamp: NOW / 1000, timezone: '+0000' },
    });
    const tree = parseTree((await repo.objects.readObjects([written.commit.tree])).get(written.commit.tree)!.data);
    const ids = tree.filter((e) => e.name === 'inline.txt' || e.name === 'streamed.txt').map((e) => e.oid);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('creates branches by the rules of branchTarget', async () => {
    const { repo, first, second } = await repoWithHistory();
    const base = { message: 'm', now: NOW, changes: [put('n.txt', 'n')] };
    const feature = await commitFiles(repo, nodeCodec, { ...base, branch: 'refs/heads/feature', startFrom: first });
    expect(feature).toMatchObject({ ref: 'refs/heads/feature', branch: 'feature', commit: { parents: [first] } });
    await expect(commitFiles(repo, nodeCodec, { ...base, branch: 'feature', startFrom: first })).rejects.toMatchObject({ code: 'REF_CONFLICT' });
    await expect(commitFiles(repo, nodeCodec, { ...base, branch: 'other', startFrom: first, expectedHead: first })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(commitFiles(repo, nodeCodec, { ...base, branch: 'main', expectedHead: first })).rejects.toMatchObject({ code: 'REF_CONFLICT', details: { current: second } });
    const orphan = await commitFiles(repo, nodeCodec, { ...base, branch: 'orphan', expectedHead: ZERO_OID });
    expect(orphan.commit.parents).toEqual([]);
    for (const bad of ['refs/tags/v1', 'HEAD', '-x', 'a..b', 'x.lock', 'with space']) {
      await expect(commitFiles(repo, nodeCodec, { ...base, branch: bad })).rejects.toMatchObject({ code: 'BAD_REF_NAME' });
    }
  });

  it('makes a root commit on the first branch of an empty repository', async () => {
    const opened = openRepository();
    try {
      const repo = { ...(await repoWithHistory()).repo, repo: opened.repo, objects: opened.repo.objects, packCache: opened.repo.packCache };
      const written = await commitFiles(repo, nodeCodec, { branch: 'trunk', message: 'first', now: NOW, changes: [put('x/y.txt', 'y')] });
      expect(written.commit.parents).toEqual([]);
      expect(opened.repo.listRefsSync().find((r) => r.name === 'refs/heads/trunk')?.oid).toBe(written.sha);
    } finally {
      opened.close();
    }
  });

  it('restores the exact tree of an earlier commit on top of the head', async () => {
    const { repo, first, second } = await repoWithHistory();
    const written = await restore(repo, nodeCodec, { branch: 'main', to: first, now: NOW });
    const firstTree = (await repo.objects.readCommits([first])).get(first)!.tree;
    expect(written.commit).toMatchObject({ tree: firstTree, parents: [second], message: `Restore ${first.slice(0, 7)}\n` });
    await expect(restore(repo, nodeCodec, { branch: 'nope', to: first })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(restore(repo, nodeCodec, { branch: 'main', to: first, expectedHead: second })).rejects.toMatchObject({ code: 'REF_CONFLICT' });
  });
});

describe('parseDate', () => {
  it.each([
    ['2005-04-07T15:13:13-07:00', 1112911993, '-0700'],
    ['2005-04-07T22:13:13Z', 1112911993, '+0000'],
    ['2021-01-02T03:04:05.250+05:30', 1609536845, '+0530'],
    ['2021-01-02T03:04:05+0530', 1609536845, '+0530'],
    ['2000-01-01T00:00:00-00:00', 946684800, '-0000'],
  ])('%s → %i %s', (date, timestamp, timezone) => {
    expect(parseDate(date, 'd')).toEqual({ timestamp, timezone });
  });
  it.each(['2021-02-30T00:00:00Z', '2021-01-01T24:00:00Z', '2021-01-01 00:00:00Z', '2021-01-01T00:00:00', '1969-12-31T23:59:59Z', 'now'])('refuses %s', (date) => {
    expect(() => parseDate(date, 'author.date')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', details: { field: 'author.date' } }));
  });
});
