import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGroveError } from '../../errors.ts';
import { join } from 'node:path';
import { bytesOf } from '../../../test/support/bytesOf.ts';
import { expectFsckClean } from '../../../test/support/git.ts';
import { gitText } from '../../../test/support/gitBytes.ts';
import { makeRepo } from '../../../test/support/makeRepo.ts';
import { readAllObjects, scratchRepo, type FsckFinding, type ScratchRepo } from '../../../test/support/scratchRepo.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { thrownCheck } from '../../../test/support/thrown.ts';
import { treeEntry } from '../../../test/support/treeBytes.ts';
import { checkObject, type ObjectLink } from './checkObject.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { hashObject, type ObjectType } from './gitObject.ts';

/**
 * Every case is written into one repository with `git hash-object --literally`,
 * then one `git fsck --strict` run tells what git thinks of each object.
 * `check` is what we expect checkObject to throw (undefined: accepted);
 * `git` is what git must say: its first error id (the same as `check` unless
 * given), 'unparseable' when git refuses the object before fsck looks at it,
 * and for accepted objects the ids it only warns about ("info" level).
 */
interface Case {
  name: string;
  type: ObjectType;
  data: Uint8Array;
  check?: string;
  git?: string;
  warnings?: string[];
  links?: ObjectLink[];
  /** The expected `gitmodules` / `gitattributes` of an accepted object (default: none). */
  gitmodules?: string[];
  gitattributes?: string[];
}

const encoder = new TextEncoder();

let repo: ScratchRepo;
let findings: Map<string, FsckFinding[]>;
const cases: Case[] = [];

const ID = 'A U Thor <author@example.com> 1700000000 +0000';

function commit(name: string, text: string, check?: string, more: Partial<Case> = {}): void {
  cases.push({ name: `commit: ${name}`, type: 'commit', data: encoder.encode(text), check, ...more });
}

function withIdent(ident: string): string {
  return `tree ${tree}\nauthor ${ident}\ncommitter ${ID}\n\nmessage\n`;
}

function tag(name: string, text: string, check?: string, more: Partial<Case> = {}): void {
  cases.push({ name: `tag: ${name}`, type: 'tag', data: encoder.encode(text), check, ...more });
}

function treeCase(name: string, entries: Uint8Array[], check?: string, more: Partial<Case> = {}): void {
  cases.push({ name: `tree: ${name}`, type: 'tree', data: bytesOf(...entries), check, ...more });
}

/** A tree of one entry named `name`, which git must flag with `check` (or accept). */
function nameCase(name: string | Uint8Array, check: string | undefined, mode = '100644'): void {
  const label = typeof name === 'string' ? JSON.stringify(name) : `bytes ${Array.from(name, (b) => b.toString(16)).join(' ')}`;
  const oid = mode === '40000' ? tree : mode === '120000' || mode.startsWith('100') ? blob : parent;
  treeCase(`${mode} ${label}`, [treeEntry(mode, name, oid)], check);
}

// Real objects the test objects point to (written to the repository too), so git's connectivity walk stays quiet.
const support: [ObjectType, Uint8Array][] = [];
function real(type: ObjectType, data: string | Uint8Array): string {
  const content = typeof data === 'string' ? encoder.encode(data) : data;
  support.push([type, content]);
  return hashObject(nodeCodec, type, content);
}
const blob = real('blob', 'hello\n');
const modules = real('blob', '[submodule "x"]\n\tpath = x\n\turl = https://example.com/x.git\n');
const attributes = real('blob', '*.bin binary\n');
const tree = real('tree', treeEntry('100644', 'hello.txt', blob));
const parent = real('commit', `tree ${tree}\nauthor ${ID}\ncommitter ${ID}\n\nroot\n`);
const annotated = real('tag', `object ${parent}\ntype commit\ntag v0\ntagger ${ID}\n\nv0\n`);
const link = (oid: string, type: ObjectType): ObjectLink => ({ oid, type });

