/**
 * Sends one captured `git-upload-pack` request (protocol v2) on a fresh
 * connection and reads the answer as fast as it comes, keeping only counts
 * (PackResponseMeter): the server's cost, without a git client's.
 */
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RemoteRepo } from '../servers/BenchServer.ts';
import { PackResponseMeter } from './PackResponseMeter.ts';

export interface ReplayResult {
  /** Milliseconds from sending the request to the first byte of the body. */
  ttfbMs: number;
  totalMs: number;
  bytes: number;
  packBytes: number;
  packObjects: number | undefined;
  /** What went wrong (HTTP status, ERR line, no pack), when something did. */
  error: string | undefined;
}

export function replayFetch(repo: RemoteRepo, body: Uint8Array): Promise<ReplayResult> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let ttfb = -1;
    const meter = new PackResponseMeter();
    const req = request(
      `${repo.url}/git-upload-pack`,
      {
        method: 'POST',
        agent: false,
        headers: {
          ...repo.headers,
          'content-type': 'application/x-git-upload-pack-request',
          accept: 'application/x-git-upload-pack-result',
          'git-protocol': 'version=2',
          'user-agent': 'git/2.39.5',
          'content-length': String(body.length),
        },
      },
      (res) => {
        res.on('data', (chunk: Buffer) => {
          if (ttfb < 0) ttfb = performance.now() - start;
          meter.push(chunk);
        });
        res.on('end', () => {
          const totalMs = performance.now() - start;
          resolve({
            ttfbMs: ttfb < 0 ? totalMs : ttfb,
            totalMs,
            bytes: meter.bytes,
            packBytes: meter.packBytes,
            packObjects: meter.packObjects,
            error: meter.finish(res.statusCode ?? 0),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
