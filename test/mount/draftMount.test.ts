/**
 * `grove mount --draft` for real: a repository pushed with `git`, a draft of
 * it mounted read-write over FUSE by a process of its own (`grove mount
 * --draft`), the server in this process.
 * Every access to the mount from here is asynchronous (fs/promises, child
 * processes): the mount process calls this process's server while it
 * answers, so a synchronous call would deadlock.
 *
 * One story, in order: the B5 operations on the mount (1,000 tiny files
 * created, stated and removed; `mkdir -p` 10×10 with 1,000 files and `find`;
 * 64 MiB written, read, copied and overwritten with dd/cat/cp; `git init` and
 * a commit of 100 files in a subfolder; a symlink; chmod +x; a folder from
 * the server renamed before it was listed), a sync, and every file's bytes
 * and mode compared with what REST shows; the network cut (a proxy between
 * the mount and the server): a failed sync, reported and retried until the
 * change gets through; changes, then the mount process
 * killed with SIGKILL, and a new mount of the same cache sending them; a
 * change made through REST while mounted, detected and merged by the next
 * sync; unmount leaving no mount, process or socket; apply, clone and
 * `git fsck --strict`. Longer than most test files because it is one story.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { lstat, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { createServer, connect, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMounted } from '../../src/mount/isMounted.ts';
import { callControl, controlSocketPath } from '../../src/mount/control.ts';
import type { MountStatus, SyncReport } from '../../src/mount/MountHandle.ts';
import { fuseAvailable } from '../../src/mount/draft/fuseBinding.ts';
import { GroveClient } from '../../src/sdk/GroveClient.ts';
import { uniqueName, useApiServer } from '../api/support/apiServer.ts';
import { expectFsckClean, git, gitOut } from '../support/git.ts';
import { gitEnv } from '../support/gitEnv.ts';
import { useTempDir } from '../support/tempDir.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const fuse = fuseAvailable();
const required = process.env['GROVE_REQUIRE_FUSE'] === '1';
const suite = fuse.ok || required ? describe : describe.skip;
if (!fuse.ok && !required) process.stderr.write(`draftMount.test.ts skipped: ${fuse.reason}\n`);

const MiB = 1024 * 1024;

function blobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** Runs a bash script asynchronously; its stdout, or a failure with its output. */
function sh(script: string, cwd: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd, env: { ...gitEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`bash exited ${code}: ${script}\n${out}${err}`))));
  });
}

interface Seen {
  kind: 'file' | 'dir' | 'symlink';
  mode: string;
  sha: string | null;
}

/** The mount's tree as Git would hold it (no `.git` folders), read asynchronously. */
async function treeOf(dir: string, prefix = ''): Promise<Map<string, Seen>> {
  const out = new Map<string, Seen>();
  for (const name of (await readdir(join(dir, prefix))).sort()) {
    if (name === '.git') continue;
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const stats = await lstat(join(dir, path));
    if (stats.isDirectory()) {
      out.set(path, { kind: 'dir', mode: '40000', sha: null });
      for (const [p, s] of await treeOf(dir, path)) out.set(p, s);
    } else if (stats.isSymbolicLink()) {
      out.set(path, { kind: 'symlink', mode: '120000', sha: blobId(Buffer.from(await readlink(join(dir, path)))) });
    } else {
      out.set(path, { kind: 'file', mode: (stats.mode & 0o100) !== 0 ? '100755' : '100644', sha: blobId(await readFile(join(dir, path))) });
    }
  }
  return out;
}

interface MountProcess {
  child: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  output(): string;
}

