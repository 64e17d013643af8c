/**
 * The read routes of the content API against what git itself reports for
 * the same repository, pushed to Grove with the real git CLI:
 *
 *   GET …/log      = git log --format=%H [--first-parent] [--since] [--until] <ref> [-- <path>]
 *                    (order and history simplification, paged with the cursor)
 *   GET …/commits  = git show -s / git cat-file commit
 *   GET …/tree     = git ls-tree -l [-r] <ref> <path>/
 *   GET …/blobs, …/files = git cat-file blob, with Content-Type, ETag, Range
 *
 * on a hand-made history (readFixtures.ts) and on a generated one of a few
 * hundred commits with merges and renames (makeRepo.ts); and a shallow
 * repository's log stopping at its boundary.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, gitOut } from '../support/git.ts';
import { makeRepo } from '../support/makeRepo.ts';
import { useTempDir } from '../support/tempDir.ts';
import { uniqueName, useApiServer, type ApiServer } from '../api/support/apiServer.ts';
import { expectError, type RepoWithTokenJson } from '../api/support/shapes.ts';
import { fetchBytes, gitBlob, gitCommitJson, historyFixture, ok, pushAll, repoPath, T0, type Fixture } from './support/readFixtures.ts';

interface CommitJson {
  sha: string;
  parents: string[];
}

const work = useTempDir('grove-content-read-');

/** Every commit of a log, page after page of `limit`. */
async function restLog(server: ApiServer, repo: RepoWithTokenJson, params: Record<string, string>, limit: number, token?: string): Promise<string[]> {
  const shas: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const query = new URLSearchParams({ ...params, limit: String(limit), ...(cursor === null ? {} : { cursor }) });
    const body = ok<{ commits: CommitJson[]; next_cursor: string | null }>(
      await server.call('GET', `${repoPath(repo)}/log?${query}`, token === undefined ? {} : { token }), `log ${query}`);
    expect(body.commits.length).toBeLessThanOrEqual(limit);
    if (body.next_cursor !== null) expect(body.commits.length).toBe(limit);
    shas.push(...body.commits.map((c) => c.sha));
    cursor = body.next_cursor;
    if (cursor === null) return shas;
  }
  throw new Error('too many pages');
}

async function gitLog(dir: string, args: string[]): Promise<string[]> {
  const out = await gitOut(['log', '--format=%H', ...args], { cwd: dir });
  return out === '' ? [] : out.split('\n');
}

/** Log params and the git log arguments that mean the same. */
function logCase(ref: string, options: { path?: string; firstParent?: boolean; since?: number; until?: number }): [Record<string, string>, string[]] {
  const params: Record<string, string> = { ref };
  const args: string[] = [];
  if (options.firstParent === true) {
    params['first_parent'] = 'true';
    args.push('--first-parent');
  }
  if (options.since !== undefined) {
    params['since'] = String(options.since);
    args.push(`--since=@${options.since}`);
  }
  if (options.until !== undefined) {
    params['until'] = new Date(options.until * 1000).toISOString();
    args.push(`--until=@${options.until}`);
  }
  args.push(ref, '--');
  if (options.path !== undefined) {
    params['path'] = options.path;
    args.push(options.path);
  }
  return [params, args];
}

/** `git ls-tree -l -z [-r] <ref> [<path>/]` as the API's entries. */
async function gitTree(dir: string, ref: string, path: string, recursive: boolean): Promise<unknown[]> {
  const args = ['ls-tree', '-l', '-z', ...(recursive ? ['-r'] : []), ref, ...(path === '' ? [] : [`${path}/`])];
  const out = (await git(args, { cwd: dir })).stdout;
  return out.split('\0').filter((l) => l !== '').map((line) => {
    const [meta, full] = line.split('\t') as [string, string];
    const [mode, type, sha, size] = meta.split(/ +/) as [string, string, string, string];
    return { name: full.slice(full.lastIndexOf('/') + 1), path: full, type, mode, sha, ...(size === '-' ? {} : { size: Number(size) }) };
  });
}

