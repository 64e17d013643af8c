/**
 * Malformed receive-pack requests: broken pkt-line framing, a truncated or
 * malformed command list and unknown capabilities are refused before anything
 * is read into the repository (HTTP 400, code PROTOCOL_ERROR); bodies over
 * the configured limits get 413 (command list) or an unpack error (pack).
 * After each, the repository is byte for byte as before and takes real pushes.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildPack } from '../support/buildPack.ts';
import { bytesOf } from '../support/bytesOf.ts';
import { FLUSH, pkt } from '../support/pktLines.ts';
import { objectId } from '../support/rawObject.ts';
import { postReceivePack, useBadInputServer, ZERO_OID } from './support/badInputServer.ts';
import { expectJsonError, expectReport, expectUnchangedAndWorking } from './support/expectations.ts';
import { nextCommit } from './support/nextCommit.ts';
import { pushRequest } from './support/pushRequest.ts';
import { seededRepo, useSeed } from './support/seed.ts';

const MAX_COMMAND_BYTES = 4096;
const MAX_PACK_BYTES = 1024 * 1024;
const server = useBadInputServer({ maxPushCommandBytes: MAX_COMMAND_BYTES, maxPushPackBytes: MAX_PACK_BYTES });
const seed = useSeed();

/** The first command line of a push deleting `side` (needs no pack), with report-status. */
function deleteSide(): Uint8Array {
  return pkt(`${seed().first} ${ZERO_OID} refs/heads/side\0report-status\n`);
}

async function expectProtocolError(body: Uint8Array, message: string): Promise<void> {
  const repo = await seededRepo(server(), seed());
  expectJsonError(await postReceivePack(repo, body), 400, 'PROTOCOL_ERROR', message);
  await expectUnchangedAndWorking(repo, { push: true });
}

describe('receive-pack: broken pkt-line framing', () => {
  it('deletes a branch with the same request made right (control)', async () => {
    const repo = await seededRepo(server(), seed());
    expectReport(await postReceivePack(repo, bytesOf(deleteSide(), FLUSH)), ['unpack ok', 'ok refs/heads/side']);
    expect(repo.dump()).not.toContain('refs/heads/side');
  });

  it('refuses a pkt-line length that is not hex', async () => {
    await expectProtocolError(bytesOf('00zz', FLUSH), 'bad pkt-line length "00zz" at byte 0');
  });

  it('refuses a non-hex length after a valid command', async () => {
    const first = deleteSide();
    await expectProtocolError(bytesOf(first, 'g000', FLUSH), `bad pkt-line length "g000" at byte ${first.length}`);
  });

  it('refuses a pkt-line length over 65520', async () => {
    await expectProtocolError(bytesOf('ffff', FLUSH), 'pkt-line length 65535 at byte 0 exceeds 65520');
  });

  it('refuses the invalid length 0003', async () => {
    const first = deleteSide();
    await expectProtocolError(bytesOf(first, '0003', FLUSH), `invalid pkt-line length 0003 at byte ${first.length}`);
  });
});

describe('receive-pack: a truncated command list', () => {
  it('refuses a body that ends inside a pkt-line', async () => {
    const first = deleteSide();
    await expectProtocolError(
      first.subarray(0, 30),
      `stream ended inside a pkt-line at byte 0: ${first.length} bytes announced, 30 present`,
    );
  });

  it('refuses a body that ends inside a pkt-line length', async () => {
    const first = deleteSide();
    await expectProtocolError(bytesOf(first, '00'), `stream ended inside a pkt-line length at byte ${first.length}`);
  });

  // git's receive-pack dies on a command list cut before its flush ("the remote end hung up
  // unexpectedly") and changes nothing; so does Grove, instead of taking the list as complete.
  it('refuses a command list that ends without its flush-pkt', async () => {
    await expectProtocolError(deleteSide(), 'receive-pack: the request ended before the flush that closes the command list');
  });

  it('refuses push options cut off before their flush-pkt', async () => {
    const repo = await seededRepo(server(), seed());
    const body = bytesOf(pkt(`${seed().first} ${ZERO_OID} refs/heads/side\0report-status push-options\n`), FLUSH, pkt('ci.skip\n'));
    expectJsonError(await postReceivePack(repo, body), 400, 'PROTOCOL_ERROR', 'receive-pack: the request ended before the flush that closes the push options');
    await expectUnchangedAndWorking(repo, { push: true });
  });
});

