import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf } from '../../../test/support/bytesOf.ts';
import { oneChunk } from '../../../test/support/chunked.ts';
import { collect } from '../../../test/support/collect.ts';
import { gitRun, gitText } from '../../../test/support/gitBytes.ts';
import { historyRepo, type HistoryRepo } from '../../../test/support/historyRepo.ts';
import { listPack } from '../../../test/support/listPack.ts';
import { packOids } from '../../../test/support/packOids.ts';
import { FLUSH, pkt, readPackets, sidebandData } from '../../../test/support/pktLines.ts';
import { revListObjects } from '../../../test/support/storeRepo.ts';
import { isGroveError } from '../../errors.ts';
import { nodeCodec } from '../../runtime/node/codec.ts';
import { handleUploadPackV0 } from './handleUploadPackV0.ts';
import { PktLineReader } from './PktLineReader.ts';
import type { UploadPackContext } from './uploadPackContext.ts';

let repo: HistoryRepo;
let ctx: UploadPackContext;

beforeAll(async () => {
  repo = await historyRepo();
  ctx = { objects: repo.opened.repo.objects, refs: repo.opened.repo, codec: nodeCodec };
});

afterAll(() => repo.remove());

const UNKNOWN = '0123456789abcdef0123456789abcdef01234567';
const MULTI_ACK_DETAILED = 'multi_ack_detailed side-band-64k thin-pack ofs-delta no-progress agent=git/2.39.5';
const NO_DONE = `${MULTI_ACK_DETAILED} no-done`;
const PLAIN = 'side-band-64k ofs-delta no-progress';

/** One stateless round: the wants (the first with `caps`), a flush, the haves, then a flush or `done`. */
function round(wants: string[], caps: string, haves: string[], end: 'flush' | 'done'): Uint8Array {
  return bytesOf(
    ...wants.map((w, i) => pkt(i === 0 ? `want ${w} ${caps}\n` : `want ${w}\n`)),
    FLUSH,
    ...haves.map((h) => pkt(`have ${h}\n`)),
    end === 'flush' ? FLUSH : pkt('done\n'),
  );
}

interface Answer {
  /** The negotiation lines (ACK/NAK), before any pack. */
  lines: string[];
  /** The bytes after them: the pack, on side-band or raw. */
  rest: Uint8Array;
}

/** What `git upload-pack --stateless-rpc` answers to `body`. */
function gitAnswer(body: Uint8Array): Answer & { status: number } {
  const result = gitRun(['upload-pack', '--stateless-rpc', repo.src], { input: body });
  const { packets, rest } = readPackets(result.stdout, true);
  return { lines: packets, rest, status: result.status };
}

async function groveAnswer(body: Uint8Array): Promise<Answer> {
  const out = await collect(handleUploadPackV0(ctx, new PktLineReader(oneChunk(body))));
  const { packets, rest } = readPackets(out, true);
  return { lines: packets, rest };
}

type Case = [title: string, wants: string[], caps: string, haves: string[], end: 'flush' | 'done'];

