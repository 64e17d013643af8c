/**
 * pkt-line framing made and read by hand, independently of Grove's own
 * pkt-line code so that a bug there cannot hide itself: `readPktLines` (and
 * `pktTexts`, `sidebandData`) takes a whole body that must be nothing but
 * pkt-lines, `readPackets` reads those at the start of a response and stops
 * where a raw pack or side-band data begins. gitprotocol-common: "The first
 * four bytes of the line, the pkt-len, indicates the total length of the
 * line, in hexadecimal. The pkt-len includes the 4 bytes used to contain the
 * length's hexadecimal representation." `0000` is flush-pkt, `0001`
 * delim-pkt, `0002` response-end-pkt; with side-band-64k each payload starts
 * with the band byte, "1 - pack data, 2 - progress messages, 3 - fatal error
 * message" (gitprotocol-pack).
 */
import { bytesOf, type Part } from './bytesOf.ts';

export const FLUSH = '0000';
export const DELIM = '0001';

const decoder = new TextDecoder();

/** One data pkt-line carrying `payload` exactly (add the LF yourself). */
export function pkt(payload: Part): Uint8Array {
  const body = bytesOf(payload);
  return bytesOf((body.length + 4).toString(16).padStart(4, '0'), body);
}

export type ReadPkt = { kind: 'data'; bytes: Uint8Array; text: string } | { kind: 'flush' } | { kind: 'delim' } | { kind: 'response-end' };

/** Splits a whole body into pkt-lines; throws if it is not exactly a sequence of them. */
export function readPktLines(body: Uint8Array): ReadPkt[] {
  const out: ReadPkt[] = [];
  let at = 0;
  while (at < body.length) {
    const head = decoder.decode(body.subarray(at, at + 4));
    if (!/^[0-9a-f]{4}$/.test(head)) throw new Error(`not a pkt-line at byte ${at}: ${JSON.stringify(head)}`);
    const length = parseInt(head, 16);
    if (length === 0) out.push({ kind: 'flush' });
    else if (length === 1) out.push({ kind: 'delim' });
    else if (length === 2) out.push({ kind: 'response-end' });
    else if (length < 4 || at + length > body.length) throw new Error(`bad pkt-line length ${length} at byte ${at}`);
    else {
      const bytes = body.slice(at + 4, at + length);
      out.push({ kind: 'data', bytes, text: decoder.decode(bytes) });
    }
    at += length < 4 ? 4 : length;
  }
  return out;
}

/** The pkt-lines of a whole body as short strings: data as its text, markers as `<flush>`/`<delim>`/`<response-end>`. */
export function pktTexts(body: Uint8Array): string[] {
  return readPktLines(body).map((p) => (p.kind === 'data' ? p.text : `<${p.kind}>`));
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

/**
 * The bytes a side-band body carries on `band`, concatenated; the body must be
 * side-band packets ended by one flush.
 */
export function sidebandData(body: Uint8Array, band: 1 | 2 | 3): Uint8Array {
  const packets = readPktLines(body);
  const last = packets.pop();
  if (last?.kind !== 'flush') throw new Error('side-band body does not end with a flush-pkt');
  const parts: Uint8Array[] = [];
  for (const p of packets) {
    if (p.kind !== 'data' || p.bytes.length === 0) throw new Error('side-band body holds a non-data packet');
    if (p.bytes[0] === band) parts.push(p.bytes.subarray(1));
  }
  return bytesOf(...parts);
}
