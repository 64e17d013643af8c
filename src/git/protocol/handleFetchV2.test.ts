import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf } from '../../../test/support/bytesOf.ts';
import { oneChunk } from '../../../test/support/chunked.ts';
import { collect } from '../../../test/support/collect.ts';
import { gitBytes, gitRun } from '../../../test/support/gitBytes.ts';
import { historyRepo, type HistoryRepo } from '../../../test/support/historyRepo.ts';
import { packOids } from '../../../test/support/packOids.ts';
import { DELIM, FLUSH, pkt, readPackets, sidebandData } from '../../../test/support/pktLines.ts';
import { revListObjects } from '../../../test/support/storeRepo.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { isGroveError } from '../../errors.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { handleFetchV2, parseFetchArgs } from './handleFetchV2.ts';
import { parseCommandRequest, type CommandRequest } from './parseCommandRequest.ts';
import { PktLineReader } from './PktLineReader.ts';
import type { UploadPackContext } from './uploadPackContext.ts';

let repo: HistoryRepo;
let ctx: UploadPackContext;
const work = useTempDir('grove-fetchv2-');

beforeAll(async () => {
  repo = await historyRepo();
  ctx = { objects: repo.opened.repo.objects, refs: repo.opened.repo, codec: nodeCodec };
});

afterAll(() => {
  repo.remove();
});

const UNKNOWN = '0123456789abcdef0123456789abcdef01234567';

/** The `fetch` requests a real git client sends for `args` (git's upload-pack serves it, `tee` keeps a copy). */
async function capturedFetches(name: string, args: string[], cwd: string): Promise<CommandRequest[]> {
  const file = join(work, `${name}.requests`);
  gitBytes(['-c', 'protocol.version=2', args[0]!, `--upload-pack=tee ${file} | git upload-pack`, ...args.slice(1)], { cwd });
  const reader = new PktLineReader((async function* () { yield readFileSync(file); })());
  const fetches: CommandRequest[] = [];
  for (let request = await parseCommandRequest(reader); request.command !== null; request = await parseCommandRequest(reader)) {
    if (request.command === 'fetch') fetches.push(request);
  }
  return fetches;
}

describe('parseFetchArgs', () => {
  it('reads the fetch request of git clone', async () => {
    const [fetch, ...more] = await capturedFetches('clone', ['clone', '--bare', '--no-local', '-q', repo.src, join(work, 'clone.git')], work);
    expect(more).toEqual([]);
    const args = parseFetchArgs(fetch!.args);
    const tips = new TextDecoder().decode(gitBytes(['for-each-ref', '--format=%(objectname)'], { cwd: repo.src })).trim().split('\n');
    expect(new Set(args.wants)).toEqual(new Set(tips));
    expect(args).toMatchObject({ haves: [], done: true, thinPack: true, noProgress: true, ofsDelta: true, includeTag: false, waitForDone: false });
  });

  it('reads the haves of an incremental git fetch', async () => {
    const client = join(work, 'alpha.git');
    gitBytes(['clone', '--bare', '--no-local', '-q', '--single-branch', '--branch', 'feature/alpha', repo.src, client]);
    const fetches = await capturedFetches('fetch', ['fetch', '-q', repo.src, 'refs/heads/main:refs/heads/main'], client);
    expect(fetches.length).toBeGreaterThanOrEqual(1);
    const last = parseFetchArgs(fetches.at(-1)!.args);
    expect(last.wants).toContain(repo.rev('main'));
    expect(last.haves.length).toBeGreaterThan(0);
    expect(last.haves).toContain(repo.rev('feature/alpha'));
    expect(last).toMatchObject({ thinPack: true, ofsDelta: true, includeTag: true });
  });

  it('drops repeated wants, keeps haves in order, and reads every flag', () => {
    const a = repo.rev('main');
    const b = repo.rev('main~1');
    const noShallow = { clientShallow: [], depth: 0, relative: false, since: null, not: [] };
    expect(parseFetchArgs([`want ${a}`, `want ${b}`, `want ${a}`, `have ${b}`, `have ${a}`, `have ${b}`, 'include-tag', 'wait-for-done', 'done'])).toEqual({
      wants: [a, b], haves: [b, a, b], done: true, thinPack: false, noProgress: false, includeTag: true, ofsDelta: false, waitForDone: true,
      shallow: noShallow, filter: null,
    });
    expect(parseFetchArgs([])).toEqual({
      wants: [], haves: [], done: false, thinPack: false, noProgress: false, includeTag: false, ofsDelta: false, waitForDone: false,
      shallow: noShallow, filter: null,
    });
    expect(parseFetchArgs([`shallow ${b}`, 'deepen 0x10', 'deepen-relative', 'deepen-since 1600000000', 'deepen-not v1', 'deepen-not main', 'filter blob:limit=2k'])).toMatchObject({
      shallow: { clientShallow: [b], depth: 16, relative: true, since: 1600000000, not: ['v1', 'main'] },
      filter: { kind: 'blob:limit', bytes: 2048 },
    });
  });

  it('refuses what Grove does not serve and malformed ids with PROTOCOL_ERROR naming the line', () => {
    const main = repo.rev('main');
    for (const line of ['want 0123', `want ${main.toUpperCase()}`, `have ${main} `, 'have', 'sideband-all', 'want-ref refs/heads/main', 'packfile-uris https', 'done please']) {
      let err: unknown;
      try {
        parseFetchArgs([`want ${main}`, line]);
      } catch (e) {
        err = e;
      }
      expect(isGroveError(err) && err.code, line).toBe('PROTOCOL_ERROR');
      expect((err as Error).message).toContain(`'${line}'`);
    }
  });
});

