/**
 * Conformance: an incremental fetch that needs several negotiation rounds. The
 * client has 150 local commits the server lacks, so its first rounds of `have`
 * lines find nothing in common; the server has 5 commits the client lacks.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendCommits } from '../support/appendCommits.ts';
import { expectFsckClean, git, gitOut, objectsOf, revParse } from '../support/git.ts';
import { serverAdapters } from '../support/gitServer.ts';
import { countRequests, gitTraces, tracedPackets } from '../support/gitTraces.ts';
import { listPack } from '../support/listPack.ts';
import { makeRepo } from '../support/makeRepo.ts';
import type { MadeRepo } from '../support/makeRepo.ts';
import { pushAllRefs } from '../support/remoteRepo.ts';
import { useTempDir } from '../support/tempDir.ts';
import { useServer } from '../support/useServer.ts';

const work = useTempDir('grove-conformance-fetch-');
let corpus: MadeRepo;

beforeAll(async () => {
  corpus = await makeRepo(join(work, 'corpus.git'), { commits: 200 });
});

describe.each(serverAdapters())('fetch: $name', (adapter) => {
  const server = useServer(adapter);
  const dir = (name: string): string => join(work, `${adapter.name}-${name}`);

  it.each([0, 2] as const)('negotiates over several rounds (protocol v%i) and fetches only what is new', async (protocol) => {
    const repo = await server().createRepo(`negotiation-v${protocol}`);
    await pushAllRefs(corpus.dir, repo);

    // The client: a clone with 150 commits of its own on a local branch.
    const client = dir(`negotiation-v${protocol}-client`);
    await git(['clone', '--quiet', '--no-checkout', repo.remote, client], { protocol, token: repo.token });
    const oldMain = await revParse(client, 'refs/remotes/origin/main');
    await appendCommits(client, {
      branch: 'local-work',
      from: 'refs/heads/main',
      count: 150,
      label: 'local',
      startTime: 1_700_000_000,
    });

    // Meanwhile the server gets 5 new commits on main from another clone.
    const other = dir(`negotiation-v${protocol}-other`);
    await git(['clone', '--quiet', '--bare', repo.remote, other], { protocol, token: repo.token });
    const newMain = await appendCommits(other, { branch: 'main', count: 5, label: 'upstream', startTime: 1_650_000_000 });
    await git(['push', '--quiet', 'origin', 'main'], { cwd: other, token: repo.token });

    const traces = gitTraces(work);
    await git(['fetch', 'origin'], { cwd: client, protocol, token: repo.token, env: traces.env });
    expect(await revParse(client, 'refs/remotes/origin/main')).toBe(newMain);

    // More than one negotiation round: several upload-pack POSTs carrying `have` lines.
    const uploadPackPosts = countRequests(traces.curl(), 'POST', '/git-upload-pack');
    // fetch-pack names itself `fetch` in v2 traces and `fetch-pack` in v0 traces.
    const who = protocol === 2 ? 'fetch' : 'fetch-pack';
    const sent = tracedPackets(traces.packet(), `${who}>`);
    if (protocol === 2) {
      // One POST is ls-refs; every other one is a `command=fetch` round.
      expect(sent.filter((line) => line === 'command=ls-refs')).toHaveLength(1);
      expect(sent.filter((line) => line === 'command=fetch').length).toBe(uploadPackPosts - 1);
      expect(uploadPackPosts - 1).toBeGreaterThan(1);
    } else {
      expect(uploadPackPosts).toBeGreaterThan(1);
    }
    expect(sent.filter((line) => line.startsWith('have ')).length).toBeGreaterThan(16);
    // The server found the common commit: it acknowledged a `have`.
    const acks = tracedPackets(traces.packet(), `${who}<`).filter((line) => line.startsWith('ACK '));
    expect(acks.length).toBeGreaterThan(0);

    // The pack held exactly the objects the client lacked, not the whole history.
    const expected = (await objectsOf(other, [newMain, `^${oldMain}`])).split('\n');
    const pack = listPack(traces.packfile());
    expect(pack.checksumOk).toBe(true);
    expect(pack.entries).toHaveLength(expected.length);

    expect(await objectsOf(client, ['refs/remotes/origin/main'])).toBe(await objectsOf(other, ['main']));
    expect(await gitOut(['rev-list', '--count', 'refs/heads/local-work', '^refs/remotes/origin/main'], { cwd: client })).toBe(
      '150',
    );
    await expectFsckClean(client);
  });
});
