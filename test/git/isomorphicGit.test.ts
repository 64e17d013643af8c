/**
 * Conformance with a second client: isomorphic-git (pure JS, protocol v1-style
 * fetch without thin packs, single-round negotiation, undeltified push packs,
 * `report-status` v1; `listServerRefs` over protocol v2). It authenticates with
 * Basic auth through `onAuth` (token as password). Results are judged with the
 * git CLI: refs, object closures and `git fsck --strict`.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import * as iso from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendCommits } from '../support/appendCommits.ts';
import { expectFsckClean, git, gitOut, objectsOf, revParse } from '../support/git.ts';
import { serverAdapters } from '../support/gitServer.ts';
import { makeRepo } from '../support/makeRepo.ts';
import type { MadeRepo } from '../support/makeRepo.ts';
import { cloneMirror, pushAllRefs } from '../support/remoteRepo.ts';
import type { Remote } from '../support/remoteRepo.ts';
import { useTempDir } from '../support/tempDir.ts';
import { useServer } from '../support/useServer.ts';

const work = useTempDir('grove-conformance-iso-');
let corpus: MadeRepo;

beforeAll(async () => {
  corpus = await makeRepo(join(work, 'corpus.git'), { commits: 120 });
});

const who = { name: 'Iso Test', email: 'iso@grove.invalid', timestamp: 1_700_000_000, timezoneOffset: 0 };

describe.each(serverAdapters())('isomorphic-git: $name', (adapter) => {
  const server = useServer(adapter);
  const dir = (name: string): string => join(work, `${adapter.name}-${name}`);
  let repo: Remote;
  let isoDir: string;
  const auth = () => ({ onAuth: () => ({ username: 'isomorphic-git', password: repo.token }) });

  beforeAll(async () => {
    repo = await server().createRepo('iso');
    await pushAllRefs(corpus.dir, repo);
    isoDir = dir('iso-clone');
  });

  it('lists the server refs over protocol v2', async () => {
    const refs = await iso.listServerRefs({ http, url: repo.remote, protocolVersion: 2, peelTags: true, ...auth() });
    const listed = refs.flatMap((ref) => [
      `${ref.oid}\t${ref.ref}`,
      ...(ref.peeled === undefined ? [] : [`${ref.peeled}\t${ref.ref}^{}`]),
    ]);
    expect(listed.join('\n')).toBe(await gitOut(['ls-remote', corpus.dir]));
  });

  it('clones every branch and tag', async () => {
    await iso.clone({ fs, http, dir: isoDir, url: repo.remote, ...auth() });
    const heads = await gitOut(['for-each-ref', '--format=%(objectname) %(refname:lstrip=2)', 'refs/heads/'], {
      cwd: corpus.dir,
    });
    const remotes = await gitOut(['for-each-ref', '--format=%(objectname) %(refname:lstrip=3)', 'refs/remotes/origin/'], {
      cwd: isoDir,
    });
    expect(remotes.split('\n').filter((line) => !line.endsWith(' HEAD')).join('\n')).toBe(heads);
    expect(await gitOut(['for-each-ref', 'refs/tags/'], { cwd: isoDir })).toBe(
      await gitOut(['for-each-ref', 'refs/tags/'], { cwd: corpus.dir }),
    );
    expect(await objectsOf(isoDir)).toBe(await objectsOf(corpus.dir));
    expect(await revParse(isoDir, 'HEAD')).toBe(await revParse(corpus.dir, 'main'));
    await expectFsckClean(isoDir);
  });

  it('pushes a commit, a new branch and an annotated tag', async () => {
    fs.writeFileSync(join(isoDir, 'from-isomorphic-git.txt'), 'written by isomorphic-git\n');
    await iso.add({ fs, dir: isoDir, filepath: 'from-isomorphic-git.txt' });
    const commit = await iso.commit({ fs, dir: isoDir, message: 'commit from isomorphic-git', author: who, committer: who });
    const pushed = await iso.push({ fs, http, dir: isoDir, remote: 'origin', ref: 'main', ...auth() });
    expect(pushed.ok).toBe(true);
    expect(pushed.refs['refs/heads/main']?.ok).toBe(true);

    const parent = await revParse(isoDir, 'HEAD~1');
    await iso.branch({ fs, dir: isoDir, ref: 'iso-branch', object: parent });
    await iso.annotatedTag({ fs, dir: isoDir, ref: 'iso-tag', message: 'tagged by isomorphic-git', tagger: who });
    for (const ref of ['iso-branch', 'refs/tags/iso-tag']) {
      const result = await iso.push({ fs, http, dir: isoDir, remote: 'origin', ref, ...auth() });
      expect(result.ok, ref).toBe(true);
    }

    const tag = await revParse(isoDir, 'refs/tags/iso-tag');
    expect(await gitOut(['ls-remote', repo.remote, 'main', 'iso-branch', 'iso-tag'], { token: repo.token })).toBe(
      [
        `${parent}\trefs/heads/iso-branch`,
        `${commit}\trefs/heads/main`,
        `${tag}\trefs/tags/iso-tag`,
      ].join('\n'),
    );
    const mirror = dir('iso-mirror');
    await cloneMirror(repo, mirror);
    expect(await objectsOf(mirror)).toBe(await objectsOf(isoDir));
    expect(await revParse(mirror, 'refs/tags/iso-tag^{commit}')).toBe(commit);
    await expectFsckClean(mirror);
  });

  it('fetches what the git CLI pushed', async () => {
    const cli = dir('cli-clone');
    await git(['clone', '--quiet', '--bare', repo.remote, cli], { token: repo.token });
    const tip = await appendCommits(cli, { branch: 'main', count: 3, label: 'cli', startTime: 1_700_001_000 });
    await git(['push', '--quiet', 'origin', 'main'], { cwd: cli, token: repo.token });

    const fetched = await iso.fetch({ fs, http, dir: isoDir, remote: 'origin', ref: 'main', singleBranch: true, ...auth() });
    expect(fetched.fetchHead).toBe(tip);
    expect(await revParse(isoDir, 'refs/remotes/origin/main')).toBe(tip);
    expect(await objectsOf(isoDir, ['refs/remotes/origin/main'])).toBe(await objectsOf(cli, ['main']));
    await expectFsckClean(isoDir);
  });
});