describe('handleFetchV2', () => {
  /** A stateless v2 fetch request with `args`, as bytes (for git) and as parsed arguments (for Grove). */
  function fetchRequest(args: string[]): Uint8Array {
    return bytesOf(pkt('command=fetch\n'), pkt('object-format=sha1\n'), DELIM, ...args.map((a) => pkt(`${a}\n`)), FLUSH);
  }

  function gitLines(args: string[]): string[] {
    const result = gitRun(['upload-pack', '--stateless-rpc', repo.src], { input: fetchRequest(args), env: { GIT_PROTOCOL: 'version=2' } });
    expect(result.status, result.stderr).toBe(0);
    return readPackets(result.stdout, true).packets;
  }

  async function groveLines(args: string[]): Promise<string[]> {
    return readPackets(await collect(handleFetchV2(ctx, args)), true).packets;
  }

  const cases: [string, string[], string[], boolean][] = [
    ['common haves: acknowledgments, ready, then the pack', ['main'], ['main~20', 'main~40'], false],
    ['an unknown have: NAK, and another round', ['main'], [UNKNOWN], false],
    ['haves that are not enough for every want', ['main', 'orphan'], ['main~5', UNKNOWN], false],
    ['done: the pack at once', ['main'], ['main~20'], true],
    ['no haves: the pack at once', ['main', 'release/1.x'], [], false],
  ];
  for (const [title, wantRevs, haveRevs, done] of cases) {
    it(`answers as git upload-pack does: ${title}`, async () => {
      const resolve = (r: string): string => (r === UNKNOWN ? r : repo.rev(r));
      const args = ['thin-pack', 'no-progress', 'ofs-delta', ...wantRevs.map((w) => `want ${resolve(w)}`), ...haveRevs.map((h) => `have ${resolve(h)}`), ...(done ? ['done'] : [])];
      expect(await groveLines(args)).toEqual(gitLines(args));
    });
  }

  it('with wait-for-done, acknowledges without ready, as git does', async () => {
    const args = ['no-progress', `want ${repo.rev('main')}`, `have ${repo.rev('main~20')}`, 'wait-for-done'];
    const theirs = gitLines(args);
    expect(theirs).toEqual(['acknowledgments\n', `ACK ${repo.rev('main~20')}\n`, 'flush']);
    expect(await groveLines(args)).toEqual(theirs);
  });

  it('answers a request without wants with a flush', async () => {
    expect(await groveLines(['no-progress'])).toEqual(['flush']);
  });

  it('refuses a want no ref reaches with "not our ref"', async () => {
    const err = await groveLines([`want ${repo.unreachable.commit}`, 'done']).then(() => undefined, (e: unknown) => e);
    expect(isGroveError(err) && err.code).toBe('PROTOCOL_ERROR');
    expect((err as Error).message).toBe(`upload-pack: not our ref ${repo.unreachable.commit}`);
  });

  it('reads the request body through parseCommandRequest as the server does', async () => {
    const request = await parseCommandRequest(new PktLineReader(oneChunk(fetchRequest([`want ${repo.rev('main')}`, 'done']))));
    expect(request.command).toBe('fetch');
    expect((await groveLines(request.args))[0]).toBe('packfile\n');
  });

  it('sends the packfile line before enumerating anything', async () => {
    let commitReads = 0;
    const objects = repo.opened.repo.objects;
    const counting: UploadPackContext = {
      ...ctx,
      objects: {
        has: (oids) => objects.has(oids),
        info: (oids) => objects.info(oids),
        readObjects: (oids) => objects.readObjects(oids),
        readPacked: (oids) => objects.readPacked(oids),
        readCommits: (oids) => {
          commitReads++;
          return objects.readCommits(oids);
        },
      },
    };
    const response = handleFetchV2(counting, ['no-progress', `want ${repo.rev('main')}`, 'done']);
    const first = await response.next();
    expect(new TextDecoder().decode(first.value as Uint8Array)).toBe('000dpackfile\n');
    expect(commitReads).toBe(0);
    const rest = await collect(response);
    expect(commitReads).toBeGreaterThan(0);
    expect(packOids(sidebandData(rest, 1)).size).toBe(revListObjects(repo.src, [repo.rev('main')]).size);
  });

  /** git upload-pack with filters allowed, as git http-backend is configured in the conformance suite. */
  function gitFiltered(args: string[]): { lines: string[]; pack: Set<string> } {
    const result = gitRun(['-c', 'uploadpack.allowFilter=true', 'upload-pack', '--stateless-rpc', repo.src], { input: fetchRequest(args), env: { GIT_PROTOCOL: 'version=2' } });
    expect(result.status, result.stderr).toBe(0);
    const { packets, rest } = readPackets(result.stdout, true);
    return { lines: packets, pack: packOids(sidebandData(rest, 1)) };
  }

  for (const [title, spec, wants] of [
    ['blob:none clone', 'blob:none', ['main', 'release/1.x']],
    ['blob:limit=1k clone', 'blob:limit=1k', ['main']],
    ['tree:0 clone', 'tree:0', ['main', 'refs/tags/v0.2']],
    ['lazy fetch of blobs (wanted blobs are sent whatever the filter)', 'blob:none', ['main:README.md', 'main~7:data/big.txt', 'main~30:README.md']],
    ['lazy fetch of a tree', 'blob:none', ['main~3^{tree}']],
  ] as const) {
    it(`filters as git upload-pack does: ${title}`, async () => {
      const args = ['thin-pack', 'no-progress', 'ofs-delta', `filter ${spec}`, ...wants.map((w) => `want ${repo.rev(w)}`), 'done'];
      const theirs = gitFiltered(args);
      const { packets, rest } = readPackets(await collect(handleFetchV2(ctx, args)), true);
      expect(packets).toEqual(theirs.lines);
      expect(packOids(sidebandData(rest, 1))).toEqual(theirs.pack);
    });
  }

  it('refuses a filter it does not serve, naming it', async () => {
    const spec = `sparse:oid=${repo.rev('main:README.md')}`;
    const err = await collect(handleFetchV2(ctx, [`want ${repo.rev('main')}`, `filter ${spec}`, 'done'])).then(() => undefined, (e: unknown) => e);
    expect(isGroveError(err) && err.code).toBe('PROTOCOL_ERROR');
    expect((err as Error).message).toBe(`filter '${spec}' not supported`);
  });
});

