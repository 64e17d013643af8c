import { describe, expect, it } from 'vitest';
import { bytesOf } from '../../../test/support/bytesOf.ts';
import { FLUSH, pkt } from '../../../test/support/pktLines.ts';
import { isGroveError } from '../../errors.ts';
import { concatBytes } from '../bytes.ts';
import { demuxSideband } from './demuxSideband.ts';
import { RemoteReader } from './RemoteReader.ts';
import { responseChunks } from './responseChunks.ts';

const URL_ = new URL('https://git.example.com/owner/repo.git');

/** A response whose body arrives `step` bytes at a time. */
function response(body: Uint8Array, step = body.length): Response {
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= body.length) controller.close();
      else {
        controller.enqueue(body.slice(at, at + step));
        at += step;
      }
    },
  });
  return new Response(stream);
}

async function demux(body: Uint8Array, step?: number): Promise<{ data: string; progress: string[]; error?: unknown }> {
  const reader = new RemoteReader(responseChunks(response(body, step), URL_), URL_.href, 1 << 20);
  const progress: string[] = [];
  const parts: Uint8Array[] = [];
  try {
    for await (const chunk of demuxSideband(reader, (text) => progress.push(text))) parts.push(chunk.slice());
  } catch (error) {
    return { data: new TextDecoder().decode(concatBytes(parts)), progress, error };
  }
  return { data: new TextDecoder().decode(concatBytes(parts)), progress };
}

const band = (n: number, text: string): Uint8Array => pkt(bytesOf(new Uint8Array([n]), text));

describe('demuxSideband', () => {
  const body = bytesOf(band(2, 'Counting objects: 3\r'), band(1, 'PACK'), bytesOf('0005\x01'), band(1, '-data-'), band(2, 'done.\n'), band(1, 'end'), FLUSH);

  it('yields band 1, passes band 2 on, skips keep-alives, and ends at the flush', async () => {
    expect(await demux(body)).toEqual({ data: 'PACK-data-end', progress: ['Counting objects: 3\r', 'done.\n'] });
  });

  it('reads the same whatever the chunk boundaries', async () => {
    for (const step of [1, 2, 3, 7]) expect(await demux(body, step)).toEqual({ data: 'PACK-data-end', progress: ['Counting objects: 3\r', 'done.\n'] });
  });

  it("ends with the remote's message on band 3", async () => {
    const { data, error } = await demux(bytesOf(band(1, 'PACK'), band(3, 'fatal: out of memory\n'), band(1, 'more'), FLUSH));
    expect(data).toBe('PACK');
    expect(isGroveError(error) && error.code).toBe('REMOTE_ERROR');
    expect((error as Error).message).toBe('remote https://git.example.com/owner/repo.git: the remote failed while sending the pack: fatal: out of memory');
  });

  it('ends with the words of an ERR packet', async () => {
    const { error } = await demux(bytesOf(band(1, 'PACK'), pkt('ERR upload-pack: not our ref\n')));
    expect((error as Error).message).toBe('remote https://git.example.com/owner/repo.git: the remote refused: upload-pack: not our ref');
  });

  it('says a pack was cut short: between packets, or inside one', async () => {
    const between = await demux(bytesOf(band(1, 'PACK'), band(1, 'data')));
    expect((between.error as Error).message).toMatch(/cut short: it ended inside the pack/);
    const inside = await demux(bytesOf(band(1, 'PACK'), band(1, 'data').subarray(0, 6)));
    expect(isGroveError(inside.error) && inside.error.code).toBe('REMOTE_ERROR');
    expect((inside.error as Error).message).toMatch(/^remote https:\/\/git\.example\.com\/owner\/repo\.git: stream ended inside a pkt-line/);
  });

  it('refuses an unknown band and a stray delimiter', async () => {
    expect(((await demux(bytesOf(band(4, 'x'), FLUSH))).error as Error).message).toMatch(/unknown band 4/);
    expect(((await demux(bytesOf(band(1, 'x'), '0001', FLUSH))).error as Error).message).toMatch(/unexpected delim packet/);
  });
});
