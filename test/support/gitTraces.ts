/**
 * Captures what a git command said on the wire (git(1), "Debugging"):
 * GIT_TRACE_PACKET (every pkt-line both ways), GIT_TRACE_CURL with
 * GIT_TRACE_CURL_NO_DATA (HTTP request and status lines) and GIT_TRACE_PACKFILE
 * (the raw pack bytes sent or received).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GitTraces {
  /** Environment to pass to the traced git command. */
  env: Record<string, string>;
  packet(): string;
  curl(): string;
  packfile(): Uint8Array;
}

let counter = 0;

/** Trace files under `dir`, unique per call. */
export function gitTraces(dir: string): GitTraces {
  const id = `${process.pid}-${++counter}`;
  const files = {
    packet: join(dir, `trace-packet-${id}.log`),
    curl: join(dir, `trace-curl-${id}.log`),
    packfile: join(dir, `trace-packfile-${id}.bin`),
  };
  const read = (file: string): Buffer => (existsSync(file) ? readFileSync(file) : Buffer.alloc(0));
  return {
    env: {
      GIT_TRACE_PACKET: files.packet,
      GIT_TRACE_CURL: files.curl,
      GIT_TRACE_CURL_NO_DATA: '1',
      GIT_TRACE_PACKFILE: files.packfile,
    },
    packet: () => read(files.packet).toString('utf8'),
    curl: () => read(files.curl).toString('utf8'),
    packfile: () => new Uint8Array(read(files.packfile)),
  };
}

/** How many HTTP requests of `method` whose path ends with `pathEnd` (before any query) a curl trace shows. */
export function countRequests(curlTrace: string, method: 'GET' | 'POST', pathEnd: string): number {
  let count = 0;
  for (const line of curlTrace.split('\n')) {
    const match = /=> Send header: (GET|POST) (\S+) HTTP\//.exec(line);
    if (match === null || match[1] !== method) continue;
    const path = (match[2] ?? '').split('?')[0] ?? '';
    if (path.endsWith(pathEnd)) count++;
  }
  return count;
}

/** The payloads of the pkt-lines a packet trace shows, e.g. `fetch> command=fetch` → `command=fetch` for prefix `fetch>`. */
export function tracedPackets(packetTrace: string, prefix: string): string[] {
  const lines: string[] = [];
  for (const line of packetTrace.split('\n')) {
    const match = /packet:\s+(\S+) (.*)$/.exec(line);
    if (match !== null && match[1] === prefix) lines.push(match[2] ?? '');
  }
  return lines;
}
