import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf } from '../../../test/support/bytesOf.ts';
import { collect } from '../../../test/support/collect.ts';
import { gitRun, gitText } from '../../../test/support/gitBytes.ts';
import { historyRepo, type HistoryRepo } from '../../../test/support/historyRepo.ts';
import { packOids } from '../../../test/support/packOids.ts';
import { DELIM, FLUSH, pkt, readPackets, sidebandData } from '../../../test/support/pktLines.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { isGroveError } from '../../errors.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { handleFetchV2 } from './handleFetchV2.ts';
import type { UploadPackContext } from './uploadPackContext.ts';

let repo: HistoryRepo;
let ctx: UploadPackContext;
const work = useTempDir('grove-shallow-');

beforeAll(async () => {
  repo = await historyRepo();
  ctx = { objects: repo.opened.repo.objects, refs: repo.opened.repo, codec: nodeCodec };
});

afterAll(() => repo.remove());

const UNKNOWN = '0123456789abcdef0123456789abcdef01234567';

interface Answer {
  /** The lines before the pack, the lines of `shallow-info` sorted (their order is not part of the protocol). */
  lines: string[];
  /** The objects of the pack, if one came. */
  pack: Set<string> | null;
}

function answerOf(out: Uint8Array): Answer {
  const { packets, rest } = readPackets(out, true);
  const start = packets.indexOf('shallow-info\n');
  if (start >= 0) {
    const end = packets.indexOf('delim', start);
    packets.splice(start + 1, end - start - 1, ...packets.slice(start + 1, end).sort());
  }
  return { lines: packets, pack: rest.length > 0 ? packOids(sidebandData(rest, 1)) : null };
}

/** What `git upload-pack` answers to a v2 fetch with `args`. */
function gitAnswer(args: string[]): Answer {
  const body = bytesOf(pkt('command=fetch\n'), pkt('object-format=sha1\n'), DELIM, ...args.map((a) => pkt(`${a}\n`)), FLUSH);
  const result = gitRun(['upload-pack', '--stateless-rpc', repo.src], { input: body, env: { GIT_PROTOCOL: 'version=2' } });
  expect(result.status, result.stderr).toBe(0);
  return answerOf(result.stdout);
}

async function groveAnswer(args: string[]): Promise<Answer> {
  return answerOf(await collect(handleFetchV2(ctx, args)));
}

/** Objects a client holding `haves`, shallow at `shallow`, has: the pack need not (and may) carry them. */
function clientObjects(haves: string[], shallow: string[]): Set<string> {
  if (haves.length === 0) return new Set();
  const file = join(work, `shallow-${Math.random().toString(16).slice(2)}`);
  writeFileSync(file, shallow.map((oid) => `${oid}\n`).join(''));
  const listed = gitText(['--shallow-file', file, 'rev-list', '--objects', ...haves], { cwd: repo.src });
  return new Set(listed.split('\n').filter((line) => line !== '').map((line) => line.slice(0, 40)));
}

function without(set: Set<string> | null, remove: Set<string>): string[] {
  return [...(set ?? [])].filter((oid) => !remove.has(oid)).sort();
}

interface Case {
  title: string;
  wants: string[];
  /** Request lines with `{rev}` for an object id (`{time:rev}` for its committer time). */
  lines: string[];
  shallow?: string[];
  haves?: string[];
  done?: boolean;
}

