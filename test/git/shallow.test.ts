/**
 * Conformance: shallow clones and fetches, over protocol v0 (the two-POST
 * exchange of stateless HTTP) and v2 (`shallow-info`): `--depth`,
 * `--deepen`, `--depth` again on a shallow clone, `--shallow-since`,
 * `--shallow-exclude` (alone and with `--shallow-since`), a plain fetch after
 * new pushes, `--unshallow`, and a push from a shallow clone.
 *
 * Every step runs twice, against the server under test and against a
 * reference `git http-backend` holding the same history, and the two clients
 * must end up identical: same refs, same `.git/shallow`, same objects (every
 * object, reachable or not), `git fsck` clean.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendCommits } from '../support/appendCommits.ts';
import { clientState, shallowCommits, type ClientState } from '../support/clientState.ts';
import { expectFsckClean, git, gitOut, revParse } from '../support/git.ts';
import { serverAdapters } from '../support/gitServer.ts';
import { startHttpBackend } from '../support/httpBackend.ts';
import { makeRepo } from '../support/makeRepo.ts';
import type { MadeRepo } from '../support/makeRepo.ts';
import { pushAllRefs } from '../support/remoteRepo.ts';
import type { Remote } from '../support/remoteRepo.ts';
import { useTempDir } from '../support/tempDir.ts';
import { useServer } from '../support/useServer.ts';

const work = useTempDir('grove-conformance-shallow-');
let corpus: MadeRepo;

beforeAll(async () => {
  corpus = await makeRepo(join(work, 'corpus.git'), { commits: 130 });
});

/** The reference every server under test is compared with (http-backend is compared with another instance of itself). */
const reference = useServer({ name: 'http-backend', start: startHttpBackend });

/** Committer time of a revision of the corpus. */
async function timeOf(rev: string): Promise<number> {
  return Number(await gitOut(['log', '-1', '--format=%ct', rev], { cwd: corpus.dir }));
}

