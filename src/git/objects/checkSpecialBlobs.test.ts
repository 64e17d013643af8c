import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGroveError } from '../../errors.ts';
import { bytesOf } from '../../../test/support/bytesOf.ts';
import { scratchRepo, type FsckFinding, type ScratchRepo } from '../../../test/support/scratchRepo.ts';
import { strictIndexPack } from '../../../test/support/strictIndexPack.ts';
import { thrownCheck } from '../../../test/support/thrown.ts';
import { treeEntry } from '../../../test/support/treeBytes.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { ATTR_MAX_FILE_SIZE, checkGitattributes, checkGitmodules, specialBlobError } from './checkSpecialBlobs.ts';
import { hashObject } from './gitObject.ts';

/**
 * Each case is a blob named `.gitmodules` or `.gitattributes` by a tree of
 * its own. One `git fsck --strict` over all of them, and one
 * `git index-pack --strict` per case (what receive-pack runs), tell what git
 * thinks; `check` is what both must report first (undefined: accepted), and
 * what checkGitmodules/checkGitattributes must throw. `warnings` are the ids
 * git only warns about (gitmodulesParse is "info").
 */
interface Case {
  name: string;
  kind: 'gitmodules' | 'gitattributes';
  data: Uint8Array;
  check?: string;
  warnings?: string[];
}

const cases: Case[] = [];
const PARSE = ['gitmodulesParse'];

function modules(name: string, text: string | Uint8Array, check?: string, warnings?: string[]): void {
  cases.push({ name, kind: 'gitmodules', data: bytesOf(text), check, warnings });
}

function attributes(name: string, data: string | Uint8Array, check?: string): void {
  cases.push({ name, kind: 'gitattributes', data: bytesOf(data), check });
}