/** `git show --numstat -M` (the first parent for a merge) as the API's files, and the patch of `git show -p`. */
async function gitShowStat(dir: string, sha: string): Promise<{ files: { path: string; old_path: string | null; additions: number; deletions: number; binary: boolean }[]; patch: string }> {
  const out = (await git(['show', '--numstat', '-z', '--format=', '-M', '--diff-merges=first-parent', sha], { cwd: dir })).stdout;
  const tokens = out.replace(/^\n+/, '').split('\0');
  const files = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!.replace(/^\n/, '');
    if (token === '') continue;
    const [adds, dels, path] = token.split('\t') as [string, string, string];
    const binary = adds === '-';
    if (path === '') {
      const from = tokens[++i]!;
      const to = tokens[++i]!;
      files.push({ path: to, old_path: from, additions: binary ? 0 : Number(adds), deletions: binary ? 0 : Number(dels), binary });
    } else {
      files.push({ path, old_path: null, additions: binary ? 0 : Number(adds), deletions: binary ? 0 : Number(dels), binary });
    }
  }
  const patch = (await git(['show', '--format=', '-p', '-M', '--diff-merges=first-parent', sha], { cwd: dir })).stdout.replace(/^\n/, '');
  return { files, patch };
}

function filePath(repo: RepoWithTokenJson, ref: string, path: string): string {
  return `${repoPath(repo)}/files/${encodeURIComponent(ref)}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

describe('read routes on a hand-made history', () => {
  const server = useApiServer({ allowPrivateRemotes: true });
  let fixture: Fixture;
  let repo: RepoWithTokenJson;
  const refs = ['main', 'feature', 'side', 'evil', 'ties', 'v1', 'light', 'outer', 'refs/heads/main', 'HEAD'];

  beforeAll(async () => {
    fixture = await historyFixture(join(work, 'history'));
    repo = await server().createRepo(uniqueName('content'), { name: 'history' });
    await pushAll(fixture.dir, repo);
  });

  it('lists every ref\'s history in git log\'s order, a page at a time', async () => {
    for (const ref of refs) {
      const expected = await gitLog(fixture.dir, [ref, '--']);
      for (const limit of [1, 3, 50]) expect(await restLog(server(), repo, { ref }, limit), `${ref} by ${limit}`).toEqual(expected);
    }
    // Date order, not topological: the side commit dated before its parent comes after it, and ties keep queue order.
    const main = await gitLog(fixture.dir, ['main', '--']);
    expect(main.indexOf(fixture.commits['s1']!)).toBeGreaterThan(main.indexOf(fixture.commits['c3']!));
  });

  it('simplifies history for a path as git log -- <path> does, with and without --first-parent', async () => {
    const paths = ['src/app.js', 'src', 'docs', 'docs/guide.md', 'docs/manual.md', 'notes.txt', 'a/b/c/d.txt', 'a', 'README.md',
      'nothing/here', 'ties', 'main-ties', 'vendor/sub', 'link', 'image.png', 'dir with space/naïve café.txt', 'src/'];
    for (const ref of ['main', 'feature', 'evil', 'v1']) {
      for (const path of paths) {
        for (const firstParent of [false, true]) {
          const [params, args] = logCase(ref, { path, firstParent });
          expect(await restLog(server(), repo, params, 2), `${args.join(' ')}`).toEqual(await gitLog(fixture.dir, args));
        }
      }
    }
  });

  it('the merge of a side branch that changed the path is followed to the side; an evil merge is listed', async () => {
    const app = await restLog(server(), repo, { ref: 'main', path: 'src/app.js' }, 50);
    expect(app).toEqual([fixture.commits['f1'], fixture.commits['c2'], fixture.commits['c1']]);
    const deep = await restLog(server(), repo, { ref: 'main', path: 'a/b/c/d.txt' }, 50);
    // Both sides of the evil merge changed the path, so the merge is listed and both sides are walked (same date: parent order).
    expect(deep.slice(0, 3)).toEqual([fixture.commits['m3'], fixture.commits['c6'], fixture.commits['e1']]);
  });

  it('filters by date like --since and --until', async () => {
    for (const [since, until] of [[T0 + 300, undefined], [undefined, T0 + 650], [T0 + 250, T0 + 800], [T0 + 1000, undefined], [T0 + 5000, undefined]] as const) {
      for (const path of [undefined, 'src', 'notes.txt']) {
        const [params, args] = logCase('main', {
          ...(since === undefined ? {} : { since }),
          ...(until === undefined ? {} : { until }),
          ...(path === undefined ? {} : { path }),
        });
        expect(await restLog(server(), repo, params, 4), args.join(' ')).toEqual(await gitLog(fixture.dir, args));
      }
    }
  });

  it('shows each commit as git records it: ids, identities with their offsets, the whole message', async () => {
    const main = await gitLog(fixture.dir, ['main']);
    const body = ok<{ commits: unknown[] }>(await server().call('GET', `${repoPath(repo)}/log?ref=main&limit=1000`));
    for (const [i, sha] of main.entries()) {
      const expected = await gitCommitJson(fixture.dir, sha);
      expect(body.commits[i]).toEqual(expected);
      expect(ok(await server().call('GET', `${repoPath(repo)}/commits/${sha}`))).toEqual(expected);
    }
    const first = ok<{ author: { date: string } }>(await server().call('GET', `${repoPath(repo)}/commits/${fixture.commits['c1']}`));
    expect(first.author.date).toBe('2023-11-14T15:13:20-07:00');
    // Revisions name commits too: a tag of a tag peels, ~ and ^ walk parents.
    for (const rev of ['outer', 'v1', 'main~2', 'main~1^2', 'm3^2'.replace('m3', fixture.commits['m3']!), 'refs/tags/light', 'HEAD^^']) {
      const answer = ok<CommitJson>(await server().call('GET', `${repoPath(repo)}/commits/${encodeURIComponent(rev)}`), rev);
      expect(answer.sha, rev).toBe(await gitOut(['rev-parse', `${rev}^{commit}`], { cwd: fixture.dir }));
    }
  });

  it('with stat and patch, shows the changes from the first parent as git show --numstat and -p', async () => {
    for (const sha of await gitLog(fixture.dir, ['main', 'feature', 'evil', '--'])) {
      const body = ok<{ sha: string; files: { path: string; old_path: string | null; status: string; additions: number; deletions: number; binary: boolean }[]; stats: unknown; patch: string; patch_truncated: boolean }>(
        await server().call('GET', `${repoPath(repo)}/commits/${sha}?stat=true&patch=true`), sha);
      const expected = await gitShowStat(fixture.dir, sha);
      expect(body.files.map((f) => ({ ...f, old_path: f.status === 'renamed' ? f.old_path : null, status: undefined })), sha)
        .toEqual(expected.files.map((f) => ({ ...f, status: undefined })));
      expect(body.stats).toEqual({
        files: expected.files.length,
        additions: expected.files.reduce((n, f) => n + f.additions, 0),
        deletions: expected.files.reduce((n, f) => n + f.deletions, 0),
      });
      expect(body.patch, sha).toBe(expected.patch);
      expect(body.patch_truncated).toBe(false);
    }
    const plain = ok<Record<string, unknown>>(await server().call('GET', `${repoPath(repo)}/commits/main?stat=false`));
    expect(Object.keys(plain).sort()).toEqual(['author', 'committer', 'message', 'parents', 'sha', 'tree']);
    const renamed = ok<{ files: { status: string; path: string; old_path: string }[] }>(await server().call('GET', `${repoPath(repo)}/commits/${fixture.commits['c4']}?stat=1`));
    expect(renamed.files).toContainEqual(expect.objectContaining({ status: 'renamed', path: 'docs/manual.md', old_path: 'docs/guide.md' }));
  });

  it('lists folders as git ls-tree -l, recursively as -r', async () => {
    const tree = await gitOut(['ls-tree', '-d', '-r', '--name-only', 'main'], { cwd: fixture.dir });
    for (const ref of ['main', 'c1', 'v1']) {
      const rev = ref === 'c1' ? fixture.commits['c1']! : ref;
      for (const path of ['', ...tree.split('\n')]) {
        for (const recursive of [false, true]) {
          const exists = (await git(['cat-file', '-e', `${rev}:${path}`], { cwd: fixture.dir, allowFailure: true })).code === 0;
          if (!exists) continue;
          const query = new URLSearchParams({ path, recursive: String(recursive) });
          const body = ok<{ sha: string; path: string; entries: unknown[]; truncated: boolean }>(
            await server().call('GET', `${repoPath(repo)}/tree/${encodeURIComponent(rev)}?${query}`), `${rev} ${path}`);
          expect(body.entries, `${rev}:${path} -r=${recursive}`).toEqual(await gitTree(fixture.dir, rev, path, recursive));
          expect(body.sha).toBe(await gitOut(['rev-parse', `${rev}:${path}`], { cwd: fixture.dir }));
          expect(body.path).toBe(path);
          expect(body.truncated).toBe(false);
        }
      }
    }
    // A tree id lists that tree.
    const root = await gitOut(['rev-parse', 'main^{tree}'], { cwd: fixture.dir });
    expect(ok<{ entries: unknown[] }>(await server().call('GET', `${repoPath(repo)}/tree/${root}`)).entries).toEqual(await gitTree(fixture.dir, 'main', '', false));
  });

  it('tree errors: a missing path is 404, a file is 400, an invalid path 400, an unknown ref 404', async () => {
    expectError(await server().call('GET', `${repoPath(repo)}/tree/main?path=nothing`), 'NOT_FOUND');
    expectError(await server().call('GET', `${repoPath(repo)}/tree/main?path=README.md`), 'BAD_REQUEST');
    for (const bad of ['../x', 'a/../b', '/abs', 'a//b', 'a\0b', 'x'.repeat(5000)]) {
      expectError(await server().call('GET', `${repoPath(repo)}/tree/main?path=${encodeURIComponent(bad)}`), 'BAD_REQUEST', bad.slice(0, 20));
    }
    expectError(await server().call('GET', `${repoPath(repo)}/tree/nope`), 'NOT_FOUND');
    expectError(await server().call('GET', `${repoPath(repo)}/tree/${'0'.repeat(40)}`), 'NOT_FOUND');
  });

  it('serves every file of a revision byte for byte, symlinks as their target', async () => {
    for (const ref of ['main', 'c1']) {
      const rev = ref === 'c1' ? fixture.commits['c1']! : ref;
      const out = (await git(['ls-tree', '-r', '-z', rev], { cwd: fixture.dir })).stdout;
      for (const line of out.split('\0').filter((l) => l !== '')) {
        const [meta, path] = line.split('\t') as [string, string];
        if (meta.startsWith('160000')) continue;
        const sha = meta.split(' ')[2]!;
        const answer = await fetchBytes(server(), filePath(repo, rev, path));
        expect(answer.status, path).toBe(200);
        expect(answer.bytes, path).toEqual(await gitBlob(fixture.dir, sha));
        expect(answer.headers.get('etag'), path).toBe(`"${sha}"`);
        expect(answer.headers.get('content-length'), path).toBe(String(answer.bytes.length));
        expect(answer.headers.get('content-security-policy'), path).toMatch(/sandbox/);
      }
    }
  });

  it('sniffs the Content-Type: text, images, JSON, binary; HTML as plain text, SVG sandboxed', async () => {
    const types: Record<string, string> = {
      'README.md': 'text/plain; charset=utf-8',
      'image.png': 'image/png',
      'data.bin': 'application/octet-stream',
      'config.json': 'application/json; charset=utf-8',
      'page.html': 'text/plain; charset=utf-8',
      'pic.svg': 'image/svg+xml; charset=utf-8',
      link: 'text/plain; charset=utf-8',
      'bin/run.sh': 'text/plain; charset=utf-8',
    };
    for (const [path, type] of Object.entries(types)) {
      const answer = await fetchBytes(server(), filePath(repo, 'main', path));
      expect(answer.headers.get('content-type'), path).toBe(type);
      expect(answer.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    const link = await fetchBytes(server(), filePath(repo, 'refs/heads/main', 'link'));
    expect(new TextDecoder().decode(link.bytes)).toBe('README.md');
  });

  it('answers If-None-Match with 304 and one Range with 206; a range past the end is 416', async () => {
    const path = filePath(repo, 'main', 'data.bin');
    const sha = await gitOut(['rev-parse', 'main:data.bin'], { cwd: fixture.dir });
    const whole = await gitBlob(fixture.dir, sha);
    const notModified = await fetchBytes(server(), path, { headers: { 'if-none-match': `"other", "${sha}"` } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(`"${sha}"`);
    expect(notModified.bytes.length).toBe(0);
    expect((await fetchBytes(server(), path, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);

    for (const [range, start, end] of [['bytes=0-9', 0, 9], ['bytes=100-', 100, whole.length - 1], ['bytes=-50', whole.length - 50, whole.length - 1], ['bytes=2990-5000', 2990, whole.length - 1]] as const) {
      const part = await fetchBytes(server(), path, { headers: { range } });
      expect(part.status, range).toBe(206);
      expect(part.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${whole.length}`);
      expect(part.bytes, range).toEqual(whole.subarray(start, end + 1));
    }
    for (const range of ['bytes=3000-', 'bytes=5-2', 'bytes=0-1,5-6', 'bytes=x']) {
      const refused = await fetchBytes(server(), path, { headers: { range } });
      expect(refused.status, range).toBe(416);
      expect(refused.headers.get('content-range'), range).toBe(`bytes */${whole.length}`);
      expect((JSON.parse(new TextDecoder().decode(refused.bytes)) as { error: { code: string } }).error.code, range).toBe('RANGE_NOT_SATISFIABLE');
    }
    expect((await fetchBytes(server(), path, { headers: { range: 'items=0-1' } })).status).toBe(200);
  });

  it('file errors: 404 for a missing path or ref, 400 for a folder, a submodule or an invalid path', async () => {
    expectError(await server().call('GET', filePath(repo, 'main', 'nothing.txt')), 'NOT_FOUND');
    expectError(await server().call('GET', filePath(repo, 'main', 'src/app.js/x')), 'NOT_FOUND');
    expectError(await server().call('GET', filePath(repo, 'nope', 'README.md')), 'NOT_FOUND');
    expectError(await server().call('GET', filePath(repo, 'main', 'src')), 'BAD_REQUEST');
    expectError(await server().call('GET', filePath(repo, 'main', 'vendor/sub')), 'BAD_REQUEST');
    // (A literal or %2e-encoded `..` segment is resolved by URL parsing before routing; an encoded slash reaches the path.)
    expectError(await server().rawCall('GET', `${repoPath(repo)}/files/main/src%2F..%2FREADME.md`), 'BAD_REQUEST');
    expectError(await server().rawCall('GET', `${repoPath(repo)}/files/main/%2Fetc%2Fpasswd`), 'BAD_REQUEST');
    expectError(await server().rawCall('GET', `${repoPath(repo)}/files/main/a%00b`), 'BAD_REQUEST');
  });

  it('serves blobs by id, 404 for an absent id or one that is not a blob, 400 for a malformed id', async () => {
    const sha = await gitOut(['rev-parse', 'main:image.png'], { cwd: fixture.dir });
    const answer = await fetchBytes(server(), `${repoPath(repo)}/blobs/${sha}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/octet-stream');
    expect(answer.headers.get('etag')).toBe(`"${sha}"`);
    expect(answer.bytes).toEqual(await gitBlob(fixture.dir, sha));
    expect((await fetchBytes(server(), `${repoPath(repo)}/blobs/${sha}`, { headers: { 'if-none-match': `"${sha}"` } })).status).toBe(304);
    expectError(await server().call('GET', `${repoPath(repo)}/blobs/${'0'.repeat(40)}`), 'NOT_FOUND');
    expectError(await server().call('GET', `${repoPath(repo)}/blobs/${fixture.commits['c1']}`), 'NOT_FOUND');
    expectError(await server().call('GET', `${repoPath(repo)}/blobs/xyz`), 'BAD_REQUEST');
  });

  it('log errors: unknown ref 404, bad limit, cursor, date or path 400', async () => {
    expectError(await server().call('GET', `${repoPath(repo)}/log?ref=nope`), 'NOT_FOUND');
    expectError(await server().call('GET', `${repoPath(repo)}/log?ref=${'0'.repeat(40)}`), 'NOT_FOUND');
    for (const query of ['limit=0', 'limit=1001', 'limit=x', 'cursor=garbage', 'since=yesterday', 'until=2024-13-45T00:00:00Z', 'path=..', 'first_parent=maybe']) {
      expectError(await server().call('GET', `${repoPath(repo)}/log?${query}`), 'BAD_REQUEST', query);
    }
    // A cursor continues only the listing it came from.
    const first = ok<{ next_cursor: string }>(await server().call('GET', `${repoPath(repo)}/log?ref=main&path=src&limit=1`));
    expect((await server().call('GET', `${repoPath(repo)}/log?path=src&cursor=${first.next_cursor}`)).status).toBe(200);
    expectError(await server().call('GET', `${repoPath(repo)}/log?path=docs&cursor=${first.next_cursor}`), 'BAD_REQUEST');
    expectError(await server().call('GET', `${repoPath(repo)}/log?path=src&first_parent=true&cursor=${first.next_cursor}`), 'BAD_REQUEST');
    // A tree or blob is not a commit.
    const blob = await gitOut(['rev-parse', 'main:README.md'], { cwd: fixture.dir });
    expectError(await server().call('GET', `${repoPath(repo)}/log?ref=${blob}`), 'NOT_FOUND');
  });

  it('a cursor keeps listing the history it started on after the branch moves', async () => {
    const first = ok<{ commits: CommitJson[]; next_cursor: string }>(await server().call('GET', `${repoPath(repo)}/log?ref=feature&limit=1`));
    await git(['push', '--quiet', '--force', repo.remote, `${fixture.commits['c1']}:refs/heads/feature`], { cwd: fixture.dir, token: repo.token });
    try {
      const rest = ok<{ commits: CommitJson[] }>(await server().call('GET', `${repoPath(repo)}/log?ref=feature&limit=50&cursor=${first.next_cursor}`));
      expect([first.commits[0]!.sha, ...rest.commits.map((c) => c.sha)]).toEqual(await gitLog(fixture.dir, ['feature']));
    } finally {
      await git(['push', '--quiet', '--force', repo.remote, 'feature:refs/heads/feature'], { cwd: fixture.dir, token: repo.token });
    }
  });

  it('a read token reads everything; another repository\'s token is refused; no token is 401', async () => {
    const read = await server().mintToken(repo.namespace, repo.name, { scope: 'read' });
    expect(await restLog(server(), repo, { ref: 'main' }, 50, read.token)).toEqual(await gitLog(fixture.dir, ['main']));
    const other = await server().createRepo(repo.namespace, { name: uniqueName('other') });
    for (const path of [`${repoPath(repo)}/log`, `${repoPath(repo)}/commits/${fixture.commits['c1']}`, `${repoPath(repo)}/tree/main`, filePath(repo, 'main', 'README.md'), `${repoPath(repo)}/archive/main.zip`]) {
      expect((await server().call('GET', path, { token: read.token })).status, path).toBe(200);
      expectError(await server().call('GET', path, { token: other.token }), 'FORBIDDEN', path);
      expectError(await server().call('GET', path, { token: null }), 'UNAUTHORIZED', path);
    }
  });

  it('a fork reads its parent\'s objects: the same log, tree and files', async () => {
    const fork = await server().createFork(repo.namespace, repo.name, { name: uniqueName('fork'), default_branch_only: false });
    expect(await restLog(server(), fork, { ref: 'feature', path: 'src' }, 2)).toEqual(await gitLog(fixture.dir, ['feature', '--', 'src']));
    expect(ok<{ entries: unknown[] }>(await server().call('GET', `${repoPath(fork)}/tree/main?recursive=true`)).entries).toEqual(await gitTree(fixture.dir, 'main', '', true));
    const file = await fetchBytes(server(), filePath(fork, 'v1', 'data.bin'));
    expect(file.bytes).toEqual(await gitBlob(fixture.dir, 'v1:data.bin'));
  });

  it('a shallow repository\'s log stops at its boundary', async () => {
    const ns = uniqueName('shallow');
    const answer = await server().call('POST', `/v1/namespaces/${ns}/repos/shallow/import`, {
      json: { url: repo.remote, headers: { Authorization: `Bearer ${repo.token}` }, branch: 'main', depth: 3, wait: true },
    });
    expect(answer.status, answer.text).toBe(201);
    const shallow = answer.json as RepoWithTokenJson;
    const clone = join(work, 'shallow-clone');
    await git(['clone', '--quiet', '--depth=3', '--branch=main', `file://${fixture.dir}`, clone]);
    const expected = await gitLog(clone, ['main']);
    expect(await restLog(server(), shallow, { ref: 'main' }, 2)).toEqual(expected);
    for (const path of ['README.md', 'a/b/c/d.txt', 'ties']) {
      expect(await restLog(server(), shallow, { ref: 'main', path }, 2), path).toEqual(await gitLog(clone, ['main', '--', path]));
    }
    expectError(await server().call('GET', `${repoPath(shallow)}/commits/main~10`), 'NOT_FOUND');
  });
});

