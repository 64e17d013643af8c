/**
 * Conformance: cloning an empty repository, and a full push (every branch and tag,
 * with a 50 MiB incompressible file) cloned back over protocol v0 and v2.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectFsckClean, git, gitOut, objectsOf, refsOf, revParse } from '../support/git.ts';
import { serverAdapters } from '../support/gitServer.ts';
import { BIG_FILE_PATH, BIG_FILE_SIZE, makeRepo } from '../support/makeRepo.ts';
import type { MadeRepo } from '../support/makeRepo.ts';
import { cloneMirror, expectServerEqualsMirror, pushAllRefs } from '../support/remoteRepo.ts';
import type { Remote } from '../support/remoteRepo.ts';
import { snapshotOfRepo } from '../support/snapshotOfRepo.ts';
import { useTempDir } from '../support/tempDir.ts';
import { useServer } from '../support/useServer.ts';

const work = useTempDir('grove-conformance-clone-');
let corpus: MadeRepo;

beforeAll(async () => {
  corpus = await makeRepo(join(work, 'corpus.git'), { bigFile: true });
});

describe.each(serverAdapters())('clone: $name', (adapter) => {
  const server = useServer(adapter);
  const dir = (name: string): string => join(work, `${adapter.name}-${name}`);

  describe.each([0, 2] as const)('protocol v%i', (protocol) => {
    it('clones an empty repository (unborn HEAD on main), then pushes a first commit', async () => {
      const repo = await server().createRepo(`empty-v${protocol}`);
      expect(await server().snapshot(repo.remote)).toBe('symref HEAD refs/heads/main\n');

      const clone = dir(`empty-v${protocol}`);
      // The client's own default branch is "trunk", so HEAD = main can only come from the server.
      const result = await git(['clone', repo.remote, clone], {
        protocol,
        token: repo.token,
        config: { 'init.defaultBranch': 'trunk' },
      });
      expect(result.stderr).toContain('You appear to have cloned an empty repository.');
      // v2 carries the unborn HEAD in ls-refs (`unborn`); v0 advertises nothing for an empty repo.
      expect(await gitOut(['symbolic-ref', 'HEAD'], { cwd: clone })).toBe(
        protocol === 2 ? 'refs/heads/main' : 'refs/heads/trunk',
      );
      expect(await refsOf(clone)).toBe('');
      await expectFsckClean(clone);

      writeFileSync(join(clone, 'hello.txt'), 'hello\n');
      await git(['add', 'hello.txt'], { cwd: clone });
      await git(['commit', '--quiet', '-m', 'first commit'], { cwd: clone });
      await git(['push', '--quiet', 'origin', 'HEAD:refs/heads/main'], { cwd: clone, token: repo.token });
      const head = await revParse(clone, 'HEAD');

      const listed = await gitOut(['ls-remote', '--symref', repo.remote], { protocol, token: repo.token });
      expect(listed).toBe(`ref: refs/heads/main\tHEAD\n${head}\tHEAD\n${head}\trefs/heads/main`);
      await expectServerEqualsMirror(server(), repo, dir(`empty-v${protocol}-mirror`));
      expect(await server().snapshot(repo.remote)).toContain(`ref refs/heads/main ${head}\n`);
    });
  });

  describe('the generated repository', () => {
    let repo: Remote;

    it('accepts a push of every branch and tag, 50 MiB file included', async () => {
      repo = await server().createRepo('corpus');
      await pushAllRefs(corpus.dir, repo);
      // ls-remote of the server says exactly what ls-remote of the pushed repository says.
      expect(await gitOut(['ls-remote', repo.remote], { token: repo.token })).toBe(
        await gitOut(['ls-remote', corpus.dir]),
      );
      // Same HEAD, refs and objects (id, type, size) as the source, and nothing more.
      expect(await server().snapshot(repo.remote)).toBe(await snapshotOfRepo(corpus.dir));
    });

    it.each([0, 2] as const)('clones it back over protocol v%i: identical refs and objects, fsck clean', async (protocol) => {
      const mirror = dir(`corpus-mirror-v${protocol}`);
      await cloneMirror(repo, mirror, protocol);
      expect(await refsOf(mirror)).toBe(await refsOf(corpus.dir));
      expect(await objectsOf(mirror)).toBe(await objectsOf(corpus.dir));
      expect(await gitOut(['symbolic-ref', 'HEAD'], { cwd: mirror })).toBe('refs/heads/main');
      await expectFsckClean(mirror);
    });

    it('checks out a clone with the big file intact', async () => {
      const clone = dir('corpus-checkout');
      await git(['clone', '--quiet', repo.remote, clone], { token: repo.token });
      expect(await gitOut(['status', '--porcelain'], { cwd: clone })).toBe('');
      expect(await gitOut(['hash-object', BIG_FILE_PATH], { cwd: clone })).toBe(
        await revParse(corpus.dir, `main:${BIG_FILE_PATH}`),
      );
      expect(await gitOut(['cat-file', '-s', `HEAD:${BIG_FILE_PATH}`], { cwd: clone })).toBe(String(BIG_FILE_SIZE));
      expect(await refsOf(clone, 'refs/remotes/origin/')).toContain('refs/remotes/origin/release/1.x');
      await expectFsckClean(clone);
    });
  });
});
