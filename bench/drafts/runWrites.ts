/**
 * Writes to one draft through the `write` tool: `concurrency` requests in
 * flight (1: one after another). The draft serializes its changes (a queue
 * per draft in DraftService), so more in flight only overlaps the HTTP and
 * JSON work with the queue. Every answer is checked (path and size).
 */
import { performance } from 'node:perf_hooks';
import type { DraftApi, RepoRef } from './draftApi.ts';

export interface FileWrite {
  path: string;
  content: string;
}

export interface WriteSeries {
  samples: number[];
  wallMs: number;
}

export async function runWrites(api: DraftApi, repo: RepoRef, id: string, writes: readonly FileWrite[], concurrency: number): Promise<WriteSeries> {
  const series: WriteSeries = { samples: [], wallMs: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < writes.length) {
      const write = writes[next++] as FileWrite;
      const done = await api.tool(repo, id, 'write', { path: write.path, content: write.content });
      if (done.value['path'] !== write.path || done.value['size'] !== Buffer.byteLength(write.content)) {
        throw new Error(`write ${write.path}: unexpected answer ${JSON.stringify(done.value).slice(0, 300)}`);
      }
      series.samples.push(done.ms);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, writes.length) }, worker));
  series.wallMs = performance.now() - start;
  return series;
}
