import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchRepo, sshSigningConfig, type ScratchRepo } from '../../../test/support/scratchRepo.ts';
import { thrownCode } from '../../../test/support/thrown.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { checkObject } from './checkObject.ts';
import { parseCommit, readCommitLinks, serializeCommit, type Commit } from './commit.ts';
import { hashObject } from './gitObject.ts';

let repo: ScratchRepo;
/** Commits git made, by what they exercise. */
const made = new Map<string, string>();
let emptyTree = '';

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (char) => char.charCodeAt(0));

beforeAll(() => {
  repo = scratchRepo({ bare: false });
  const sign = sshSigningConfig(repo.dir);
  const git = (args: string[], input?: string | Uint8Array, env?: Record<string, string>): string => repo.git(args, input, env);
  const head = (): string => git(['rev-parse', 'HEAD']);
  emptyTree = git(['mktree'], '');

  git(['commit', '--allow-empty', '-q', '-m', 'root']);
  made.set('root', head());
  git(['checkout', '-q', '-b', 'side']);
  git(['commit', '--allow-empty', '-q', '-m', 'side work']);
  git([...sign, 'tag', '-s', '-m', 'signed tag', 'v1']);
  git(['checkout', '-q', 'main']);
  git([...sign, 'commit', '-S', '--allow-empty', '-q', '-m', 'signed commit\n\nwith a body\n']);
  made.set('signed (gpgsig)', head());
  git(['merge', '--no-ff', '-q', '-m', 'merge a signed tag', 'v1']);
  made.set('merge of a signed tag (mergetag)', head());
  git(['commit', '--allow-empty', '-q', '-m', 'Ünïcødé author'], undefined, {
    GIT_AUTHOR_NAME: 'Zoë 日本 😀',
    GIT_AUTHOR_EMAIL: 'zoe@例え.jp',
    GIT_AUTHOR_DATE: '@1234567890 -0430',
  });
  made.set('unicode author, negative time zone', head());
  const tree = git(['rev-parse', 'HEAD^{tree}']);
  const tip = head();
  made.set('octopus', git(['commit-tree', tree, '-p', tip, '-p', made.get('root')!, '-p', 'side'], 'three parents\n'));
  made.set(
    'ISO-8859-1 encoding',
    git(['-c', 'i18n.commitEncoding=ISO-8859-1', 'commit-tree', tree, '-p', tip], latin1('caf\u00e9 cr\u00e8me\n\nna\u00efve\n')),
  );
  made.set('empty message', git(['commit-tree', emptyTree], ''));
  made.set('message without final LF, CRLF, BOM', git(['commit-tree', emptyTree], '\ufeffbom line\r\nsecond'));
});

afterAll(() => repo?.remove());

/** What `git log` says about a commit, NUL-separated fields. */
function gitFields(oid: string): string[] {
  return repo.git(['log', '-1', '--date=raw', '--format=%T%x00%P%x00%an%x00%ae%x00%ad%x00%cn%x00%ce%x00%cd%x00%ct', oid]).split('\0');
}

describe('parseCommit and serializeCommit on commits git made', () => {
  it.each([
    'root',
    'signed (gpgsig)',
    'merge of a signed tag (mergetag)',
    'unicode author, negative time zone',
    'octopus',
    'ISO-8859-1 encoding',
    'empty message',
    'message without final LF, CRLF, BOM',
  ])('%s', (name) => {
    const oid = made.get(name)!;
    const data = repo.read('commit', oid);
    const commit = parseCommit(data);
    expect(serializeCommit(commit)).toEqual(data);

    const [tree, parents, authorName, authorEmail, authorDate, committerName, committerEmail, committerDate] = gitFields(oid);
    expect(commit.tree).toBe(tree);
    expect(commit.parents.join(' ')).toBe(parents);
    expect([commit.author.name, commit.author.email, `${commit.author.timestamp} ${commit.author.timezone}`]).toEqual([
      authorName,
      authorEmail,
      authorDate,
    ]);
    expect([commit.committer.name, commit.committer.email, `${commit.committer.timestamp} ${commit.committer.timezone}`]).toEqual([
      committerName,
      committerEmail,
      committerDate,
    ]);
    expect(checkObject('commit', data)).toEqual({
      links: [{ oid: commit.tree, type: 'tree' }, ...commit.parents.map((oid) => ({ oid, type: 'commit' }))],
      gitmodules: [],
      gitattributes: [],
    });
  });

  it('keeps a signature as one multi-line extra header', () => {
    const commit = parseCommit(repo.read('commit', made.get('signed (gpgsig)')!));
    expect(commit.extraHeaders.map(([key]) => key)).toEqual(['gpgsig']);
    const signature = commit.extraHeaders[0]![1];
    expect(signature.startsWith('-----BEGIN SSH SIGNATURE-----\n')).toBe(true);
    expect(signature.endsWith('\n-----END SSH SIGNATURE-----')).toBe(true);
    expect(signature.split('\n').some((line) => line.startsWith(' '))).toBe(false);
    expect(commit.message).toBe('signed commit\n\nwith a body\n');
  });

  it('keeps a merged tag, empty line included, as the mergetag header', () => {
    const commit = parseCommit(repo.read('commit', made.get('merge of a signed tag (mergetag)')!));
    const mergetag = commit.extraHeaders.find(([key]) => key === 'mergetag')?.[1];
    const tagObject = new TextDecoder().decode(repo.read('tag', repo.git(['rev-parse', 'v1'])));
    expect(`${mergetag}\n`).toBe(tagObject);
  });

  it('reads a commit in ISO-8859-1 one byte per char, which is the right text for that charset', () => {
    const commit = parseCommit(repo.read('commit', made.get('ISO-8859-1 encoding')!));
    expect(commit.extraHeaders).toEqual([['encoding', 'ISO-8859-1']]);
    expect(commit.message).toBe('caf\u00e9 cr\u00e8me\n\nna\u00efve\n');
    // git log converts to UTF-8 for output and must show the same text
    expect(repo.git(['log', '-1', '--format=%s', made.get('ISO-8859-1 encoding')!])).toBe('caf\u00e9 cr\u00e8me');
  });

  it('keeps a leading BOM and CRLF in the message', () => {
    expect(parseCommit(repo.read('commit', made.get('message without final LF, CRLF, BOM')!)).message).toBe('\ufeffbom line\r\nsecond');
  });
});

