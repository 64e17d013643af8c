/**
 * Conformance of receive-pack (push is always protocol v0 over HTTP in git 2.39):
 * a thin pack on top of existing history, forced updates, branch and tag
 * deletion, tags of existing commits (empty packs), `--atomic` when one ref
 * loses a race (nothing moves), and two concurrent pushes to one branch.
 *
 * Races are made deterministic with a forwarding proxy (interceptProxy.ts): it
 * acts after the client has read the ref advertisement and before its POST
 * reaches the server, so the old value the client sends is stale for real.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendCommits } from '../support/appendCommits.ts';
import { expectFsckClean, git, gitOut, objectsOf, refsOf, revParse } from '../support/git.ts';
import { serverAdapters } from '../support/gitServer.ts';
import { gitTraces, tracedPackets } from '../support/gitTraces.ts';
import { startInterceptProxy } from '../support/interceptProxy.ts';
import type { InterceptedRequest } from '../support/interceptProxy.ts';
import { listPack } from '../support/listPack.ts';
import { BIG_TEXT_PATH, makeRepo } from '../support/makeRepo.ts';
import type { MadeRepo } from '../support/makeRepo.ts';
import { REF_DELTA } from '../support/packTypeCodes.ts';
import { cloneMirror, expectServerEqualsMirror, pushAllRefs } from '../support/remoteRepo.ts';
import type { Remote } from '../support/remoteRepo.ts';
import { useTempDir } from '../support/tempDir.ts';
import { useServer } from '../support/useServer.ts';

const work = useTempDir('grove-conformance-push-');
let corpus: MadeRepo;

beforeAll(async () => {
  corpus = await makeRepo(join(work, 'corpus.git'), { commits: 250 });
});

const isReceivePackPost = (req: InterceptedRequest): boolean =>
  req.method === 'POST' && req.path.endsWith('/git-receive-pack');

/** The lines of `git push --porcelain` output about one destination ref. */
function porcelainLine(stdout: string, ref: string): string {
  return stdout.split('\n').find((line) => line.split('\t')[1]?.endsWith(`:${ref}`)) ?? `(no line for ${ref})`;
}

