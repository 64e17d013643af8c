/**
 * pkt-line framing for protocol unit tests, written independently of Grove's
 * pkt-line code. gitprotocol-common: "The first four bytes of the line, the
 * pkt-len, indicates the total length of the line, in hexadecimal. The pkt-len
 * includes the 4 bytes used to contain the length's hexadecimal
 * representation." `0000` flush-pkt, `0001` delim-pkt, `0002` response-end-pkt.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One data pkt-line of `payload` (text as UTF-8). */
export function pkt(payload: string | Uint8Array): Uint8Array {
  const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const out = new Uint8Array(bytes.length + 4);
  out.set(encoder.encode((bytes.length + 4).toString(16).padStart(4, '0')));
  out.set(bytes, 4);
  return out;
}

export const FLUSH = encoder.encode('0000');
export const DELIM = encoder.encode('0001');

/** The parts one after the other. */
export function bytes(...parts: (string | Uint8Array)[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : p))));
}

/** A source that yields `data` in one chunk (what a request body looks like to a reader). */
export async function* source(data: Uint8Array): AsyncGenerator<Uint8Array> {
  if (data.length > 0) yield data;
}

export interface Packets {
  /** Each packet: a data payload as text, or 'flush' / 'delim' / 'response-end'. */
  packets: string[];
  /** What follows where the pkt-lines stop: a raw pack (`PACK...`) or the first side-band packet. */
  rest: Uint8Array;
}

/**
 * Reads pkt-lines from the start of `data` until it ends, a raw pack starts
 * ("PACK"), or (when `stopAtSideband`) a packet on band 1, 2 or 3 comes.
 */
export function readPackets(data: Uint8Array, stopAtSideband = false): Packets {
  const packets: string[] = [];
  let at = 0;
  while (at + 4 <= data.length) {
    const head = decoder.decode(data.subarray(at, at + 4));
    if (head === 'PACK') break;
    if (!/^[0-9a-f]{4}$/.test(head)) throw new Error(`not a pkt-line at ${at}: ${JSON.stringify(head)}`);
    const length = parseInt(head, 16);
    if (length < 4) {
      packets.push(['flush', 'delim', 'response-end'][length] ?? `bad ${length}`);
      at += 4;
      continue;
    }
    const payload = data.subarray(at + 4, at + length);
    if (stopAtSideband && payload.length > 0 && payload[0]! >= 1 && payload[0]! <= 3) break;
    packets.push(decoder.decode(payload));
    at += length;
  }
  return { packets, rest: data.subarray(at) };
}

/** Everything an async iterable of chunks yields, joined. */
export async function collect(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return new Uint8Array(Buffer.concat(parts));
}
