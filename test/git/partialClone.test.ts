/**
 * Conformance: partial clones over protocol v0 and v2 — `--filter=blob:none`
 * with the lazy fetches that `git checkout` and `git log -p` then make (one
 * batched request of wanted blobs, no ls-refs), `--filter=blob:limit=1k`,
 * `--filter=tree:0` (and a checkout on top of it), and the v2 `object-info`
 * command asked by hand.
 *
 * Every step runs twice, against the server under test and against a
 * reference `git http-backend` holding the same history; the two clients must
 * end up identical (refs, objects held, objects missing) and `git fsck` clean.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendCommits } from '../support/appendCommits.ts';
import { bytesOf } from '../support/bytesOf.ts';
import { clientState, type ClientState } from '../support/clientState.ts';
import { expectFsckClean, git, gitOut, revParse } from '../support/git.ts';
import { serverAdapters } from '../support/gitServer.ts';
import { countRequests, gitTraces, tracedPackets } from '../support/gitTraces.ts';
import { startHttpBackend } from '../support/httpBackend.ts';
import { makeRepo } from '../support/makeRepo.ts';
import type { MadeRepo } from '../support/makeRepo.ts';
import { DELIM, FLUSH, pkt } from '../support/pktLines.ts';
import { pushAllRefs } from '../support/remoteRepo.ts';
import type { Remote } from '../support/remoteRepo.ts';
import { useTempDir } from '../support/tempDir.ts';
import { useServer } from '../support/useServer.ts';

const work = useTempDir('grove-conformance-partial-');
let corpus: MadeRepo;

beforeAll(async () => {
  corpus = await makeRepo(join(work, 'corpus.git'), { commits: 60 });
});

const reference = useServer({ name: 'http-backend', start: startHttpBackend });

/** What a partial clone lacks: `git rev-list --objects --all --missing=print`, the `?<oid>` lines, sorted. */
async function missingObjects(dir: string): Promise<string[]> {
  const listed = await gitOut(['rev-list', '--objects', '--all', '--missing=print'], { cwd: dir, env: { GIT_NO_LAZY_FETCH: '1' } });
  return listed.split('\n').filter((line) => line.startsWith('?')).map((line) => line.slice(1)).sort();
}

