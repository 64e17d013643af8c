/**
 * Protocol v2 `fetch` request bodies, written the way git 2.39's `git clone`
 * and `git fetch` write them (checked against GIT_TRACE_PACKET), so they can be
 * replayed against both servers. From gitprotocol-v2(5):
 *
 *   request = empty-request | command-request
 *   command-request = command capability-list delim-pkt command-args flush-pkt
 *   fetch args: thin-pack, no-progress, include-tag, ofs-delta, deepen <depth>,
 *     filter <filter-spec>, want <oid>, have <oid>, done
 *
 *   pkt-line = 4 hex digits of the total length, then the payload.
 */

export interface FetchRequestOptions {
  wants: string[];
  haves?: string[];
  /** Lines after `ofs-delta`, e.g. `deepen 1` or `filter blob:none`. */
  args?: string[];
  /** `include-tag` (git sends it unless it wants every tag itself). */
  includeTag?: boolean;
}

const encoder = new TextEncoder();

function pkt(line: string): string {
  const payload = `${line}\n`;
  return (encoder.encode(payload).length + 4).toString(16).padStart(4, '0') + payload;
}

export function fetchRequest(options: FetchRequestOptions): Uint8Array {
  const lines = [
    pkt('command=fetch'),
    pkt('agent=git/2.39.5'),
    pkt('object-format=sha1'),
    '0001',
    pkt('thin-pack'),
    pkt('no-progress'),
    ...(options.includeTag === true ? [pkt('include-tag')] : []),
    pkt('ofs-delta'),
    ...(options.args ?? []).map(pkt),
    ...options.wants.map((oid) => pkt(`want ${oid}`)),
    ...(options.haves ?? []).map((oid) => pkt(`have ${oid}`)),
    pkt('done'),
    '0000',
  ];
  return encoder.encode(lines.join(''));
}
