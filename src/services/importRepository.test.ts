/**
 * importRepository against C Git's `git http-backend` (v2, and v0 only),
 * for what test/git/import.test.ts does not cover: empty remotes, remotes
 * that are shallow themselves, a detached remote HEAD, progress, limits.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitOut } from '../../test/support/git.ts';
import { gitEnv } from '../../test/support/gitEnv.ts';
import { serveGitHttpBackendCgi } from '../../test/support/gitHttpBackendCgi.ts';
import { makeRepo } from '../../test/support/makeRepo.ts';
import { openRepository, packObjects, pushPack, storedOids, type OpenedRepository } from '../../test/support/storeRepo.ts';
import { useTempDir } from '../../test/support/tempDir.ts';
import { isGroveError } from '../errors.ts';
import { ZERO_OID } from '../git/objects/objectId.ts';
import type { PushTarget } from '../git/protocol/pushTarget.ts';
import { nodeCodec } from '../runtime/node/codec.ts';
import { importRepository, type ImportRepositoryOptions, type ImportResult } from './importRepository.ts';

const root = useTempDir('grove-import-unit-');
const servers: Server[] = [];
const base: Record<0 | 2, string> = { 0: '', 2: '' };

async function startBackend(v0Only: boolean): Promise<string> {
  const env = (cgi: Record<string, string>): Record<string, string> => {
    const vars = { ...cgi };
    if (v0Only) delete vars['GIT_PROTOCOL'];
    return gitEnv(vars);
  };
  const server = createServer((req, res) => serveGitHttpBackendCgi({ projectRoot: root, env }, req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  await makeRepo(join(root, 'source.git'), { commits: 130 });
  base[2] = await startBackend(false);
  base[0] = await startBackend(true);
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

function run(opened: OpenedRepository, options: Omit<ImportRepositoryOptions, 'fetch'>): Promise<ImportResult> {
  return importRepository({ repo: opened.repo, objects: opened.repo.objects, codec: nodeCodec }, { fetch, ...options });
}

function headOf(opened: OpenedRepository): string | undefined {
  return opened.repo.listRefsSync().find((r) => r.name === 'HEAD')?.target;
}

async function allObjects(dir: string): Promise<string[]> {
  const out = await gitOut(['cat-file', '--batch-all-objects', '--batch-check=%(objectname)'], { cwd: dir });
  return out.split('\n').filter((l) => l !== '').sort();
}

describe.each([2, 0] as const)('over protocol v%i', (protocol) => {
  it('imports an empty remote: no refs; HEAD follows its unborn branch when the remote says which (v2 ls-refs unborn)', async () => {
    const name = `empty-${protocol}.git`;
    await git(['init', '--quiet', '--bare', '-b', 'trunk', join(root, name)]);
    const opened = openRepository();
    const result = await run(opened, { url: `${base[protocol]}/${name}` });
    // A v0 advertisement of an empty repository names no HEAD at all: HEAD stays.
    const head = protocol === 2 ? 'refs/heads/trunk' : 'refs/heads/main';
    expect(result).toEqual({ head, refs: 0, objects: 0, shallow: [] });
    expect(headOf(opened)).toBe(head);
    expect(opened.repo.listRefsSync()).toHaveLength(1);
    opened.close();
  });

  it('imports a remote that is itself shallow: the repository is shallow at the same commits', async () => {
    const name = `shallow-remote-${protocol}.git`;
    const dir = join(root, name);
    await git(['clone', '--quiet', '--bare', '--depth', '4', '--no-single-branch', `file://${join(root, 'source.git')}`, dir]);
    const opened = openRepository();
    const result = await run(opened, { url: `${base[protocol]}/${name}` });
    const shallow = readFileSync(join(dir, 'shallow'), 'utf8').split('\n').filter((l) => l !== '').sort();
    expect(result.shallow).toEqual(shallow);
    expect(opened.repo.shallowSync()).toEqual(shallow);
    expect(storedOids(opened).sort()).toEqual(await allObjects(dir));
    opened.close();
  });

  it('passes the remote progress on when asked, and asks for none otherwise', async () => {
    const opened = openRepository();
    const progress: string[] = [];
    await run(opened, { url: `${base[protocol]}/source.git`, onProgress: (text) => progress.push(text) });
    expect(progress.join('')).toMatch(/(Enumerating|Counting) objects/);
    opened.close();
  });

  it('refuses an object over maxObjectBytes and changes nothing', async () => {
    const opened = openRepository();
    const refs = JSON.stringify(opened.repo.listRefsSync());
    const err = await run(opened, { url: `${base[protocol]}/source.git`, maxObjectBytes: 100_000 }).catch((e: unknown) => e);
    expect(isGroveError(err) && err.code).toBe('OBJECT_TOO_LARGE');
    expect((err as Error).message).toContain(`${base[protocol]}/source.git`);
    expect(JSON.stringify(opened.repo.listRefsSync())).toBe(refs);
    expect(storedOids(opened)).toEqual([]);
    expect(opened.sql.query<{ n: number }>('SELECT count(*) AS n FROM incoming')[0]!.n).toBe(0);
    opened.close();
  });
});

it('takes pushes on top of a shallow import, and refuses one whose history goes below the boundary', async () => {
  const opened = openRepository();
  const result = await run(opened, { url: `${base[2]}/source.git`, depth: 3, branch: 'main' });
  const work = join(root, 'push-work.git');
  await git(['clone', '--quiet', '--bare', '--no-local', join(root, 'source.git'), work]);
  const commitOn = async (parent: string, text: string): Promise<string> => {
    const blob = await gitOut(['hash-object', '-w', '--stdin'], { cwd: work, input: text });
    const tree = await gitOut(['mktree'], { cwd: work, input: `100644 blob ${blob}\tnew.txt\n` });
    return gitOut(['commit-tree', tree, '-p', parent, '-m', text], { cwd: work });
  };
  const main = await gitOut(['rev-parse', 'main'], { cwd: work });
  const onTop = await commitOn(main, 'on top of the shallow history\n');
  const below = await commitOn(`${main}~5`, 'on a commit the shallow repository lacks\n');
  const target: PushTarget = { objects: opened.repo.objects, refs: opened.repo, codec: nodeCodec, beginPush: () => opened.repo.beginPush() };
  const ok = await pushPack(target, packObjects(work, [onTop, `^${main}`]), [{ old: main, new: onTop, name: 'refs/heads/main' }]);
  expect(ok.refs).toEqual([{ name: 'refs/heads/main', ok: true }]);
  const refused = await pushPack(target, packObjects(work, [below, `^${main}~5`]), [{ old: ZERO_OID, new: below, name: 'refs/heads/below' }]);
  expect(refused.refs).toEqual([{ name: 'refs/heads/below', ok: false, reason: 'missing necessary objects' }]);
  expect(opened.repo.shallowSync()).toEqual(result.shallow);
  opened.close();
});

it('points HEAD at a branch of the remote HEAD commit when the remote HEAD is detached', async () => {
  const dir = join(root, 'detached.git');
  await git(['clone', '--quiet', '--bare', '--no-local', join(root, 'source.git'), dir]);
  const release = await gitOut(['rev-parse', 'release/1.x'], { cwd: dir });
  await git(['update-ref', '--no-deref', 'HEAD', release], { cwd: dir });
  const opened = openRepository();
  const result = await run(opened, { url: `${base[2]}/detached.git` });
  expect(result.head).toBe('refs/heads/release/1.x');
  expect(headOf(opened)).toBe('refs/heads/release/1.x');
  opened.close();
});

it('refuses a bad branch name before reaching the remote', async () => {
  const opened = openRepository();
  let asked = false;
  const err = await importRepository(
    { repo: opened.repo, objects: opened.repo.objects, codec: nodeCodec },
    { url: `${base[2]}/source.git`, branch: 'bad..name', fetch: async () => ((asked = true), new Response()) },
  ).catch((e: unknown) => e);
  expect(isGroveError(err) && err.code).toBe('BAD_REF_NAME');
  expect(asked).toBe(false);
  opened.close();
});
