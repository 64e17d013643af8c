import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf } from '../../../test/support/bytesOf.ts';
import { readAllObjects, scratchRepo, type FsckFinding, type ScratchRepo } from '../../../test/support/scratchRepo.ts';
import { treeEntry } from '../../../test/support/treeBytes.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { checkGitattributes, checkGitmodules } from './checkSpecialBlobs.ts';
import { checkTree } from './checkTree.ts';
import { hashObject, type ObjectType } from './gitObject.ts';

/**
 * Which entries of a tree git treats as `.gitmodules` / `.gitattributes`
 * (and so checks the content of, or refuses when they are not blobs), as
 * `git fsck --strict` shows it: each case's entry points at its own canary —
 * a blob that is a bad `.gitmodules` (gitmodulesUrl) and a bad
 * `.gitattributes` (gitattributesLineLength) at once, a tree (gitmodulesBlob,
 * gitattributesBlob) or a missing commit (gitmodulesMissing,
 * gitattributesMissing). git reports on the canary exactly when it took the
 * entry for one of the two.
 */
interface AliasCase {
  mode: string;
  name: string;
  gitmodules: boolean;
  gitattributes: boolean;
  canary: string;
  tree: Uint8Array;
}

const encoder = new TextEncoder();
const cases: AliasCase[] = [];
const written: [ObjectType, Uint8Array][] = [];

function write(type: ObjectType, data: Uint8Array): string {
  written.push([type, data]);
  return hashObject(nodeCodec, type, data);
}

const plain = write('blob', encoder.encode('plain\n'));

function alias(name: string, gitmodules: boolean, gitattributes: boolean, mode = '100644'): void {
  const n = cases.length;
  let canary: string;
  if (mode === '40000') canary = write('tree', treeEntry('100644', `file${n}`, plain));
  else if (mode === '160000') canary = hashObject(nodeCodec, 'commit', encoder.encode(`never written ${n}`));
  else canary = write('blob', encoder.encode(`[submodule "x"]\n\turl = -case-${n}\n# ${'a'.repeat(2048)}\n`));
  cases.push({ mode, name, gitmodules, gitattributes, canary, tree: treeEntry(mode, name, canary) });
}

for (const name of [
  '.gitmodules', '.GITMODULES', '.GitModules', '.gitmodules ', '.gitmodules.', '.gitmodules . .', '.gitmodules:$DATA',
  'gitmod~1', 'GITMOD~1', 'gitmod~4', 'gitmod~1 .', 'gi7eba~1', 'GI7EBA~9', 'gi7eb~12', 'gi7e~123',
  '\u200c.gitmodules', '.git\u200dmodules', '.gitmodules\ufeff', '\u202a.GitModules\u206f',
  'a\\.gitmodules', 'a\\gitmod~1', 'x\\y\\.gitmodules ', '.gitmodules\\.gitmodules',
]) alias(name, true, false);
for (const name of [
  '.gitmodulesx', '.gitmodule', 'gitmodules', '..gitmodules', 'x.gitmodules', 'gitmod~5', 'gitmod~0', 'gitmo~1',
  'gitmod~1x', 'gi7eba~0', 'gi7ebb~1', '.gitmodules\\x', '.gitmodules\u200bx', 'a\\.gitmodulesx', '~123456', '~12345678',
]) alias(name, false, false);
for (const name of ['~1234567', '~9999999', 'g~123456', 'G~123456 .', 'gi~12345', 'gI7~1234']) alias(name, true, true);
for (const name of [
  '.gitattributes', '.GITATTRIBUTES', '.gitattributes ', '.gitattributes..', '.gitattributes:stream', 'gitatt~1',
  'GITATT~4', 'gi7d29~1', 'gi7d2~12', '\u200c.gitattributes', '.gitattri\u200ebutes', '.gitattributes\ufeff',
]) alias(name, false, true);
for (const name of ['a\\.gitattributes', 'a\\gitatt~1', '.gitattributesx', 'gitatt~5', 'gitattributes', '.gitattribute']) {
  alias(name, false, false);
}
alias('.gitmodules', true, false, '100755');
alias('.gitmodules', true, false, '40000');
alias('.gitmodules', true, false, '160000');
alias('gitmod~2', true, false, '40000');
alias('.gitattributes', false, true, '100755');
alias('.gitattributes', false, true, '40000');
alias('.gitattributes', false, true, '160000');
alias('.gitattributes', false, false, '120000'); // gitattributesSymlink: "info", and no content check

let repo: ScratchRepo;
let findings: Map<string, FsckFinding[]>;
const trees: { entries: Uint8Array; gitmodules: string[]; gitattributes: string[] }[] = [];

