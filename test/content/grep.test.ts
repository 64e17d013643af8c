/**
 * GET …/grep against `git grep -n [-i] [-F|-E] [-C <n>] -e <pattern> <commit> -- <pathspec>…`
 * on a repository pushed with the real git CLI: files in folders, a binary
 * file, CRLF lines, Unicode names and text, a very long line, a file
 * without its final newline, an empty file, a symlink (not searched), a
 * file over the size searched, and one with more matches than a page.
 * Pages are requested until next_cursor is null and laid end to end.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, gitOut } from '../support/git.ts';
import { useTempDir } from '../support/tempDir.ts';
import { uniqueName, useApiServer, type ApiServer } from '../api/support/apiServer.ts';
import { expectError, type RepoWithTokenJson } from '../api/support/shapes.ts';
import { ok, pushAll, repoPath } from './support/readFixtures.ts';

interface Match {
  path: string;
  line_number: number;
  line: string;
  before?: string[];
  after?: string[];
}

interface Page {
  commit: string;
  matches: Match[];
  skipped: { path: string; reason: string }[];
  next_cursor: string | null;
}

interface Search {
  pattern: string;
  regex?: boolean;
  ignoreCase?: boolean;
  context?: number;
  paths?: string[];
  /** git finds nothing either (the test checks that it really is nothing). */
  none?: boolean;
}

const BIG = 'big.txt';
const FILES: Record<string, string | Uint8Array> = {
  'README.md': '# Needle project\nno match here\nneedle at the end: needle\n',
  'src/app.ts': 'const needle = 1;\nfunction find(needle: string) {\n  return needle.length;\n}\n// NEEDLE in caps\n',
  'src/sub/deep.ts': 'export const haystack = [];\n\n\nexport const needle2 = "x";\n',
  'src/sub/other.js': 'nothing\nto\nsee\n',
  'docs/guide.md': 'Guide\n=====\n\nA needle in a haystack.\nThe Needle again.\n',
  'docs/nested/page.md': 'needle\n',
  'crlf.txt': 'first line\r\nneedle with CR\r\nlast\r\n',
  'unicode/café.txt': 'Café NEEDLE ünïcode\nCAFÉ crème brûlée\nstraße\nemoji 🎉 needle\n',
  'no-newline.txt': 'line one\nneedle without newline',
  'empty.txt': '',
  'long.txt': `short\n${'x'.repeat(50_000)} needle ${'y'.repeat(50_000)}\nafter\n`,
  'bin/data.bin': new Uint8Array([0x00, 0x01, ...new TextEncoder().encode('needle in binary\n'), 0x02]),
  'bin/other.bin': new Uint8Array([0x00, 0x01, 0x02, 0x03]),
  'many.txt': Array.from({ length: 250 }, (_, i) => (i % 5 === 4 ? `filler ${i}` : `needle number ${i}`)).join('\n') + '\n',
  [BIG]: `needle\n${'z'.repeat(1024 * 1024)}\n`,
  'weird-name:with-colon.txt': 'needle-colon\n',
};

const work = useTempDir('grove-content-grep-');

/** Every match and skipped file of a search, page after page of `limit`. */
async function restGrep(server: ApiServer, repo: RepoWithTokenJson, search: Search, limit: number, extra: Record<string, string> = {}): Promise<Page> {
  const all: Page = { commit: '', matches: [], skipped: [], next_cursor: null };
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const query = new URLSearchParams({
      pattern: search.pattern,
      regex: String(search.regex ?? false),
      ignore_case: String(search.ignoreCase ?? false),
      context: String(search.context ?? 0),
      limit: String(limit),
      ...extra,
      ...(cursor === null ? {} : { cursor }),
    });
    for (const path of search.paths ?? []) query.append('paths', path);
    const body = ok<Page>(await server.call('GET', `${repoPath(repo)}/grep?${query}`, { token: repo.token }), `grep ${query}`);
    expect(body.matches.length).toBeLessThanOrEqual(limit);
    if (body.next_cursor !== null) expect(body.matches.length).toBe(limit);
    all.commit = body.commit;
    all.matches.push(...body.matches);
    all.skipped.push(...body.skipped);
    cursor = body.next_cursor;
    if (cursor === null) return all;
  }
  throw new Error('too many pages');
}

/**
 * What `git grep` prints for the search, in the REST shape: matches with the context lines git
 * prints for each (those after a match up to `context` lines go with it, the rest with the next
 * match), and "Binary file … matches" as skipped binaries. The big file is left out: Grove skips it.
 */