describe('receive-pack: a malformed command', () => {
  it('refuses an old value that is not an object id', async () => {
    const line = `${seed().first.slice(0, 39)}x ${ZERO_OID} refs/heads/side`;
    await expectProtocolError(bytesOf(pkt(`${line}\0report-status\n`), FLUSH), `receive-pack: malformed command '${line}'`);
  });

  it('refuses a new value that is too short', async () => {
    const line = `${seed().third} ${seed().second.slice(0, 20)} refs/heads/main`;
    await expectProtocolError(bytesOf(pkt(`${line}\0report-status\n`), FLUSH), `receive-pack: malformed command '${line}'`);
  });

  it('refuses a command without a ref name', async () => {
    const line = `${seed().first} ${ZERO_OID}`;
    await expectProtocolError(bytesOf(pkt(`${line}\0report-status\n`), FLUSH), `receive-pack: malformed command '${line}'`);
  });

  it('refuses a command with an empty ref name', async () => {
    const line = `${seed().first} ${ZERO_OID} `;
    await expectProtocolError(bytesOf(pkt(`${line}\0report-status\n`), FLUSH), `receive-pack: malformed command '${line}'`);
  });

  it('refuses a command whose old and new values are both zero', async () => {
    await expectProtocolError(
      bytesOf(pkt(`${ZERO_OID} ${ZERO_OID} refs/heads/nothing\0report-status\n`), FLUSH),
      'receive-pack: command for refs/heads/nothing neither creates, updates nor deletes',
    );
  });

  it('refuses a malformed second command, and applies not even the first', async () => {
    const line = `${seed().second} ${ZERO_OID.slice(1)} refs/tags/v1`;
    await expectProtocolError(bytesOf(deleteSide(), pkt(`${line}\n`), FLUSH), `receive-pack: malformed command '${line}'`);
  });

  it('takes the rest of the line as the ref name, as git does, and refuses that ref alone', async () => {
    const repo = await seededRepo(server(), seed());
    const name = 'refs/tags/v1 extra';
    const body = bytesOf(deleteSide(), pkt(`${seed().second} ${ZERO_OID} ${name}\n`), FLUSH);
    expectReport(await postReceivePack(repo, body), ['unpack ok', 'ok refs/heads/side', `ng ${name} funny refname`]);
    expect(repo.dump()).not.toContain('refs/heads/side');
    expect(repo.dump()).toContain('refs/tags/v1');
  });

  it('refuses capabilities after the first command', async () => {
    await expectProtocolError(
      bytesOf(deleteSide(), pkt(`${seed().tag} ${ZERO_OID} refs/tags/v1\0report-status\n`), FLUSH),
      'receive-pack: capabilities after the first command',
    );
  });

  it('refuses an unknown capability', async () => {
    await expectProtocolError(
      bytesOf(pkt(`${seed().first} ${ZERO_OID} refs/heads/side\0report-status frobnicate=1\n`), FLUSH),
      "receive-pack: unsupported capability 'frobnicate=1'",
    );
  });
});

describe('receive-pack: limits', () => {
  it('refuses a command list over maxPushCommandBytes with 413', async () => {
    const repo = await seededRepo(server(), seed());
    const commands = Array.from({ length: 60 }, (_, i) => [ZERO_OID, seed().third, `refs/heads/many-${i}`] as const);
    const body = pushRequest(commands, { pack: buildPack([]).bytes });
    expect(body.length).toBeGreaterThan(MAX_COMMAND_BYTES);
    expectJsonError(
      await postReceivePack(repo, body),
      413,
      'PAYLOAD_TOO_LARGE',
      `receive-pack: the command list exceeds the limit of ${MAX_COMMAND_BYTES} bytes`,
    );
    await expectUnchangedAndWorking(repo, { push: true });
  });

  // The command-list limit holds while the list is read, not only once it is complete: an endless
  // list is stopped by the limit it breaks, long before the (much larger) limit of the whole push.
  it('stops reading an endless command list once it passes maxPushCommandBytes', async () => {
    const repo = await seededRepo(server(), seed());
    const line = pkt(`${ZERO_OID} ${seed().third} refs/heads/${'x'.repeat(100)}\n`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 4 * MAX_PACK_BYTES) return controller.close();
        const chunk = bytesOf(...Array.from({ length: 64 }, () => line));
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    expectJsonError(
      await postReceivePack(repo, body),
      413,
      'PAYLOAD_TOO_LARGE',
      `receive-pack: the command list exceeds the limit of ${MAX_COMMAND_BYTES} bytes`,
    );
  });

  it('refuses a pack over maxPushPackBytes in the report', async () => {
    const repo = await seededRepo(server(), seed());
    const big = randomBytes(MAX_PACK_BYTES + 64 * 1024);
    const next = nextCommit(seed(), {
      treeEntries: () => [...seed().treeEntries, { mode: '100644', name: 'random.bin', oid: objectId('blob', big) }],
    });
    const pack = buildPack([
      { type: 'commit', data: next.commit.data },
      { type: 'tree', data: next.tree.data },
      { type: 'blob', data: big },
    ]);
    const answer = await postReceivePack(repo, pushRequest([[seed().third, next.commit.oid, 'refs/heads/main']], { pack: pack.bytes }));
    expectReport(answer, ['unpack pack exceeds the maximum allowed size', 'ng refs/heads/main unpacker error']);
    await expectUnchangedAndWorking(repo, { push: true });
  });
});

describe('receive-pack: request encoding', () => {
  it('answers 415 to Content-Encoding: br', async () => {
    const repo = await seededRepo(server(), seed());
    const body = bytesOf(deleteSide(), FLUSH);
    expectJsonError(
      await postReceivePack(repo, body, { headers: { 'content-encoding': 'br' } }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      "unsupported Content-Encoding 'br'",
    );
    await expectUnchangedAndWorking(repo, { push: true });
  });
});

describe('receive-pack: side-band-64k', () => {
  it('sends the report of a refused pack inside band 1', async () => {
    const repo = await seededRepo(server(), seed());
    const next = nextCommit(seed());
    const pack = buildPack([{ type: 'commit', data: next.commit.data }], { signature: 'JUNK' });
    const answer = await postReceivePack(
      repo,
      pushRequest([[seed().third, next.commit.oid, 'refs/heads/main']], { pack: pack.bytes, capabilities: ['report-status', 'side-band-64k'] }),
    );
    expectReport(answer, ['unpack not a pack: signature is 0x4a554e4b, expected "PACK"', 'ng refs/heads/main unpacker error'], { sideband: true });
    await expectUnchangedAndWorking(repo, { push: true });
  });
});