/** The response body of a v2 `object-info` request for `oids`. */
async function objectInfo(remote: Remote, oids: string[]): Promise<string> {
  const body = bytesOf(pkt('command=object-info\n'), pkt('object-format=sha1\n'), DELIM, pkt('size\n'), ...oids.map((o) => pkt(`oid ${o}\n`)), FLUSH);
  const response = await fetch(`${remote.remote}/git-upload-pack`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${remote.token}`,
      'git-protocol': 'version=2',
      'content-type': 'application/x-git-upload-pack-request',
    },
    body,
  });
  expect(response.status).toBe(200);
  return new TextDecoder().decode(new Uint8Array(await response.arrayBuffer()));
}

describe.each(serverAdapters())('partial clone: $name', (adapter) => {
  const server = useServer(adapter);

  describe.each([0, 2] as const)('protocol v%i', (protocol) => {
    let subject: Remote;
    let mirror: Remote;

    beforeAll(async () => {
      subject = await server().createRepo(`partial-v${protocol}`);
      mirror = await reference().createRepo(`${adapter.name}-partial-v${protocol}`);
      await pushAllRefs(corpus.dir, subject);
      await pushAllRefs(corpus.dir, mirror);
    });

    const dirOf = (client: string, side: 'subject' | 'reference'): string =>
      join(work, `${adapter.name}-v${protocol}-${client}${side === 'reference' ? '-reference' : ''}`);
    /** The token goes in the config given to every git process, lazy fetches included. */
    const options = (remote: Remote, cwd?: string, env?: Record<string, string>) =>
      ({ protocol, token: remote.token, ...(cwd === undefined ? {} : { cwd }), ...(env === undefined ? {} : { env }) });

    /** Runs `command` for the server under test and for the reference; the clients must be identical and fsck clean. */
    async function onBoth(client: string, command: (remote: Remote, dir: string) => Promise<unknown>): Promise<ClientState> {
      await command(subject, dirOf(client, 'subject'));
      await command(mirror, dirOf(client, 'reference'));
      const mine = await clientState(dirOf(client, 'subject'));
      expect(mine).toEqual(await clientState(dirOf(client, 'reference')));
      expect(await missingObjects(dirOf(client, 'subject'))).toEqual(await missingObjects(dirOf(client, 'reference')));
      await expectFsckClean(dirOf(client, 'subject'));
      return mine;
    }

    it('clone --filter=blob:none; checkout of another commit fetches its missing blobs in one request; log -p; fsck', async () => {
      await onBoth('blobless', (remote, dir) => git(['clone', '--quiet', '--filter=blob:none', remote.remote, dir], options(remote)));
      const dir = dirOf('blobless', 'subject');
      expect(await gitOut(['config', 'remote.origin.promisor'], { cwd: dir })).toBe('true');
      expect(await gitOut(['config', 'remote.origin.partialclonefilter'], { cwd: dir })).toBe('blob:none');
      const target = await revParse(corpus.dir, 'main~10');
      const missingBefore = await missingObjects(dir);
      expect(missingBefore.length).toBeGreaterThan(0);

      const traces = gitTraces(work);
      await onBoth('blobless', (remote, cwd) => git(['checkout', '--quiet', '--detach', target], options(remote, cwd, cwd === dir ? traces.env : undefined)));
      // The blobs the checkout needed came in one POST of wanted ids, with `filter blob:none` and `done`, and no ls-refs.
      const missingAfter = new Set(await missingObjects(dir));
      const needed = missingBefore.filter((oid) => !missingAfter.has(oid));
      expect(needed.length).toBeGreaterThan(1);
      expect(countRequests(traces.curl(), 'POST', '/git-upload-pack')).toBe(1);
      const sent = tracedPackets(traces.packet(), protocol === 2 ? 'fetch>' : 'fetch-pack>');
      const wants = sent.filter((line) => line.startsWith('want ')).map((line) => line.slice(5, 45));
      expect(wants.sort()).toEqual(needed);
      expect(sent).toContain('filter blob:none');
      expect(sent).toContain('done');
      expect(sent.filter((line) => line.startsWith('have '))).toEqual([]);
      expect(sent).not.toContain('command=ls-refs');
      expect(await gitOut(['status', '--porcelain'], { cwd: dir })).toBe('');

      await onBoth('blobless', (remote, cwd) => git(['log', '-p', '-5', '--format=%H', 'refs/remotes/origin/main'], options(remote, cwd)));
      expect(await gitOut(['log', '-p', '-5', '--format=%H', 'refs/remotes/origin/main'], { cwd: dir, env: { GIT_NO_LAZY_FETCH: '1' } })).toBe(
        await gitOut(['log', '-p', '-5', '--format=%H', 'main'], { cwd: corpus.dir }),
      );
    });

    it('clone --depth 1 --filter=blob:none, then a filtered fetch of new commits', async () => {
      await onBoth('shallow-blobless', (remote, dir) => git(['clone', '--quiet', '--no-checkout', '--depth', '1', '--filter=blob:none', remote.remote, dir], options(remote)));
      const other = join(work, `${adapter.name}-v${protocol}-partial-new-commits`);
      await git(['clone', '--quiet', '--bare', corpus.dir, other]);
      await appendCommits(other, { branch: 'main', count: 3, label: `partial-new-v${protocol}`, startTime: 1_700_000_000 });
      for (const remote of [subject, mirror]) await git(['push', '--quiet', remote.remote, 'main'], { cwd: other, token: remote.token });
      await onBoth('shallow-blobless', (remote, cwd) => git(['fetch', '--quiet'], options(remote, cwd)));
      expect(await revParse(dirOf('shallow-blobless', 'subject'), 'refs/remotes/origin/main')).toBe(await revParse(other, 'main'));
    });

    it('clone --filter=blob:limit=1k: exactly the blobs of 1 KiB and more are missing', async () => {
      await onBoth('limit', (remote, dir) => git(['clone', '--quiet', '--no-checkout', '--filter=blob:limit=1k', remote.remote, dir], options(remote)));
      const missing = await missingObjects(dirOf('limit', 'subject'));
      expect(missing.length).toBeGreaterThan(0);
      const sizes = await gitOut(['cat-file', '--batch-check=%(objectsize)'], { cwd: corpus.dir, input: `${missing.join('\n')}\n` });
      for (const size of sizes.split('\n')) expect(Number(size)).toBeGreaterThanOrEqual(1024);
    });

    it('clone --filter=tree:0 holds commits and tags only; a checkout then fetches what it needs', async () => {
      const state = await onBoth('treeless', (remote, dir) => git(['clone', '--quiet', '--no-checkout', '--filter=tree:0', remote.remote, dir], options(remote)));
      const types = new Set(state.objects.split('\n').map((line) => line.split(' ')[1]));
      expect(types).toEqual(new Set(['commit', 'tag']));
      await onBoth('treeless', (remote, cwd) => git(['checkout', '--quiet', 'main'], options(remote, cwd)));
      expect(await gitOut(['status', '--porcelain'], { cwd: dirOf('treeless', 'subject') })).toBe('');
    });

    it.runIf(protocol === 2)('answers object-info for blobs, trees and unknown ids as git does', async () => {
      const oids = [
        await revParse(corpus.dir, 'main:README.md'),
        await revParse(corpus.dir, 'main^{tree}'),
        await revParse(corpus.dir, 'main~3:data/big.txt'),
        '0123456789abcdef0123456789abcdef01234567',
      ];
      const answer = await objectInfo(subject, oids);
      expect(answer).toBe(await objectInfo(mirror, oids));
      const sizes = await gitOut(['cat-file', '--batch-check=%(objectname) %(objectsize)'], { cwd: corpus.dir, input: `${oids.slice(0, 3).join('\n')}\n` });
      expect(answer).toContain(sizes.split('\n')[0]!);
      expect(await objectInfo(subject, [])).toBe(await objectInfo(mirror, []));
    });
  });

  it.runIf(adapter.name === 'grove')('refuses a filter it does not implement with an error naming it', async () => {
    const remote = await server().createRepo('partial-refused');
    await pushAllRefs(corpus.dir, remote);
    const blob = await revParse(corpus.dir, 'main:README.md');
    for (const protocol of [0, 2] as const) {
      const result = await git(['clone', `--filter=sparse:oid=${blob}`, remote.remote, join(work, `refused-v${protocol}`)], { protocol, token: remote.token, allowFailure: true });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`filter 'sparse:oid=${blob}' not supported`);
    }
  });
});
