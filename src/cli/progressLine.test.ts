import { describe, expect, it } from 'vitest';
import { countedStream, formatBytes, startProgressBar, startProgressLine } from './progressLine.ts';

describe('startProgressLine', () => {
  it('draws on a terminal and erases the line when stopped', () => {
    const written: string[] = [];
    const tty = { isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const stop = startProgressLine('importing x', tty);
    stop();
    expect(written[0]).toMatch(/^\r\| importing x \(0s\)\u001b\[K$/);
    expect(written.at(-1)).toBe('\r\u001b[K');
  });

  it('writes nothing when the stream is not a terminal', () => {
    const written: string[] = [];
    const pipe = { isTTY: false, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    startProgressLine('importing x', pipe)();
    expect(written).toEqual([]);
  });
});

describe('startProgressBar', () => {
  it('draws a bar with the share done on a terminal, and erases it when stopped', () => {
    const written: string[] = [];
    const tty = { isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const bar = startProgressBar('uploading x', 2048, tty);
    bar.add(1024);
    bar.stop();
    expect(written[0]).toBe(`\ruploading x [${'.'.repeat(30)}]   0% 0 B/2.0 KiB\u001b[K`);
    expect(written.at(-1)).toBe('\r\u001b[K');
  });

  it('writes nothing when the stream is not a terminal', () => {
    const written: string[] = [];
    const pipe = { isTTY: false, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const bar = startProgressBar('downloading', null, pipe);
    bar.add(10);
    bar.stop();
    expect(written).toEqual([]);
  });

  it('counts the bytes of a stream passing through', async () => {
    let counted = 0;
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(3));
        controller.enqueue(new Uint8Array(5));
        controller.close();
      },
    });
    const out = await new Response(countedStream(source, { add: (n) => (counted += n), stop: () => {} })).arrayBuffer();
    expect([out.byteLength, counted]).toEqual([8, 8]);
  });

  it('formats sizes in binary units', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(12 * 1024 * 1024)]).toEqual(['0 B', '1023 B', '1.5 KiB', '12.0 MiB']);
  });
});
