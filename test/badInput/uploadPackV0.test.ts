/**
 * Bad protocol v0 upload-pack requests (no `Git-Protocol` header):
 *
 *   want-list = first-want *additional-want
 *   first-want = PKT-LINE("want" SP obj-id SP capability-list)
 *
 * A malformed want, an unknown capability on the first want, or a want of an
 * object the client may not have is answered with HTTP 200 and one
 * `ERR <message>` pkt-line (a quoted line is cut at 80 characters); the
 * repository is untouched.
 */
import { describe, expect, it } from 'vitest';
import { bytesOf } from '../support/bytesOf.ts';
import { git } from '../support/git.ts';
import { FLUSH, pkt, readPktLines } from '../support/pktLines.ts';
import { postUploadPack, useBadInputServer } from './support/badInputServer.ts';
import { expectErrPkt, expectUnchangedAndWorking } from './support/expectations.ts';
import { lsRemote, seededRepo, useSeed, type SeededRepo } from './support/seed.ts';

const server = useBadInputServer();
const seed = useSeed();
const CAPABILITIES = 'multi_ack_detailed side-band-64k ofs-delta no-progress';

/** A v0 request: the want lines (the first carries the capabilities), a flush, then `done`. */
function wantRequest(firstWant: string, ...more: string[]): Uint8Array {
  return bytesOf(pkt(`${firstWant}\n`), ...more.map((w) => pkt(`${w}\n`)), FLUSH, pkt('done\n'));
}

async function expectErr(repo: SeededRepo, body: Uint8Array, message: string): Promise<void> {
  expectErrPkt(await postUploadPack(repo, body), message);
  await expectUnchangedAndWorking(repo);
}

describe('upload-pack v0', () => {
  it('sends NAK and a pack for a well-formed request (control)', async () => {
    const repo = await seededRepo(server(), seed());
    const answer = await postUploadPack(repo, wantRequest(`want ${seed().third} ${CAPABILITIES}`));
    expect(answer.status).toBe(200);
    const [nak, first] = readPktLines(answer.body);
    expect(nak).toMatchObject({ kind: 'data', text: 'NAK\n' });
    expect(first?.kind === 'data' ? new TextDecoder().decode(first.bytes.subarray(0, 5)) : '').toBe('\x01PACK');
  });

  it('refuses a want line whose id is not an object id', async () => {
    const line = `want ${seed().third.slice(0, 30)} ${CAPABILITIES}`;
    const expected = `upload-pack: protocol error, expected to get object ID, not '${line.slice(0, 80)}'`;
    await expectErr(await seededRepo(server(), seed()), wantRequest(line), expected);
  });

  it('refuses a line that is not a want', async () => {
    const line = `wnat ${seed().third} ${CAPABILITIES}`;
    const expected = `upload-pack: protocol error, expected to get object ID, not '${line.slice(0, 80)}'`;
    await expectErr(await seededRepo(server(), seed()), wantRequest(line), expected);
  });

  it('refuses an unknown capability on the first want', async () => {
    await expectErr(
      await seededRepo(server(), seed()),
      wantRequest(`want ${seed().third} ${CAPABILITIES} frobnicate`),
      "upload-pack: unsupported capability 'frobnicate'",
    );
  });

  it('refuses a want of an object that does not exist', async () => {
    const ghost = 'feedfacefeedfacefeedfacefeedfacefeedface';
    await expectErr(
      await seededRepo(server(), seed()),
      wantRequest(`want ${seed().third} ${CAPABILITIES}`, `want ${ghost}`),
      `upload-pack: not our ref ${ghost}`,
    );
  });

  it('refuses a want of a commit that no ref reaches any more', async () => {
    const seeded = await seededRepo(server(), seed());
    await git(['push', '--quiet', '--force', seeded.remote, `${seed().second}:refs/heads/main`], { cwd: seed().dir, token: seeded.token });
    const repo = { ...seeded, lsRemote: await lsRemote(seeded), before: seeded.dump() };
    await expectErr(repo, wantRequest(`want ${seed().third} ${CAPABILITIES}`), `upload-pack: not our ref ${seed().third}`);
  });

  it('refuses a have line whose id is not an object id', async () => {
    const body = bytesOf(pkt(`want ${seed().third} ${CAPABILITIES}\n`), FLUSH, pkt('have 1234\n'), pkt('done\n'));
    await expectErr(await seededRepo(server(), seed()), body, "upload-pack: expected SHA1 list, got 'have 1234'");
  });
});
