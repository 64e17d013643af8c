/**
 * `grep` on a real draft, compared line for line with what `git grep -n`
 * prints for the same pattern, options and pathspecs in the work tree the
 * draft was made from.
 */
import { describe, expect, it } from 'vitest';
import { gitRun } from '../../../../test/support/gitBytes.ts';
import { withDraft } from '../../../../test/drafts/support/draftFixture.ts';
import { grepTool, type GrepArgs, type GrepToolResult } from './grepTool.ts';

const lines = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => `${f(i + 1)}\n`).join('');

const FILES: Record<string, string | Uint8Array> = {
  'README.md': 'Foo and bar\nnothing here\nfoo again\n',
  'src/app.ts': lines(30, (i) => (i % 7 === 0 ? `const foo${i} = ${i};` : `// line ${i}`)),
  'src/lib/baz.ts': 'bazaar\r\nfood court\r\nFOOTER\r\n',
  'src/lib/close.txt': 'foo\nx\nfoo\nx\nx\nx\nx\nx\nfoo\n',
  'docs/notes.md': 'no match\n',
  'bin/tool.bin': new Uint8Array([0x66, 0x6f, 0x6f, 0, 1, 2]),
  'a-b.txt': 'foo in a dashed name\n',
};

interface Line {
  path: string;
  line: number;
  text: string;
  match: boolean;
}

function gitGrep(workTree: string, args: string[], pattern: string, pathspecs: string[] = []): Line[] {
  const result = gitRun(['grep', '-n', '--no-color', '-I', ...args, '-e', pattern, '--', ...pathspecs], { cwd: workTree });
  if (result.status > 1) throw new Error(result.stderr);
  const out: Line[] = [];
  for (const text of new TextDecoder().decode(result.stdout).split('\n')) {
    if (text === '' || text === '--') continue;
    const m = /^(.+?)([:-])(\d+)\2([\s\S]*)$/.exec(text);
    if (m === null) throw new Error(`cannot parse: ${text}`);
    out.push({ path: m[1]!, line: Number(m[3]), text: m[4]!, match: m[2] === ':' });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
}

/** The lines the tool returned, laid out as git prints them. */
function laidOut(result: GrepToolResult): Line[] {
  const out: Line[] = [];
  for (const m of result.matches) {
    (m.before ?? []).forEach((text, i, all) => out.push({ path: m.path, line: m.line - all.length + i, text, match: false }));
    out.push({ path: m.path, line: m.line, text: m.text, match: true });
    (m.after ?? []).forEach((text, i) => out.push({ path: m.path, line: m.line + 1 + i, text, match: false }));
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
}

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code: string; details?: Record<string, unknown> };
    return { code: e.code, ...e.details };
  }
  throw new Error('expected a failure');
}