{
  const header = `tree ${tree}\n`;
  commit('minimal', `${header}author ${ID}\ncommitter ${ID}\n\nmessage\n`, undefined, { links: [link(tree, 'tree')] });
  commit('merge', `${header}parent ${parent}\nparent ${parent}\nauthor ${ID}\ncommitter ${ID}\n\nmerge\n`, undefined, {
    links: [link(tree, 'tree'), link(parent, 'commit'), link(parent, 'commit')],
  });
  commit(
    'extra headers with continuation lines',
    `${header}author ${ID}\ncommitter ${ID}\nencoding ISO-8859-1\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n\nsigned\n`,
  );
  commit('upper-case tree id', `tree ${tree.toUpperCase()}\nauthor ${ID}\ncommitter ${ID}\n\nm\n`, undefined, { links: [link(tree, 'tree')] });
  commit('no message, no empty line', `${header}author ${ID}\ncommitter ${ID}\n`);
  commit('empty name', withIdent(' <a@b.c> 1 +0000'));
  commit('date 0', withIdent('A <a@b.c> 0 +0000'));
  commit('date with "+" sign (strtoumax)', withIdent('A <a@b.c> +5 +0000'));
  commit('two spaces before the date (strtoumax skips them)', withIdent('A <a@b.c>  5 +0000'));
  commit('largest date', withIdent('A <a@b.c> 9223372036854775807 +0000'));
  commit('negative date wrapping into range', withIdent('A <a@b.c> -9223372036854775809 +0000'));
  commit('negative zero date', withIdent('A <a@b.c> -0 +0000'));
  commit('time zone -0430', withIdent('A <a@b.c> 5 -0430'));
  commit('junk after committer', `${header}author ${ID}\ncommitter ${ID}\nfoo\nbar baz\n\nm\n`);

  commit('empty object', '', 'unterminatedHeader', { git: 'unparseable' });
  commit('header without final LF', `${header}author ${ID}\ncommitter ${ID}`, 'unterminatedHeader');
  commit('NUL in header', withIdent('A\0 <a@b.c> 1 +0000'), 'nulInHeader');
  commit('NUL in message', `${header}author ${ID}\ncommitter ${ID}\n\nmes\0sage\n`, 'nulInCommit');
  commit('missing tree', `parent ${parent}\nauthor ${ID}\ncommitter ${ID}\n\nm\n`, 'missingTree', { git: 'unparseable' });
  commit('short tree id', `tree ${tree.slice(1)}\nauthor ${ID}\ncommitter ${ID}\n\nm\n`, 'badTreeSha1', { git: 'unparseable' });
  commit('non-hex tree id', `tree ${tree.slice(1)}g\nauthor ${ID}\ncommitter ${ID}\n\nm\n`, 'badTreeSha1', { git: 'unparseable' });
  commit('bad parent id', `${header}parent ${parent.slice(2)}\nauthor ${ID}\ncommitter ${ID}\n\nm\n`, 'badParentSha1', {
    git: 'unparseable',
  });
  commit('missing author', `${header}committer ${ID}\n\nm\n`, 'missingAuthor');
  commit('parent after author', `${header}author ${ID}\nparent ${parent}\ncommitter ${ID}\n\nm\n`, 'missingCommitter');
  commit('two authors', `${header}author ${ID}\nauthor ${ID}\ncommitter ${ID}\n\nm\n`, 'multipleAuthors');
  commit('missing committer', `${header}author ${ID}\n\nm\n`, 'missingCommitter');
  commit('header between author and committer', `${header}author ${ID}\nencoding x\ncommitter ${ID}\n\nm\n`, 'missingCommitter');
  commit('no name before email', withIdent('<a@b.c> 1 +0000'), 'missingNameBeforeEmail');
  commit('">" in name', withIdent('A> <a@b.c> 1 +0000'), 'badName');
  commit('no email', withIdent('A 1 +0000'), 'missingEmail');
  commit('no space before email', withIdent('A<a@b.c> 1 +0000'), 'missingSpaceBeforeEmail');
  commit('"<" in email', withIdent('A <a<b.c> 1 +0000'), 'badEmail');
  commit('unclosed email', withIdent('A <a@b.c 1 +0000'), 'badEmail');
  commit('no space before date', withIdent('A <a@b.c>1 +0000'), 'missingSpaceBeforeDate');
  commit('zero-padded date', withIdent('A <a@b.c> 0123 +0000'), 'zeroPaddedDate');
  commit('date "00"', withIdent('A <a@b.c> 00 +0000'), 'zeroPaddedDate');
  commit('letters for date', withIdent('A <a@b.c> abc +0000'), 'badDate');
  commit('no date', withIdent('A <a@b.c>  +0000'), 'badDate');
  commit('no space after date', withIdent('A <a@b.c> 123+0000'), 'badDate');
  commit('date 2^63', withIdent('A <a@b.c> 9223372036854775808 +0000'), 'badDateOverflow');
  commit('date above 2^64', withIdent('A <a@b.c> 99999999999999999999999 +0000'), 'badDateOverflow');
  commit('negative date', withIdent('A <a@b.c> -1 +0000'), 'badDateOverflow');
  commit('time zone without sign', withIdent('A <a@b.c> 1 0000'), 'badTimezone');
  commit('short time zone', withIdent('A <a@b.c> 1 +000'), 'badTimezone');
  commit('long time zone', withIdent('A <a@b.c> 1 +00000'), 'badTimezone');
  commit('letter in time zone', withIdent('A <a@b.c> 1 +00a0'), 'badTimezone');
  commit('space after time zone', withIdent('A <a@b.c> 1 +0000 '), 'badTimezone');
  commit('bad committer', `${header}author ${ID}\ncommitter A <a@b.c> 1 +0000x\n\nm\n`, 'badTimezone');

  const tagHead = `object ${parent}\ntype commit\ntag v1\n`;
  tag('signed-style', `${tagHead}tagger ${ID}\n\nmessage\n-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n`, undefined, {
    links: [link(parent, 'commit')],
  });
  tag('without tagger (info)', `${tagHead}\nold\n`, undefined, { warnings: ['missingTaggerEntry'] });
  tag('bad tag name (info)', `object ${parent}\ntype commit\ntag v1..x\ntagger ${ID}\n\nm\n`, undefined, { warnings: ['badTagName'] });
  tag('header after tagger (ignored)', `${tagHead}tagger ${ID}\nfoo bar\n\nm\n`);
  tag('tag of a tree', `object ${tree}\ntype tree\ntag t\ntagger ${ID}\n\nm\n`, undefined, { links: [link(tree, 'tree')] });
  tag('tag of a blob', `object ${blob}\ntype blob\ntag b\ntagger ${ID}\n\nm\n`, undefined, { links: [link(blob, 'blob')] });
  tag('tag of a tag', `object ${annotated}\ntype tag\ntag t2\ntagger ${ID}\n\nm\n`, undefined, { links: [link(annotated, 'tag')] });
  tag('missing object', `type commit\ntag v1\ntagger ${ID}\n\nm\n`, 'missingObject', { git: 'unparseable' });
  tag('bad object id', `object ${parent.slice(1)}\ntype commit\ntag v1\ntagger ${ID}\n\nm\n`, 'badObjectSha1', { git: 'unparseable' });
  tag('missing type', `object ${parent}\ntag v1\ntagger ${ID}\n\nm\n`, 'missingTypeEntry', { git: 'unparseable' });
  tag('bad type', `object ${parent}\ntype commits\ntag v1\ntagger ${ID}\n\nm\n`, 'badType', { git: 'unparseable' });
  tag('missing tag line', `object ${parent}\ntype commit\ntagger ${ID}\n\nm\n`, 'missingTagEntry', { git: 'unparseable' });
  tag('bad tagger', `${tagHead}tagger A <a@b.c> 01 +0000\n\nm\n`, 'zeroPaddedDate');
  tag('NUL in header', `${tagHead}tagger A\0 <a@b.c> 1 +0000\n\nm\n`, 'nulInHeader');
  tag('unterminated header', `${tagHead}tagger ${ID}`, 'unterminatedHeader');

  treeCase('valid', [treeEntry('100644', 'a', blob), treeEntry('100755', 'b', blob), treeEntry('120000', 'c', blob), treeEntry('40000', 'd', tree)], undefined, {
    links: [link(blob, 'blob'), link(blob, 'blob'), link(blob, 'blob'), link(tree, 'tree')],
  });
  treeCase('empty', []);
  treeCase('gitlink is not a link', [treeEntry('100644', 'a', blob), treeEntry('160000', 'sub', parent)], undefined, { links: [link(blob, 'blob')] });
  treeCase('file "a.c" sorts before tree "a"', [treeEntry('100644', 'a.c', blob), treeEntry('40000', 'a', tree)], undefined);
  treeCase('mode 100664 (info)', [treeEntry('100664', 'a', blob)], undefined, { warnings: ['badFilemode'] });
  treeCase('mode 100600 (info)', [treeEntry('100600', 'a', blob)], undefined, { warnings: ['badFilemode'] });
  treeCase('.gitmodules file', [treeEntry('100644', '.gitmodules', modules)], undefined, { gitmodules: [modules] });
  treeCase('.gitattributes file', [treeEntry('100644', '.gitattributes', attributes)], undefined, { gitattributes: [attributes] });
  treeCase('.gitattributes symlink (info)', [treeEntry('120000', '.gitattributes', blob)], undefined, { warnings: ['gitattributesSymlink'] });
  treeCase('.gitignore symlink (info)', [treeEntry('120000', '.gitignore', blob)], undefined, { warnings: ['gitignoreSymlink'] });
  treeCase('.mailmap symlink (info)', [treeEntry('120000', '.mailmap', blob)], undefined, { warnings: ['mailmapSymlink'] });

  treeCase('zero-padded mode', [treeEntry('040000', 'd', tree)], 'zeroPaddedFilemode');
  treeCase('null id', [treeEntry('100644', 'a', '0'.repeat(40))], 'nullSha1');
  treeCase('unsorted', [treeEntry('100644', 'b', blob), treeEntry('100644', 'a', blob)], 'treeNotSorted');
  treeCase('tree "a" before file "a.c"', [treeEntry('40000', 'a', tree), treeEntry('100644', 'a.c', blob)], 'treeNotSorted');
  treeCase('same name twice', [treeEntry('100644', 'a', blob), treeEntry('100644', 'a', blob)], 'duplicateEntries');
  treeCase('file and tree of one name, apart', [treeEntry('100644', 'a', blob), treeEntry('100644', 'a.c', blob), treeEntry('40000', 'a', tree)], 'duplicateEntries');
  treeCase('several findings: first one wins', [treeEntry('100644', '.git', '0'.repeat(40)), treeEntry('100644', '..', blob)], 'nullSha1');
  treeCase('truncated id', [treeEntry('100644', 'a', blob).subarray(0, 20)], 'badTree');
  treeCase('bad second entry', [treeEntry('100644', 'a', blob), encoder.encode('100644 b')], 'badTree');
  treeCase('mode with an 8', [treeEntry('100648', 'a', blob)], 'badTree');
  treeCase('mode starting with a space', [treeEntry(' 100644', 'a', blob)], 'badTree');
  treeCase('empty name', [treeEntry('100644', '', blob)], 'badTree');

  nameCase('a/b', 'fullPathname');
  nameCase('.', 'hasDot');
  nameCase('..', 'hasDotdot');
  for (const name of ['.git', '.GIT', '.gIt', 'git~1', 'GIT~1', '.git.', '.git ', '.git. . .', '.git::$INDEX_ALLOCATION', '.git:x', '.git\\x']) {
    nameCase(name, 'hasDotgit');
  }
  for (const name of ['a\\.git', 'a\\git~1\\b', '.g\u200cit', '\u200d.git', '.git\u200e', '\ufeff.GIT', '.g\u206fi\u202at']) {
    nameCase(name, 'hasDotgit');
  }
  nameCase(bytesOf('.git', new Uint8Array([0xff])), 'hasDotgit'); // malformed UTF-8 ends the name for the HFS+ check
  nameCase('.git', 'hasDotgit', '40000');
  for (const name of ['.gitx', 'git~2', 'git~10', '..git', '.gi', 'git', '.g\u200bit', 'x.git', '.git-a', 'a\\gitx']) {
    nameCase(name, undefined);
  }
  for (const name of ['.gitmodules', '.GITMODULES', '.gitmodules .', '.gitmodules:stream', 'gitmod~1', 'GITMOD~4', 'gi7eba~1', 'gi7eb~12', 'a\\.gitmodules', '\u200c.gitmodules', '~1234567']) {
    nameCase(name, 'gitmodulesSymlink', '120000');
  }
  for (const name of ['.gitmodulesx', 'gitmod~5', 'gi7eba~0', 'gitmodules', '.gitmodule']) nameCase(name, undefined, '120000');
}

