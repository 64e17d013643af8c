/**
 * `exec` over a real draft: scripts change the draft as real bash changes a
 * git work tree (the trees are compared with `git write-tree`), and the run
 * keeps to its bounds: time, output, no network.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { GroveError } from '../errors.ts';
import type { FileEditor } from '../services/drafts/files.ts';
import { ScopedFiles } from '../services/drafts/ScopedFiles.ts';
import { toolPath } from '../services/drafts/toolPath.ts';
import { withDraft, type DraftContext } from '../../test/drafts/support/draftFixture.ts';
import { gitText } from '../../test/support/gitBytes.ts';
import { runExec } from './runExec.ts';

const dec = new TextDecoder();
const p = (path: string): string[] => toolPath(path);

const FILES = {
  'README.md': '# hello\n',
  'src/a.ts': 'export const a = 1;\n',
  'src/lib/b.ts': 'export const b = 2;\n// TODO: more\n',
  'src/lib/c.ts': 'export const c = 3;\n',
  'docs/old/intro.md': 'intro\n',
  'bin/run.sh': '#!/bin/sh\necho run\n',
};

async function text(files: FileEditor, path: string): Promise<string> {
  return dec.decode(await files.read(p(path)));
}

async function checkpointTree(ctx: DraftContext): Promise<string> {
  const { revision } = await ctx.drafts.checkpoint(ctx.repo, ctx.draft.id, { message: 'exec' });
  return (await ctx.repo.objects.readCommits([revision.sha])).get(revision.sha)!.tree;
}

/** Runs `script` with the real bash in `dir`; returns the tree git makes of it then. */
function bashThenGitTree(dir: string, script: string): string {
  const run = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  gitText(['add', '-A'], { cwd: dir });
  return gitText(['write-tree'], { cwd: dir });
}

