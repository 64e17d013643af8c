/**
 * Writing pkt-lines, the framing of every Git wire protocol.
 *
 * gitprotocol-common, "pkt-line Format":
 *
 *     A pkt-line is a variable length binary string.  The first four bytes
 *     of the line, the pkt-len, indicates the total length of the line,
 *     in hexadecimal.  The pkt-len includes the 4 bytes used to contain
 *     the length's hexadecimal representation.
 *     [...]
 *     The maximum length of a pkt-line's data component is 65516 bytes.
 *     Implementations MUST NOT send pkt-line whose length exceeds 65520
 *     (65516 bytes of payload + 4 bytes of length data).
 *
 *       pkt-line     =  data-pkt / flush-pkt
 *       data-pkt     =  pkt-len pkt-payload
 *       pkt-len      =  4*(HEXDIG)
 *       pkt-payload  =  (pkt-len - 4)*(OCTET)
 *       flush-pkt    = "0000"
 *
 * gitprotocol-v2 adds two more special packets:
 *
 *     0001 Delimiter Packet (delim-pkt) - separates sections of a message
 *     0002 Response End Packet (response-end-pkt) - indicates the end of a
 *          response for stateless connections
 *
 * gitprotocol-pack, side-band: each packet's payload starts with a band byte,
 * "1 - pack data, 2 - progress messages, 3 - fatal error message"; in
 * side-band-64k a packet is at most 65520 bytes, so it carries at most 65515
 * data bytes (4 length + 1 band + 65515). Plain side-band allows 999.
 *
 * A text line should end in LF: callers include it in the payload.
 */
import { GroveError } from '../../errors.ts';
import { utf8 } from '../bytes.ts';

/** Largest pkt-len, header included. */
export const MAX_PKT_LENGTH = 65520;
/** Largest payload of one pkt-line. */
export const MAX_PKT_PAYLOAD = MAX_PKT_LENGTH - 4;
/** Largest data part of one side-band-64k packet (payload minus the band byte). */
export const MAX_SIDEBAND_DATA = MAX_PKT_PAYLOAD - 1;

export const FLUSH_PKT: Uint8Array = utf8('0000');
export const DELIM_PKT: Uint8Array = utf8('0001');
export const RESPONSE_END_PKT: Uint8Array = utf8('0002');

const HEX = '0123456789abcdef';

function writeLength(target: Uint8Array, length: number): void {
  target[0] = HEX.charCodeAt((length >> 12) & 15);
  target[1] = HEX.charCodeAt((length >> 8) & 15);
  target[2] = HEX.charCodeAt((length >> 4) & 15);
  target[3] = HEX.charCodeAt(length & 15);
}

/**
 * One data pkt-line carrying `payload` (a string is sent as UTF-8).
 *
 * @example
 * pktLine('want 1234\n'); // bytes of "000ewant 1234\n"
 */
export function pktLine(payload: string | Uint8Array): Uint8Array {
  const bytes = typeof payload === 'string' ? utf8(payload) : payload;
  if (bytes.length > MAX_PKT_PAYLOAD) {
    throw new GroveError('INTERNAL', `pkt-line payload of ${bytes.length} bytes exceeds ${MAX_PKT_PAYLOAD}`);
  }
  const out = new Uint8Array(bytes.length + 4);
  writeLength(out, out.length);
  out.set(bytes, 4);
  return out;
}

/**
 * An `ERR <message>\n` pkt-line, which a Git client prints and aborts on.
 * Newlines in `message` become spaces and an overlong message is cut to fit.
 */
export function errorPkt(message: string): Uint8Array {
  let bytes = utf8(`ERR ${message.replace(/[\r\n]+/g, ' ')}`);
  if (bytes.length > MAX_PKT_PAYLOAD - 1) bytes = bytes.subarray(0, MAX_PKT_PAYLOAD - 1);
  const out = new Uint8Array(bytes.length + 5);
  writeLength(out, out.length);
  out.set(bytes, 4);
  out[out.length - 1] = 0x0a;
  return out;
}

/**
 * Splits `data` into side-band packets on `band` (1 pack data, 2 progress,
 * 3 fatal error), each carrying at most `maxData` bytes: 65515 for
 * side-band-64k (the default), 999 for plain side-band. Empty `data` yields
 * nothing.
 *
 * @example
 * for (const pkt of sidebandPackets(1, packBytes)) controller.enqueue(pkt);
 */
export function* sidebandPackets(band: 1 | 2 | 3, data: Uint8Array, maxData = MAX_SIDEBAND_DATA): Generator<Uint8Array> {
  if (!Number.isInteger(maxData) || maxData < 1 || maxData > MAX_SIDEBAND_DATA) {
    throw new GroveError('INTERNAL', `side-band packet size ${maxData} is not in 1..${MAX_SIDEBAND_DATA}`);
  }
  for (let offset = 0; offset < data.length; offset += maxData) {
    const part = data.subarray(offset, Math.min(data.length, offset + maxData));
    const out = new Uint8Array(part.length + 5);
    writeLength(out, out.length);
    out[4] = band;
    out.set(part, 5);
    yield out;
  }
}
