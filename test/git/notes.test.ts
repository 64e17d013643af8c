/**
 * Conformance: Git notes travel like any other ref. `git push origin
 * refs/notes/commits`, then `git fetch origin 'refs/notes/*:refs/notes/*'` into
 * a fresh clone and `git notes show` there (protocol v0 and v2).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectFsckClean, git, gitOut, objectsOf, revParse } from '../support/git.ts';
import { serverAdapters } from '../support/gitServer.ts';
import { makeRepo } from '../support/makeRepo.ts';
import type { MadeRepo } from '../support/makeRepo.ts';
import { pushAllRefs } from '../support/remoteRepo.ts';
import type { Remote } from '../support/remoteRepo.ts';
import { useTempDir } from '../support/tempDir.ts';
import { useServer } from '../support/useServer.ts';

const work = useTempDir('grove-conformance-notes-');
let corpus: MadeRepo;

beforeAll(async () => {
  corpus = await makeRepo(join(work, 'corpus.git'), { commits: 120 });
});

describe.each(serverAdapters())('notes: $name', (adapter) => {
  const server = useServer(adapter);
  const dir = (name: string): string => join(work, `${adapter.name}-${name}`);
  let repo: Remote;
  let author: string;

  it('pushes refs/notes/commits', async () => {
    repo = await server().createRepo('notes');
    await pushAllRefs(corpus.dir, repo);
    author = dir('author');
    await git(['clone', '--quiet', '--no-checkout', repo.remote, author], { token: repo.token });
    await git(['notes', 'add', '-m', 'prompt: write the README', 'HEAD'], { cwd: author });
    await git(['notes', 'add', '-m', 'run: 42\nagent: grove-test', 'HEAD~2'], { cwd: author });
    await git(['notes', 'add', '-m', 'release note', 'origin/release/1.x'], {
      cwd: author,
    });
    await git(['push', '--quiet', 'origin', 'refs/notes/commits'], { cwd: author, token: repo.token });

    const notesTip = await revParse(author, 'refs/notes/commits');
    expect(await gitOut(['ls-remote', repo.remote, 'refs/notes/*'], { token: repo.token })).toBe(
      `${notesTip}\trefs/notes/commits`,
    );
  });

  it.each([0, 2] as const)('fetches the notes back into a fresh clone (protocol v%i)', async (protocol) => {
    const reader = dir(`reader-v${protocol}`);
    await git(['clone', '--quiet', '--no-checkout', repo.remote, reader], { protocol, token: repo.token });
    // A plain clone does not fetch notes.
    expect(await gitOut(['for-each-ref', 'refs/notes/'], { cwd: reader })).toBe('');
    await git(['fetch', '--quiet', 'origin', 'refs/notes/*:refs/notes/*'], { cwd: reader, protocol, token: repo.token });

    expect(await revParse(reader, 'refs/notes/commits')).toBe(await revParse(author, 'refs/notes/commits'));
    expect(await gitOut(['notes', 'show', 'HEAD'], { cwd: reader })).toBe('prompt: write the README');
    expect(await gitOut(['notes', 'show', 'HEAD~2'], { cwd: reader })).toBe('run: 42\nagent: grove-test');
    expect(await gitOut(['notes', 'show', 'origin/release/1.x'], { cwd: reader })).toBe('release note');
    expect(await gitOut(['notes', 'list'], { cwd: reader })).toBe(await gitOut(['notes', 'list'], { cwd: author }));
    expect(await objectsOf(reader, ['refs/notes/commits'])).toBe(await objectsOf(author, ['refs/notes/commits']));
    await expectFsckClean(reader);
  });

  it('fast-forwards the notes ref on a second push and fetch', async () => {
    await git(['notes', 'append', '-m', 'second thought', 'HEAD'], { cwd: author });
    await git(['push', '--quiet', 'origin', 'refs/notes/commits'], { cwd: author, token: repo.token });
    const reader = dir('reader-v2');
    await git(['fetch', '--quiet', 'origin', 'refs/notes/*:refs/notes/*'], { cwd: reader, token: repo.token });
    expect(await gitOut(['notes', 'show', 'HEAD'], { cwd: reader })).toBe('prompt: write the README\n\nsecond thought');
    await expectFsckClean(reader);
  });
});
