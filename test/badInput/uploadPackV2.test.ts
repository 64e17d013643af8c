/**
 * Bad protocol v2 upload-pack requests (`Git-Protocol: version=2`). A request
 * Grove cannot serve is answered with HTTP 200 and one `ERR <message>`
 * pkt-line, which git prints and aborts on; a body in an encoding it does not
 * read is 415, a body over maxUploadRequestBytes (counted after gunzip) 413.
 * The positive controls show the same requests, made right, are served.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bytesOf, type Part } from '../support/bytesOf.ts';
import { git } from '../support/git.ts';
import { DELIM, FLUSH, pkt, pktTexts } from '../support/pktLines.ts';
import { postUploadPack, useBadInputServer, type Answer } from './support/badInputServer.ts';
import { expectErrPkt, expectJsonError, expectUnchangedAndWorking } from './support/expectations.ts';
import { lsRemote, seededRepo, useSeed, type SeededRepo } from './support/seed.ts';

const MAX_REQUEST_BYTES = 16 * 1024;
const server = useBadInputServer({ maxUploadRequestBytes: MAX_REQUEST_BYTES });
const seed = useSeed();

/** A v2 command request: the command, capabilities, then (after a delim) its arguments and a flush. */
function commandRequest(command: string, args: readonly Part[], capabilities: readonly string[] = ['object-format=sha1']): Uint8Array {
  return bytesOf(pkt(`command=${command}\n`), ...capabilities.map((c) => pkt(`${c}\n`)), DELIM, ...args.map((a) => pkt(a)), FLUSH);
}

function fetchRequest(wants: readonly string[]): Uint8Array {
  return commandRequest('fetch', [...wants.map((w) => `want ${w}\n`), 'no-progress\n', 'done\n']);
}

async function expectErr(repo: SeededRepo, body: Uint8Array, message: string, headers: Record<string, string> = {}): Promise<void> {
  expectErrPkt(await postUploadPack(repo, body, { version: 2, headers }), message);
  await expectUnchangedAndWorking(repo);
}

/** A repository whose `main` was force-pushed back to `second`: `third` and its new tree are stored but no ref reaches them. */
async function rewoundRepo(): Promise<SeededRepo> {
  const repo = await seededRepo(server(), seed());
  await git(['push', '--quiet', '--force', repo.remote, `${seed().second}:refs/heads/main`], { cwd: seed().dir, token: repo.token });
  return { ...repo, lsRemote: await lsRemote(repo), before: repo.dump() };
}

describe('upload-pack v2: well-formed requests are served (controls)', () => {
  it('answers ls-refs', async () => {
    const repo = await seededRepo(server(), seed());
    const answer = await postUploadPack(repo, commandRequest('ls-refs', ['ref-prefix refs/heads/\n']), { version: 2 });
    expect(answer.status).toBe(200);
    expect(pktTexts(answer.body)).toEqual([`${seed().third} refs/heads/main\n`, `${seed().first} refs/heads/side\n`, '<flush>']);
  });

  it('sends a pack for a fetch, plain and gzip-compressed', async () => {
    const repo = await seededRepo(server(), seed());
    for (const gzip of [false, true]) {
      const body = fetchRequest([seed().third]);
      const answer = await postUploadPack(repo, gzip ? gzipSync(body) : body, { version: 2, headers: gzip ? { 'content-encoding': 'gzip' } : {} });
      expect(answer.status).toBe(200);
      expect(pktTexts(answer.body.subarray(0, 13))).toEqual(['packfile\n']);
    }
  });
});

