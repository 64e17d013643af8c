/**
 * The client against C Git's upload-pack itself: a `fetch` that answers each
 * smart-HTTP request by running `git upload-pack --stateless-rpc` (with
 * `--advertise-refs` for the discovery GET) on a local repository, as
 * `git http-backend` would — no HTTP server in between.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesOf } from '../../../test/support/bytesOf.ts';
import { gitBytes, gitRun, gitText } from '../../../test/support/gitBytes.ts';
import { packOids } from '../../../test/support/packOids.ts';
import { makeRepo } from '../../../test/support/makeRepo.ts';
import { pkt, FLUSH } from '../../../test/support/pktLines.ts';
import { useTempDir } from '../../../test/support/tempDir.ts';
import { isGroveError } from '../../errors.ts';
import { concatBytes } from '../bytes.ts';
import { discoverRemote } from './discoverRemote.ts';
import { fetchPack } from './fetchPack.ts';
import type { FetchFunction } from './SmartHttpTransport.ts';

const work = useTempDir('grove-client-');
const source = join(work, 'source.git');
const shallowSource = join(work, 'shallow.git');

beforeAll(async () => {
  await makeRepo(source, { commits: 90 });
  gitBytes(['clone', '--quiet', '--bare', '--depth', '3', '--no-single-branch', `file://${source}`, shallowSource]);
});

interface Exchange {
  fetch: FetchFunction;
  /** The request bodies git received. */
  requests: string[];
}

/** Smart HTTP answered by `git upload-pack` on `dir`; `v0Only` makes it ignore `Git-Protocol`. */
function uploadPackFetch(dir: string, v0Only = false): Exchange {
  const requests: string[] = [];
  return {
    requests,
    async fetch(input, init) {
      const url = new URL(String(input));
      const v2 = !v0Only && (new Headers(init?.headers).get('git-protocol') ?? '').includes('version=2');
      const env: Record<string, string> = v2 ? { GIT_PROTOCOL: 'version=2' } : {};
      if (url.pathname.endsWith('/info/refs')) {
        const refs = gitBytes(['upload-pack', '--stateless-rpc', '--advertise-refs', dir], { env });
        const body = v2 ? refs : concatBytes([pkt('# service=git-upload-pack\n'), bytesOf(FLUSH), refs]);
        return new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/x-git-upload-pack-advertisement' } });
      }
      const input_ = init?.body as Uint8Array;
      requests.push(Buffer.from(input_).toString('latin1'));
      const out = gitRun(['upload-pack', '--stateless-rpc', dir], { env, input: input_ }).stdout;
      return new Response(out as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/x-git-upload-pack-result' } });
    },
  };
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return concatBytes(parts);
}

function refsOf(dir: string): string[] {
  return gitText(['for-each-ref', '--format=%(objectname) %(refname)'], { cwd: dir }).split('\n');
}

describe.each([
  { protocol: 2, v0Only: false },
  { protocol: 0, v0Only: true },
] as const)('protocol v$protocol', ({ protocol, v0Only }) => {
  it('lists HEAD (with its branch), the branches and the tags (with peeled ids)', async () => {
    const remote = await discoverRemote({ url: 'http://remote.test/source.git', fetch: uploadPackFetch(source, v0Only).fetch });
    expect(remote.version).toBe(protocol);
    const head = remote.refs.find((r) => r.name === 'HEAD');
    expect(head).toEqual({ name: 'HEAD', oid: gitText(['rev-parse', 'HEAD'], { cwd: source }), target: 'refs/heads/main' });
    expect(remote.refs.filter((r) => r.name !== 'HEAD').map((r) => `${r.oid} ${r.name}`)).toEqual(refsOf(source));
    const peeled = remote.refs.filter((r) => r.peeled !== undefined).map((r) => `${r.name} ${r.peeled}`);
    // show-ref -d peels each annotated tag fully (a tag of a tag too), as the advertisements do.
    const tags = gitText(['show-ref', '-d', '--tags'], { cwd: source }).split('\n').filter((l) => l.endsWith('^{}'))
      .map((l) => `${l.slice(41, -3)} ${l.slice(0, 40)}`);
    expect(peeled).toEqual(tags);
  });

  it('lists only the refs under the prefixes asked for', async () => {
    const remote = await discoverRemote({ url: 'http://remote.test/source.git', fetch: uploadPackFetch(source, v0Only).fetch, refPrefixes: ['refs/tags/'] });
    expect(remote.refs.every((r) => r.name === 'HEAD' || r.name.startsWith('refs/tags/'))).toBe(true);
    expect(remote.refs.length).toBeGreaterThan(3);
  });

  it('fetches a pack of everything wanted, streamed', async () => {
    const exchange = uploadPackFetch(source, v0Only);
    const remote = await discoverRemote({ url: 'http://remote.test/source.git', fetch: exchange.fetch });
    const wants = [...new Set(remote.refs.filter((r) => r.name !== 'HEAD').map((r) => r.oid!))];
    const fetched = await fetchPack(remote, { wants });
    const pack = await collect(fetched.pack);
    expect(fetched.shallow).toEqual([]);
    const objects = [...packOids(pack)].sort();
    const expected = gitText(['rev-list', '--objects', '--all'], { cwd: source }).split('\n').map((l) => l.slice(0, 40)).sort();
    expect(objects).toEqual(expected);
    const request = exchange.requests.at(-1)!;
    expect(request).toContain(protocol === 2 ? 'no-progress' : ' no-progress');
    expect(request).toContain('ofs-delta');
    expect(request).toContain('done');
  });

  it('fetches with a depth: the shallow commits are those git clone --depth gets', async () => {
    const remote = await discoverRemote({ url: 'http://remote.test/source.git', fetch: uploadPackFetch(source, v0Only).fetch });
    const main = remote.refs.find((r) => r.name === 'refs/heads/main')!.oid!;
    const fetched = await fetchPack(remote, { wants: [main], depth: 2 });
    await collect(fetched.pack);
    const reference = join(work, `depth-v${protocol}.git`);
    gitBytes(['clone', '--quiet', '--bare', '--depth', '2', `file://${source}`, reference]);
    expect([...fetched.shallow].sort()).toEqual(readShallow(reference));
  });

  it('learns the shallow commits of a shallow remote (v0: advertised; v2: shallow-info)', async () => {
    const remote = await discoverRemote({ url: 'http://remote.test/shallow.git', fetch: uploadPackFetch(shallowSource, v0Only).fetch });
    const wants = [...new Set(remote.refs.filter((r) => r.name !== 'HEAD').map((r) => r.oid!))];
    const fetched = await fetchPack(remote, { wants });
    await collect(fetched.pack);
    const shallow = protocol === 2 ? fetched.shallow : remote.shallow;
    expect([...shallow].sort()).toEqual(readShallow(shallowSource));
  });

  it("turns the remote's ERR into a REMOTE_ERROR with its words", async () => {
    const remote = await discoverRemote({ url: 'http://remote.test/source.git', fetch: uploadPackFetch(source, v0Only).fetch });
    const missing = 'b'.repeat(40);
    const err = await fetchPack(remote, { wants: [missing] }).catch((e: unknown) => e);
    expect(isGroveError(err) && err.code).toBe('REMOTE_ERROR');
    expect((err as Error).message).toBe(`remote http://remote.test/source.git: the remote refused: upload-pack: not our ref ${missing}`);
  });
});

/** The sorted commits of a bare repository's `shallow` file. */
function readShallow(dir: string): string[] {
  return readFileSync(join(dir, 'shallow'), 'utf8').split('\n').filter((l) => l !== '').sort();
}
