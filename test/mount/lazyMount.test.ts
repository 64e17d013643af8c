/**
 * `grove mount <remote> <dir>` for real, against Grove and against C Git's
 * `git http-backend`: a generated repository (makeRepo.ts) pushed to the
 * server, mounted lazily by a process of its own (`node bin/grove.js
 * mount`), compared with a full clone of the same remote.
 *
 * Every access to the mount from here is asynchronous (fs/promises, child
 * processes): a server may run in this process, and the mount calls it
 * while it answers, so a synchronous call could wait for itself.
 *
 * Per server: sizes, modes, symlinks and bytes of every file equal a full
 * clone's, `git status` is clean at once and reads nothing (on-demand
 * hydration: the status shows fewer files local than known); reads while the
 * background hydration runs return the right bytes; an edit, `git commit`
 * and `git push` from the mount land on the server (a fresh clone, `git fsck
 * --strict`); a mount killed with SIGKILL and started again resumes from its
 * cache (files already local stay local, no tree pack fetched again, local
 * changes kept); unmount leaves no mount and no process. Against C Git, a
 * remote that does not offer `object-info` (its advertisement rewritten by a
 * proxy) still mounts, with the right sizes, and says so in its status.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, readlink, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMounted } from '../../src/mount/isMounted.ts';
import { callControl } from '../../src/mount/control.ts';
import type { MountStatus } from '../../src/mount/MountHandle.ts';
import { expectFsckClean, git, gitOut } from '../support/git.ts';
import { gitEnv } from '../support/gitEnv.ts';
import { serverAdapters } from '../support/gitServer.ts';
import { makeRepo, type MadeRepo } from '../support/makeRepo.ts';
import { pushAllRefs, type Remote } from '../support/remoteRepo.ts';
import { useTempDir } from '../support/tempDir.ts';
import { useServer } from '../support/useServer.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function fuseReason(): string | undefined {
  if (!existsSync('/dev/fuse')) return '/dev/fuse does not exist';
  try {
    createRequire(import.meta.url)('fuse-native');
  } catch (err) {
    return `fuse-native does not load: ${(err as Error).message}`;
  }
  return undefined;
}
const skipReason = process.env['GROVE_REQUIRE_FUSE'] === '1' ? undefined : fuseReason();
const suite = skipReason === undefined ? describe : describe.skip;
if (skipReason !== undefined) process.stderr.write(`lazyMount.test.ts skipped: ${skipReason}\n`);

/** One path of a tree as `ls -lR` would tell it, plus the id of its bytes. */
interface Seen {
  kind: 'file' | 'dir' | 'symlink';
  size: number | null;
  executable: boolean;
  target: string | null;
  sha: string | null;
}

/** Every path under `dir` but `.git`, read asynchronously (with bytes when `withBytes`). */
async function walk(dir: string, withBytes: boolean, prefix = ''): Promise<Map<string, Seen>> {
  const out = new Map<string, Seen>();
  for (const name of (await readdir(join(dir, prefix))).sort()) {
    if (prefix === '' && name === '.git') continue;
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const stats = await lstat(join(dir, path));
    if (stats.isDirectory()) {
      out.set(path, { kind: 'dir', size: null, executable: false, target: null, sha: null });
      for (const [p, s] of await walk(dir, withBytes, path)) out.set(p, s);
    } else if (stats.isSymbolicLink()) {
      out.set(path, { kind: 'symlink', size: stats.size, executable: false, target: await readlink(join(dir, path)), sha: null });
    } else {
      const sha = withBytes ? createHash('sha1').update(await readFile(join(dir, path))).digest('hex') : null;
      out.set(path, { kind: 'file', size: stats.size, executable: (stats.mode & 0o100) !== 0, target: null, sha });
    }
  }
  return out;
}

/** The bytes of every file under `dir` (but `.git`), read `parallel` at a time in a shuffled order. */
async function readAll(dir: string, paths: string[], parallel: number): Promise<Map<string, string>> {
  const order = [...paths].sort((a, b) => createHash('md5').update(a).digest('hex').localeCompare(createHash('md5').update(b).digest('hex')));
  const out = new Map<string, string>();
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < order.length) {
      const path = order[next++]!;
      out.set(path, createHash('sha1').update(await readFile(join(dir, path))).digest('hex'));
    }
  }));
  return out;
}

