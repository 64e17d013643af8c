import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readPktLines } from '../../../test/support/pktLines.ts';
import type { Enumeration } from '../walk/enumerateObjects.ts';
import type { WalkProgress } from '../walk/WalkProgress.ts';
import { enumerateWithProgress } from './enumerateWithProgress.ts';

/** An enumeration that runs until the test finishes it, and the counter it reports through. */
function pending(): { enumerate: (progress: WalkProgress) => Promise<Enumeration>; counter: () => WalkProgress; finish: (count: number) => void } {
  let counter: WalkProgress | undefined;
  let resolve: ((plan: Enumeration) => void) | undefined;
  return {
    enumerate: (progress) => {
      counter = progress;
      return new Promise((r) => {
        resolve = r;
      });
    },
    counter: () => counter!,
    finish: (count) => resolve!({ oids: Array.from({ length: count }, (_, i) => i.toString(16).padStart(40, '0')), clientHas: new Set() }),
  };
}

/** A side-band packet as `<band>:<text>`. */
function shown(packet: Uint8Array): string {
  const [pkt] = readPktLines(packet);
  if (pkt?.kind !== 'data') throw new Error('not a data packet');
  return `${pkt.bytes[0]}:${new TextDecoder().decode(pkt.bytes.subarray(1))}`;
}

describe('enumerateWithProgress', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports the count on band 2 once a second while the enumeration runs, then the total', async () => {
    const job = pending();
    const reports = enumerateWithProgress(job.enumerate, { sideband: true, progress: true });
    const first = reports.next();
    await job.counter().add(5);
    await vi.advanceTimersByTimeAsync(1000);
    expect(shown((await first).value as Uint8Array)).toBe('2:Enumerating objects: 5\r');

    let settled = false;
    const second = reports.next().then((r) => {
      settled = true;
      return r;
    });
    await job.counter().add(7);
    await vi.advanceTimersByTimeAsync(900);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(shown((await second).value as Uint8Array)).toBe('2:Enumerating objects: 12\r');

    const third = reports.next();
    job.finish(12);
    expect(shown((await third).value as Uint8Array)).toBe('2:Enumerating objects: 12, done.\n');
    const end = await reports.next();
    expect(end.done).toBe(true);
    expect((end.value as Enumeration).oids).toHaveLength(12);
  });

  it('sends an empty band-1 keep-alive every five seconds when the client asked for no progress', async () => {
    const job = pending();
    const reports = enumerateWithProgress(job.enumerate, { sideband: true, progress: false });
    const first = reports.next();
    await vi.advanceTimersByTimeAsync(5000);
    expect(new TextDecoder().decode((await first).value as Uint8Array)).toBe('0005\x01');
    const next = reports.next();
    job.finish(3);
    const end = await next;
    expect(end.done).toBe(true);
    expect((end.value as Enumeration).oids).toHaveLength(3);
  });

  it('sends nothing without side-band, and passes a failure on', async () => {
    const job = pending();
    const reports = enumerateWithProgress(job.enumerate, { sideband: false, progress: true });
    const first = reports.next();
    await vi.advanceTimersByTimeAsync(10_000);
    job.finish(1);
    expect((await first).done).toBe(true);

    const failing = enumerateWithProgress(() => Promise.reject(new Error('lost')), { sideband: true, progress: true });
    await expect(failing.next()).rejects.toThrow('lost');
  });
});
