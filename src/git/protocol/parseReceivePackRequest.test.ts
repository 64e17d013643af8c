import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesOf } from '../../../test/support/bytesOf.ts';
import { oneChunk } from '../../../test/support/chunked.ts';
import { collect } from '../../../test/support/collect.ts';
import { gitBytes, gitText } from '../../../test/support/gitBytes.ts';
import { listPack } from '../../../test/support/listPack.ts';
import { makeRepo } from '../../../test/support/makeRepo.ts';
import { DELIM, FLUSH, pkt } from '../../../test/support/pktLines.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { isGroveError } from '../../errors.ts';
import { ZERO_OID } from '../objects/objectId.ts';
import { parseReceivePackRequest, type ReceivePackRequest } from './parseReceivePackRequest.ts';
import { PktLineReader } from './PktLineReader.ts';

const work = useTempDir('grove-receive-');
const src = join(work, 'src.git');
let pushes = 0;
const rev = (r: string): string => gitText(['rev-parse', r], { cwd: src });

beforeAll(async () => {
  await makeRepo(src, { commits: 90 });
});

/** A bare repository that takes push options, holding main → main~10 and old → main~20. */
function destination(): string {
  const dir = join(work, `dest${pushes++}.git`);
  gitBytes(['init', '-q', '--bare', dir]);
  gitBytes(['config', 'receive.advertisePushOptions', 'true'], { cwd: dir });
  gitBytes(['push', '-q', dir, 'main~10:refs/heads/main', 'main~20:refs/heads/old'], { cwd: src });
  return dir;
}

/** What `git push <options> <dest> <refspecs>` sends to receive-pack (git's receive-pack serves it; `tee` keeps a copy). */
function capturePush(dest: string, options: string[], refspecs: string[]): Uint8Array {
  const file = join(work, `push${pushes++}.request`);
  gitBytes(['push', '-q', ...options, `--receive-pack=tee ${file} | git receive-pack`, dest, ...refspecs], { cwd: src });
  return readFileSync(file);
}

async function parse(data: Uint8Array, maxBytes = 1 << 20): Promise<{ request: ReceivePackRequest; rest: Uint8Array }> {
  const reader = new PktLineReader(oneChunk(data));
  const request = await parseReceivePackRequest(reader, maxBytes);
  return { request, rest: await collect(reader.remaining()) };
}

async function expectProtocolError(message: RegExp, ...parts: (string | Uint8Array)[]): Promise<void> {
  const err = await parse(bytesOf(...parts)).then(() => undefined, (e: unknown) => e);
  expect(isGroveError(err) && err.code, `${String(message)}: ${String(err)}`).toBe('PROTOCOL_ERROR');
  expect((err as Error).message).toMatch(message);
}

const A = '1111111111111111111111111111111111111111';
const B = '2222222222222222222222222222222222222222';

