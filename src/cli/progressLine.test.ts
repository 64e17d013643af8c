import { describe, expect, it } from 'vitest';
import { startProgressLine } from './progressLine.ts';

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