// Several entries: one id is listed once; each kind gets its own ids, in tree order.
{
  const modules = write('blob', encoder.encode('[submodule "m"]\n\turl = -several\n'));
  const attributes = write('blob', encoder.encode(`${'b'.repeat(3000)}\n`));
  const other = write('blob', encoder.encode('[submodule "o"]\n\tpath = -other\n'));
  trees.push({
    entries: bytesOf(treeEntry('100644', '.gitmodules', modules), treeEntry('100644', 'gitmod~1', modules), treeEntry('100644', 'gitmod~2', other)),
    gitmodules: [modules, other],
    gitattributes: [],
  });
  trees.push({
    entries: bytesOf(
      treeEntry('100644', '.gitattributes', attributes), treeEntry('100644', '.gitmodules', modules), treeEntry('100644', 'a', plain),
      treeEntry('100644', 'gitatt~1', attributes),
    ),
    gitmodules: [modules],
    gitattributes: [attributes],
  });
}

beforeAll(() => {
  repo = scratchRepo();
  for (const [type, data] of written) repo.hash(type, data);
  for (const c of cases) repo.hash('tree', c.tree);
  for (const t of trees) repo.hash('tree', t.entries);
  findings = repo.fsck();
});

afterAll(() => repo?.remove());

function gitSays(oid: string): string[] {
  return (findings.get(oid) ?? []).filter((f) => f.level === 'error').map((f) => f.id);
}

describe('checkTree lists the entries git fsck takes for .gitmodules and .gitattributes', () => {
  it('has canaries that git and checkSpecialBlobs refuse for both kinds', () => {
    const canary = cases[0]!;
    expect(gitSays(canary.canary)).toEqual(['gitmodulesUrl']);
    expect(() => checkGitmodules(repo.read('blob', canary.canary))).toThrow(/^gitmodulesUrl: /);
    expect(() => checkGitattributes(repo.read('blob', canary.canary))).toThrow(/^gitattributesLineLength: /);
  });

  it.each(cases)('$mode $name', (c) => {
    const said = gitSays(c.canary);
    const gitSawModules = said.some((id) => id === 'gitmodulesUrl' || id === 'gitmodulesBlob' || id === 'gitmodulesMissing');
    const gitSawAttributes = said.some((id) => id.startsWith('gitattributes'));
    const context = `git said ${JSON.stringify(findings.get(c.canary))}`;
    expect([gitSawModules, gitSawAttributes], context).toEqual([c.gitmodules, c.gitattributes]);
    const check = checkTree(c.tree);
    expect(check.gitmodules).toEqual(c.gitmodules ? [c.canary] : []);
    expect(check.gitattributes).toEqual(c.gitattributes ? [c.canary] : []);
    expect(check.links).toEqual(c.mode === '160000' ? [] : [{ oid: c.canary, type: c.mode === '40000' ? 'tree' : 'blob' }]);
  });

  it('lists each id once, per kind, in tree order', () => {
    for (const t of trees) {
      for (const oid of [...t.gitmodules, ...t.gitattributes]) expect(gitSays(oid).length).toBe(1);
      const check = checkTree(t.entries);
      expect([check.gitmodules, check.gitattributes]).toEqual([t.gitmodules, t.gitattributes]);
    }
  });
});

describe('checkTree on a repository made with git', () => {
  it('lists the .gitmodules and .gitattributes entries git ls-tree shows', () => {
    const work = scratchRepo({ bare: false });
    try {
      const files: Record<string, string> = {
        '.gitmodules': '[submodule "vendor/lib"]\n\tpath = vendor/lib\n\turl = ../lib.git\n',
        '.gitattributes': '*.bin binary\n',
        'docs/.gitattributes': '*.md text\n',
        'docs/guide.md': '# Guide\n',
        'src/.gitmodules': '# not a real one, but git checks it all the same\n',
        'src/main.c': 'int main(void) { return 0; }\n',
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(work.dir, path, '..'), { recursive: true });
        writeFileSync(join(work.dir, path), text);
      }
      work.git(['add', '.']);
      work.git(['update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},vendor/lib`]);
      work.git(['commit', '-q', '-m', 'with submodule and attributes']);
      let seen = 0;
      for (const object of readAllObjects(work.dir)) {
        if (object.type !== 'tree') continue;
        const listing = work.git(['ls-tree', object.oid]).split('\n');
        const named = (name: string): string[] => listing.filter((line) => line.endsWith(`\t${name}`)).map((line) => line.split(/[ \t]/)[2]!);
        const check = checkTree(object.data);
        expect([check.gitmodules, check.gitattributes]).toEqual([named('.gitmodules'), named('.gitattributes')]);
        seen += check.gitmodules.length + check.gitattributes.length;
      }
      expect(seen).toBe(4);
      expect(work.run(['fsck', '--strict', '--no-dangling']).status).toBe(0);
    } finally {
      work.remove();
    }
  });
});
