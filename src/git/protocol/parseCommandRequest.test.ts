import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesOf } from '../../../test/support/bytesOf.ts';
import { oneChunk } from '../../../test/support/chunked.ts';
import { gitBytes } from '../../../test/support/gitBytes.ts';
import { makeRepo } from '../../../test/support/makeRepo.ts';
import { DELIM, FLUSH, pkt } from '../../../test/support/pktLines.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { isGroveError } from '../../errors.ts';
import { parseCommandRequest, type CommandRequest } from './parseCommandRequest.ts';
import { PktLineReader } from './PktLineReader.ts';

const work = useTempDir('grove-command-');
const src = join(work, 'src.git');

beforeAll(async () => {
  await makeRepo(src, { commits: 90 });
});

/**
 * What a real git client sends to upload-pack (protocol v2) for `args` (a git
 * command run against `src`): git's own upload-pack serves it, and `tee` keeps
 * a copy of the requests.
 */
function capture(name: string, args: string[], cwd = work): Uint8Array {
  const file = join(work, `${name}.requests`);
  gitBytes(['-c', 'protocol.version=2', ...args.slice(0, 1), `--upload-pack=tee ${file} | git upload-pack`, ...args.slice(1)], { cwd });
  return readFileSync(file);
}

/** Every command request in `data`, in order, up to the empty request that ends a session. */
async function parseAll(data: Uint8Array): Promise<CommandRequest[]> {
  const reader = new PktLineReader(oneChunk(data));
  const requests: CommandRequest[] = [];
  for (;;) {
    const request = await parseCommandRequest(reader);
    requests.push(request);
    if (request.command === null) return requests;
  }
}

async function parseOne(...parts: (string | Uint8Array)[]): Promise<CommandRequest> {
  return parseCommandRequest(new PktLineReader(oneChunk(bytesOf(...parts))));
}

async function expectProtocolError(message: RegExp, ...parts: (string | Uint8Array)[]): Promise<void> {
  const err = await parseOne(...parts).then(() => undefined, (e: unknown) => e);
  expect(isGroveError(err) && err.code, String(err)).toBe('PROTOCOL_ERROR');
  expect((err as Error).message).toMatch(message);
}

describe('parseCommandRequest', () => {
  it('reads the ls-refs request of git ls-remote, server options included', async () => {
    const requests = await parseAll(capture('ls-remote', ['ls-remote', '-o', 'first option', '-o', 'second', src]));
    expect(requests).toEqual([
      { command: 'ls-refs', serverOptions: ['first option', 'second'], args: ['peel', 'symrefs', 'unborn'] },
      { command: null, serverOptions: [], args: [] },
    ]);
  });

  it('reads the ls-refs and fetch requests of git clone', async () => {
    const requests = await parseAll(capture('clone', ['clone', '--bare', '--no-local', '-q', src, join(work, 'clone.git')]));
    expect(requests.map((r) => r.command)).toEqual(['ls-refs', 'fetch', null]);
    expect(requests[0]!.args).toEqual(['peel', 'symrefs', 'unborn', 'ref-prefix HEAD', 'ref-prefix refs/heads/', 'ref-prefix refs/tags/']);
    const fetch = requests[1]!;
    expect(fetch.serverOptions).toEqual([]);
    expect(fetch.args.slice(0, 3)).toEqual(['thin-pack', 'no-progress', 'ofs-delta']);
    expect(fetch.args.at(-1)).toBe('done');
    const wants = fetch.args.filter((a) => a.startsWith('want ')).map((a) => a.slice(5));
    const tips = new TextDecoder().decode(gitBytes(['for-each-ref', '--format=%(objectname)'], { cwd: src })).trim().split('\n');
    expect(new Set(wants)).toEqual(new Set(tips));
  });

  it('reads a request with no arguments (no delim-pkt), and an empty request', async () => {
    expect(await parseOne(pkt('command=ls-refs\n'), pkt('agent=git/2.39.5\n'), FLUSH)).toEqual({ command: 'ls-refs', serverOptions: [], args: [] });
    expect(await parseOne(pkt('command=ls-refs'), FLUSH)).toEqual({ command: 'ls-refs', serverOptions: [], args: [] });
    expect(await parseOne(FLUSH)).toEqual({ command: null, serverOptions: [], args: [] });
    expect(await parseOne()).toEqual({ command: null, serverOptions: [], args: [] });
  });

  it('accepts agent, session-id, object-format=sha1 and server-option capabilities; keeps arguments as sent', async () => {
    const request = await parseOne(
      pkt('command=fetch\n'), pkt('agent=git/2.39.5\n'), pkt('session-id=abc\n'), pkt('object-format=sha1\n'), pkt('server-option=a=b\n'),
      DELIM, pkt('want 0123456789abcdef0123456789abcdef01234567\n'), pkt('done'), FLUSH,
    );
    expect(request).toEqual({ command: 'fetch', serverOptions: ['a=b'], args: ['want 0123456789abcdef0123456789abcdef01234567', 'done'] });
  });

  it('refuses with PROTOCOL_ERROR and a clear message what git upload-pack refuses', async () => {
    await expectProtocolError(/expected a command, got a delim packet/, DELIM, FLUSH);
    await expectProtocolError(/expected a command, got 'comand=ls-refs'/, pkt('comand=ls-refs\n'), FLUSH);
    await expectProtocolError(/unsupported object format 'sha256'/, pkt('command=ls-refs\n'), pkt('object-format=sha256\n'), FLUSH);
    await expectProtocolError(/unknown capability 'frobnicate=1'/, pkt('command=ls-refs\n'), pkt('frobnicate=1\n'), FLUSH);
    await expectProtocolError(/unknown capability 'server-option'/, pkt('command=ls-refs\n'), pkt('server-option\n'), FLUSH);
    await expectProtocolError(/request ended inside its capability list/, pkt('command=ls-refs\n'), pkt('agent=x\n'));
    await expectProtocolError(/expected a flush packet to end the 'ls-refs' request, got eof/, pkt('command=ls-refs\n'), DELIM, pkt('peel\n'));
    await expectProtocolError(/expected a flush packet to end the 'ls-refs' request, got delim/, pkt('command=ls-refs\n'), DELIM, pkt('peel\n'), DELIM, FLUSH);
    await expectProtocolError(/bad pkt-line length/, 'zzzz');
  });

  it('refuses a request git upload-pack refuses too', () => {
    // git's answer to the same bad capability, for comparison: it dies.
    const request = bytesOf(pkt('command=ls-refs\n'), pkt('frobnicate=1\n'), DELIM, FLUSH);
    expect(() => gitBytes(['upload-pack', '--stateless-rpc', src], { input: request, env: { GIT_PROTOCOL: 'version=2' } })).toThrow(/unknown capability 'frobnicate=1'/);
    const sha256 = bytesOf(pkt('command=ls-refs\n'), pkt('object-format=sha256\n'), DELIM, FLUSH);
    expect(() => gitBytes(['upload-pack', '--stateless-rpc', src], { input: sha256, env: { GIT_PROTOCOL: 'version=2' } })).toThrow(/mismatched object format/);
  });
});