describe('read routes on a generated history of merges and renames', () => {
  const server = useApiServer();
  let dir: string;
  let repo: RepoWithTokenJson;
  let branches: string[];

  beforeAll(async () => {
    dir = join(work, 'generated.git');
    const made = await makeRepo(dir, { commits: 260 });
    branches = made.branches;
    repo = await server().createRepo(uniqueName('content'), { name: 'generated' });
    await pushAll(dir, repo);
  });

  it('lists the log of every branch, for folders and files, first parents or all, as git log does', async () => {
    const paths = [undefined, 'features/feature/alpha', 'features', 'src/wide', 'src/moved', 'RELEASE.md', 'README.md', 'deep', 'assets/blob1.bin', 'data/big.txt', 'link-to-readme', 'vendor/submodule'];
    for (const ref of [...branches, 'v1.0.0', 'nested-outer']) {
      for (const path of paths) {
        for (const firstParent of [false, true]) {
          const [params, args] = logCase(ref, { ...(path === undefined ? {} : { path }), firstParent });
          expect(await restLog(server(), repo, params, 37), args.join(' ')).toEqual(await gitLog(dir, args));
        }
      }
    }
  });

  it('shows commits with stat and patch as git show does, merges and renames included', async () => {
    const all = await gitLog(dir, ['main', '--']);
    const merges = await gitLog(dir, ['--merges', 'main', '--']);
    for (const sha of [...new Set([...all.filter((_, i) => i % 9 === 0), ...merges, all[all.length - 1]!])]) {
      const body = ok<{ files: { path: string; old_path: string | null; status: string }[]; patch: string }>(
        await server().call('GET', `${repoPath(repo)}/commits/${sha}?stat=true&patch=true`), sha);
      const expected = await gitShowStat(dir, sha);
      expect(body.files.map((f) => ({ ...f, old_path: f.status === 'renamed' ? f.old_path : null, status: undefined })), sha)
        .toEqual(expected.files.map((f) => ({ ...f, status: undefined })));
      expect(body.patch, sha).toBe(expected.patch);
    }
  });

  it('lists the whole tree recursively as git ls-tree -r -l', async () => {
    const body = ok<{ entries: unknown[] }>(await server().call('GET', `${repoPath(repo)}/tree/main?recursive=true`));
    expect(body.entries).toEqual(await gitTree(dir, 'main', '', true));
    const deep = ok<{ entries: unknown[] }>(await server().call('GET', `${repoPath(repo)}/tree/release%2F1.x?path=deep&recursive=1`));
    expect(deep.entries).toEqual(await gitTree(dir, 'release/1.x', 'deep', true));
  });
});
