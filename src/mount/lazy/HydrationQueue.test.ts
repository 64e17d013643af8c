/**
 * The hydration queue's order and its promises, with a fetcher that records
 * what it is asked and answers when the test says: background batches in
 * class order, growing; a read's blob ahead of them; failures retried and
 * reported; a waiter released only once its blob has come.
 */
import { describe, expect, it } from 'vitest';
import type { Oid } from '../../git/objects/objectId.ts';
import type { BlobFetcher } from './BlobFetcher.ts';
import { hydrationClass } from './hydrationClass.ts';
import { HydrationQueue, type QueuedBlob } from './HydrationQueue.ts';

const oid = (n: number): Oid => n.toString(16).padStart(40, '0');

interface Call {
  oids: Oid[];
  answer(missing?: Oid[]): void;
  fail(message: string): void;
}

function recordingFetcher(): { fetcher: BlobFetcher; calls: Call[] } {
  const calls: Call[] = [];
  const fetcher: BlobFetcher = {
    fetch(oids, onBlob) {
      return new Promise((resolve, reject) => {
        calls.push({
          oids: [...oids],
          answer: (missing = []) => {
            for (const o of oids) if (!missing.includes(o)) onBlob(o, 10);
            resolve({ missing });
          },
          fail: (message) => reject(new Error(message)),
        });
      });
    },
    close: async () => {},
  };
  return { fetcher, calls };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

function blobs(paths: string[]): QueuedBlob[] {
  return paths.map((path, i) => ({ oid: oid(i + 1), size: 10, path, cls: hydrationClass(path, 10, false) }));
}

describe('hydrationClass', () => {
  it('puts manifests first, then code, then the rest, binaries and big files last', () => {
    expect(hydrationClass('a/package.json', 10, false)).toBe(0);
    expect(hydrationClass('README.md', 10, false)).toBe(0);
    expect(hydrationClass('link', 10, true)).toBe(0);
    expect(hydrationClass('src/index.ts', 10, false)).toBe(1);
    expect(hydrationClass('data/notes', 10, false)).toBe(2);
    expect(hydrationClass('img/logo.png', 10, false)).toBe(3);
    expect(hydrationClass('src/huge.ts', 5 * 1024 * 1024, false)).toBe(3);
  });
});

describe('HydrationQueue', () => {
  it('fetches in class order, in batches that grow, two at a time', async () => {
    const { fetcher, calls } = recordingFetcher();
    const hydrated: Oid[] = [];
    const queue = new HydrationQueue(new Set(), { fetcher, background: true, firstBatchBlobs: 2, onHydrated: (o) => hydrated.push(o), onError: () => {} });
    queue.enqueue(blobs(['z.png', 'b.txt', 'a.ts', 'package.json', 'c.ts', 'd.ts', 'e', ...Array.from({ length: 20 }, (_, i) => `f${i}.ts`)]));
    // 2 first, then up to 8 times as many (16), then the rest once one of the two is done.
    expect(calls.map((c) => c.oids.length)).toEqual([2, 16]);
    expect(calls[0]!.oids).toEqual([oid(4), oid(3)]);
    calls[0]!.answer();
    await tick();
    expect(calls[2]!.oids.length).toBe(9);
    expect(calls[2]!.oids.at(-1)).toBe(oid(1)); // the image last
    calls[1]!.answer();
    calls[2]!.answer();
    await tick();
    expect(hydrated.length).toBe(27);
    expect(queue.waiting).toBe(0);
  });

  it('fetches a blob a read waits for ahead of the queue, and releases the read once it has come', async () => {
    const { fetcher, calls } = recordingFetcher();
    const present = new Set<Oid>();
    const queue = new HydrationQueue(present, { fetcher, background: true, firstBatchBlobs: 1, parallel: 1, onHydrated: () => {}, onError: () => {} });
    queue.enqueue(blobs(['package.json', 'a.ts', 'b.ts', 'c.ts']));
    let done = false;
    const read = queue.require(oid(4)).then(() => {
      done = true;
    });
    await tick();
    expect(calls.map((c) => c.oids)).toEqual([[oid(1)], [oid(4)]]);
    expect(done).toBe(false);
    calls[1]!.answer();
    await read;
    expect(present.has(oid(4))).toBe(true);
    await queue.require(oid(4)); // here already: at once, no request
    expect(calls.length).toBe(2);
  });

  it('asks again, alone, for a blob a read waits for that a background batch carries', async () => {
    const { fetcher, calls } = recordingFetcher();
    const hydrated: Oid[] = [];
    const queue = new HydrationQueue(new Set(), { fetcher, background: true, firstBatchBlobs: 4, parallel: 1, onHydrated: (o) => hydrated.push(o), onError: () => {} });
    queue.enqueue(blobs(['a.ts', 'b.ts', 'c.ts']));
    const read = queue.require(oid(3));
    await tick();
    expect(calls.map((c) => c.oids)).toEqual([[oid(1), oid(2), oid(3)], [oid(3)]]);
    calls[1]!.answer();
    await read;
    calls[0]!.answer();
    await tick();
    expect(hydrated.sort()).toEqual([oid(1), oid(2), oid(3)]); // once each
  });

  it('only fetches what reads need when hydration is on demand', async () => {
    const { fetcher, calls } = recordingFetcher();
    const queue = new HydrationQueue(new Set(), { fetcher, background: false, onHydrated: () => {}, onError: () => {} });
    queue.enqueue(blobs(['a.ts', 'b.ts']));
    await tick();
    expect(calls.length).toBe(0);
    const read = queue.require(oid(2));
    await tick();
    expect(calls.map((c) => c.oids)).toEqual([[oid(2)]]);
    calls[0]!.answer();
    await read;
  });

  it('retries a failed transfer, reports it, and gives up on a read only after the last attempt', async () => {
    const { fetcher, calls } = recordingFetcher();
    const errors: string[] = [];
    const queue = new HydrationQueue(new Set(), { fetcher, background: false, maxAttempts: 2, onHydrated: () => {}, onError: (m) => errors.push(m) });
    const read = queue.require(oid(9));
    const outcome = read.then(() => 'ok', (err: Error) => err.message);
    await tick();
    calls[0]!.fail('connection reset');
    for (let i = 0; i < 100 && calls.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(calls.length).toBe(2);
    expect(errors).toEqual(['connection reset']);
    calls[1]!.answer([oid(9)]);
    expect(await outcome).toMatch(/could not be fetched after 2 attempts/);
    expect(errors[1]).toMatch(/did not send 1 blob/);
    queue.close();
  });
});
