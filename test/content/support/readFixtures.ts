/**
 * Repositories for the read-side content API tests, made with the real git
 * CLI and pushed to a Grove server, and small helpers to ask the server
 * for bytes and git for the same answers.
 *
 * `historyFixture` is a work tree whose history has what git's log rules
 * turn on: merges where the side branch changes a path and where it does
 * not, an "evil" merge different from both parents, a rename, a side
 * commit dated before its parent (date order is not topological order),
 * commits with equal dates (ties go to the first queued), time zones other
 * than UTC; and entries of every kind: executable, symlink, binary (PNG and
 * random), a gitlink, names with spaces and non-ASCII, a deep path; tags
 * lightweight, annotated and a tag of a tag.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { git, gitOut } from '../../support/git.ts';
import type { ApiServer } from '../../api/support/apiServer.ts';
import type { RepoWithTokenJson } from '../../api/support/shapes.ts';

export const T0 = 1_700_000_000;

/** A PNG signature and a few bytes: enough to be sniffed as image/png. */
export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);

export interface Fixture {
  dir: string;
  /** Named commits of the history. */
  commits: Record<string, string>;
}

function write(dir: string, path: string, content: string | Uint8Array): void {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

/** `git commit -a` of what is staged, at `time` (+ the zone), returning the new commit's id. */
async function commitAt(dir: string, message: string, time: number, zone = '+0000'): Promise<string> {
  const date = `${time} ${zone}`;
  await git(['add', '-A'], { cwd: dir });
  await git(['commit', '--quiet', '--allow-empty', '-m', message], { cwd: dir, env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
  return gitOut(['rev-parse', 'HEAD'], { cwd: dir });
}

async function mergeAt(dir: string, branch: string, time: number, resolve?: () => void): Promise<string> {
  const date = `${time} +0200`;
  const env = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  const merged = await git(['merge', '--no-ff', '--quiet', '-m', `Merge ${branch}`, branch], { cwd: dir, env, allowFailure: true });
  if (merged.code !== 0) {
    if (resolve === undefined) throw new Error(`merge of ${branch} failed: ${merged.stdout}${merged.stderr}`);
    resolve();
    await git(['add', '-A'], { cwd: dir });
    await git(['commit', '--quiet', '--no-edit'], { cwd: dir, env });
  }
  return gitOut(['rev-parse', 'HEAD'], { cwd: dir });
}

export async function historyFixture(dir: string): Promise<Fixture> {
  await git(['init', '--quiet', '--initial-branch=main', dir]);
  const c: Record<string, string> = {};
  write(dir, 'README.md', '# Fixture\n');
  write(dir, 'src/app.js', 'console.log(1);\n');
  write(dir, 'docs/guide.md', 'guide\n');
  write(dir, 'bin/run.sh', '#!/bin/sh\necho run\n');
  chmodSync(join(dir, 'bin/run.sh'), 0o755);
  write(dir, 'image.png', PNG);
  write(dir, 'data.bin', randomBytes(3000));
  write(dir, 'dir with space/naïve café.txt', 'unicode\n');
  write(dir, 'a/b/c/d.txt', 'deep 1\n');
  write(dir, 'config.json', '{"a": 1}\n');
  write(dir, 'page.html', '<script>alert(1)</script>\n');
  write(dir, 'pic.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n');
  symlinkSync('README.md', join(dir, 'link'));
  symlinkSync(`${'long/'.repeat(30)}target`, join(dir, 'long-link'));
  write(dir, `${'deep-name-'.repeat(12)}/${'x'.repeat(90)}.txt`, 'long path\n');
  write(dir, `long/${'y'.repeat(120)}.txt`, 'long name\n');
  await git(['add', '-A'], { cwd: dir });
  // A gitlink: an empty folder in the work tree is an uninitialized submodule, which `git add -A` keeps.
  mkdirSync(join(dir, 'vendor/sub'), { recursive: true });
  await git(['update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},vendor/sub`], { cwd: dir });
  c['c1'] = await commitAt(dir, 'first', T0, '-0700');

  write(dir, 'src/app.js', 'console.log(2);\n');
  c['c2'] = await commitAt(dir, 'second', T0 + 100, '+0530');

  await git(['checkout', '--quiet', '-b', 'feature'], { cwd: dir });
  write(dir, 'src/app.js', 'console.log("feature");\n');
  write(dir, 'src/feature.js', 'feature\n');
  c['f1'] = await commitAt(dir, 'feature 1', T0 + 200);
  write(dir, 'docs/guide.md', 'guide, by feature\n');
  c['f2'] = await commitAt(dir, 'feature 2', T0 + 400);

  await git(['checkout', '--quiet', 'main'], { cwd: dir });
  write(dir, 'README.md', '# Fixture\n\nMore.\n');
  c['c3'] = await commitAt(dir, 'third', T0 + 300);
  c['m1'] = await mergeAt(dir, 'feature', T0 + 500);
  await git(['tag', '-a', 'v1', '-m', 'version 1'], { cwd: dir, env: { GIT_COMMITTER_DATE: `${T0 + 501} +0000` } });

  // A side branch from c3 whose commit is dated before c3 (a skewed clock), changing no src/ file.
  await git(['checkout', '--quiet', '-b', 'side', c['c3']], { cwd: dir });
  write(dir, 'notes.txt', 'notes\n');
  c['s1'] = await commitAt(dir, 'side 1', T0 + 250);
  write(dir, 'notes.txt', 'notes 2\n');
  c['s2'] = await commitAt(dir, 'side 2', T0 + 650);

  await git(['checkout', '--quiet', 'main'], { cwd: dir });
  await git(['mv', 'docs/guide.md', 'docs/manual.md'], { cwd: dir });
  c['c4'] = await commitAt(dir, 'rename the guide', T0 + 600);
  await git(['tag', 'light'], { cwd: dir });
  c['m2'] = await mergeAt(dir, 'side', T0 + 700);
  write(dir, 'a/b/c/d.txt', 'deep 2\n');
  c['c5'] = await commitAt(dir, 'same date as the merge', T0 + 700);

  // An evil merge: both sides change a/b/c/d.txt, the merge keeps neither.
  await git(['checkout', '--quiet', '-b', 'evil'], { cwd: dir });
  write(dir, 'a/b/c/d.txt', 'deep, evil side\n');
  c['e1'] = await commitAt(dir, 'evil side', T0 + 800);
  await git(['checkout', '--quiet', 'main'], { cwd: dir });
  write(dir, 'a/b/c/d.txt', 'deep, main side\n');
  c['c6'] = await commitAt(dir, 'main side', T0 + 800);
  c['m3'] = await mergeAt(dir, 'evil', T0 + 900, () => write(dir, 'a/b/c/d.txt', 'deep, resolved\n'));

  // Commits of equal dates on two branches merged: ties in the queue.
  await git(['checkout', '--quiet', '-b', 'ties'], { cwd: dir });
  for (let i = 0; i < 3; i++) {
    write(dir, `ties/t${i}.txt`, `tie ${i}\n`);
    c[`t${i}`] = await commitAt(dir, `tie ${i}`, T0 + 1000);
  }
  await git(['checkout', '--quiet', 'main'], { cwd: dir });
  for (let i = 0; i < 3; i++) {
    write(dir, `main-ties/m${i}.txt`, `main tie ${i}\n`);
    c[`mt${i}`] = await commitAt(dir, `main tie ${i}`, T0 + 1000);
  }
  c['m4'] = await mergeAt(dir, 'ties', T0 + 1000);
  write(dir, 'README.md', '# Fixture\n\nMore.\n\nLast.\n');
  c['c7'] = await commitAt(dir, 'last\n\nWith a body.\n', T0 + 1100, '-0330');

  await git(['tag', '-a', 'inner', '-m', 'inner tag', c['c5']!], { cwd: dir });
  await git(['tag', '-a', 'outer', '-m', 'a tag of a tag', 'inner'], { cwd: dir });
  return { dir, commits: c };
}

/** Pushes every branch and tag of `dir` to `repo`. */
export async function pushAll(dir: string, repo: RepoWithTokenJson): Promise<void> {
  await git(['push', '--quiet', repo.remote, 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*'], { cwd: dir, token: repo.token });
}

/** The API path of a repository: `/v1/namespaces/<ns>/repos/<name>`. */
export function repoPath(repo: { namespace: string; name: string }): string {
  return `/v1/namespaces/${repo.namespace}/repos/${repo.name}`;
}

export interface BytesAnswer {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
}

/** A GET (or other method) read as bytes. */
export async function fetchBytes(server: ApiServer, path: string, options: { token?: string; headers?: Record<string, string>; method?: string } = {}): Promise<BytesAnswer> {
  const response = await fetch(`${server.url}${path}`, {
    method: options.method ?? 'GET',
    headers: { authorization: `Bearer ${options.token ?? server.admin}`, ...options.headers },
  });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** `git cat-file blob <rev>:<path>` (or a blob id) as bytes. */
export async function gitBlob(dir: string, spec: string): Promise<Uint8Array> {
  const { spawn } = await import('node:child_process');
  const { gitEnv } = await import('../../support/gitEnv.ts');
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', 'blob', spec], { cwd: dir, env: gitEnv() });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(new Uint8Array(Buffer.concat(out))) : reject(new Error(`git cat-file blob ${spec} exited ${code}`))));
  });
}

/** The commit JSON git's own output gives for `sha`. */
export async function gitCommitJson(dir: string, sha: string): Promise<unknown> {
  const format = ['%H', '%T', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI'].join('%x00');
  const [h, t, p, an, ae, ad, cn, ce, cd] = (await gitOut(['show', '-s', `--format=${format}`, sha], { cwd: dir })).split('\0') as string[];
  const raw = (await git(['cat-file', 'commit', sha], { cwd: dir })).stdout;
  const message = raw.slice(raw.indexOf('\n\n') + 2);
  return {
    sha: h, tree: t, parents: p === '' ? [] : p!.split(' '),
    author: { name: an, email: ae, date: ad }, committer: { name: cn, email: ce, date: cd }, message,
  };
}

/** Expect an answer to be 200 JSON and return its body. */
export function ok<T>(answer: { status: number; text: string; json: unknown }, context = ''): T {
  expect(answer.status, `${context}: ${answer.text.slice(0, 500)}`).toBe(200);
  return answer.json as T;
}
