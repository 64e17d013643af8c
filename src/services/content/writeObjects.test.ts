import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diffRepo, type DiffRepo } from '../../../test/content/support/diffRepo.ts';
import { groveRepoOf, type GroveCopy } from '../../../test/content/support/groveRepoOf.ts';
import { storedOids } from '../../../test/support/storeRepo.ts';
import { serializeCommit } from '../../git/objects/commit.ts';
import { hashObject } from '../../git/objects/gitObject.ts';
import { MODE_FILE, MODE_TREE, parseTree, serializeTree } from '../../git/objects/tree.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { writeObjects, type ObjectWriter } from './writeObjects.ts';

const encoder = new TextEncoder();
const who = { name: 'W', email: 'w@example.com', timestamp: 1_700_000_100, timezone: '+0000' };

async function* chunksOf(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

describe('writeObjects', () => {
  let git: DiffRepo;
  let copy: GroveCopy;
  let head: string;
  beforeEach(async () => {
    git = diffRepo();
    head = git.commit({ files: { 'keep/a.txt': 'a\n', 'b.txt': 'b\n' }, branch: 'main' });
    copy = await groveRepoOf(git.dir);
  });
  afterEach(() => {
    copy.close();
    git.remove();
  });

  const headTree = (): Promise<string> => copy.repo.objects.readCommits([head]).then((m) => m.get(head)!.tree);
  const staged = (): number => copy.opened.sql.query<{ n: number }>('SELECT (SELECT count(*) FROM incoming) + (SELECT count(*) FROM incoming_chunks) AS n')[0]!.n;
  const branch = (): string | null | undefined => copy.repo.repo.listRefsSync().find((r) => r.name === 'refs/heads/main')?.oid;

  /** A commit on top of main that adds `name` with `data`; returns the ids. */
  async function addFile(writer: ObjectWriter, name: string, data: Uint8Array): Promise<{ blob: string; tree: string; commit: string }> {
    const blob = writer.add('blob', data);
    const entries = parseTree((await copy.repo.objects.readObjects([await headTree()])).get(await headTree())!.data);
    const tree = writer.add('tree', serializeTree([...entries, { mode: MODE_FILE, name, oid: blob }]));
    const commit = writer.add('commit', serializeCommit({ tree, parents: [head], author: who, committer: who, extraHeaders: [], message: 'add\n' }));
    return { blob, tree, commit };
  }

  it('makes the objects and the ref visible at once, the commit indexed with what it brings', async () => {
    const ids = await writeObjects(copy.repo, nodeCodec, {}, async (writer) => {
      const ids = await addFile(writer, 'new.txt', encoder.encode('new\n'));
      expect(await copy.repo.objects.has([ids.blob, ids.tree, ids.commit])).toEqual(new Set());
      await writer.commit({ name: 'refs/heads/main', old: head, new: ids.commit });
      return ids;
    });
    expect(branch()).toBe(ids.commit);
    expect(await copy.repo.objects.has([ids.blob, ids.tree, ids.commit])).toEqual(new Set([ids.blob, ids.tree, ids.commit]));
    expect((await copy.repo.objects.readCommits([ids.commit])).get(ids.commit)).toMatchObject({ tree: ids.tree, parents: [head], time: who.timestamp, generation: 2 });
    const indexed = copy.opened.sql.query<{ indexed: number }>('SELECT indexed FROM commits WHERE oid = ?', Buffer.from(ids.commit, 'hex'))[0];
    expect(indexed?.indexed).toBe(1);
    // The new root tree and blob are brought; the unchanged `keep` subtree is not.
    expect(new Set((await copy.repo.objects.readIntroduced!([ids.commit]))!.map((o) => o.oid))).toEqual(new Set([ids.tree, ids.blob]));
    expect(staged()).toBe(0);
  });

  it('changes nothing when the ref moved: REF_CONFLICT', async () => {
    const before = { objects: storedOids(copy.opened), main: branch() };
    await expect(writeObjects(copy.repo, nodeCodec, {}, async (writer) => {
      const ids = await addFile(writer, 'new.txt', encoder.encode('new\n'));
      await writer.commit({ name: 'refs/heads/main', old: '1'.repeat(40), new: ids.commit });
    })).rejects.toMatchObject({ code: 'REF_CONFLICT', details: { ref: 'refs/heads/main' } });
    expect({ objects: storedOids(copy.opened), main: branch() }).toEqual(before);
    expect(staged()).toBe(0);
  });

  it('discards what was staged when the build fails', async () => {
    const before = storedOids(copy.opened);
    await expect(writeObjects(copy.repo, nodeCodec, {}, async (writer) => {
      await addFile(writer, 'x', encoder.encode('x'));
      throw new Error('no');
    })).rejects.toThrow('no');
    expect(storedOids(copy.opened)).toEqual(before);
    expect(staged()).toBe(0);
  });

  it('streams a blob to the same id, with or without its size, and checks the size', async () => {
    const data = encoder.encode('streamed content\n'.repeat(5000));
    const oid = hashObject(nodeCodec, 'blob', data);
    await writeObjects(copy.repo, nodeCodec, {}, async (writer) => {
      expect(await writer.addBlobStream(chunksOf(data, 777), data.length)).toBe(oid);
      expect(await writer.addBlobStream(chunksOf(data, 4096))).toBe(oid);
      await expect(writer.addBlobStream(chunksOf(data, 4096), data.length + 1)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(writer.addBlobStream(chunksOf(data, 4096), data.length - 1)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      const tree = writer.add('tree', serializeTree([{ mode: MODE_FILE, name: 'big.txt', oid }]));
      const commit = writer.add('commit', serializeCommit({ tree, parents: [head], author: who, committer: who, extraHeaders: [], message: 'big\n' }));
      await writer.commit({ name: 'refs/heads/main', old: head, new: commit });
    });
    expect(new Uint8Array((await copy.repo.objects.readObjects([oid])).get(oid)!.data)).toEqual(data);
  });

  it('refuses an object over maxObjectBytes and a commit that takes the repository over maxRepoBytes', async () => {
    const data = new Uint8Array(randomBytes(5000)); // incompressible
    await writeObjects(copy.repo, nodeCodec, { maxObjectBytes: 4096 }, async (writer) => {
      expect(() => writer.add('blob', data)).toThrow(expect.objectContaining({ code: 'OBJECT_TOO_LARGE' }));
      await expect(writer.addBlobStream(chunksOf(data, 1000))).rejects.toMatchObject({ code: 'OBJECT_TOO_LARGE' });
    });
    const room = copy.repo.repo.sizeBytes() + 1000;
    await expect(writeObjects(copy.repo, nodeCodec, { maxRepoBytes: room }, async (writer) => {
      const ids = await addFile(writer, 'noise.bin', data);
      await writer.commit({ name: 'refs/heads/main', old: head, new: ids.commit });
    })).rejects.toMatchObject({ code: 'REPO_TOO_LARGE' });
    expect(branch()).toBe(head);
  });

  it('checks trees as git fsck does, and the contents of .gitmodules and .gitattributes before committing', async () => {
    await writeObjects(copy.repo, nodeCodec, {}, async (writer) => {
      const blob = writer.add('blob', encoder.encode('x'));
      expect(() => writer.add('tree', serializeTree([{ mode: MODE_TREE, name: '.git', oid: blob }]))).toThrow(expect.objectContaining({ code: 'BAD_OBJECT' }));
    });
    for (const [name, content, check] of [
      ['.gitattributes', `${'x'.repeat(3000)} text\n`, 'gitattributesLineLength'],
      ['.gitmodules', '[submodule "a"]\n\tpath = a\n\turl = -x\n', 'gitmodulesUrl'],
    ] as const) {
      await expect(writeObjects(copy.repo, nodeCodec, {}, async (writer) => {
        const ids = await addFile(writer, name, encoder.encode(content));
        await writer.commit({ name: 'refs/heads/main', old: head, new: ids.commit });
      })).rejects.toMatchObject({ code: 'BAD_OBJECT', details: { check } });
      expect(branch()).toBe(head);
    }
  });
});
