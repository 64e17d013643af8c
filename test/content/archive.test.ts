/**
 * `GET …/archive/{ref}.tar.gz` and `.zip` against git's own archive of the
 * same commit: the gunzipped tar is byte for byte what
 * `git archive --format=tar --prefix=<repo>-<short>/ <ref>` writes (pax
 * headers for long names and symlink targets, modes, the gitlink folder),
 * and the real `tar` and `unzip` extract them to the same files, modes and
 * symlinks as git's archive; Python's zipfile checks the zip's CRCs. A
 * repository holding a 50 MiB file archives it too.
 */
import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { gitOut } from '../support/git.ts';
import { gitEnv } from '../support/gitEnv.ts';
import { BIG_FILE_PATH, BIG_FILE_SIZE, makeRepo } from '../support/makeRepo.ts';
import { useTempDir } from '../support/tempDir.ts';
import { uniqueName, useApiServer } from '../api/support/apiServer.ts';
import { expectError, type RepoWithTokenJson } from '../api/support/shapes.ts';
import { fetchBytes, gitBlob, historyFixture, pushAll, repoPath, type Fixture } from './support/readFixtures.ts';

const work = useTempDir('grove-content-archive-');
let dirs = 0;

/** Runs a command; its stdout as bytes (throws unless it exits 0). */
function run(command: string, args: string[], options: { cwd?: string; input?: Uint8Array; env?: Record<string, string> } = {}): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: gitEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.stdin.on('error', () => {});
    child.on('close', (code) => {
      if (code === 0) resolve(new Uint8Array(Buffer.concat(out)));
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString()}`));
    });
    child.stdin.end(options.input ?? new Uint8Array());
  });
}

/** Every path below `dir`: folders end in '/', then the kind and what tells two apart (mode, content, target). */
function snapshot(dir: string, base = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, base)).sort()) {
    const rel = `${base}${name}`;
    const full = join(dir, rel);
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) out.push(`${rel} link ${readlinkSync(full)}`);
    else if (stat.isDirectory()) out.push(`${rel}/`, ...snapshot(dir, `${rel}/`));
    else out.push(`${rel} file ${(stat.mode & 0o100) !== 0 ? 'x' : '-'} ${Buffer.from(readFileSync(full)).toString('base64').slice(0, 64)} ${stat.size}`);
  }
  return out;
}

async function extractGitArchive(dir: string, rev: string, prefix: string): Promise<string> {
  const out = join(work, `git-${++dirs}`);
  mkdirSync(out);
  const tar = await run('git', ['archive', '--format=tar', `--prefix=${prefix}/`, rev], { cwd: dir });
  await run('tar', ['-xf', '-', '-C', out], { input: tar });
  return out;
}

describe('archives of a hand-made history', () => {
  const server = useApiServer();
  let fixture: Fixture;
  let repo: RepoWithTokenJson;

  beforeAll(async () => {
    fixture = await historyFixture(join(work, 'history'));
    repo = await server().createRepo(uniqueName('archive'), { name: 'history' });
    await pushAll(fixture.dir, repo);
  });

  it('the tar.gz is git archive\'s tar, byte for byte, and extracts with tar as git\'s does', async () => {
    for (const rev of ['main', 'v1', 'outer', 'refs/heads/feature', 'c1']) {
      const ref = rev === 'c1' ? fixture.commits['c1']! : rev;
      const sha = await gitOut(['rev-parse', `${ref}^{commit}`], { cwd: fixture.dir });
      const prefix = `history-${sha.slice(0, 7)}`;
      const answer = await fetchBytes(server(), `${repoPath(repo)}/archive/${encodeURIComponent(ref)}.tar.gz`);
      expect(answer.status, ref).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/gzip');
      expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="${prefix}.tar.gz"`);
      const tar = new Uint8Array(gunzipSync(answer.bytes));
      const expected = await run('git', ['archive', '--format=tar', `--prefix=${prefix}/`, ref], { cwd: fixture.dir });
      expect(tar.length, ref).toBe(expected.length);
      expect(Buffer.compare(tar, expected), ref).toBe(0);

      const ours = join(work, `ours-${++dirs}`);
      mkdirSync(ours);
      const file = join(work, `archive-${dirs}.tar.gz`);
      writeFileSync(file, answer.bytes);
      await run('tar', ['-xzf', file, '-C', ours]);
      expect(snapshot(ours), ref).toEqual(snapshot(await extractGitArchive(fixture.dir, ref, prefix)));
    }
  });

  it('the zip passes zipfile\'s CRC check and unzips to what git archive holds: modes, symlinks, names', async () => {
    for (const ref of ['main', 'v1']) {
      const sha = await gitOut(['rev-parse', `${ref}^{commit}`], { cwd: fixture.dir });
      const prefix = `history-${sha.slice(0, 7)}`;
      const answer = await fetchBytes(server(), `${repoPath(repo)}/archive/${ref}.zip`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/zip');
      expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="${prefix}.zip"`);
      const file = join(work, `archive-${++dirs}.zip`);
      writeFileSync(file, answer.bytes);
      await run('python3', ['-m', 'zipfile', '-t', file]);
      const ours = join(work, `unzipped-${dirs}`);
      mkdirSync(ours);
      // (unzip writes UTF-8 names as such only in a UTF-8 locale.)
      await run('unzip', ['-q', file, '-d', ours], { env: { LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' } });
      expect(snapshot(ours), ref).toEqual(snapshot(await extractGitArchive(fixture.dir, ref, prefix)));
      // The commit id is the archive's comment, as git archive writes it.
      expect(new TextDecoder().decode(answer.bytes.subarray(answer.bytes.length - 40))).toBe(sha);
    }
  });

  it('HEAD answers the headers alone; an unknown ref is 404; other suffixes are 404', async () => {
    const head = await fetchBytes(server(), `${repoPath(repo)}/archive/main.zip`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/zip');
    expectError(await server().call('GET', `${repoPath(repo)}/archive/nope.tar.gz`), 'NOT_FOUND');
    expectError(await server().call('GET', `${repoPath(repo)}/archive/main.tar`), 'NOT_FOUND');
    expectError(await server().call('GET', `${repoPath(repo)}/archive/.zip`), 'BAD_REQUEST');
    // The repository is still usable (nothing held open by the unread HEAD body).
    expect((await fetchBytes(server(), `${repoPath(repo)}/archive/main.zip`)).status).toBe(200);
  });

  it('a download cancelled half way leaves the server serving', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server().url}${repoPath(repo)}/archive/main.tar.gz`, {
      headers: { authorization: `Bearer ${server().admin}` }, signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => undefined);
    expect((await fetchBytes(server(), `${repoPath(repo)}/archive/main.tar.gz`)).status).toBe(200);
  });
});