describe.each(serverAdapters())('shallow: $name', (adapter) => {
  const server = useServer(adapter);

  describe.each([0, 2] as const)('protocol v%i', (protocol) => {
    let subject: Remote;
    let mirror: Remote;

    beforeAll(async () => {
      subject = await server().createRepo(`shallow-v${protocol}`);
      mirror = await reference().createRepo(`${adapter.name}-shallow-v${protocol}`);
      await pushAllRefs(corpus.dir, subject);
      await pushAllRefs(corpus.dir, mirror);
    });

    const dirOf = (client: string, side: 'subject' | 'reference'): string =>
      join(work, `${adapter.name}-v${protocol}-${client}${side === 'reference' ? '-reference' : ''}`);

    /**
     * Runs `command` for the server under test and for the reference, each in its own
     * client directory; the two clients must be identical and fsck clean. Returns the state.
     */
    async function onBoth(client: string, command: (remote: Remote, dir: string) => Promise<unknown>): Promise<ClientState> {
      await command(subject, dirOf(client, 'subject'));
      await command(mirror, dirOf(client, 'reference'));
      const mine = await clientState(dirOf(client, 'subject'));
      expect(mine).toEqual(await clientState(dirOf(client, 'reference')));
      await expectFsckClean(dirOf(client, 'subject'));
      return mine;
    }

    const clone = (args: string[]) => (remote: Remote, dir: string) =>
      git(['clone', '--quiet', ...args, remote.remote, dir], { protocol, token: remote.token });
    const fetch = (args: string[]) => (remote: Remote, dir: string) =>
      git(['fetch', '--quiet', ...args], { cwd: dir, protocol, token: remote.token });
    const count = (dir: string, rev: string): Promise<string> => gitOut(['rev-list', '--count', rev], { cwd: dir });

    it('clone --depth 1, fetch --deepen 2, a fetch after new pushes, fetch --depth 5, fetch --unshallow', async () => {
      const main = await revParse(corpus.dir, 'main');
      let state = await onBoth('depth', clone(['--depth', '1']));
      expect(shallowCommits(state)).toEqual([main]);
      expect(await count(dirOf('depth', 'subject'), 'HEAD')).toBe('1');

      state = await onBoth('depth', fetch(['--deepen', '2']));
      expect(shallowCommits(state)).toEqual([await revParse(corpus.dir, 'main~2')]);
      expect(await count(dirOf('depth', 'subject'), 'HEAD')).toBe('3');

      // New commits on main (same ids on both servers), then a plain fetch: the boundary stays.
      const other = join(work, `${adapter.name}-v${protocol}-new-commits`);
      await git(['clone', '--quiet', '--bare', corpus.dir, other]);
      const tip = await appendCommits(other, { branch: 'main', count: 4, label: `new-v${protocol}`, startTime: 1_700_000_000 });
      await git(['push', '--quiet', subject.remote, 'main'], { cwd: other, token: subject.token });
      await git(['push', '--quiet', mirror.remote, 'main'], { cwd: other, token: mirror.token });
      state = await onBoth('depth', fetch([]));
      expect(await revParse(dirOf('depth', 'subject'), 'refs/remotes/origin/main')).toBe(tip);
      expect(shallowCommits(state)).toEqual([await revParse(corpus.dir, 'main~2')]);

      // A depth from the tips again: main~4 becomes shallow; the old boundary, already below it, stays.
      state = await onBoth('depth', fetch(['--depth', '5']));
      expect(shallowCommits(state)).toContain(await revParse(other, 'main~4'));
      expect(shallowCommits(state)).toContain(await revParse(corpus.dir, 'main~2'));

      state = await onBoth('depth', fetch(['--unshallow']));
      expect(state.shallow).toBe('');
      expect(await count(dirOf('depth', 'subject'), 'refs/remotes/origin/main')).toBe(await count(other, 'main'));
    });

    it('clone --depth 3 of every branch (merges and side branches), then fetch --deepen 40', async () => {
      const state = await onBoth('branches', clone(['--depth', '3', '--no-single-branch', '--no-checkout']));
      expect(shallowCommits(state).length).toBeGreaterThan(3);
      await onBoth('branches', fetch(['--deepen', '40']));
    });

    it('clone --shallow-since, then fetch --shallow-since further back', async () => {
      const since = await timeOf('main~30');
      const state = await onBoth('since', clone(['--shallow-since', `${since}`, '--no-checkout']));
      expect(shallowCommits(state).length).toBeGreaterThan(0);
      const older = await timeOf('main~90');
      await onBoth('since', fetch(['--shallow-since', `${older}`]));
    });

    it('clone --shallow-exclude of a tag, and with --shallow-since as well', async () => {
      const state = await onBoth('exclude', clone(['--shallow-exclude', 'v0.1', '--no-checkout']));
      expect(shallowCommits(state).length).toBeGreaterThan(0);
      const since = await timeOf('main~20');
      await onBoth('exclude-since', clone(['--shallow-exclude', 'v0.1', '--shallow-since', `${since}`, '--no-checkout']));
    });

    it('pushes from a shallow clone whose new commits have their parents on the server', async () => {
      const push = async (remote: Remote, dir: string): Promise<void> => {
        await git(['clone', '--quiet', '--depth', '1', remote.remote, dir], { protocol, token: remote.token });
        await appendCommits(dir, { branch: 'main', count: 2, label: `shallow-push-v${protocol}`, startTime: 1_700_100_000 });
        await git(['push', '--quiet', 'origin', 'main', 'main:refs/heads/from-shallow'], { cwd: dir, token: remote.token });
      };
      await onBoth('push', push);
      const tip = await revParse(dirOf('push', 'subject'), 'main');
      expect(await gitOut(['ls-remote', subject.remote, 'refs/heads/from-shallow'], { token: subject.token })).toBe(`${tip}\trefs/heads/from-shallow`);
      expect(await server().snapshot(subject.remote)).toBe(await reference().snapshot(mirror.remote));
    });
  });

  it('refuses a push whose history ends at the shallow boundary ("shallow update not allowed") and stores nothing', async () => {
    const from = await server().createRepo('shallow-source');
    await pushAllRefs(corpus.dir, from);
    const clone = join(work, `${adapter.name}-shallow-source-clone`);
    await git(['clone', '--quiet', '--depth', '1', from.remote, clone], { token: from.token });
    await appendCommits(clone, { branch: 'main', count: 2, label: 'to-empty', startTime: 1_700_200_000 });

    const pushTo = async (target: Remote): Promise<string> => {
      const result = await git(['push', '--porcelain', target.remote, 'main'], { cwd: clone, token: target.token, allowFailure: true });
      expect(result.code).toBe(1);
      return result.stdout.split('\n').filter((line) => line.startsWith('!')).join('\n');
    };
    const empty = await server().createRepo('shallow-target');
    const emptyReference = await reference().createRepo(`${adapter.name}-shallow-target`);
    const before = await server().dump(empty.remote);
    const refused = await pushTo(empty);
    expect(refused).toBe('!\trefs/heads/main:refs/heads/main\t[remote rejected] (shallow update not allowed)');
    expect(refused).toBe(await pushTo(emptyReference));
    expect(await server().dump(empty.remote)).toBe(before);
  });

  // git's receive-pack (without receive.shallowUpdate) refuses any ref whose new history holds a shallow
  // commit of the client that the server lacks, even when the server has that commit's parents. Grove
  // checks the history itself: every parent is there, so the push goes through and the repository is whole.
  it('accepts a push of a client shallow commit new to the server when the server holds its parents (git refuses it)', async () => {
    const target = await server().createRepo('shallow-parents-target');
    const ahead = await server().createRepo('shallow-parents-ahead');
    await pushAllRefs(corpus.dir, target);
    const aheadDir = join(work, `${adapter.name}-shallow-parents-ahead.git`);
    await git(['clone', '--quiet', '--bare', corpus.dir, aheadDir]);
    await appendCommits(aheadDir, { branch: 'main', count: 1, label: 'ahead', startTime: 1_700_300_000 });
    await pushAllRefs(aheadDir, ahead);
    const clone = join(work, `${adapter.name}-shallow-parents-clone`);
    await git(['clone', '--quiet', '--depth', '1', ahead.remote, clone], { token: ahead.token });
    await appendCommits(clone, { branch: 'main', count: 1, label: 'on-top', startTime: 1_700_400_000 });
    const result = await git(['push', '--porcelain', target.remote, 'main:refs/heads/new'], { cwd: clone, token: target.token, allowFailure: true });
    if (adapter.name === 'grove') {
      expect(result.code).toBe(0);
      const mirrorDir = join(work, `${adapter.name}-shallow-parents-mirror`);
      await git(['clone', '--quiet', '--mirror', target.remote, mirrorDir], { token: target.token });
      expect(await revParse(mirrorDir, 'refs/heads/new')).toBe(await revParse(clone, 'main'));
      await expectFsckClean(mirrorDir);
    } else {
      expect(result.stdout).toContain('[remote rejected] (shallow update not allowed)');
    }
  });
});