interface MountProcess {
  child: ChildProcess;
  dir: string;
  exited: Promise<number | null>;
  output(): string;
}

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`${command} ${args.join(' ')} exited ${code}\n${out}`))));
  });
}

/**
 * A remote C Git serves without `object-info`: a proxy that forwards every
 * request and drops that one capability line from the v2 advertisement.
 */
async function withoutObjectInfo(origin: string): Promise<{ url: (remote: string) => string; close(): Promise<void> }> {
  const upstream = new URL(origin);
  const server: Server = createServer((req, res) => {
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
      if (!(req.url ?? '').includes('/info/refs')) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const body = Buffer.from(Buffer.concat(chunks).toString('latin1').replace('0010object-info\n', ''), 'latin1');
        const headers = { ...answer.headers, 'content-length': String(body.length) };
        delete headers['transfer-encoding'];
        res.writeHead(answer.statusCode ?? 502, headers);
        res.end(body);
      });
    });
    forward.on('error', (err) => res.destroy(err));
    req.pipe(forward);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: (remote) => {
      const url = new URL(remote);
      url.host = `127.0.0.1:${port}`;
      return url.href;
    },
    close: () => new Promise((done) => server.close(() => done())),
  };
}

suite('grove mount <remote> (lazy)', () => {
  const work = useTempDir('grove-lazy-mount-');
  let corpus: MadeRepo;
  const started: MountProcess[] = [];

  beforeAll(async () => {
    corpus = await makeRepo(join(work, 'corpus.git'), { commits: 200 });
  });

  afterAll(async () => {
    for (const m of started) {
      if (m.child.exitCode === null && m.child.signalCode === null) {
        m.child.kill('SIGTERM');
        const timer = setTimeout(() => m.child.kill('SIGKILL'), 20_000);
        await m.exited;
        clearTimeout(timer);
      }
      if (await isMounted(m.dir)) await run('fusermount', ['-uz', m.dir], work).catch(() => '');
    }
  }, 60_000);

  /** Starts `grove mount` in a process of its own; resolves once it is mounted. */
  async function mount(remote: Remote, dir: string, cache: string, hydrate: 'on-demand' | 'background'): Promise<MountProcess> {
    const child = spawn(process.execPath, [join(ROOT, 'bin/grove.js'), 'mount', remote.remote, dir, '--cache', cache, '--token', remote.token], {
      env: { ...gitEnv(), GROVE_MOUNT_HYDRATE: hydrate },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const m: MountProcess = { child, dir, exited, output: () => output };
    started.push(m);
    await new Promise<void>((done, fail) => {
      const check = (): void => {
        if (output.includes('\nmounted ') || output.startsWith('mounted ')) done();
      };
      child.stdout!.on('data', check);
      void exited.then((code) => fail(new Error(`grove mount exited ${code} before mounting:\n${output}`)));
    });
    return m;
  }

  async function status(dir: string): Promise<MountStatus> {
    const answer = await callControl(dir, 'GET', '/status');
    expect(answer?.status).toBe(200);
    return answer!.body as MountStatus;
  }

  async function unmount(m: MountProcess): Promise<void> {
    const answer = await callControl(m.dir, 'POST', '/unmount');
    expect(answer?.status).toBe(200);
    expect(await m.exited).toBe(0);
    expect(await isMounted(m.dir)).toBe(false);
  }

  describe.each(serverAdapters())('$name', (adapter) => {
    const server = useServer(adapter);
    let remote: Remote;
    let clone: string;
    let expected: Map<string, Seen>;
    const at = (name: string): string => join(work, `${adapter.name}-${name}`);

    beforeAll(async () => {
      remote = await server().createRepo(`lazy-${adapter.name}`);
      await pushAllRefs(corpus.dir, remote);
      clone = at('clone');
      await git(['clone', '--quiet', remote.remote, clone], { token: remote.token });
      expected = await walk(clone, true);
    });

    it('lists every file with its size before any content, git status is clean and reads nothing, and every byte matches a full clone', async () => {
      const dir = at('mnt-demand');
      const m = await mount(remote, dir, at('cache-demand'), 'on-demand');
      const before = await status(dir);
      const files = [...expected.values()].filter((s) => s.kind !== 'dir').length;
      expect(before).toMatchObject({ kind: 'lazy', files, hydratedFiles: 0, queue: 0 });

      // ls -lR: sizes, modes and symlinks (reading a symlink fetches its blob, nothing else does).
      const listed = await walk(dir, false);
      expect([...listed.keys()]).toEqual([...expected.keys()]);
      for (const [path, seen] of expected) expect(listed.get(path), path).toEqual({ ...seen, sha: null });

      expect(await gitOut(['status', '--porcelain'], { cwd: dir })).toBe('');
      const afterStatus = await status(dir);
      const symlinks = [...expected.values()].filter((s) => s.kind === 'symlink').length;
      expect(afterStatus.hydratedFiles).toBeLessThanOrEqual(symlinks);
      expect(afterStatus.hydratedFiles).toBeLessThan(files);

      const paths = [...expected].filter(([, s]) => s.kind === 'file').map(([p]) => p);
      const bytes = await readAll(dir, paths, 2);
      for (const path of paths) expect(bytes.get(path), path).toBe(expected.get(path)!.sha);
      const after = await status(dir);
      expect(after).toMatchObject({ files, hydratedFiles: files, hydratedBytes: after.bytes, queue: 0, errors: [] });
      expect(await gitOut(['status', '--porcelain'], { cwd: dir })).toBe('');
      await unmount(m);
    });

    it('reads the right bytes while the background hydration runs, and ends with every file local', async () => {
      const dir = at('mnt-background');
      const m = await mount(remote, dir, at('cache-background'), 'background');
      const paths = [...expected].filter(([, s]) => s.kind === 'file').map(([p]) => p);
      const bytes = await readAll(dir, paths, 2);
      for (const path of paths) expect(bytes.get(path), path).toBe(expected.get(path)!.sha);
      let done = await status(dir);
      for (let i = 0; i < 600 && (done.hydratedFiles < done.files || done.queue > 0); i++) {
        await new Promise((r) => setTimeout(r, 100));
        done = await status(dir);
      }
      expect(done).toMatchObject({ hydratedFiles: done.files, queue: 0, errors: [] });
      expect(await walk(dir, true)).toEqual(expected);
      await unmount(m);
    });

    it('commits and pushes from the mount: the push lands on the server', async () => {
      const pushTo = await server().createRepo(`lazy-push-${adapter.name}`);
      await pushAllRefs(corpus.dir, pushTo);
      const dir = at('mnt-push');
      const m = await mount(pushTo, dir, at('cache-push'), 'on-demand');
      await writeFile(join(dir, 'README.md'), `${await readFile(join(dir, 'README.md'), 'utf8')}Edited through a lazy mount.\n`, { flag: 'w' });
      await writeFile(join(dir, 'src/added.txt'), 'a new file\n');
      await rm(join(dir, 'empty.txt'));
      await rename(join(dir, 'src/wide/file0002.txt'), join(dir, 'src/wide/renamed.txt'));
      // A name that is not UTF-8 is refused (EILSEQ) rather than made under another name.
      await writeFile(join(dir, 'caf\u00e9'), 'x'); // 'café' in UTF-8: fine
      await rm(join(dir, 'caf\u00e9'));
      await expect(writeFile(Buffer.from(`${dir}/caf\xe9`, 'latin1'), 'x')).rejects.toMatchObject({ code: 'EILSEQ' });
      expect((await git(['status', '--porcelain'], { cwd: dir })).stdout.split('\n').filter((l) => l !== '').sort()).toEqual([
        ' D empty.txt',
        ' D src/wide/file0002.txt',
        ' M README.md',
        '?? src/added.txt',
        '?? src/wide/renamed.txt',
      ]);
      expect(await gitOut(['diff', '--', 'README.md'], { cwd: dir })).toContain('+Edited through a lazy mount.');
      await git(['add', '-A'], { cwd: dir });
      await git(['commit', '--quiet', '-m', 'edit through a lazy mount'], { cwd: dir });
      const pushed = await gitOut(['rev-parse', 'HEAD'], { cwd: dir });
      await git(['push', '--quiet', 'origin', 'main'], { cwd: dir });
      expect(await gitOut(['status', '--porcelain'], { cwd: dir })).toBe('');

      const fresh = at('fresh');
      await git(['clone', '--quiet', pushTo.remote, fresh], { token: pushTo.token });
      expect(await gitOut(['rev-parse', 'HEAD'], { cwd: fresh })).toBe(pushed);
      await expectFsckClean(fresh);
      const after = await walk(fresh, true);
      const mine = await walk(dir, true);
      expect(mine).toEqual(after);
      expect(after.has('empty.txt')).toBe(false);
      expect(after.get('src/wide/renamed.txt')?.sha).toBe(expected.get('src/wide/file0002.txt')?.sha);
      expect(await readFile(join(fresh, 'src/added.txt'), 'utf8')).toBe('a new file\n');
      await unmount(m);
    });

    it('killed with SIGKILL, resumes from its cache: local files stay local, no tree pack is fetched again, changes are kept', async () => {
      const dir = at('mnt-kill');
      const cache = at('cache-kill');
      const first = await mount(remote, dir, cache, 'on-demand');
      const paths = [...expected].filter(([, s]) => s.kind === 'file').map(([p]) => p).slice(0, 40);
      await readAll(dir, paths, 2);
      await writeFile(join(dir, 'written-before-the-kill.txt'), 'still here\n');
      const local = (await status(dir)).hydratedFiles;
      expect(local).toBeGreaterThanOrEqual(40);
      // A second mount on the same folder, or of another folder from the same cache, is refused, and changes nothing.
      const refused = async (target: string, cacheDir: string, url = remote.remote): Promise<string> => {
        const child = spawn(process.execPath, [join(ROOT, 'bin/grove.js'), 'mount', url, target, '--cache', cacheDir, '--token', remote.token], { env: gitEnv() });
        let out = '';
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        const code = await new Promise<number | null>((done) => child.on('exit', done));
        expect(code, out).toBe(1);
        return out;
      };
      expect(await refused(dir, at('cache-other'))).toContain(`grove: ALREADY_EXISTS: ${dir} is mounted already`);
      expect(await refused(at('mnt-other'), cache)).toMatch(/grove: ALREADY_EXISTS: the cache .* is in use by process \d+/);
      expect(await isMounted(at('mnt-other'))).toBe(false);
      // A remote that cannot be reached: FUSE went up while it was asked, and is taken down again.
      expect(await refused(at('mnt-other'), at('cache-other'), 'http://127.0.0.1:1/git/nowhere.git')).toContain('grove: REMOTE_ERROR: ');
      expect(await isMounted(at('mnt-other'))).toBe(false);
      expect((await status(dir)).hydratedFiles).toBe(local);
      first.child.kill('SIGKILL');
      await first.exited;

      const second = await mount(remote, dir, cache, 'on-demand');
      expect(second.output()).not.toMatch(/fetched the (trees|commits)/);
      expect((await status(dir)).hydratedFiles).toBe(local);
      expect(await readFile(join(dir, 'written-before-the-kill.txt'), 'utf8')).toBe('still here\n');
      expect(await gitOut(['status', '--porcelain'], { cwd: dir })).toBe('?? written-before-the-kill.txt');
      const bytes = await readAll(dir, paths, 2);
      for (const path of paths) expect(bytes.get(path), path).toBe(expected.get(path)!.sha);
      await unmount(second);
    });

    if (adapter.name === 'http-backend') {
      it('mounts a remote that does not offer object-info: sizes come with the contents, and the status says so', async () => {
        const proxy = await withoutObjectInfo(new URL(remote.remote).origin);
        try {
          const dir = at('mnt-no-info');
          const m = await mount({ remote: proxy.url(remote.remote), token: remote.token }, dir, at('cache-no-info'), 'on-demand');
          expect((await status(dir)).errors.map((e) => e.message).join('\n')).toContain('object-info');
          const listed = await walk(dir, true);
          expect(listed).toEqual(expected);
          expect(await gitOut(['status', '--porcelain'], { cwd: dir })).toBe('');
          await unmount(m);
        } finally {
          await proxy.close();
        }
      });
    }
  });
});