async function gitGrep(dir: string, search: Search, rev = 'HEAD'): Promise<{ matches: Match[]; binary: string[] }> {
  const context = search.context ?? 0;
  const args = ['-c', 'core.quotePath=false', 'grep', '-n', '--no-color', search.regex === true ? '-E' : '-F'];
  if (search.ignoreCase === true) args.push('-i');
  if (context > 0) args.push(`-C${context}`);
  args.push('-e', search.pattern, rev, '--', ...(search.paths ?? []).map((p) => (p.startsWith(':!') ? `:(exclude,glob)${p.slice(2)}` : `:(glob)${p}`)));
  const result = await git(args, { cwd: dir, allowFailure: true, env: { LC_ALL: 'C.UTF-8' } });
  expect(result.code === 0 || result.code === 1, result.stderr).toBe(true);
  const paths = Object.keys(FILES).sort((a, b) => b.length - a.length);
  const matches: Match[] = [];
  const binary: string[] = [];
  let pending: string[] = [];
  let last: Match | undefined;
  for (const record of result.stdout.split('\n')) {
    if (record === '' || record === '--') continue;
    const bin = /^Binary file (.*) matches$/.exec(record);
    if (bin !== null) {
      binary.push(bin[1]!.slice(rev.length + 1));
      continue;
    }
    const rest = record.slice(rev.length + 1);
    const path = paths.find((p) => rest.startsWith(p) && /^[:-]\d+[:-]/.test(rest.slice(p.length)))!;
    const tail = rest.slice(path.length);
    const sep = tail[0]!;
    const end = tail.indexOf(sep, 1);
    const lineNumber = Number(tail.slice(1, end));
    const line = tail.slice(end + 1);
    if (path === BIG) continue;
    if (sep === ':' && lineNumber > lineCount(path)) {
      // git's look-ahead reports an empty "line" after the final LF for a pattern that matches an
      // empty line (see lineMatcher.test.ts); that line does not exist, and Grove does not report it.
      pending = [];
      continue;
    }
    if (sep === ':') {
      const match: Match = { path, line_number: lineNumber, line, ...(context > 0 ? { before: pending, after: [] } : {}) };
      matches.push(match);
      last = match;
      pending = [];
    } else if (last !== undefined && last.path === path && lineNumber <= last.line_number + context && pending.length === 0) {
      last.after!.push(line);
    } else {
      pending.push(line);
    }
  }
  return { matches, binary };
}

