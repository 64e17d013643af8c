/**
 * A client repository as `git clone` would have left it some time ago: every
 * branch (as refs/remotes/origin/*) and tag of the corpus, except that the
 * default branch is `behind` commits back — with exactly the objects those refs
 * reach, no more (a pack made by `git pack-objects --revs` from the corpus, so
 * `git fetch` really has to download what is new). Bare; copied per round.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync } from 'node:fs';
import { benchGitEnv } from '../benchEnv.ts';
import type { Corpus } from '../corpus/ensureCorpus.ts';
import { runGit } from '../gitCli.ts';

export async function makeClientTemplate(corpus: Corpus, behind: number, dir: string): Promise<void> {
  await runGit(['init', '--quiet', '--bare', dir]);
  const headTip = (await runGit(['rev-parse', `${corpus.head}~${behind}`], { cwd: corpus.gitDir })).stdout.trim();
  const updates: string[] = [];
  const tips: string[] = [];
  for (const ref of corpus.refs) {
    if (ref.name.startsWith('refs/heads/')) {
      const oid = ref.name === corpus.head ? headTip : ref.oid;
      updates.push(`create refs/remotes/origin/${ref.name.slice('refs/heads/'.length)} ${oid}`);
      if (ref.name === corpus.head) updates.push(`create ${ref.name} ${oid}`);
      tips.push(oid);
    } else if (ref.name.startsWith('refs/tags/')) {
      updates.push(`create ${ref.name} ${ref.oid}`);
      tips.push(ref.oid);
    }
  }
  await pipeGit(['pack-objects', '--revs', '--stdout', '-q'], corpus.gitDir, `${tips.join('\n')}\n`, ['index-pack', '--stdin'], dir);
  await runGit(['update-ref', '--stdin'], { cwd: dir, input: `${updates.join('\n')}\n` });
  await runGit(['symbolic-ref', 'HEAD', corpus.head], { cwd: dir });
  await runGit(['config', 'remote.origin.url', 'http://127.0.0.1:9/unset.git'], { cwd: dir });
  await runGit(['config', 'remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*'], { cwd: dir });
}

/** A fresh copy of a template, its origin pointing at `url`. */
export async function copyClient(template: string, dir: string, url: string): Promise<void> {
  cpSync(template, dir, { recursive: true });
  await runGit(['config', 'remote.origin.url', url], { cwd: dir });
}

/** `git <first>` in firstDir, its stdout piped into `git <second>` in secondDir. */
function pipeGit(first: string[], firstDir: string, input: string, second: string[], secondDir: string): Promise<void> {
  const env = benchGitEnv();
  const producer = spawn('git', first, { cwd: firstDir, env, stdio: ['pipe', 'pipe', 'inherit'] });
  const consumer = spawn('git', second, { cwd: secondDir, env, stdio: ['pipe', 'ignore', 'inherit'] });
  producer.stdout.pipe(consumer.stdin);
  producer.stdin.end(input);
  const done = (child: ChildProcess, what: string) =>
    new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git ${what} exited ${code}`))));
    });
  return Promise.all([done(producer, first.join(' ')), done(consumer, second.join(' '))]).then(() => undefined);
}
