/**
 * A pack kept by the mount is the one `git index-pack` would keep: the same
 * .idx byte for byte (writePackIndex.ts, with the offsets unpackObjects.ts
 * reports and the CRCs keepPackFile.ts computes), and git reads every
 * object back from it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gitBytes, gitText } from '../../../test/support/gitBytes.ts';
import { makeRepo } from '../../../test/support/makeRepo.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { KeptPackFile } from './keepPackFile.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { unpackObjects } from './unpackObjects.ts';

const work = useTempDir('grove-lazy-keep-');
const src = join(work, 'src.git');
let pack: Uint8Array;
let oids: string[];

beforeAll(async () => {
  await makeRepo(src, { commits: 60 });
  oids = gitText(['rev-list', '--objects', '--all'], { cwd: src }).split('\n').filter((l) => l !== '').map((l) => l.slice(0, 40));
  // A deltified pack, with OFS_DELTA entries, as a server sends one.
  pack = gitBytes(['pack-objects', '--stdout', '-q', '--delta-base-offset', '--window=10', '--depth=20'], { cwd: src, input: `${oids.join('\n')}\n` });
});

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('KeptPackFile', () => {
  it('writes the .idx git index-pack writes, and git reads every object from the kept pack', async () => {
    const gitDir = join(work, 'kept.git');
    gitBytes(['init', '-q', '--bare', gitDir]);
    const kept = new KeptPackFile(gitDir);
    const seen: string[] = [];
    for await (const object of unpackObjects(kept.tee(chunks(pack, 1000)), nodeCodec)) {
      kept.object(object.oid, object.offset);
      seen.push(object.oid);
    }
    expect(seen.sort()).toEqual([...oids].sort());
    const name = kept.finish(nodeCodec);

    const reference = join(work, 'reference.idx');
    const packFile = join(gitDir, 'objects', 'pack', `${name}.pack`);
    gitBytes(['index-pack', '-o', reference, packFile]);
    expect(Buffer.from(readFileSync(join(gitDir, 'objects', 'pack', `${name}.idx`))).equals(readFileSync(reference))).toBe(true);
    expect(readFileSync(join(gitDir, 'objects', 'pack', `${name}.promisor`), 'utf8')).toBe('');
    gitText(['verify-pack', join(gitDir, 'objects', 'pack', `${name}.idx`)]);
    const listed = gitText(['cat-file', '--batch-all-objects', '--batch-check=%(objectname)'], { cwd: gitDir }).split('\n').filter((l) => l !== '');
    expect(listed.sort()).toEqual([...oids].sort());
    const head = gitText(['rev-parse', 'HEAD:README.md'], { cwd: src }).trim();
    expect(gitBytes(['cat-file', 'blob', head], { cwd: gitDir })).toEqual(gitBytes(['cat-file', 'blob', head], { cwd: src }));
  });

  it('unpacks every object with the content git has for it', async () => {
    let count = 0;
    const check = new Set(oids.filter((_, i) => i % 7 === 0));
    for await (const object of unpackObjects(chunks(pack, 333), nodeCodec)) {
      count++;
      if (!check.has(object.oid)) continue;
      expect(gitText(['cat-file', '-t', object.oid], { cwd: src }).trim()).toBe(object.type);
      expect(Buffer.from(object.data).equals(Buffer.from(gitBytes(['cat-file', object.type, object.oid], { cwd: src })))).toBe(true);
    }
    expect(count).toBe(oids.length);
  });
});