function lineCount(path: string): number {
  const content = FILES[path]!;
  const text = typeof content === 'string' ? content : new TextDecoder().decode(content);
  return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('GET …/grep', () => {
  const server = useApiServer();
  let repo: RepoWithTokenJson;
  let dir: string;

  beforeAll(async () => {
    dir = join(work, 'repo');
    await git(['init', '--quiet', '--initial-branch=main', dir]);
    for (const [path, content] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    symlinkSync('README.md', join(dir, 'link-to-readme'));
    await git(['add', '-A'], { cwd: dir });
    await git(['commit', '--quiet', '-m', 'files'], { cwd: dir });
    repo = await server().createRepo('grep', { name: uniqueName('grep') });
    await pushAll(dir, repo);
  });

  const searches: Search[] = [
    { pattern: 'needle' },
    { pattern: 'needle', ignoreCase: true },
    { pattern: 'NEEDLE' },
    { pattern: 'CAFÉ', ignoreCase: true },
    { pattern: 'é' },
    { pattern: 'with CR' },
    { pattern: 'CR\r' },
    { pattern: '' , paths: ['src'] },
    { pattern: 'needle$', regex: true },
    { pattern: 'CR$', regex: true, none: true }, // the CR is part of the line
    { pattern: 'CR\r$', regex: true },
    { pattern: '^\\s*return', regex: true },
    { pattern: 'ne+dle[0-9]', regex: true },
    { pattern: 'caf[eé]|brûl', regex: true, ignoreCase: true },
    { pattern: '\\bneedle\\b', regex: true },
    { pattern: 'number (1|2)[0-9]$', regex: true },
    { pattern: '^$', regex: true, paths: ['src/sub/deep.ts'] },
    { pattern: 'needle', paths: ['src'] },
    { pattern: 'needle', paths: ['**/*.ts'] },
    { pattern: 'needle', paths: ['*.md'] },
    { pattern: 'needle', paths: ['docs/**', 'unicode'] },
    { pattern: 'needle', paths: ['src/*'] },
    { pattern: 'needle', paths: ['*', ':!many.txt', ':!long.txt'] },
    { pattern: 'needle', paths: ['unicode/caf?.txt'], none: true }, // "?" is one byte, é two
    { pattern: 'needle', paths: ['unicode/caf??.txt'] },
    { pattern: 'needle\nhaystack' },
  ];
  for (const search of searches) {
    it(`reports what git grep reports for ${JSON.stringify(search)}`, async () => {
      const ours = await restGrep(server(), repo, search, 1000);
      const theirs = await gitGrep(dir, search);
      expect(theirs.matches.length > 0).toBe(search.none !== true);
      expect(ours.matches).toEqual(theirs.matches);
      expect(ours.skipped.filter((s) => s.reason === 'binary').map((s) => s.path)).toEqual(theirs.binary);
      expect(ours.commit).toBe(await gitOut(['rev-parse', 'HEAD'], { cwd: dir }));
    });
  }

  for (const context of [1, 2, 5]) {
    it(`gives the context lines git prints with -C${context}, across pages`, async () => {
      for (const search of [{ pattern: 'needle', context }, { pattern: '^$', regex: true, context }, { pattern: 'e', context, paths: ['docs', 'src'] }]) {
        const ours = await restGrep(server(), repo, search, 7);
        expect(ours.matches).toEqual((await gitGrep(dir, search)).matches);
        expect(ours.matches.some((m) => m.before!.length > 0) && ours.matches.some((m) => m.after!.length > 0)).toBe(true);
      }
    });
  }

  it('pages through more matches than a page holds, each page full but the last', async () => {
    const search = { pattern: 'needle number', paths: ['many.txt'] };
    const first = ok<Page>(await server().call('GET', `${repoPath(repo)}/grep?pattern=needle+number&paths=many.txt&limit=100`, { token: repo.token }));
    expect(first.matches).toHaveLength(100);
    expect(first.next_cursor).not.toBeNull();
    const all = await restGrep(server(), repo, search, 100);
    expect(all.matches).toHaveLength(200);
    expect(all.matches).toEqual((await gitGrep(dir, search)).matches);
    const exact = await restGrep(server(), repo, search, 200);
    expect(exact.matches).toHaveLength(200); // a last page exactly full has no next page
  });

  it('lists binary files that match and files over the size searched in skipped', async () => {
    const all = await restGrep(server(), repo, { pattern: 'needle' }, 1000);
    expect(all.skipped).toEqual([
      { path: BIG, reason: 'too_large' },
      { path: 'bin/data.bin', reason: 'binary' },
    ]);
    const pages = await restGrep(server(), repo, { pattern: 'needle' }, 3);
    expect(pages.skipped).toEqual(all.skipped);
    expect(pages.matches).toEqual(all.matches);
  });

  it('keeps searching the commit of the first page when the branch moves', async () => {
    const first = ok<Page>(await server().call('GET', `${repoPath(repo)}/grep?pattern=needle&paths=many.txt&limit=10`, { token: repo.token }));
    const clone = join(work, 'moved');
    await git(['clone', '--quiet', dir, clone]);
    writeFileSync(join(clone, 'many.txt'), 'needle replaced\n');
    await git(['commit', '--quiet', '-am', 'replace'], { cwd: clone });
    await git(['push', '--quiet', repo.remote, 'main'], { cwd: clone, token: repo.token });
    const second = ok<Page>(await server().call('GET', `${repoPath(repo)}/grep?pattern=needle&paths=many.txt&limit=10&cursor=${first.next_cursor}`, { token: repo.token }));
    expect(second.commit).toBe(first.commit);
    expect(second.matches[0]!.line).toBe('needle number 12');
    const now = ok<Page>(await server().call('GET', `${repoPath(repo)}/grep?pattern=needle&paths=many.txt`, { token: repo.token }));
    expect(now.matches).toEqual([{ path: 'many.txt', line_number: 1, line: 'needle replaced' }]);
    const old = ok<Page>(await server().call('GET', `${repoPath(repo)}/grep?pattern=needle&paths=many.txt&ref=${first.commit}&limit=1`, { token: repo.token }));
    expect(old.matches[0]!.line).toBe('needle number 0');
  });

  it('answers 400 for a pattern it cannot match in linear time, a bad glob or a bad cursor; 404 for an unknown ref', async () => {
    const call = (query: string) => server().call('GET', `${repoPath(repo)}/grep?${query}`, { token: repo.token });
    expect(expectError(await call('pattern=(a)\\1&regex=true'), 'BAD_REQUEST').details).toEqual({ field: 'pattern' });
    expect(expectError(await call('pattern=a(&regex=true'), 'BAD_REQUEST').details).toEqual({ field: 'pattern' });
    expect(expectError(await call('pattern=a&paths=%3A(icase)x'), 'BAD_REQUEST').details).toEqual({ field: 'paths' });
    expect(expectError(await call('pattern=a&cursor=nonsense'), 'BAD_REQUEST').details).toEqual({ field: 'cursor' });
    expectError(await call('pattern=a&limit=0'), 'BAD_REQUEST');
    expectError(await call('pattern=a&ref=no-such-branch'), 'NOT_FOUND');
    expectError(await call('ref=main'), 'BAD_REQUEST');
  });

  it('needs a token of the repository; a read token is enough', async () => {
    expectError(await server().call('GET', `${repoPath(repo)}/grep?pattern=a`, { token: null }), 'UNAUTHORIZED');
    const other = await server().createRepo('grep', { name: uniqueName('other') });
    expectError(await server().call('GET', `${repoPath(repo)}/grep?pattern=a`, { token: other.token }), 'FORBIDDEN');
    const read = await server().mintToken(repo.namespace, repo.name, { scope: 'read' });
    ok(await server().call('GET', `${repoPath(repo)}/grep?pattern=needle`, { token: read.token }));
  });
});
