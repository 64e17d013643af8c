/**
 * Conformance: `git ls-remote` over protocol v0 and v2 lists exactly what
 * `git ls-remote` of the pushed repository lists (HEAD, every ref, peeled
 * annotated tags as `^{}`), with server-side filtering by prefix in v2, and in
 * as few requests as git makes against C Git: v0 one GET; v2 one GET and one
 * POST (`command=ls-refs`).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, gitOut } from '../support/git.ts';
import { serverAdapters } from '../support/gitServer.ts';
import { countRequests, gitTraces, tracedPackets } from '../support/gitTraces.ts';
import { makeRepo } from '../support/makeRepo.ts';
import type { MadeRepo } from '../support/makeRepo.ts';
import { pushAllRefs } from '../support/remoteRepo.ts';
import type { Remote } from '../support/remoteRepo.ts';
import { useTempDir } from '../support/tempDir.ts';
import { useServer } from '../support/useServer.ts';

const work = useTempDir('grove-conformance-ls-remote-');
let corpus: MadeRepo;

beforeAll(async () => {
  corpus = await makeRepo(join(work, 'corpus.git'), { commits: 250 });
});

describe.each(serverAdapters())('ls-remote: $name', (adapter) => {
  const server = useServer(adapter);
  let repo: Remote;
  let empty: Remote;

  beforeAll(async () => {
    repo = await server().createRepo('listed');
    await pushAllRefs(corpus.dir, repo);
    empty = await server().createRepo('listed-empty');
  });

  describe.each([0, 2] as const)('protocol v%i', (protocol) => {
    it('lists HEAD, every ref and peeled tags, in one round trip', async () => {
      const traces = gitTraces(work);
      const listed = await gitOut(['ls-remote', repo.remote], { protocol, token: repo.token, env: traces.env });
      expect(listed).toBe(await gitOut(['ls-remote', corpus.dir]));
      expect(listed).toContain('^{}');

      const curl = traces.curl();
      expect(countRequests(curl, 'GET', '/info/refs')).toBe(1);
      expect(countRequests(curl, 'POST', '/git-upload-pack')).toBe(protocol === 2 ? 1 : 0);
      if (protocol === 2) {
        expect(tracedPackets(traces.packet(), 'ls-remote>')).toContain('command=ls-refs');
      }
    });

    it('shows the HEAD symref', async () => {
      const listed = await gitOut(['ls-remote', '--symref', repo.remote, 'HEAD'], { protocol, token: repo.token });
      expect(listed).toBe(await gitOut(['ls-remote', '--symref', corpus.dir, 'HEAD']));
      expect(listed.split('\n')[0]).toBe('ref: refs/heads/main\tHEAD');
    });

    it('filters by kind and pattern', async () => {
      const cases: [options: string[], patterns: string[]][] = [
        [['--heads'], []],
        [['--tags'], []],
        [['--tags', '--refs'], []],
        [['--heads'], ['feature/*']],
        [[], ['v0.*']],
      ];
      for (const [options, patterns] of cases) {
        const traces = gitTraces(work);
        const listed = await gitOut(['ls-remote', ...options, repo.remote, ...patterns], {
          protocol,
          token: repo.token,
          env: traces.env,
        });
        const expected = await gitOut(['ls-remote', ...options, corpus.dir, ...patterns]);
        expect(expected).not.toBe('');
        expect(listed, [...options, ...patterns].join(' ')).toBe(expected);
        if (protocol === 2 && options[0] === '--heads') {
          // v2 asks the server to filter.
          expect(tracedPackets(traces.packet(), 'ls-remote>')).toContain('ref-prefix refs/heads/');
        }
      }
    });

    it('lists nothing for an empty repository', async () => {
      const result = await git(['ls-remote', empty.remote], { protocol, token: empty.token });
      expect(result.stdout).toBe('');
    });

    it('fails for a repository that does not exist', async () => {
      const missing = repo.remote.replace(/listed\.git$/, 'no-such-repo.git');
      expect(missing).not.toBe(repo.remote);
      const result = await git(['ls-remote', missing], { protocol, token: repo.token, allowFailure: true });
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe('');
    });
  });
});