describe('runExec', () => {
  it('changes the draft as real bash changes a work tree (sed -i, mkdir -p, mv, rm -r, cp, chmod +x, ln -s, >, >>)', async () => {
    const script = [
      'sed -i "s/a = 1/a = 42/" src/a.ts',
      'mkdir -p out/deep/er && echo made > out/deep/er/made.txt',
      'echo first > log.txt && echo second >> log.txt',
      'mv docs/old docs/new',
      'rm -r src/lib',
      'cp README.md docs/README.copy.md',
      'chmod +x bin/run.sh',
      'ln -s ../README.md docs/readme-link',
      'grep -rl export src | sort > exports.txt',
      'echo scratch > /tmp/not-in-the-draft',
    ].join('\n');
    await withDraft(FILES, async (files, ctx) => {
      const run = await runExec(files, { command: script });
      expect(run).toEqual({ stdout: '', stderr: '', exit_code: 0, timed_out: false, truncated: false });
      expect(await text(files, 'src/a.ts')).toBe('export const a = 42;\n');
      expect(await text(files, 'log.txt')).toBe('first\nsecond\n');
      expect(await files.stat(p('bin/run.sh'))).toMatchObject({ mode: 0o100755 });
      expect(await files.stat(p('docs/readme-link'))).toMatchObject({ kind: 'symlink', mode: 0o120000 });
      expect(await checkpointTree(ctx)).toBe(bashThenGitTree(ctx.workTree, script.replace('/tmp/not-in-the-draft', '/dev/null')));
    });
  });

  it('reads the draft: ls, cat, pipes, grep -r, find, the shell\'s own folders', async () => {
    await withDraft(FILES, async (files) => {
      expect((await runExec(files, { command: 'ls' })).stdout).toBe('README.md\nbin\ndocs\nsrc\n');
      expect((await runExec(files, { command: 'cat README.md src/a.ts' })).stdout).toBe(FILES['README.md'] + FILES['src/a.ts']);
      expect((await runExec(files, { command: 'cat src/lib/*.ts | grep -c export' })).stdout).toBe('2\n');
      expect((await runExec(files, { command: 'grep -rn TODO .' })).stdout).toBe('src/lib/b.ts:2:// TODO: more\n');
      expect((await runExec(files, { command: 'find src -name "*.ts" | sort' })).stdout).toBe('src/a.ts\nsrc/lib/b.ts\nsrc/lib/c.ts\n');
      expect((await runExec(files, { command: 'pwd; ls /; echo $HOME' })).stdout).toBe('/workspace\nbin\ndev\nhome\ntmp\nusr\nworkspace\n/home/user\n');
      expect((await runExec(files, { command: 'cat <<EOF > /tmp/t\n  indented\nEOF\ncat /tmp/t' })).stdout).toBe('  indented\n');
    });
  });

  it('reports exit codes and stderr; a failing command leaves what ran before it, as a shell does', async () => {
    await withDraft(FILES, async (files) => {
      expect(await runExec(files, { command: 'echo out; echo err >&2; exit 3' })).toEqual({ stdout: 'out\n', stderr: 'err\n', exit_code: 3, timed_out: false, truncated: false });
      expect(await runExec(files, { command: 'cat nope' })).toMatchObject({ stderr: 'cat: nope: No such file or directory\n', exit_code: 1 });
      const failed = await runExec(files, { command: 'set -e\necho one > one.txt\nfalse\necho two > two.txt' });
      expect(failed.exit_code).toBe(1);
      expect(await text(files, 'one.txt')).toBe('one\n');
      expect(await files.stat(p('two.txt'))).toBeNull();
      expect((await runExec(files, { command: 'ln src/a.ts hard' })).stderr).toContain('Git has no hard links');
      expect((await runExec(files, { command: 'echo x > .git/config' })).exit_code).toBe(1);
    });
  });

  it('starts in cwd, a draft path (or a path under /workspace), and passes env', async () => {
    await withDraft(FILES, async (files) => {
      expect((await runExec(files, { command: 'pwd; ls', cwd: 'src' })).stdout).toBe('/workspace/src\na.ts\nlib\n');
      expect((await runExec(files, { command: 'pwd', cwd: '/src/lib' })).stdout).toBe('/workspace/src/lib\n');
      expect((await runExec(files, { command: 'pwd', cwd: '/workspace/src' })).stdout).toBe('/workspace/src\n');
      expect((await runExec(files, { command: 'echo "$GREETING $NAME"', env: { GREETING: 'hi', NAME: 'there' } })).stdout).toBe('hi there\n');
      await expect(runExec(files, { command: 'pwd', cwd: 'nope' })).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(runExec(files, { command: 'pwd', cwd: 'README.md' })).rejects.toMatchObject({ code: 'ENOTDIR' });
      await expect(runExec(files, { command: 'pwd', cwd: '../x' })).rejects.toMatchObject({ code: 'EINVAL' });
      await expect(runExec(files, { command: 'env', env: { 'NOT A NAME': 'x' } })).rejects.toMatchObject({ code: 'EINVAL' });
      await expect(runExec(files, { command: 'true', timeoutMs: 300_001 })).rejects.toMatchObject({ code: 'EINVAL' });
      await expect(runExec(files, { command: 'true', maxOutputBytes: 0 })).rejects.toMatchObject({ code: 'EINVAL' });
    });
  });

  it('stops an endless loop at the timeout (timed_out, exit code 124), keeping what was written before', async () => {
    await withDraft(FILES, async (files) => {
      expect(await runExec(files, { command: 'while true; do :; done', timeoutMs: 300 })).toMatchObject({ exit_code: 124, timed_out: true });
      const slept = await runExec(files, { command: 'echo before > before.txt; sleep 60; echo after > after.txt', timeoutMs: 200 });
      expect(slept).toMatchObject({ exit_code: 124, timed_out: true });
      expect(await text(files, 'before.txt')).toBe('before\n');
      expect(await files.stat(p('after.txt'))).toBeNull();
      // timeout(1) inside the script is the script's own business.
      expect(await runExec(files, { command: 'timeout 0.05 sleep 60; echo "rc=$?"' })).toMatchObject({ stdout: 'rc=124\n', exit_code: 0, timed_out: false });
    });
  });

  it('bounds recursion, and stops when asked to', async () => {
    await withDraft(FILES, async (files) => {
      const deep = await runExec(files, { command: 'f() { f; }; f' });
      expect(deep.exit_code).not.toBe(0);
      expect(deep.stderr).toMatch(/recursion depth/);
      const controller = new AbortController();
      controller.abort();
      expect(await runExec(files, { command: 'sleep 60', signal: controller.signal })).toMatchObject({ exit_code: 124, timed_out: false });
    });
  });

  it('caps stdout and stderr at maxOutputBytes each (truncated)', async () => {
    await withDraft(FILES, async (files) => {
      const run = await runExec(files, { command: 'seq 1 100000; seq 1 100000 >&2', maxOutputBytes: 1000 });
      expect(run.truncated).toBe(true);
      expect(run.exit_code).toBe(0);
      expect(run.stdout.length).toBe(1000);
      expect(run.stdout.startsWith('1\n2\n3\n')).toBe(true);
      expect(run.stderr.length).toBe(1000);
      const whole = await runExec(files, { command: 'seq 1 3', maxOutputBytes: 6 });
      expect(whole).toMatchObject({ stdout: '1\n2\n3\n', truncated: false });
    });
  });

  it('has no network and runs no real programs', async () => {
    await withDraft(FILES, async (files) => {
      for (const command of ['curl -s https://example.com', 'wget https://example.com', 'python3 -c 1', 'node -e 1', 'git status', 'sqlite3 :memory: "select 1"']) {
        const run = await runExec(files, { command });
        expect(run.exit_code, command).toBe(127);
        expect(run.stderr, command).toMatch(/command not (found|available)/); // just-bash names the ones its portable build lacks
      }
    });
  });

  it('shows a scoped token\'s refusal as a failed command, and changes nothing outside its scope', async () => {
    await withDraft(FILES, async (files) => {
      const scoped = new ScopedFiles(files, { read: ['**'], write: ['src/**'] });
      const run = await runExec(scoped, { command: 'echo ok > src/new.ts; sed -i s/hello/bye/ README.md; echo "sed=$?"; rm README.md' });
      expect(run.stdout).toBe('sed=1\n'); // just-bash's sed says 'No such file' for any failure
      expect(run.stderr).toMatch(/^rm: cannot remove 'README.md': EACCES: permission denied, rm '\/workspace\/README.md' \(.+\)$/m);
      expect(run.exit_code).toBe(1);
      expect(await text(files, 'src/new.ts')).toBe('ok\n');
      expect(await text(files, 'README.md')).toBe(FILES['README.md']);
      const redirect = await runExec(scoped, { command: 'echo no > README.md' });
      expect(redirect.exit_code).toBe(1);
      expect(redirect.stderr).toMatch(/^bash: EACCES: permission denied, open '\/workspace\/README.md'/);
    });
  });

  it('throws what is no file-system error once the script has stopped', async () => {
    await withDraft(FILES, async (files) => {
      const broken: FileEditor = {
        writable: true,
        stat: (path) => files.stat(path),
        list: (path) => files.list(path),
        read: async () => {
          throw new GroveError('INTERNAL', 'the store is down');
        },
        write: (path, data, options) => files.write(path, data, options),
        link: (path, sha, options) => files.link(path, sha, options),
        mkdir: (path, options) => files.mkdir(path, options),
        remove: (path, options) => files.remove(path, options),
        move: (from, to) => files.move(from, to),
      };
      await expect(runExec(broken, { command: 'echo kept > kept.txt; cat README.md' })).rejects.toMatchObject({ code: 'INTERNAL' });
      expect(await text(files, 'kept.txt')).toBe('kept\n');
    });
  });
});