describe('parseReceivePackRequest', () => {
  it('reads what git push sends: commands with capabilities, push options, then the pack', async () => {
    const dest = destination();
    const data = capturePush(dest, ['--atomic', '-o', 'first', '-o', 'second option'], [
      'main:refs/heads/main', 'main~3:refs/heads/new', ':refs/heads/old', 'refs/tags/v0.1:refs/tags/v0.1',
    ]);
    const { request, rest } = await parse(data);
    const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : 1);
    expect([...request.commands].sort(byName)).toEqual([
      { old: rev('main~10'), new: rev('main'), name: 'refs/heads/main' },
      { old: rev('main~20'), new: ZERO_OID, name: 'refs/heads/old' },
      { old: ZERO_OID, new: rev('main~3'), name: 'refs/heads/new' },
      { old: ZERO_OID, new: rev('refs/tags/v0.1'), name: 'refs/tags/v0.1' },
    ].sort(byName));
    expect(request.capabilities).toEqual(new Set(['report-status-v2', 'side-band-64k', 'quiet', 'atomic', 'push-options', 'object-format', 'agent']));
    expect(request.pushOptions).toEqual(['first', 'second option']);
    expect(request.shallow).toEqual([]);
    // What follows is the pack git sent: the objects the destination lacked.
    const pack = listPack(rest);
    expect(pack.trailerOk).toBe(true);
    const wanted = gitText(['rev-list', '--objects', 'main', 'refs/tags/v0.1', '--not', rev('main~10')], { cwd: src }).split('\n');
    expect(pack.count).toBe(wanted.length);
  });

  it('reads a delete-only push: no pack follows', async () => {
    const dest = destination();
    const { request, rest } = await parse(capturePush(dest, [], [':refs/heads/old']));
    const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : 1);
    expect([...request.commands].sort(byName)).toEqual([{ old: rev('main~20'), new: ZERO_OID, name: 'refs/heads/old' }]);
    expect(request.capabilities.has('push-options')).toBe(false);
    expect(request.pushOptions).toEqual([]);
    expect(rest.length).toBe(0);
  });

  it('reads shallow lines before the commands, and commands without capabilities', async () => {
    const { request, rest } = await parse(bytesOf(
      pkt(`shallow ${A}\n`), pkt(`${A} ${B} refs/heads/main\0report-status agent=x/1\n`), pkt(`${ZERO_OID} ${A} refs/heads/b`), FLUSH, 'PACK',
    ));
    expect(request).toEqual({
      commands: [{ old: A, new: B, name: 'refs/heads/main' }, { old: ZERO_OID, new: A, name: 'refs/heads/b' }],
      capabilities: new Set(['report-status', 'agent']),
      pushOptions: [],
      shallow: [A],
    });
    expect(new TextDecoder().decode(rest)).toBe('PACK');
    expect((await parse(bytesOf(FLUSH))).request.commands).toEqual([]);
    expect((await parse(bytesOf())).request.commands).toEqual([]);
  });

  it('refuses malformed requests with PROTOCOL_ERROR and a clear message', async () => {
    await expectProtocolError(/malformed command '1{40} 2{40}'/, pkt(`${A} ${B}\n`), FLUSH);
    await expectProtocolError(/malformed command '1{39} /, pkt(`${A.slice(1)} ${B} refs/heads/a\n`), FLUSH);
    await expectProtocolError(/malformed command/, pkt(`${'ABCDEF0123'.repeat(4)} ${B} refs/heads/a\n`), FLUSH);
    await expectProtocolError(/malformed command '1{40} 2{40} '/, pkt(`${A} ${B} \n`), FLUSH);
    await expectProtocolError(/command for refs\/heads\/a neither creates, updates nor deletes/, pkt(`${ZERO_OID} ${ZERO_OID} refs/heads/a\n`), FLUSH);
    await expectProtocolError(/capabilities after the first command/, pkt(`${A} ${B} refs/heads/a\0report-status\n`), pkt(`${A} ${B} refs/heads/b\0atomic\n`), FLUSH);
    await expectProtocolError(/unsupported capability 'frobnicate'/, pkt(`${A} ${B} refs/heads/a\0report-status frobnicate\n`), FLUSH);
    await expectProtocolError(/unexpected delim packet in the command list/, pkt(`${A} ${B} refs/heads/a\n`), DELIM, FLUSH);
    await expectProtocolError(/malformed command 'shallow 1{40}'/, pkt(`${A} ${B} refs/heads/a\n`), pkt(`shallow ${A}\n`), FLUSH);
    await expectProtocolError(/ended before the flush that closes the command list/, pkt(`${A} ${B} refs/heads/a\n`));
    await expectProtocolError(/ended before the flush that closes the push options/, pkt(`${A} ${B} refs/heads/a\0push-options\n`), FLUSH, pkt('option\n'));
    await expectProtocolError(/unexpected delim packet among the push options/, pkt(`${A} ${B} refs/heads/a\0push-options\n`), FLUSH, DELIM);
  });

  it('takes the rest of the line as the ref name, spaces included (as git does; the name is judged per ref later)', async () => {
    const { request } = await parse(bytesOf(pkt(`${A} ${B} refs/heads/a extra\n`), FLUSH));
    expect(request.commands).toEqual([{ old: A, new: B, name: 'refs/heads/a extra' }]);
  });

  it('refuses a command list longer than its limit with PAYLOAD_TOO_LARGE, and reads one within it', async () => {
    const commands = Array.from({ length: 50 }, (_, i) => pkt(`${ZERO_OID} ${A} refs/heads/branch-${i}\n`));
    const request = bytesOf(...commands, FLUSH);
    expect((await parse(request, request.length)).request.commands.length).toBe(50);
    const err = await parse(request, 1000).then(() => undefined, (e: unknown) => e);
    expect(isGroveError(err) && err.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