beforeAll(() => {
  repo = scratchRepo();
  for (const [type, data] of support) repo.hash(type, data);
  for (const c of cases) expect(repo.hash(c.type, c.data)).toBe(hashObject(nodeCodec, c.type, c.data));
  findings = repo.fsck();
});

afterAll(() => repo?.remove());

describe('checkObject agrees with git fsck --strict', () => {
  it('covers every check that rejects', () => {
    // missingType, missingTag and emptyName are in git's fsck.c too, but no object reaches them:
    // verify_headers and decode_tree_entry refuse such objects first (see the cases above).
    expect(new Set(cases.map((c) => c.check).filter((check) => check !== undefined))).toEqual(new Set([
      'unterminatedHeader', 'nulInHeader', 'nulInCommit', 'missingTree', 'badTreeSha1', 'badParentSha1',
      'missingAuthor', 'multipleAuthors', 'missingCommitter', 'missingNameBeforeEmail', 'badName', 'missingEmail',
      'missingSpaceBeforeEmail', 'badEmail', 'missingSpaceBeforeDate', 'zeroPaddedDate', 'badDate', 'badDateOverflow',
      'badTimezone', 'missingObject', 'badObjectSha1', 'missingTypeEntry', 'badType', 'missingTagEntry', 'badTree',
      'zeroPaddedFilemode', 'nullSha1', 'treeNotSorted', 'duplicateEntries', 'fullPathname', 'hasDot', 'hasDotdot',
      'hasDotgit', 'gitmodulesSymlink',
    ]));
  });

  it.each(cases)('$name', (c) => {
    const said = findings.get(hashObject(nodeCodec, c.type, c.data)) ?? [];
    const errors = said.filter((f) => f.level === 'error').map((f) => f.id);
    const warnings = said.filter((f) => f.level === 'warning').map((f) => f.id);
    const context = `${c.name}; git said ${JSON.stringify(said)}`;
    expect(thrownCheck(() => checkObject(c.type, c.data)), context).toBe(c.check);
    if (c.check === undefined) {
      expect(errors, context).toEqual([]);
      expect(warnings, context).toEqual(c.warnings ?? []);
      const check = checkObject(c.type, c.data);
      if (c.links !== undefined) expect(check.links, context).toEqual(c.links);
      expect(check.gitmodules, context).toEqual(c.gitmodules ?? []);
      expect(check.gitattributes, context).toEqual(c.gitattributes ?? []);
    } else {
      expect(errors[0], context).toBe(c.git ?? c.check);
    }
  });

  // git parses a tag before fsck sees it, but `git mktag` runs the same fsck_tag checks first.
  it.each(cases.filter((c) => c.type === 'tag' && c.check !== undefined))('git mktag agrees: $name', (c) => {
    const result = repo.run(['mktag'], c.data);
    expect(result.status).not.toBe(0);
    expect(/does not pass fsck: (\w+):/.exec(result.stderr)?.[1], result.stderr).toBe(c.check);
  });
});