describe('a repository with a 50 MiB file', () => {
  const server = useApiServer();
  let dir: string;
  let repo: RepoWithTokenJson;

  beforeAll(async () => {
    dir = join(work, 'big.git');
    await makeRepo(dir, { commits: 160, bigFile: true });
    repo = await server().createRepo(uniqueName('archive'), { name: 'big' });
    await pushAll(dir, repo);
  });

  it('serves the file whole and in ranges', async () => {
    const expected = await gitBlob(dir, `main:${BIG_FILE_PATH}`);
    expect(expected.length).toBe(BIG_FILE_SIZE);
    const path = `${repoPath(repo)}/files/main/${BIG_FILE_PATH}`;
    const whole = await fetchBytes(server(), path);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe(String(BIG_FILE_SIZE));
    expect(Buffer.compare(whole.bytes, expected)).toBe(0);
    const part = await fetchBytes(server(), path, { headers: { range: `bytes=${BIG_FILE_SIZE - 1000}-` } });
    expect(part.status).toBe(206);
    expect(Buffer.compare(part.bytes, expected.subarray(BIG_FILE_SIZE - 1000))).toBe(0);
  });

  it('archives it as git archive does, tar and zip', async () => {
    const sha = await gitOut(['rev-parse', 'main'], { cwd: dir });
    const prefix = `big-${sha.slice(0, 7)}`;
    const tgz = await fetchBytes(server(), `${repoPath(repo)}/archive/main.tar.gz`);
    expect(tgz.status).toBe(200);
    const expected = await run('git', ['archive', '--format=tar', `--prefix=${prefix}/`, 'main'], { cwd: dir });
    expect(Buffer.compare(new Uint8Array(gunzipSync(tgz.bytes)), expected)).toBe(0);

    const zip = await fetchBytes(server(), `${repoPath(repo)}/archive/main.zip`);
    const file = join(work, `big-${++dirs}.zip`);
    writeFileSync(file, zip.bytes);
    await run('python3', ['-m', 'zipfile', '-t', file]);
    const listing = new TextDecoder().decode(await run('python3', ['-c', 'import sys, zipfile; [print(i.filename, i.file_size) for i in zipfile.ZipFile(sys.argv[1]).infolist()]', file]));
    expect(listing).toContain(`${prefix}/${BIG_FILE_PATH} ${BIG_FILE_SIZE}`);
  });
});