describe('upload-pack v2: a request Grove cannot serve gets ERR', () => {
  it('refuses an unknown command', async () => {
    await expectErr(await seededRepo(server(), seed()), commandRequest('frobnicate', []), "invalid command 'frobnicate'");
  });

  it('refuses an unknown capability', async () => {
    const body = commandRequest('fetch', [`want ${seed().third}\n`, 'done\n'], ['object-format=sha1', 'frobnicate=yes']);
    await expectErr(await seededRepo(server(), seed()), body, "unknown capability 'frobnicate=yes'");
  });

  it('refuses an object format other than sha1', async () => {
    const body = commandRequest('fetch', [`want ${seed().third}\n`, 'done\n'], ['object-format=sha256']);
    await expectErr(await seededRepo(server(), seed()), body, "unsupported object format 'sha256'");
  });

  it('refuses a want that is not an object id', async () => {
    const body = commandRequest('fetch', [`want ${seed().third.slice(0, 12)}\n`, 'done\n']);
    await expectErr(await seededRepo(server(), seed()), body, `fetch: expected an object id in 'want ${seed().third.slice(0, 12)}'`);
  });

  it('refuses an argument fetch does not know', async () => {
    const body = commandRequest('fetch', [`want ${seed().third}\n`, 'frobnicate\n', 'done\n']);
    await expectErr(await seededRepo(server(), seed()), body, "fetch: unexpected line 'frobnicate'");
  });

  it('refuses a want of an object that does not exist', async () => {
    const ghost = 'feedfacefeedfacefeedfacefeedfacefeedface';
    await expectErr(await seededRepo(server(), seed()), fetchRequest([seed().second, ghost]), `upload-pack: not our ref ${ghost}`);
  });

  it('refuses a want of a commit that no ref reaches any more', async () => {
    await expectErr(await rewoundRepo(), fetchRequest([seed().second, seed().third]), `upload-pack: not our ref ${seed().third}`);
  });

  it('refuses a want of a tree that no ref reaches any more', async () => {
    const dirTree = seed().treeEntries.find((e) => e.name === 'dir')!.oid;
    await expectErr(await rewoundRepo(), fetchRequest([dirTree]), `upload-pack: not our ref ${dirTree}`);
  });

  it('refuses a request that ends without its final flush-pkt', async () => {
    const body = fetchRequest([seed().third]);
    await expectErr(await seededRepo(server(), seed()), body.subarray(0, body.length - 4), "expected a flush packet to end the 'fetch' request, got eof");
  });

  it('refuses a request that ends inside its capability list', async () => {
    const body = bytesOf(pkt('command=fetch\n'), pkt('object-format=sha1\n'));
    await expectErr(await seededRepo(server(), seed()), body, 'request ended inside its capability list');
  });

  it('refuses a request cut inside a pkt-line', async () => {
    const body = fetchRequest([seed().third]);
    const cut = pkt('command=fetch\n').length + 10;
    await expectErr(
      await seededRepo(server(), seed()),
      body.subarray(0, cut),
      `stream ended inside a pkt-line at byte ${cut - 10}: ${pkt('object-format=sha1\n').length} bytes announced, 10 present`,
    );
  });
});

describe('upload-pack v2: request bodies', () => {
  // The error names the gzip encoding (the runtime's decompression error alone says nothing).
  it('refuses a corrupt gzip body with an error that says so', async () => {
    const repo = await seededRepo(server(), seed());
    const gzip = gzipSync(fetchRequest([seed().third]));
    gzip[gzip.length - 6]! ^= 0xff; // the CRC-32 no longer matches
    const answer = await postUploadPack(repo, gzip, { version: 2, headers: { 'content-encoding': 'gzip' } });
    expect(errorText(answer)).toMatch(/gzip/i);
    await expectUnchangedAndWorking(repo);
  });

  it('answers 415 to Content-Encoding: br', async () => {
    const repo = await seededRepo(server(), seed());
    const answer = await postUploadPack(repo, fetchRequest([seed().third]), { version: 2, headers: { 'content-encoding': 'br' } });
    expectJsonError(answer, 415, 'UNSUPPORTED_MEDIA_TYPE', "unsupported Content-Encoding 'br'");
    await expectUnchangedAndWorking(repo);
  });

  it('answers 413 to a body over maxUploadRequestBytes', async () => {
    const repo = await seededRepo(server(), seed());
    const body = commandRequest('fetch', [`want ${seed().third}\n`, ...Array.from({ length: 400 }, () => `have ${seed().first}\n`), 'done\n']);
    expect(body.length).toBeGreaterThan(MAX_REQUEST_BYTES);
    const answer = await postUploadPack(repo, body, { version: 2 });
    expectJsonError(answer, 413, 'PAYLOAD_TOO_LARGE', `request body exceeds the limit of ${MAX_REQUEST_BYTES} bytes`);
    await expectUnchangedAndWorking(repo);
  });

  it('answers 413 to a small gzip body that inflates past maxUploadRequestBytes', async () => {
    const repo = await seededRepo(server(), seed());
    const body = commandRequest('fetch', [`want ${seed().third}\n`, ...Array.from({ length: 20_000 }, () => `have ${seed().first}\n`), 'done\n']);
    const gzip = gzipSync(body);
    expect(gzip.length).toBeLessThan(MAX_REQUEST_BYTES);
    const answer = await postUploadPack(repo, gzip, { version: 2, headers: { 'content-encoding': 'gzip' } });
    expectJsonError(answer, 413, 'PAYLOAD_TOO_LARGE', `request body exceeds the limit of ${MAX_REQUEST_BYTES} bytes`);
    await expectUnchangedAndWorking(repo);
  });
});

/** The error an answer carries: the text of an `ERR` pkt-line, or a JSON error's message. */
function errorText(answer: Answer): string {
  if (answer.status === 200) {
    const [line] = pktTexts(answer.body);
    return line?.startsWith('ERR ') === true ? line : '(no ERR line)';
  }
  return (JSON.parse(answer.text) as { error: { message: string } }).error.message;
}