describe('checkObject on a generated repository that git fsck --strict accepts', () => {
  const work = useTempDir('grove-check-');

  it('accepts every object and links what git follows, with the type git finds', async () => {
    const made = await makeRepo(join(work, 'corpus.git'), { commits: 60 });
    await expectFsckClean(made.dir);
    const decoder = new TextDecoder();
    const counts = new Map<string, number>();
    const linked = new Map<string, string>();
    let gitlinks = 0;
    for (const object of readAllObjects(made.dir)) {
      const type = object.type as ObjectType;
      counts.set(type, (counts.get(type) ?? 0) + 1);
      const { links, gitmodules, gitattributes } = checkObject(type, object.data);
      for (const { oid, type: implied } of links) linked.set(oid, implied);
      if (type === 'tree') {
        // `git ls-tree`: "<mode> <type> <oid>\t<name>"; a gitlink's type is "commit".
        const listing = gitText(['ls-tree', object.oid], { cwd: made.dir }).split('\n').filter((line) => line !== '');
        const followed = listing.filter((line) => line.split(' ')[1] !== 'commit');
        gitlinks += listing.length - followed.length;
        expect(links).toEqual(followed.map((line) => {
          const [, lsType, oid] = line.split(/[ \t]/);
          return link(oid!, lsType as ObjectType);
        }));
        const named = (name: string): string[] => listing
          .filter((line) => line.endsWith(`\t${name}`) && !line.startsWith('120000 '))
          .map((line) => line.split(/[ \t]/)[2]!);
        expect(gitmodules).toEqual(named('.gitmodules'));
        expect(gitattributes).toEqual(named('.gitattributes'));
      } else {
        expect([gitmodules, gitattributes]).toEqual([[], []]);
        if (type === 'commit') {
          const header = decoder.decode(object.data).split('\n\n')[0]!;
          const ids = [...header.matchAll(/^(?:tree|parent) ([0-9a-f]{40})$/gm)].map((m) => m[1]!);
          expect(links).toEqual(ids.map((oid, i) => link(oid, i === 0 ? 'tree' : 'commit')));
        } else if (type === 'tag') {
          const text = decoder.decode(object.data);
          expect(links).toEqual([link(/^object ([0-9a-f]{40})$/m.exec(text)![1]!, /^type (\w+)$/m.exec(text)![1] as ObjectType)]);
        } else {
          expect(links).toEqual([]);
        }
      }
    }
    // Every implied type is the object's real type, as `git cat-file` reads it.
    const real = gitText(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { cwd: made.dir, input: [...linked.keys()].join('\n') });
    expect(new Map(real.split('\n').map((line) => line.split(' ') as [string, string]))).toEqual(linked);
    expect([...counts.keys()].sort()).toEqual(['blob', 'commit', 'tag', 'tree']);
    expect(new Set(linked.values())).toEqual(new Set(['blob', 'commit', 'tag', 'tree']));
    expect(gitlinks).toBeGreaterThan(0);
  });
});

describe('checkObject', () => {
  it('links a blob to nothing', () => {
    expect(checkObject('blob', encoder.encode('anything \0 at all'))).toEqual({ links: [], gitmodules: [], gitattributes: [] });
  });

  it('throws a GroveError with a readable message and the check id', () => {
    try {
      checkObject('tree', bytesOf(treeEntry('100644', '.git', '11'.repeat(20))));
      expect.unreachable();
    } catch (err) {
      expect(isGroveError(err)).toBe(true);
      expect((err as Error).message).toBe("hasDotgit: contains '.git'");
      expect((err as { details: unknown }).details).toEqual({ check: 'hasDotgit' });
    }
  });
});
