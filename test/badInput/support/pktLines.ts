/**
 * Hand-made pkt-line framing for bad-input requests, and a reader for the
 * answers, written independently of Grove's own pkt-line code so a bug there
 * cannot hide itself.
 *
 * gitprotocol-common: "The first four bytes of the line, the pkt-len,
 * indicates the total length of the line, in hexadecimal. The pkt-len
 * includes the 4 bytes used to contain the length's hexadecimal
 * representation." `0000` is flush-pkt, `0001` delim-pkt (v2).
 * gitprotocol-pack, side-band-64k: each packet's payload starts with the band
 * byte, "1 - pack data, 2 - progress messages, 3 - fatal error message".
 */

export type Part = string | Uint8Array;

export const FLUSH = '0000';
export const DELIM = '0001';

const encoder = new TextEncoder();

/** The bytes of `parts` one after the other (strings as UTF-8). */
export function bytesOf(...parts: Part[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : p));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** One data pkt-line carrying `payload` exactly (add the LF yourself). */
export function pkt(payload: Part): Uint8Array {
  const body = bytesOf(payload);
  return bytesOf((body.length + 4).toString(16).padStart(4, '0'), body);
}

export type ReadPkt = { kind: 'data'; bytes: Uint8Array; text: string } | { kind: 'flush' } | { kind: 'delim' } | { kind: 'response-end' };

/** Splits a whole response body into pkt-lines; throws if it is not exactly a sequence of them. */
export function readPktLines(body: Uint8Array): ReadPkt[] {
  const out: ReadPkt[] = [];
  const decoder = new TextDecoder();
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

/** The pkt-lines of a body as short strings: data as its text, markers as `<flush>`/`<delim>`. */
export function pktTexts(body: Uint8Array): string[] {
  return readPktLines(body).map((p) => (p.kind === 'data' ? p.text : `<${p.kind}>`));
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

/**
 * The lines of a receive-pack report-status (`unpack ...`, `ok ...`, `ng ...`),
 * checked to end with a flush; `sideband` when it travelled in band 1.
 */
export function reportLines(body: Uint8Array, sideband: boolean): string[] {
  const status = sideband ? sidebandData(body, 1) : body;
  const packets = readPktLines(status);
  const last = packets.pop();
  if (last?.kind !== 'flush') throw new Error('report-status does not end with a flush-pkt');
  return packets.map((p) => {
    if (p.kind !== 'data' || !p.text.endsWith('\n')) throw new Error(`report-status line is not an LF-terminated data packet`);
    return p.text.slice(0, -1);
  });
}