describe('grep', () => {
  const cases: { name: string; args: GrepArgs; git: string[]; pathspecs?: string[] }[] = [
    { name: 'a literal string', args: { pattern: 'foo' }, git: ['-F'] },
    { name: 'a literal with regex characters', args: { pattern: 'foo.*' }, git: ['-F'] },
    { name: 'ignoring case', args: { pattern: 'foo', ignore_case: true }, git: ['-F', '-i'] },
    { name: 'a regex', args: { pattern: '^const foo[0-9]+ = (7|21);$', regex: true }, git: ['-E'] },
    { name: 'a regex with classes and boundaries', args: { pattern: '\\bfoo\\w*', regex: true, ignore_case: true }, git: ['-E', '-i'] },
    { name: 'two patterns in one', args: { pattern: 'bazaar\nnothing', regex: false }, git: ['-F'] },
    { name: 'context lines', args: { pattern: 'foo', context: 2 }, git: ['-F', '-C', '2'] },
    { name: 'context merging between close matches', args: { pattern: 'foo', context: 3, path: 'src/lib' }, git: ['-F', '-C', '3'], pathspecs: ['src/lib'] },
    { name: 'include globs', args: { pattern: 'foo', include: ['**/*.ts', '*.md'] }, git: ['-F'], pathspecs: [':(glob)**/*.ts', ':(glob)*.md'] },
    { name: 'exclude globs', args: { pattern: 'foo', exclude: ['src/**'] }, git: ['-F'], pathspecs: [':(glob,exclude)src/**'] },
  ];

  it.each(cases)('finds the lines git grep finds: $name', async ({ args, git, pathspecs }) => {
    await withDraft(FILES, async (files, ctx) => {
      const result = await grepTool(files, args);
      expect(laidOut(result)).toEqual(gitGrep(ctx.workTree, git, args.pattern, pathspecs));
      expect(result.truncated).toBe(false);
      expect(result.files_with_matches).toBe(new Set(result.matches.map((m) => m.path)).size);
    });
  });

  it('reports matches in walk order with their counts, and a binary file that matches as skipped', async () => {
    await withDraft(FILES, async (files) => {
      const result = await grepTool(files, { pattern: 'foo', ignore_case: true });
      expect(result.matches.map((m) => `${m.path}:${m.line}`)).toEqual([
        'README.md:1', 'README.md:3', 'a-b.txt:1', 'src/app.ts:7', 'src/app.ts:14', 'src/app.ts:21', 'src/app.ts:28',
        'src/lib/baz.ts:2', 'src/lib/baz.ts:3', 'src/lib/close.txt:1', 'src/lib/close.txt:3', 'src/lib/close.txt:9',
      ]);
      expect(result.matches[7]).toEqual({ path: 'src/lib/baz.ts', line: 2, text: 'food court\r' });
      expect(result.skipped).toEqual([{ path: 'bin/tool.bin', reason: 'binary' }]);
      expect(result.files_searched).toBe(7);
      expect(result.files_with_matches).toBe(5);
    });
  });

  it('skips files over max_file_bytes without reading them', async () => {
    await withDraft(FILES, async (files) => {
      const result = await grepTool(files, { pattern: 'zzz', max_file_bytes: 25 });
      expect(result.skipped).toEqual([{ path: 'README.md', reason: 'too_large' }, { path: 'src/app.ts', reason: 'too_large' }, { path: 'src/lib/baz.ts', reason: 'too_large' }]);
      expect(result.files_searched).toBe(4);
      expect(result.matches).toEqual([]);
    });
  });

  it('stops at limit and says so', async () => {
    await withDraft(FILES, async (files) => {
      const result = await grepTool(files, { pattern: 'foo', limit: 3 });
      expect(result.matches.map((m) => `${m.path}:${m.line}`)).toEqual(['README.md:3', 'a-b.txt:1', 'src/app.ts:7']);
      expect(result.truncated).toBe(true);
      expect((await grepTool(files, { pattern: 'bazaar', limit: 1 })).truncated).toBe(false);
    });
  });

  it('cuts long lines', async () => {
    await withDraft({ 'long.txt': `${'x'.repeat(3000)}foo\n` }, async (files) => {
      const [match] = (await grepTool(files, { pattern: 'foo' })).matches;
      expect(match!.text).toBe(`${'x'.repeat(2000)}… [truncated]`);
    });
  });

  it('fails with ENOENT, ENOTDIR and EINVAL', async () => {
    await withDraft(FILES, async (files) => {
      const cases: [GrepArgs, Record<string, unknown>][] = [
        [{ pattern: 'x', path: 'nope' }, { code: 'ENOENT' }],
        [{ pattern: 'x', path: 'README.md' }, { code: 'ENOTDIR' }],
        [{ pattern: '' }, { code: 'EINVAL', field: 'pattern' }],
        [{ pattern: '(unclosed', regex: true }, { code: 'EINVAL', field: 'pattern' }],
        [{ pattern: '(a)\\1', regex: true }, { code: 'EINVAL', field: 'pattern' }],
        [{ pattern: 'x', context: 11 }, { code: 'EINVAL', field: 'context' }],
        [{ pattern: 'x', limit: 1001 }, { code: 'EINVAL', field: 'limit' }],
        [{ pattern: 'x', max_file_bytes: 0 }, { code: 'EINVAL', field: 'max_file_bytes' }],
        [{ pattern: 'x', include: ['[z'] }, { code: 'EINVAL', field: 'include[0]' }],
        [{ pattern: 'x', exclude: 'src' as unknown as string[] }, { code: 'EINVAL', field: 'exclude' }],
      ];
      for (const [args, expected] of cases) expect(await failure(grepTool(files, args)), JSON.stringify(args)).toMatchObject(expected);
    });
  });
});