const cases: Case[] = [
  { title: 'deepen 1 of main (a clone --depth 1)', wants: ['main'], lines: ['deepen 1'] },
  { title: 'deepen 3 of three branches', wants: ['main', 'release/1.x', 'feature/beta'], lines: ['deepen 3'] },
  { title: 'deepen 70, through merges', wants: ['main'], lines: ['deepen 70'] },
  { title: 'deepen 2 of an annotated tag and a tag of a tag', wants: ['refs/tags/v0.2', 'refs/tags/nested-outer'], lines: ['deepen 2'] },
  { title: 'deepen beyond the root', wants: ['orphan'], lines: ['deepen 10'] },
  { title: 'deepen-since', wants: ['main', 'feature/beta'], lines: ['deepen-since {time:main~40}'] },
  { title: 'deepen-since older than everything', wants: ['orphan'], lines: ['deepen-since 1'] },
  { title: 'deepen-not a tag by its short name', wants: ['main'], lines: ['deepen-not v0.3'] },
  { title: 'deepen-not two refs, with deepen-since', wants: ['main', 'release/1.x'], lines: ['deepen-not refs/tags/v0.3', 'deepen-not feature/alpha', 'deepen-since {time:main~120}'] },
  { title: 'deepen-not HEAD for a side branch', wants: ['feature/beta', 'release/1.x'], lines: ['deepen-not HEAD'] },
  {
    title: 'deepen-relative from a shallow client',
    wants: ['main'], shallow: ['main~5'], haves: ['main'], lines: ['deepen 3', 'deepen-relative'],
  },
  {
    title: 'deepen 2147483647 (--unshallow) of two boundaries',
    wants: ['main', 'release/1.x'], shallow: ['main~5', 'release/1.x~2'], haves: ['main', 'release/1.x'], lines: ['deepen 2147483647'],
  },
  {
    title: 'a plain fetch from a shallow client: its boundary holds on the have side too',
    wants: ['release/1.x'], shallow: ['main~5'], haves: ['main'], lines: [],
  },
  {
    title: 'deepen from the tips of a client shallow below the new boundary',
    wants: ['main'], shallow: ['main~20'], haves: ['main~10'], lines: ['deepen 15'],
  },
  {
    title: 'deepen from the tips of a client shallow above the new boundary (unshallow)',
    wants: ['main'], shallow: ['main~3'], haves: ['main~1'], lines: ['deepen 6'],
  },
  { title: 'a shallow line for an unknown object is ignored', wants: ['main'], shallow: [UNKNOWN], lines: ['deepen 1'] },
  {
    title: 'fetch --deepen without done: acknowledgments, ready, shallow-info, pack',
    wants: ['main'], shallow: ['main'], haves: ['main'], lines: ['deepen 2', 'deepen-relative'], done: false,
  },
];

describe('computeShallow, through handleFetchV2, against git upload-pack', () => {
  for (const c of cases) {
    it(`answers as git does: ${c.title}`, async () => {
      const rev = (r: string): string => (r === UNKNOWN ? r : repo.rev(r));
      const lines = c.lines.map((line) => line
        .replace(/\{time:([^}]+)\}/g, (_, r: string) => gitText(['log', '-1', '--format=%ct', r], { cwd: repo.src }))
        .replace(/\{([^}]+)\}/g, (_, r: string) => rev(r)));
      const args = [
        'no-progress', 'ofs-delta',
        ...c.wants.map((w) => `want ${rev(w)}`),
        ...(c.shallow ?? []).map((s) => `shallow ${rev(s)}`),
        ...lines,
        ...(c.haves ?? []).map((h) => `have ${rev(h)}`),
        ...(c.done === false ? [] : ['done']),
      ];
      const theirs = gitAnswer(args);
      const ours = await groveAnswer(args);
      expect(ours.lines).toEqual(theirs.lines);
      expect(theirs.lines).toContain('shallow-info\n');
      // The pack: exactly git's, but for objects the client holds already (git may send some of those again).
      const held = clientObjects((c.haves ?? []).map(rev), (c.shallow ?? []).map(rev).filter((oid) => oid !== UNKNOWN));
      expect(theirs.pack).not.toBeNull();
      expect(without(ours.pack, held)).toEqual(without(theirs.pack, held));
    });
  }

  const refused: [string, string[], string][] = [
    ['deepen with deepen-since', ['deepen 1', 'deepen-since 1600000000'], 'deepen and deepen-since (or deepen-not) cannot be used together'],
    ['deepen-not of a ref that does not exist', ['deepen-not no-such-ref'], 'ambiguous deepen-not: deepen-not no-such-ref'],
    ['deepen 0', ['deepen 0'], 'Invalid deepen: deepen 0'],
    ['deepen-since after every commit', ['deepen-since 4000000000'], 'no commits selected for shallow requests'],
    ['a shallow line naming a tree', ['shallow {main^{tree}}', 'deepen 1'], 'invalid shallow object {main^{tree}}'],
  ];
  for (const [title, extra, message] of refused) {
    it(`refuses as git does: ${title}`, async () => {
      const fill = (text: string): string => text.replace(/\{([^}]+\}?)\}/g, (_, r: string) => repo.rev(r));
      const args = ['no-progress', `want ${repo.rev('main')}`, ...extra.map(fill), 'done'];
      const body = bytesOf(pkt('command=fetch\n'), DELIM, ...args.map((a) => pkt(`${a}\n`)), FLUSH);
      const theirs = gitRun(['upload-pack', '--stateless-rpc', repo.src], { input: body, env: { GIT_PROTOCOL: 'version=2' } });
      expect(theirs.status).not.toBe(0);
      expect(theirs.stderr).toContain(fill(message));
      const err = await groveAnswer(args).then(() => undefined, (e: unknown) => e);
      expect(isGroveError(err) && err.code).toBe('PROTOCOL_ERROR');
      expect((err as Error).message).toContain(fill(message));
    });
  }
});
