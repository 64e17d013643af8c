/**
 * Grove's clone pack cache, seen from a real git client: the second clone of
 * unchanged refs is served from the stored pack (the server says so in its
 * progress), it is byte for byte a valid clone, and any push makes the cache
 * stale so the next clone has the new history. Grove only: C Git has no such cache.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startGrove } from '../support/grove.ts';
import { expectFsckClean, git, objectsOf, refsOf, revParse } from '../support/git.ts';
import type { GitServerUnderTest } from '../support/gitServer.ts';
import { makeRepo, type MadeRepo } from '../support/makeRepo.ts';
import { pushAllRefs } from '../support/remoteRepo.ts';
import { useTempDir } from '../support/tempDir.ts';

const work = useTempDir('grove-pack-cache-');
let corpus: MadeRepo;
let server: GitServerUnderTest;

beforeAll(async () => {
  corpus = await makeRepo(join(work, 'corpus.git'));
  server = await startGrove();
  return () => server.close();
});

describe.each([0, 2] as const)('clone pack cache, protocol v%i', (protocol) => {
  it('serves a repeated clone from the cache, and rebuilds after a push', async () => {
    const repo = await server.createRepo(`cached-v${protocol}`);
    await pushAllRefs(corpus.dir, repo);
    const clone = async (name: string): Promise<{ dir: string; stderr: string }> => {
      const dir = join(work, `${name}-v${protocol}`);
      const result = await git(['clone', '--progress', '--mirror', repo.remote, dir], { protocol, token: repo.token });
      await expectFsckClean(dir);
      return { dir, stderr: result.stderr };
    };

    const first = await clone('first');
    expect(first.stderr).not.toContain('from a cached pack');
    const second = await clone('second');
    expect(second.stderr).toContain('from a cached pack');
    expect(await refsOf(second.dir)).toBe(await refsOf(first.dir));
    expect(await objectsOf(second.dir)).toBe(await objectsOf(first.dir));

    const work2 = join(work, `work-v${protocol}`);
    await git(['clone', '--quiet', repo.remote, work2], { protocol, token: repo.token });
    writeFileSync(join(work2, 'new-file.txt'), 'after the cache was built\n');
    await git(['add', 'new-file.txt'], { cwd: work2 });
    await git(['commit', '--quiet', '-m', 'new commit'], { cwd: work2 });
    await git(['push', '--quiet', 'origin', 'HEAD'], { cwd: work2, token: repo.token });
    const head = await revParse(work2, 'HEAD');

    const third = await clone('third');
    expect(third.stderr).not.toContain('from a cached pack');
    expect(await revParse(third.dir, 'HEAD')).toBe(head);
    const fourth = await clone('fourth');
    expect(fourth.stderr).toContain('from a cached pack');
    expect(await objectsOf(fourth.dir)).toBe(await objectsOf(third.dir));
  });
});