describe('serializeCommit makes what git commit-tree makes', () => {
  it('for a new commit with a parent', () => {
    const root = made.get('root')!;
    const expected = repo.git(['commit-tree', emptyTree, '-p', root], 'hello\n\nbody\n', {
      GIT_AUTHOR_DATE: '@1700000123 +0200',
      GIT_COMMITTER_DATE: '@1700000456 -0700',
    });
    const commit: Commit = {
      tree: emptyTree,
      parents: [root],
      author: { name: 'Grove Test', email: 'test@grove.invalid', timestamp: 1700000123, timezone: '+0200' },
      committer: { name: 'Grove Test', email: 'test@grove.invalid', timestamp: 1700000456, timezone: '-0700' },
      extraHeaders: [],
      message: 'hello\n\nbody\n',
    };
    const data = serializeCommit(commit);
    expect(hashObject(nodeCodec, 'commit', data)).toBe(expected);
    // git's own validating writer takes our bytes as they are
    expect(repo.git(['hash-object', '-t', 'commit', '--stdin'], data)).toBe(expected);
  });

  it('refuses ids and header names git could not read', () => {
    const base: Commit = parseCommit(repo.read('commit', made.get('root')!));
    const code = (commit: Commit): unknown => thrownCode(() => serializeCommit(commit));
    expect(code({ ...base, tree: 'abc' })).toBe('BAD_OBJECT');
    expect(code({ ...base, parents: [base.tree.toUpperCase()] })).toBe('BAD_OBJECT');
    expect(code({ ...base, extraHeaders: [['two words', 'x']] })).toBe('BAD_OBJECT');
    expect(code({ ...base, extraHeaders: [['', 'x']] })).toBe('BAD_OBJECT');
    expect(code({ ...base, author: { ...base.author, email: 'a>b' } })).toBe('BAD_OBJECT');
  });
});

describe('parseCommit on malformed input', () => {
  const id = 'A <a@b> 1 +0000';
  it.each([
    ['no tree', `author ${id}\ncommitter ${id}\n\nm\n`],
    ['bad tree id', `tree 123\nauthor ${id}\ncommitter ${id}\n\nm\n`],
    ['no author', `tree ${'a'.repeat(40)}\ncommitter ${id}\n\nm\n`],
    ['no committer', `tree ${'a'.repeat(40)}\nauthor ${id}\n\nm\n`],
    ['bad ident', `tree ${'a'.repeat(40)}\nauthor nobody\ncommitter ${id}\n\nm\n`],
  ])('throws BAD_OBJECT: %s', (_, text) => {
    expect(() => parseCommit(new TextEncoder().encode(text))).toThrow(expect.objectContaining({ code: 'BAD_OBJECT' }));
  });
});

describe('readCommitLinks', () => {
  it('agrees with git log on every commit', () => {
    for (const oid of made.values()) {
      const fields = gitFields(oid);
      const links = readCommitLinks(repo.read('commit', oid));
      expect(links.tree).toBe(fields[0]);
      expect(links.parents.join(' ')).toBe(fields[1]);
      expect(links.time).toBe(Number(fields[8]));
    }
  });

  it('reads an upper-case id as the lowercase Oid', () => {
    const data = new TextEncoder().encode(`tree ${'AB'.repeat(20)}\nparent ${'Cd'.repeat(20)}\nauthor A <a> 5 +0000\ncommitter B <b> 7 +0000\n\n`);
    expect(readCommitLinks(data)).toEqual({ tree: 'ab'.repeat(20), parents: ['cd'.repeat(20)], time: 7 });
  });

  it('gives time 0 when the committer line cannot be read, as git does', () => {
    const data = new TextEncoder().encode(`tree ${'a'.repeat(40)}\ncommitter B <b> 7 +0000\n\n`);
    expect(readCommitLinks(data).time).toBe(0);
  });

  it('throws BAD_OBJECT without a tree line', () => {
    expect(() => readCommitLinks(new TextEncoder().encode('parent x\n'))).toThrow(expect.objectContaining({ code: 'BAD_OBJECT' }));
  });
});
