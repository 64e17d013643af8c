import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf } from '../../../test/support/bytesOf.ts';
import { collect } from '../../../test/support/collect.ts';
import { gitBytes } from '../../../test/support/gitBytes.ts';
import { makeRepo } from '../../../test/support/makeRepo.ts';
import { DELIM, FLUSH, pkt } from '../../../test/support/pktLines.ts';
import { loadGitRepository, openRepository, type OpenedRepository } from '../../../test/support/storeRepo.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { isGroveError } from '../../errors.ts';
import type { Ref } from '../ports.ts';
import { handleLsRefs } from './handleLsRefs.ts';

const work = useTempDir('grove-lsrefs-');
const src = join(work, 'src.git');
const empty = join(work, 'empty.git');
let opened: OpenedRepository;
let refs: Ref[];
let emptyRefs: Ref[];

beforeAll(async () => {
  await makeRepo(src, { commits: 160 });
  opened = openRepository();
  await loadGitRepository(opened, src);
  refs = await opened.repo.listRefs();
  gitBytes(['init', '-q', '--bare', '-b', 'main', empty]);
  const unborn = openRepository();
  emptyRefs = await unborn.repo.listRefs();
  unborn.close();
});

afterAll(() => {
  opened.close();
});

/** What `git upload-pack` answers to a v2 `ls-refs` request with `args`. */
function gitLsRefs(dir: string, args: string[]): string {
  const request = bytesOf(pkt('command=ls-refs\n'), pkt('object-format=sha1\n'), DELIM, ...args.map((a) => pkt(`${a}\n`)), FLUSH);
  return new TextDecoder().decode(gitBytes(['upload-pack', '--stateless-rpc', dir], { input: request, env: { GIT_PROTOCOL: 'version=2' } }));
}

async function ours(list: readonly Ref[], args: string[]): Promise<string> {
  return new TextDecoder().decode(await collect(handleLsRefs(list, args)));
}

const cases: string[][] = [
  [],
  ['symrefs'],
  ['peel'],
  ['symrefs', 'peel'],
  ['ref-prefix refs/heads/'],
  ['peel', 'ref-prefix refs/tags/v', 'ref-prefix HEAD'],
  ['symrefs', 'ref-prefix refs/heads/main'],
  ['ref-prefix refs/heads/feature/', 'ref-prefix refs/heads/topic'],
  ['ref-prefix refs/nothing/'],
  ['unborn', 'symrefs', 'peel'],
  ['unborn'],
];

describe('handleLsRefs', () => {
  for (const args of cases) {
    it(`answers byte for byte as git upload-pack does: [${args.join(', ')}]`, async () => {
      const expected = gitLsRefs(src, args);
      expect(await ours(refs, args)).toBe(expected);
      if (args.length === 0) expect(expected.split('\n').length).toBeGreaterThan(10);
    });
  }

  for (const args of [[], ['symrefs'], ['peel'], ['unborn', 'symrefs'], ['unborn', 'symrefs', 'peel'], ['unborn', 'symrefs', 'ref-prefix refs/heads/']]) {
    it(`answers byte for byte as git does for an empty repository with an unborn HEAD: [${args.join(', ')}]`, async () => {
      expect(await ours(emptyRefs, args)).toBe(gitLsRefs(empty, args));
    });
  }

  // git sends an unborn HEAD only when the client asked for both `unborn` and
  // `symrefs` (the line is "unborn HEAD symref-target:<target>").
  it('answers [unborn] alone for an unborn HEAD as git does', async () => {
    expect(gitLsRefs(empty, ['unborn'])).toBe('0000');
    expect(await ours(emptyRefs, ['unborn'])).toBe(gitLsRefs(empty, ['unborn']));
  });

  it('refuses an argument it does not know, with PROTOCOL_ERROR naming it', async () => {
    for (const arg of ['symref', 'ref-prefix', 'peel=1', 'refs/heads/']) {
      let err: unknown;
      try {
        handleLsRefs(refs, ['peel', arg]);
      } catch (e) {
        err = e;
      }
      expect(isGroveError(err) && err.code, arg).toBe('PROTOCOL_ERROR');
      expect((err as Error).message).toContain(`'${arg}'`);
    }
  });
});