/** A TCP proxy to the server that can be cut (connections dropped) and mended: a real network failure. */
async function startProxy(target: string): Promise<{ url: string; cut(down: boolean): void; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  let down = false;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(port), hostname);
    open.add(client);
    open.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut(value) {
      down = value;
      if (value) for (const socket of open) socket.destroy();
    },
    close: () => {
      for (const socket of open) socket.destroy();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

suite('grove mount --draft', () => {
  const server = useApiServer();
  const work = useTempDir('grove-draft-mount-');
  const sockets = join(work, 'sockets');
  const home = join(work, 'home');
  const started: MountProcess[] = [];
  const mountDirs = new Set<string>();

  afterAll(async () => {
    for (const m of started) {
      if (m.child.exitCode === null && m.child.signalCode === null) {
        m.child.kill('SIGTERM');
        const timer = setTimeout(() => m.child.kill('SIGKILL'), 20_000);
        await m.exited;
        clearTimeout(timer);
      }
    }
    for (const dir of mountDirs) if (await isMounted(dir)) await sh(`fusermount -uz '${dir}' || true`, work);
  }, 60_000);

  function mount(args: { draft: string; ns: string; name: string; dir: string; cache: string; token: string; url: string }): Promise<MountProcess> {
    mountDirs.add(args.dir);
    const argv = [join(ROOT, 'bin/grove.js'), 'mount', '--draft', args.draft, `${args.ns}/${args.name}`, args.dir, '--url', args.url, '--cache', args.cache, '--sync-interval', '0'];
    const child = spawn(process.execPath, argv, {
      env: { ...process.env, GROVE_TOKEN: args.token, GROVE_MOUNT_SOCKETS: sockets, GROVE_MOUNT_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    return new Promise((done, fail) => {
      let stdout = '';
      child.stdout!.on('data', (c: Buffer) => {
        stdout += c.toString();
        output += c.toString();
        if (/^mounted /m.test(stdout)) {
          const m = { child, pid: child.pid!, exited, output: () => output };
          started.push(m);
          done(m);
        }
      });
      void exited.then((code) => fail(new Error(`the mount process exited ${code} before mounting:\n${output}`)));
    });
  }

  async function control<T>(dir: string, method: 'GET' | 'POST', route: string): Promise<T> {
    const previous = process.env['GROVE_MOUNT_SOCKETS'];
    process.env['GROVE_MOUNT_SOCKETS'] = sockets;
    try {
      const answer = await callControl(dir, method, route);
      expect(answer, `${method} ${route} on ${dir}`).not.toBeNull();
      expect(answer!.status, JSON.stringify(answer!.body)).toBe(200);
      return answer!.body as T;
    } finally {
      if (previous === undefined) delete process.env['GROVE_MOUNT_SOCKETS'];
      else process.env['GROVE_MOUNT_SOCKETS'] = previous;
    }
  }

  it('runs the B5 operations on a mounted draft, syncs them by blob id, survives SIGKILL, merges a REST write, unmounts cleanly, and applies', async () => {
    // A repository pushed with git: nested folders, an executable, a symlink, binary bytes, an empty file.
    const ns = uniqueName('mnt');
    const name = uniqueName('repo');
    const repo = await server().createRepo(ns, { name });
    const src = join(work, 'src');
    mkdirSync(join(src, 'lib/deep/er'), { recursive: true });
    mkdirSync(join(src, 'docs'), { recursive: true });
    writeFileSync(join(src, 'README.md'), '# hello\n');
    writeFileSync(join(src, 'lib/index.ts'), 'export const x = 1;\n');
    writeFileSync(join(src, 'lib/deep/er/leaf.txt'), 'leaf\n'.repeat(1000));
    writeFileSync(join(src, 'docs/guide.md'), 'guide\n');
    writeFileSync(join(src, 'data.bin'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) & 255)));
    writeFileSync(join(src, 'empty'), '');
    writeFileSync(join(src, 'run.sh'), '#!/bin/sh\necho run\n');
    chmodSync(join(src, 'run.sh'), 0o755);
    symlinkSync('README.md', join(src, 'readme-link'));
    await git(['init', '--quiet', '--initial-branch=main', src]);
    await git(['add', '-A'], { cwd: src });
    await git(['commit', '--quiet', '-m', 'first'], { cwd: src });
    await git(['push', '--quiet', repo.remote, 'main'], { cwd: src, token: repo.token });
    const drafts = new GroveClient({ url: server().url, token: repo.token }).repo(ns, name).drafts;
    const draft = await drafts.create();
    const serverTree = async (): Promise<Map<string, Seen>> => {
      const out = new Map<string, Seen>();
      for await (const e of drafts.iterateLs(draft.id, '', { recursive: true, limit: 1000 })) {
        out.set(e.path, { kind: e.kind as Seen['kind'], mode: e.mode, sha: e.sha });
      }
      return out;
    };
    /** Every file's bytes through REST, against the mount's. */
    const expectSameBytes = async (dir: string, tree: Map<string, Seen>): Promise<void> => {
      for (const [path, seen] of tree) {
        if (seen.kind !== 'file') continue;
        const bytes = await drafts.readFile(draft.id, path);
        expect(blobId(bytes), path).toBe(seen.sha);
        expect(blobId(await readFile(join(dir, path))), path).toBe(seen.sha);
      }
    };

    const dir = join(work, 'mnt');
    const cache = join(work, 'cache');
    const proxy = await startProxy(server().url);
    const args = { draft: draft.id, ns, name, dir, cache, token: repo.token, url: proxy.url };
    let m = await mount(args);
    expect(await isMounted(dir)).toBe(true);

    // A folder from the server renamed before anything in it was listed (its subfolders come along).
    await sh('mv lib library', dir);
    await expect(lstat(join(dir, 'lib'))).rejects.toMatchObject({ code: 'ENOENT' });
    // Then the mount shows the pushed commit, bytes and modes.
    const pushed = (await gitOut(['ls-tree', '-r', '--format=%(objectmode) %(objectname) %(path)', 'HEAD'], { cwd: src }))
      .split('\n').map((line) => line.replace(' lib/', ' library/'));
    const first = await treeOf(dir);
    expect([...first].filter(([, s]) => s.kind !== 'dir').map(([p, s]) => `${s.mode} ${s.sha} ${p}`).sort()).toEqual(pushed.sort());
    expect((await sh('./run.sh', dir)).trim()).toBe('run');

    // B5: 1,000 tiny files created, stated, removed; then created again to keep.
    await sh('mkdir tiny && cd tiny && for i in $(seq 1000); do echo $i > f$i; done && for i in $(seq 1000); do stat -c %s f$i >/dev/null; done && rm f*', dir);
    expect(await readdir(join(dir, 'tiny'))).toEqual([]);
    await sh('cd tiny && for i in $(seq 1000); do echo $i > f$i; done', dir);
    expect((await sh('cat tiny/f1 tiny/f1000', dir)).split('\n')).toEqual(['1', '1000', '']);
    // mkdir -p 10×10, 10 files in each, and find.
    await sh('for a in $(seq 10); do for b in $(seq 10); do mkdir -p tree/$a/$b; touch tree/$a/$b/{1..10}; done; done', dir);
    expect((await sh('find tree -type f | wc -l', dir)).trim()).toBe('1000');
    expect((await sh('find tree -type d | wc -l', dir)).trim()).toBe('111');
    // 64 MiB written, read, copied, overwritten in part.
    await sh('dd if=/dev/urandom of=big bs=1M count=64 status=none && cat big >/dev/null && cp big big2 && dd if=/dev/zero of=big bs=1M count=8 seek=4 conv=notrunc status=none', dir);
    expect((await lstat(join(dir, 'big'))).size).toBe(64 * MiB);
    expect((await sh('cmp -s big big2 && echo same || echo differ', dir)).trim()).toBe('differ');
    expect((await sh('dd if=big bs=1M skip=4 count=8 status=none | tr -d "\\0" | wc -c', dir)).trim()).toBe('0');
    // git init and a commit of 100 files, in a subfolder of the mount.
    await sh('mkdir -p work/repo && cd work/repo && git init -q && for i in $(seq 100); do echo "file $i" > f$i.txt; done && git add -A && git commit -qm hundred', dir);
    expect(await gitOut(['rev-list', '--count', 'HEAD'], { cwd: join(dir, 'work/repo') })).toBe('1');
    await expectFsckClean(join(dir, 'work/repo'));
    // A symlink, chmod +x.
    await sh('ln -s library/index.ts index-link && chmod +x docs/guide.md', dir);
    expect(await readFile(join(dir, 'index-link'), 'utf8')).toBe('export const x = 1;\n');
    // Hard links: Git has none.
    await expect(sh('ln README.md hard', dir)).rejects.toThrow();
    // A name that is not UTF-8 is refused rather than made under another name.
    await expect(sh("touch $'caf\\xe9.txt'", dir)).rejects.toThrow(/multibyte/);
    await expect(sh("mkdir $'d\\xff'", dir)).rejects.toThrow(/multibyte/);

    // Sync, then REST shows exactly the mount (bytes and modes), and the nested .git stayed local.
    const status1 = await control<MountStatus>(dir, 'GET', '/status');
    expect(status1.kind).toBe('draft');
    expect(status1.dirty).toBeGreaterThan(0);
    const report = await control<SyncReport>(dir, 'POST', '/sync');
    expect(report.written).toBeGreaterThan(2100);
    // Each new 64 MiB file was hashed and sent once, whole: two blobs of 64 MiB, plus the small ones.
    expect(report.uploadedBytes).toBeGreaterThanOrEqual(128 * MiB);
    expect(report.uploadedBytes).toBeLessThan(129 * MiB);
    expect((await control<MountStatus>(dir, 'GET', '/status')).dirty).toBe(0);
    let local = await treeOf(dir);
    expect(await serverTree()).toEqual(local);
    expect([...local.keys()].some((p) => p.split('/').includes('.git'))).toBe(false);
    expect(local.get('docs/guide.md')?.mode).toBe('100755');
    expect(local.get('index-link')).toMatchObject({ kind: 'symlink', mode: '120000' });
    expect(local.has('work/repo/f100.txt')).toBe(true);
    await expectSameBytes(dir, local);
    // A second sync has nothing to send.
    expect(await control<SyncReport>(dir, 'POST', '/sync')).toEqual({ written: 0, removed: 0, uploaded: 0, uploadedBytes: 0 });

    // The network fails: the sync fails, says so in the status, keeps the change, and is retried until it goes through.
    proxy.cut(true);
    await writeFile(join(dir, 'while-down.txt'), 'kept until the server has it\n');
    const previousSockets = process.env['GROVE_MOUNT_SOCKETS'];
    process.env['GROVE_MOUNT_SOCKETS'] = sockets;
    const failed = await callControl(dir, 'POST', '/sync');
    if (previousSockets === undefined) delete process.env['GROVE_MOUNT_SOCKETS'];
    else process.env['GROVE_MOUNT_SOCKETS'] = previousSockets;
    expect(failed?.status).toBe(500);
    const down = await control<MountStatus>(dir, 'GET', '/status');
    expect(down.dirty).toBeGreaterThan(0);
    expect(down.errors.map((e) => e.message).join('\n')).toContain('sync failed');
    proxy.cut(false);
    for (let i = 0; i < 600 && (await control<MountStatus>(dir, 'GET', '/status')).dirty > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await control<MountStatus>(dir, 'GET', '/status')).dirty).toBe(0);
    expect(new TextDecoder().decode(await drafts.readFile(draft.id, 'while-down.txt'))).toBe('kept until the server has it\n');

    // Changes, then the mount process is killed: nothing it acknowledged is lost.
    await sh('echo after > after.txt && rm -r tree/1 && echo changed > tiny/f1 && mkdir emptydir && mv big2 big3 && chmod -x run.sh', dir);
    process.kill(m.pid, 'SIGKILL');
    await m.exited;
    await expect(sh(`ls '${dir}'`, work)).rejects.toThrow(); // the kernel's mount is left, dead
    m = await mount(args);
    expect(await readFile(join(dir, 'after.txt'), 'utf8')).toBe('after\n');
    expect(await readFile(join(dir, 'tiny/f1'), 'utf8')).toBe('changed\n');
    expect((await control<MountStatus>(dir, 'GET', '/status')).dirty).toBeGreaterThan(0);
    const resumed = await control<SyncReport>(dir, 'POST', '/sync');
    expect(resumed.removed).toBeGreaterThan(0);
    expect(resumed.uploadedBytes).toBeLessThan(MiB); // big3 is big2's blob, renamed: nothing to upload
    // 100 bytes changed in the middle of a 64 MiB file: only the chunks around them travel.
    await sh('head -c 100 /dev/urandom | dd of=big3 bs=1 seek=33554432 conv=notrunc status=none', dir);
    const edited = await control<SyncReport>(dir, 'POST', '/sync');
    expect(edited).toMatchObject({ written: 1, uploaded: 1 });
    expect(edited.uploadedBytes).toBeLessThanOrEqual(8 * MiB);
    local = await treeOf(dir);
    expect(await serverTree()).toEqual(local);
    expect(local.get('emptydir')).toEqual({ kind: 'dir', mode: '40000', sha: null });
    expect(local.has('tree/1')).toBe(false);
    expect(local.get('run.sh')?.mode).toBe('100644');

    // A write through REST while mounted: the next sync finds it, shows it in the mount, and says so.
    await drafts.writeFile(draft.id, 'from-rest.txt', 'written through REST\n');
    await drafts.writeFile(draft.id, 'after.txt', 'REST wins here: the mount did not change it\n');
    await writeFile(join(dir, 'tiny/f2'), 'the mount wins here\n');
    await drafts.writeFile(draft.id, 'tiny/f2', 'REST loses here\n');
    await control<SyncReport>(dir, 'POST', '/sync');
    const status2 = await control<MountStatus>(dir, 'GET', '/status');
    const notice = status2.errors.map((e) => e.message).join('\n');
    expect(notice).toContain('the draft changed on the server');
    expect(notice).toContain('tiny/f2');
    // after.txt was read above (its pages are in the kernel's cache): the merge went through the kernel.
    expect(await readFile(join(dir, 'from-rest.txt'), 'utf8')).toBe('written through REST\n');
    expect(await readFile(join(dir, 'after.txt'), 'utf8')).toBe('REST wins here: the mount did not change it\n');
    expect(new TextDecoder().decode(await drafts.readFile(draft.id, 'tiny/f2'))).toBe('the mount wins here\n');
    local = await treeOf(dir);
    expect(await serverTree()).toEqual(local);
    // A file that came from the server and was never read, moved and synced: its bytes come from where it went.
    await drafts.writeFile(draft.id, 'rest-dir/only-in-the-draft.txt', 'its blob is the draft\'s alone\n');
    await control<SyncReport>(dir, 'POST', '/sync');
    await sh('mv rest-dir moved-dir', dir);
    await control<SyncReport>(dir, 'POST', '/sync');
    expect(await readFile(join(dir, 'moved-dir/only-in-the-draft.txt'), 'utf8')).toBe('its blob is the draft\'s alone\n');
    local = await treeOf(dir);
    expect(await serverTree()).toEqual(local);

    // A last change, then unmount: synced, no mount, no process, no socket.
    await writeFile(join(dir, 'last.txt'), 'last\n');
    local = await treeOf(dir);
    await control<unknown>(dir, 'POST', '/unmount');
    expect(await m.exited).toBe(0);
    expect(await isMounted(dir)).toBe(false);
    const previous = process.env['GROVE_MOUNT_SOCKETS'];
    process.env['GROVE_MOUNT_SOCKETS'] = sockets;
    expect(existsSync(controlSocketPath(dir))).toBe(false);
    if (previous === undefined) delete process.env['GROVE_MOUNT_SOCKETS'];
    else process.env['GROVE_MOUNT_SOCKETS'] = previous;
    expect(await serverTree()).toEqual(local);

    // Apply, clone with git, fsck, and the branch holds exactly the mount's files.
    await drafts.apply(draft.id, { message: 'from the mount' });
    const clone = join(work, 'clone');
    await git(['clone', '--quiet', repo.remote, clone], { token: repo.token });
    await expectFsckClean(clone);
    await git(['fsck', '--strict', '--no-dangling'], { cwd: clone });
    const cloned = (await gitOut(['ls-tree', '-r', '--format=%(objectmode) %(objectname) %(path)', 'HEAD'], { cwd: clone })).split('\n').sort();
    const files = [...local].filter(([, s]) => s.kind !== 'dir').map(([p, s]) => `${s.mode} ${s.sha} ${p}`).sort();
    expect(cloned).toEqual(files);
    await proxy.close();
  }, 600_000);
});