/** A `.gitmodules` with one submodule "x" and one `key = value` line (value as written in the file). */
function entry(key: string, value: string): string {
  return `[submodule "x"]\n\tpath = x\n\t${key} = ${value}\n`;
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

// Accepted
modules('a valid submodule', '[submodule "lib"]\n\tpath = lib\n\turl = https://example.com/lib.git\n');
modules('two submodules', '[submodule "a"]\n\tpath = a\n\turl = ../a.git\n\tupdate = rebase\n[submodule "b"]\n\tpath = b\n\turl = ./b\n\tupdate = merge\n\tbranch = main\n');
modules('empty', '');
modules('comments and blank lines', '# top\n\n; also\n[submodule "c"] # here too\n\turl = ./c ; and here\n\n');
for (const update of ['checkout', 'none', 'sometimes', '"rebase"']) modules(`update = ${update}`, entry('update', update));
for (const url of [
  './x', '../x', '../../a/b.git', '.\\\\x', '..\\\\x', './x:y', '../x/../../y', 'git://example.com/x.git', 'ssh://git@example.com/x',
  'git@example.com:x.git', 'file:///srv/x.git', '/srv/x.git', 'x', 'http::https://example.com/x', 'https://example.com',
  'https://user:pass@example.com:8080/x?y#z', 'https://a%3a@example.com/x', 'ftp://example.com/x', 'ssh://example.com/a\\nb',
  'https://example.com/%00', '', '" -x"', 'ok ; -x', 'ok # -x', 'ok\\\n-x', 'http:/example.com/%0a',
]) modules(`url = ${JSON.stringify(url)}`, entry('url', url));
modules('url without a value', '[submodule "x"]\n\turl\n');
modules('NUL in a value ends it', bytesOf(entry('url', 'ok'), '\tpath = x', bytes(0), '-y\n'));
modules('path = lib-x', entry('path', 'lib-x'));
modules('path = a/-b', entry('path', 'a/-b'));
for (const name of ['a..b', '..a', 'a/..b', 'a/.../b', '.', '...', 'a\\"b']) modules(`name ${JSON.stringify(name)}`, `[submodule "${name}"]\n\tpath = p\n`);
modules('no subsection', '[submodule]\n\turl = -x\n');
modules('another section', '[remote "origin"]\n\turl = -x\n');
modules('a key before any section', 'url = -x\n');
modules('a section named only by its subsection', '[ "submodule"]\n\turl = -x\n');
modules('CRLF line ends', '[submodule "x"]\r\n\tpath = x\r\n\turl = ./x\r\n');
modules('0xFF ends the input', bytesOf(entry('url', './ok'), bytes(0xff), '\n', entry('url', '-x')));
modules('0xFF ends a value, and the input', bytesOf(entry('url', './ok'), '\tpath = p', bytes(0xff), '\n\tpath = -x\n'));
// Accepted, unparsable (gitmodulesParse is "info")
modules('unclosed section', '[submodule "x"\n\turl = -x\n', undefined, PARSE);
modules('unclosed quote', entry('url', '"./x'), undefined, PARSE);
modules('unknown escape', entry('url', '\\-x'), undefined, PARSE);
modules('space in a key', '[submodule "x"]\n\tur l = -x\n', undefined, PARSE);
modules('bad character in a section name', '[submodule.a/..]\n\turl = -x\n', undefined, PARSE);
modules('a byte-order mark (git compares it as signed chars)', bytesOf(bytes(0xef, 0xbb, 0xbf), entry('url', '-x')), undefined, PARSE);
modules('0xFF in a subsection', bytesOf('[submodule "x', bytes(0xff), '"]\n\turl = -x\n'), undefined, PARSE);
modules('a key after 0xFF in a value', bytesOf('[submodule "x"]\n\turl = ok', bytes(0xff), '\turl = -x\n'), undefined, PARSE);
modules('a syntax error before a bad url', `[broken\n${entry('url', '-x')}`, undefined, PARSE);
modules('a bare "[" line', '[\n', undefined, PARSE);

// gitmodulesName
for (const name of ['..', '../x', 'a/../b', 'x/..', 'a\\\\..', '..\\\\a', '']) {
  modules(`name ${JSON.stringify(name)}`, `[submodule "${name}"]\n\tpath = p\n`, 'gitmodulesName');
}
modules('name checked for any key', '[submodule "../x"]\n\tactive\n', 'gitmodulesName');
modules('name before url', '[submodule ".."]\n\turl = -x\n', 'gitmodulesName');
modules('name in the old syntax', '[submodule.a.b]\n\tpath = p\n[submodule...]\n\tpath = p\n', 'gitmodulesName');
// gitmodulesUrl
for (const url of [
  '-x', '--upload-pack=touch /tmp/pwned', '"-x"', '"" -x', '\t-x', '\\\n-x', './%0ax', '../%0Ax', 'git://example.com/%0a', './a\\nb',
  '../:x', '..//x', './../:x', '.././/x', '..\\\\:x', 'http::example.com/x', 'https:///x', 'https://user@/x',
  'https://%0a@example.com/x', 'https://a:%0a@example.com/x', 'https://example.com/%0a', 'https://exam%0aple.com/x',
  'http::https://example.com/%0a', 'ftp://', 'ftps://a\\nb/', 'https://example.com/a\\nb', 'https://example.com?%0a',
]) modules(`url = ${JSON.stringify(url)}`, entry('url', url), 'gitmodulesUrl');
modules('old syntax', '[submodule.lib]\n\turl = -x\n', 'gitmodulesUrl');
modules('upper-case section and key', '[Submodule "x"]\n\tURL = -x\n', 'gitmodulesUrl');
modules('CRLF line ends, bad url', '[submodule "x"]\r\n\turl = -x\r\n', 'gitmodulesUrl');
modules('a bad url, then a syntax error', `${entry('url', '-x')}[broken\n`, 'gitmodulesUrl', PARSE);
modules('url, then path', `${entry('url', '-x')}\tpath = -y\n`, 'gitmodulesUrl');
// gitmodulesPath
modules('path = -x', entry('path', '-x'), 'gitmodulesPath');
modules('path = --x', entry('path', '--x'), 'gitmodulesPath');
modules('path, then url', `${entry('path', '-y')}\turl = -x\n`, 'gitmodulesPath');
// gitmodulesUpdate
modules('update = !command', entry('update', '!rm -rf /'), 'gitmodulesUpdate');
modules('update = !', entry('update', '!'), 'gitmodulesUpdate');

const line = (length: number, char = 'a'): string => char.repeat(length);
attributes('ordinary', '*.txt text\n*.bin binary\n');
attributes('only blank lines', '\n\n');
attributes('a line of 2047 bytes', `${line(2047)}\n${line(2047)}`);
attributes('a line of 2048 bytes', `x\n${line(2048)}\ny\n`, 'gitattributesLineLength');
attributes('a last line of 2048 bytes, without LF', `x\n${line(2048)}`, 'gitattributesLineLength');
attributes('2047 bytes and CR LF', `${line(2047)}\r\n`, 'gitattributesLineLength');
attributes('a long line after a NUL', bytesOf('x\n', bytes(0), line(3000)));
attributes('a long line before a NUL', bytesOf(line(3000, 'b'), bytes(0), 'x\n'), 'gitattributesLineLength');
attributes('a NUL first', bytesOf(bytes(0), line(3000, 'c')));

let repo: ScratchRepo;
let into: ScratchRepo;
let findings: Map<string, FsckFinding[]>;
const trees = new Map<Case, { blob: string; tree: string }>();

beforeAll(() => {
  repo = scratchRepo();
  into = scratchRepo();
  for (const c of cases) {
    const blob = repo.hash('blob', c.data);
    const tree = repo.hash('tree', treeEntry('100644', `.${c.kind}`, blob));
    trees.set(c, { blob, tree });
  }
  findings = repo.fsck();
});

afterAll(() => {
  repo?.remove();
  into?.remove();
});

describe('checkGitmodules and checkGitattributes agree with git', () => {
  it('has one blob per case and covers every check', () => {
    expect(new Set([...trees.values()].map((t) => t.blob)).size).toBe(cases.length);
    expect(new Set(cases.map((c) => c.check))).toEqual(new Set([
      undefined, 'gitmodulesName', 'gitmodulesUrl', 'gitmodulesPath', 'gitmodulesUpdate', 'gitattributesLineLength',
    ]));
  });

  it.each(cases)('$kind: $name', (c) => {
    const { blob, tree } = trees.get(c)!;
    const said = findings.get(blob) ?? [];
    const context = `git fsck said ${JSON.stringify(said)}`;
    expect(said.filter((f) => f.level === 'error').map((f) => f.id)[0], context).toBe(c.check);
    expect(said.filter((f) => f.level === 'warning').map((f) => f.id), context).toEqual(c.warnings ?? []);
    const verdict = strictIndexPack(repo, [tree, blob], into);
    expect([verdict.accepted, verdict.check], verdict.stderr).toEqual([c.check === undefined, c.check]);
    expect(thrownCheck(() => (c.kind === 'gitmodules' ? checkGitmodules : checkGitattributes)(c.data)), context).toBe(c.check);
  });

  it('throws with git message, the value as UTF-8', () => {
    expect(() => checkGitmodules(bytesOf(entry('url', '-é')))).toThrow(new RegExp(`^gitmodulesUrl: disallowed submodule url: -é$`));
    try {
      checkGitmodules(bytesOf('[submodule "../x"]\n\tpath = p\n'));
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toBe('gitmodulesName: disallowed submodule name: ../x');
      expect((err as { details: unknown }).details).toEqual({ check: 'gitmodulesName' });
    }
    expect(() => checkGitmodules(bytesOf(entry('path', '-p')))).toThrow('gitmodulesPath: disallowed submodule path: -p');
    expect(() => checkGitmodules(bytesOf(entry('update', '!x')))).toThrow('gitmodulesUpdate: disallowed submodule update setting: !x');
    expect(() => checkGitattributes(bytesOf(line(2048)))).toThrow('gitattributesLineLength: .gitattributes has too long lines to parse');
  });
});

describe('specialBlobError', () => {
  it('gives the ids and messages git reports for a missing or non-blob .gitmodules/.gitattributes', () => {
    const scratch = scratchRepo();
    try {
      const sub = scratch.hash('tree', treeEntry('100644', 'f', scratch.hash('blob', 'f\n')));
      const missing = hashObject(nodeCodec, 'blob', new TextEncoder().encode('never written'));
      const expected: [string, string][] = [];
      for (const kind of ['gitmodules', 'gitattributes'] as const) {
        // Files sort by name: '.gitattributes' < '.gitmodules'; each tree names one.
        scratch.hash('tree', treeEntry('40000', `.${kind}`, sub));
        scratch.hash('tree', treeEntry('160000', `.${kind}`, missing));
        expected.push([sub, specialBlobError(kind, 'notBlob', sub).message], [missing, specialBlobError(kind, 'missing', missing).message]);
      }
      const said = scratch.fsck();
      for (const [oid, message] of expected) {
        expect((said.get(oid) ?? []).map((f) => `${f.id}: ${f.message}`)).toContain(message);
      }
      // index-pack (receive-pack's path for 100 objects or more) lets a missing .gitmodules through, and only that.
      const into2 = scratchRepo();
      try {
        for (const kind of ['gitmodules', 'gitattributes'] as const) {
          const gitlink = scratch.hash('tree', treeEntry('160000', `.${kind}`, missing));
          const verdict = strictIndexPack(scratch, [gitlink], into2);
          expect([verdict.accepted, verdict.check], verdict.stderr).toEqual(kind === 'gitmodules' ? [true, undefined] : [false, 'gitattributesMissing']);
        }
      } finally {
        into2.remove();
      }
      const error = specialBlobError('gitattributes', 'missing', missing);
      expect(error.toJSON()).toEqual({
        code: 'BAD_OBJECT',
        message: 'gitattributesMissing: unable to read .gitattributes blob',
        details: { check: 'gitattributesMissing', oid: missing },
      });
    } finally {
      scratch.remove();
    }
  });
});

describe('checkGitattributes on large blobs', () => {
  it('refuses more than 100 MiB, as git does, and accepts 100 MiB', () => {
    const scratch = scratchRepo();
    const into2 = scratchRepo();
    try {
      for (const size of [ATTR_MAX_FILE_SIZE, ATTR_MAX_FILE_SIZE + 1]) {
        const data = new Uint8Array(size).fill(0x0a);
        const blob = scratch.hash('blob', data);
        const tree = scratch.hash('tree', treeEntry('100644', '.gitattributes', blob));
        const verdict = strictIndexPack(scratch, [tree, blob], into2);
        const check = size > ATTR_MAX_FILE_SIZE ? 'gitattributesLarge' : undefined;
        expect([verdict.accepted, verdict.check], verdict.stderr).toEqual([check === undefined, check]);
        let thrown: string | undefined;
        try {
          checkGitattributes(data);
        } catch (err) {
          thrown = isGroveError(err) ? String(err.details?.check) : String(err);
        }
        expect(thrown).toBe(check);
      }
    } finally {
      scratch.remove();
      into2.remove();
    }
  }, 60_000);
});