describe('handleUploadPackV0', () => {
  const cases: Case[] = [
    ['common haves, then a flush', ['main'], MULTI_ACK_DETAILED, ['main~20', 'main~40'], 'flush'],
    ['common haves and an unknown one, then a flush: ready on the unknown one', ['main'], MULTI_ACK_DETAILED, ['main~20', UNKNOWN, 'main~40'], 'flush'],
    ['an unknown have, then a flush', ['main'], MULTI_ACK_DETAILED, [UNKNOWN], 'flush'],
    ['no have, then a flush', ['main'], MULTI_ACK_DETAILED, [], 'flush'],
    ['no-done and a common have: ready, then the pack at once', ['main'], NO_DONE, ['main~20'], 'flush'],
    ['no-done and haves that are not enough', ['main', 'orphan'], NO_DONE, ['main~5'], 'flush'],
    ['common have, then done', ['main'], MULTI_ACK_DETAILED, ['main~20'], 'done'],
    ['an unknown have, then done', ['main'], MULTI_ACK_DETAILED, [UNKNOWN], 'done'],
    ['no have, then done', ['main', 'release/1.x'], MULTI_ACK_DETAILED, [], 'done'],
    ['without multi_ack: common haves, then a flush', ['main'], PLAIN, ['main~20', 'main~40'], 'flush'],
    ['without multi_ack: common have, then done', ['main'], PLAIN, ['main~20'], 'done'],
    ['without multi_ack: no common have, then done', ['main'], PLAIN, [UNKNOWN], 'done'],
    ['two wants above two haves of other branches', ['main', 'feature/beta'], NO_DONE, ['main~5', 'feature/beta~2'], 'flush'],
    ['a want below a have', ['main~10'], MULTI_ACK_DETAILED, ['main'], 'flush'],
  ];
  for (const [title, wantRevs, caps, haveRevs, end] of cases) {
    it(`answers a negotiation round as git upload-pack does: ${title}`, async () => {
      const resolve = (r: string): string => (r === UNKNOWN ? r : repo.rev(r));
      const body = round(wantRevs.map(resolve), caps, haveRevs.map(resolve), end);
      const theirs = gitAnswer(body);
      expect(theirs.status).toBe(0);
      const ours = await groveAnswer(body);
      expect(ours.lines).toEqual(theirs.lines);
      expect(ours.rest.length > 0).toBe(theirs.rest.length > 0);
    });
  }

  it('sends the pack rev-list --objects wants --not common haves lists, after the ACK', async () => {
    const body = round([repo.rev('main')], MULTI_ACK_DETAILED, [repo.rev('main~20'), UNKNOWN], 'done');
    const ours = await groveAnswer(body);
    expect(ours.lines).toEqual(gitAnswer(body).lines);
    expect(ours.lines.at(-1)).toBe(`ACK ${repo.rev('main~20')}\n`);
    const pack = listPack(sidebandData(ours.rest, 1));
    expect(pack.trailerOk).toBe(true);
    expect(pack.count).toBe(revListObjects(repo.src, [repo.rev('main'), '--not', repo.rev('main~20')]).size);
  });

  it('sends a raw pack (no side-band) when the client did not ask for side-band-64k', async () => {
    const body = round([repo.rev('main~250')], 'ofs-delta', [], 'done');
    const ours = await groveAnswer(body);
    expect(ours.lines).toEqual(gitAnswer(body).lines);
    expect(new TextDecoder().decode(ours.rest.subarray(0, 4))).toBe('PACK');
    expect(listPack(ours.rest).trailerOk).toBe(true);
  });

  it('answers nothing at all to a request without wants, as git does', async () => {
    const body = bytesOf(FLUSH);
    expect((await groveAnswer(body)).lines).toEqual([]);
    expect(gitAnswer(body).lines).toEqual([]);
  });

  it('refuses a want no ref reaches, or that does not exist, with git\'s "not our ref"', async () => {
    for (const want of [repo.unreachable.commit, UNKNOWN]) {
      const body = round([want], MULTI_ACK_DETAILED, [], 'done');
      const theirs = gitAnswer(body);
      expect(theirs.status).not.toBe(0);
      const err = await groveAnswer(body).then(() => undefined, (e: unknown) => e);
      expect(isGroveError(err) && err.code).toBe('PROTOCOL_ERROR');
      expect(theirs.lines).toEqual([`ERR ${(err as Error).message}`]);
    }
  });

  it('refuses malformed requests with PROTOCOL_ERROR', async () => {
    const main = repo.rev('main');
    const bad: [RegExp, Uint8Array][] = [
      [/expected to get object ID, not 'wnat /, bytesOf(pkt(`wnat ${main}\n`), FLUSH)],
      [/expected to get object ID, not 'want 0123'/, bytesOf(pkt('want 0123\n'), FLUSH)],
      [/expected SHA1 list, got 'have 0123'/, bytesOf(pkt(`want ${main}\n`), FLUSH, pkt('have 0123\n'), FLUSH)],
      [/expected SHA1 list, got 'shallow /, bytesOf(pkt(`want ${main}\n`), FLUSH, pkt(`shallow ${main}\n`), FLUSH)],
      [/unexpected delim packet/, bytesOf(pkt(`want ${main}\n`), bytesOf('0001'), FLUSH)],
      [/unsupported capability 'frobnicate'/, bytesOf(pkt(`want ${main} ofs-delta frobnicate\n`), FLUSH, pkt('done\n'))],
    ];
    for (const [message, body] of bad) {
      const err = await groveAnswer(body).then(() => undefined, (e: unknown) => e);
      expect(isGroveError(err) && err.code, String(message)).toBe('PROTOCOL_ERROR');
      expect((err as Error).message).toMatch(message);
    }
  });

  // git marks the parents of every have as known to the client, so a want that is a
  // parent of a have is ready at once.
  it('says ready like git when a want is the parent of a have', async () => {
    const body = round([repo.rev('main~1')], MULTI_ACK_DETAILED, [repo.rev('main')], 'flush');
    const theirs = gitAnswer(body);
    expect(theirs.lines).toEqual([`ACK ${repo.rev('main')} common\n`, `ACK ${repo.rev('main')} ready\n`, 'NAK\n']);
    expect((await groveAnswer(body)).lines).toEqual(theirs.lines);
  });

  // git peels a wanted tag to its commit before deciding it can give up.
  it('does not say ready like git when a wanted tag points at a commit the haves do not reach', async () => {
    const body = round([repo.rev('refs/tags/v0.2')], NO_DONE, [repo.rev('orphan')], 'flush');
    const theirs = gitAnswer(body);
    expect(theirs.lines).toEqual([`ACK ${repo.rev('orphan')} common\n`, 'NAK\n']);
    expect((await groveAnswer(body)).lines).toEqual(theirs.lines);
  });
});

describe('handleUploadPackV0: shallow and filter requests', () => {
  const DEEPEN_CAPS = 'multi_ack_detailed no-done side-band-64k thin-pack ofs-delta no-progress deepen-since deepen-not agent=git/2.39.5';

  /** A stateless POST: wants (caps on the first), the shallow/deepen/filter lines, a flush, then haves and flush/done — or nothing (eof). */
  function request(wants: string[], caps: string, lines: string[], haves: string[], end: 'flush' | 'done' | 'eof'): Uint8Array {
    return bytesOf(
      ...wants.map((w, i) => pkt(i === 0 ? `want ${w} ${caps}\n` : `want ${w}\n`)),
      ...lines.map((line) => pkt(`${line}\n`)),
      FLUSH,
      ...haves.map((h) => pkt(`have ${h}\n`)),
      ...(end === 'flush' ? [FLUSH] : end === 'done' ? [pkt('done\n')] : []),
    );
  }

  function gitOutput(body: Uint8Array): Uint8Array {
    const result = gitRun(['-c', 'uploadpack.allowFilter=true', 'upload-pack', '--stateless-rpc', repo.src], { input: body });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout;
  }

  it('answers the first POST of a shallow clone with the shallow update alone, byte for byte as git', async () => {
    const since = gitText(['log', '-1', '--format=%ct', 'main~30'], { cwd: repo.src });
    for (const lines of [['deepen 1'], ['deepen 5'], [`deepen-since ${since}`], ['deepen-not v0.3']]) {
      const body = request([repo.rev('main'), repo.rev('release/1.x')], DEEPEN_CAPS, lines, [], 'eof');
      const ours = await collect(handleUploadPackV0(ctx, new PktLineReader(oneChunk(body))));
      const theirs = gitOutput(body);
      expect(readPackets(ours).packets.at(-1)).toBe('flush');
      expect(new Set(readPackets(ours).packets)).toEqual(new Set(readPackets(theirs).packets));
      expect(ours.length).toBe(theirs.length);
    }
  });

  it('answers the POST with done: the shallow update, NAK, then the pack git sends', async () => {
    const body = request([repo.rev('main')], DEEPEN_CAPS, ['deepen 3'], [], 'done');
    const ours = await groveAnswer(body);
    const theirs = gitAnswer(body);
    expect(ours.lines).toEqual(theirs.lines);
    expect(ours.lines).toEqual([`shallow ${repo.rev('main~2')}`, 'flush', 'NAK\n']);
    expect(packOids(sidebandData(ours.rest, 1))).toEqual(packOids(sidebandData(theirs.rest, 1)));
  });

  it('negotiates a deepening fetch of a shallow client as git does (unshallow first, boundary on both sides)', async () => {
    const wants = [repo.rev('main'), repo.rev('release/1.x')];
    const lines = [`shallow ${repo.rev('main~5')}`, `shallow ${repo.rev('release/1.x~1')}`, 'deepen 4'];
    for (const [caps, haves, end] of [
      [DEEPEN_CAPS, [repo.rev('main~1'), repo.rev('release/1.x')], 'flush'],
      [`${DEEPEN_CAPS} deepen-relative`, [repo.rev('main~1'), UNKNOWN, repo.rev('release/1.x')], 'flush'],
      [DEEPEN_CAPS, [repo.rev('main~2')], 'done'],
    ] as const) {
      const body = request(wants, caps, lines, [...haves], end);
      const ours = await groveAnswer(body);
      const theirs = gitAnswer(body);
      const sorted = (l: string[]): string[] => [...l.slice(0, l.indexOf('flush')).sort(), ...l.slice(l.indexOf('flush'))];
      expect(sorted(ours.lines)).toEqual(sorted(theirs.lines));
      expect(ours.rest.length > 0).toBe(theirs.rest.length > 0);
    }
  });

  it('sends no shallow update for shallow lines without a deepen', async () => {
    const body = request([repo.rev('main')], DEEPEN_CAPS, [`shallow ${repo.rev('main~3')}`], [repo.rev('main~1')], 'done');
    const ours = await groveAnswer(body);
    const theirs = gitAnswer(body);
    expect(ours.lines).toEqual(theirs.lines);
    expect(ours.lines.every((line) => line.startsWith('ACK '))).toBe(true);
  });

  it('filters the pack with the filter capability, as git does, and refuses a filter line without it', async () => {
    const body = request([repo.rev('main~10')], `${PLAIN} filter`, ['filter blob:limit=2k'], [], 'done');
    const ours = await groveAnswer(body);
    const theirs = (() => {
      const { packets, rest } = readPackets(gitOutput(body), true);
      return { lines: packets, rest };
    })();
    expect(ours.lines).toEqual(theirs.lines);
    expect(packOids(sidebandData(ours.rest, 1))).toEqual(packOids(sidebandData(theirs.rest, 1)));

    const unasked = request([repo.rev('main~10')], PLAIN, ['filter blob:none'], [], 'done');
    const err = await groveAnswer(unasked).then(() => undefined, (e: unknown) => e);
    expect(isGroveError(err) && err.code).toBe('PROTOCOL_ERROR');
    expect((err as Error).message).toBe('upload-pack: filtering capability not negotiated');
    expect(gitRun(['-c', 'uploadpack.allowFilter=true', 'upload-pack', '--stateless-rpc', repo.src], { input: unasked }).stderr)
      .toContain('filtering capability not negotiated');
  });
});