describe.each(serverAdapters())('push: $name', (adapter) => {
  const server = useServer(adapter);
  const dir = (name: string): string => join(work, `${adapter.name}-${name}`);

  /** A server repository holding the corpus, and a bare clone of it. */
  async function seeded(name: string, clones: string[]): Promise<Remote> {
    const repo = await server().createRepo(name);
    await pushAllRefs(corpus.dir, repo);
    for (const clone of clones) {
      await git(['clone', '--quiet', '--bare', repo.remote, dir(`${name}-${clone}`)], { token: repo.token });
    }
    return repo;
  }

  it('accepts a thin pack: a one-line change to a big file sent as a REF_DELTA on the old blob', async () => {
    const repo = await seeded('thin', []);
    const clone = dir('thin-clone');
    await git(['clone', '--quiet', repo.remote, clone], { token: repo.token });
    const oldBlob = await revParse(clone, `HEAD:${BIG_TEXT_PATH}`);
    const lines = readFileSync(join(clone, BIG_TEXT_PATH), 'utf8').split('\n');
    lines[100] = 'a one-line change';
    writeFileSync(join(clone, BIG_TEXT_PATH), lines.join('\n'));
    await git(['commit', '--quiet', '-am', 'small change to a big file'], { cwd: clone });

    const traces = gitTraces(work);
    await git(['push', '--quiet', 'origin', 'main'], { cwd: clone, token: repo.token, env: traces.env });

    // The server did not refuse thin packs, and the client sent one.
    const advertisement = tracedPackets(traces.packet(), 'git<').find((line) => line.includes('\\0')) ?? '';
    expect(advertisement).toContain('report-status');
    expect(advertisement.split('\\0')[1]?.split(' ')).not.toContain('no-thin');
    const packBytes = traces.packfile();
    const pack = listPack(packBytes);
    expect(pack.checksumOk).toBe(true);
    expect(pack.entries.length).toBeLessThanOrEqual(5);
    expect(pack.entries).toContainEqual(expect.objectContaining({ type: REF_DELTA, baseOid: oldBlob }));
    // Git itself cannot index that pack without the server's objects: it is thin.
    const scratch = dir('thin-index-check.git');
    await git(['init', '--quiet', '--bare', scratch]);
    const indexed = await git(['index-pack', '--stdin'], {
      cwd: scratch,
      input: packBytes.subarray(0, pack.end),
      allowFailure: true,
    });
    expect(indexed.code).not.toBe(0);
    expect(indexed.stderr).toMatch(/unresolved delta/);

    expect(await gitOut(['ls-remote', repo.remote, 'refs/heads/main'], { token: repo.token })).toBe(
      `${await revParse(clone, 'HEAD')}\trefs/heads/main`,
    );
    const mirror = dir('thin-mirror');
    await expectServerEqualsMirror(server(), repo, mirror);
    expect(await objectsOf(mirror)).toBe(await objectsOf(clone));
    await expectFsckClean(mirror);
  });

  it('force-pushes a rewritten branch, deletes branches and tags, and creates tags of existing commits', async () => {
    const repo = await seeded('rewrite', ['writer', 'reader']);
    const writer = dir('rewrite-writer');
    const reader = dir('rewrite-reader');
    const oldMain = await revParse(writer, 'main');
    const rewritten = await appendCommits(writer, {
      branch: 'main',
      from: 'refs/heads/main~5',
      count: 1,
      label: 'rewritten',
      startTime: 1_700_000_000,
      force: true,
    });

    // Without --force the client refuses the non-fast-forward itself; nothing changes.
    const refused = await git(['push', 'origin', 'main'], { cwd: writer, token: repo.token, allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/\[rejected\].*non-fast-forward/);
    expect(await gitOut(['ls-remote', repo.remote, 'refs/heads/main'], { token: repo.token })).toBe(
      `${oldMain}\trefs/heads/main`,
    );

    const forced = await git(['push', '--force', 'origin', 'main'], { cwd: writer, token: repo.token });
    expect(forced.stderr).toContain('(forced update)');
    // The reader is a bare clone: its branches mirror the server's.
    const fetched = await git(['fetch', 'origin', '+refs/heads/*:refs/heads/*'], {
      cwd: reader,
      token: repo.token,
    });
    expect(fetched.stderr).toContain('(forced update)');
    expect(await revParse(reader, 'refs/heads/main')).toBe(rewritten);

    await git(['push', '--quiet', 'origin', ':refs/heads/feature/alpha'], { cwd: writer, token: repo.token });
    await git(['push', '--quiet', 'origin', '--delete', 'topic/gamma', 'refs/tags/v0.1'], { cwd: writer, token: repo.token });
    await git(['push', '--quiet', 'origin', ':refs/tags/light/75'], { cwd: writer, token: repo.token });
    // New tags on commits the server already has: the packs sent hold 0 and 1 objects.
    await git(['tag', 'on-old-commit', 'main~2'], { cwd: writer });
    await git(['tag', '-a', '-m', 'annotated on an old commit', 'annotated-old', 'release/1.x~1'], { cwd: writer });
    await git(['push', '--quiet', 'origin', 'refs/tags/on-old-commit', 'refs/tags/annotated-old'], {
      cwd: writer,
      token: repo.token,
    });

    const expectedRefs = (await gitOut(['for-each-ref', '--format=%(objectname) %(refname)'], { cwd: corpus.dir }))
      .split('\n')
      .filter((line) => !/ refs\/(heads\/feature\/alpha|heads\/topic\/gamma|tags\/v0\.1|tags\/light\/75)$/.test(line))
      .map((line) => (line.endsWith(' refs/heads/main') ? `${rewritten} refs/heads/main` : line))
      .concat([
        `${await revParse(writer, 'refs/tags/annotated-old')} refs/tags/annotated-old`,
        `${await revParse(writer, 'main~2')} refs/tags/on-old-commit`,
      ])
      .sort()
      .join('\n');
    const mirror = dir('rewrite-mirror');
    await cloneMirror(repo, mirror);
    const mirrored = (await gitOut(['for-each-ref', '--format=%(objectname) %(refname)'], { cwd: mirror }))
      .split('\n')
      .sort()
      .join('\n');
    expect(mirrored).toBe(expectedRefs);
    const remainingRefs = expectedRefs.split('\n').map((line) => line.split(' ')[1] ?? '');
    expect(await objectsOf(mirror)).toBe(await objectsOf(writer, remainingRefs));
    await expectFsckClean(mirror);

    // The reader sees the deletions with --prune.
    await git(['fetch', '--quiet', '--prune', 'origin', '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'], {
      cwd: reader,
      token: repo.token,
    });
    expect(await refsOf(reader, 'refs/heads/feature/alpha', 'refs/heads/topic/gamma', 'refs/tags/v0.1')).toBe('');
    expect(await refsOf(reader)).toBe(await refsOf(mirror));
  });

  describe('a ref that loses a race', () => {
    /**
     * `racer` pushes one new commit to `contested` after `pusher` has read the advertisement;
     * then `pusher` pushes `contested` (stale old value) and `fresh` (a new branch), both to
     * commits the server already has. Returns the push result and the server dump taken just
     * before the pusher's POST reached the server.
     */
    async function race(name: string, contested: string, atomic: boolean) {
      const repo = await seeded(name, ['pusher', 'racer']);
      const pusher = dir(`${name}-pusher`);
      const racer = dir(`${name}-racer`);
      const racerTip = await appendCommits(racer, { branch: contested, count: 1, label: 'racer', startTime: 1_700_000_000 });
      const contestedTarget = await revParse(pusher, `refs/heads/${contested}~1`);
      const freshTarget = await revParse(pusher, 'refs/heads/main~3');

      let before: string | undefined;
      const proxy = await startInterceptProxy(new URL(repo.remote).origin, async (req) => {
        if (!isReceivePackPost(req) || before !== undefined) return;
        await git(['push', '--quiet', 'origin', contested], { cwd: racer, token: repo.token });
        before = await server().dump(repo.remote);
      });
      try {
        const pushed = await git(
          [
            'push',
            '--porcelain',
            '--force',
            ...(atomic ? ['--atomic'] : []),
            proxy.via(repo.remote),
            `${contestedTarget}:refs/heads/${contested}`,
            `${freshTarget}:refs/heads/fresh`,
          ],
          { cwd: pusher, token: repo.token, allowFailure: true },
        );
        if (before === undefined) throw new Error('the racing push never ran');
        return { repo, pushed, before, racerTip, freshTarget };
      } finally {
        await proxy.close();
      }
    }

    it('with --atomic: the server rejects both refs and the repository is exactly as before', async () => {
      const { repo, pushed, before, racerTip } = await race('atomic', 'feature/beta', true);
      expect(pushed.code).not.toBe(0);
      expect(porcelainLine(pushed.stdout, 'refs/heads/feature/beta')).toMatch(/^!\t.*\[remote rejected\]/);
      expect(porcelainLine(pushed.stdout, 'refs/heads/fresh')).toMatch(/^!\t.*\[remote rejected\]/);
      expect(await gitOut(['ls-remote', repo.remote, 'refs/heads/feature/beta', 'refs/heads/fresh'], { token: repo.token })).toBe(
        `${racerTip}\trefs/heads/feature/beta`,
      );
      expect(await server().dump(repo.remote)).toBe(before);
      const mirror = dir('atomic-mirror');
      await cloneMirror(repo, mirror);
      await expectFsckClean(mirror);
    });

    it('without --atomic: only the stale ref is rejected', async () => {
      const { repo, pushed, racerTip, freshTarget } = await race('non-atomic', 'feature/alpha', false);
      expect(pushed.code).not.toBe(0);
      expect(porcelainLine(pushed.stdout, 'refs/heads/feature/alpha')).toMatch(/^!\t.*\[remote rejected\]/);
      expect(porcelainLine(pushed.stdout, 'refs/heads/fresh')).toMatch(/^\*\t.*\[new branch\]/);
      expect(await gitOut(['ls-remote', repo.remote, 'refs/heads/feature/alpha', 'refs/heads/fresh'], { token: repo.token })).toBe(
        `${racerTip}\trefs/heads/feature/alpha\n${freshTarget}\trefs/heads/fresh`,
      );
    });
  });

  it('lets exactly one of two concurrent pushes to the same branch win', async () => {
    const repo = await seeded('concurrent', ['one', 'two']);
    const clones = [dir('concurrent-one'), dir('concurrent-two')] as const;
    const tips = [
      await appendCommits(clones[0], { branch: 'main', count: 2, label: 'pusher-one', startTime: 1_700_000_000 }),
      await appendCommits(clones[1], { branch: 'main', count: 3, label: 'pusher-two', startTime: 1_700_000_000 }),
    ];

    // Hold each receive-pack POST until both have arrived: both pushes start from the same base.
    let arrived = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const proxy = await startInterceptProxy(new URL(repo.remote).origin, async (req) => {
      if (!isReceivePackPost(req)) return;
      arrived++;
      if (arrived >= 2) release();
      await gate;
    });
    const push = (cwd: string) =>
      git(['push', '--porcelain', proxy.via(repo.remote), 'main'], { cwd, token: repo.token, allowFailure: true }).finally(
        release,
      );
    const results = await Promise.all([push(clones[0]), push(clones[1])]);
    await proxy.close();

    expect(arrived).toBe(2);
    expect(results.filter((result) => result.code === 0)).toHaveLength(1);
    const winner = results[0].code === 0 ? 0 : 1;
    const loser = 1 - winner;
    expect(porcelainLine(results[loser]?.stdout ?? '', 'refs/heads/main')).toMatch(/^!\t.*\[remote rejected\]/);
    expect(await gitOut(['ls-remote', repo.remote, 'refs/heads/main'], { token: repo.token })).toBe(
      `${tips[winner]}\trefs/heads/main`,
    );
    const mirror = dir('concurrent-mirror');
    await cloneMirror(repo, mirror);
    expect(await objectsOf(mirror, ['main'])).toBe(await objectsOf(clones[winner] ?? '', ['main']));
    await expectFsckClean(mirror);
  });
});
