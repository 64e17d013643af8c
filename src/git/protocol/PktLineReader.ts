/**
 * Reading pkt-lines from a byte stream whose chunks may split anywhere (an
 * HTTP request body, a response from a remote).
 *
 * gitprotocol-common: "The first four bytes of the line, the pkt-len,
 * indicates the total length of the line, in hexadecimal. The pkt-len
 * includes the 4 bytes used to contain the length's hexadecimal
 * representation." `0000` is a flush-pkt; gitprotocol-v2 adds `0001`
 * (delim-pkt) and `0002` (response-end-pkt). Lengths 3 and above 65520 are
 * invalid; `0004` is an empty data packet ("SHOULD NOT" be sent, but git
 * reads it). "Receivers MUST treat pkt-lines with non-binary data the same
 * whether or not they contain the trailing LF" — `readLine` strips it.
 *
 * After the last pkt-line, `remaining()` hands over the raw bytes that follow
 * (receive-pack: the pack after the commands).
 */
import { GroveError } from '../../errors.ts';
import { ByteReader } from '../ByteReader.ts';
import { fromUtf8 } from '../bytes.ts';
import { MAX_PKT_LENGTH } from './pktLine.ts';

export type PktMarker = { kind: 'flush' } | { kind: 'delim' } | { kind: 'response-end' } | { kind: 'eof' };
/** One pkt-line; `eof` means the stream ended cleanly between packets. */
export type Pkt = { kind: 'data'; payload: Uint8Array } | PktMarker;

export interface PktLineReaderOptions {
  /** Total bytes the reader may pull from the source (pkt-lines and `remaining()`); over it → PAYLOAD_TOO_LARGE. */
  maxBytes?: number;
  /** Names the stream in the PAYLOAD_TOO_LARGE message (default "request body"). */
  label?: string;
}

const FLUSH: PktMarker = Object.freeze({ kind: 'flush' });
const DELIM: PktMarker = Object.freeze({ kind: 'delim' });
const RESPONSE_END: PktMarker = Object.freeze({ kind: 'response-end' });
const EOF: PktMarker = Object.freeze({ kind: 'eof' });

function hexDigit(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30; // 0-9
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57; // a-f
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37; // A-F (git's hexval accepts them too)
  return -1;
}

function protocolError(message: string, details?: Record<string, unknown>): GroveError {
  return new GroveError('PROTOCOL_ERROR', message, details);
}

/**
 * @example
 * const reader = new PktLineReader(request.body, { maxBytes: 1 << 20 });
 * for (let line = await reader.readLine(); typeof line === 'string'; line = await reader.readLine()) {
 *   commands.push(line);
 * }
 */
export class PktLineReader {
  readonly #input: ByteReader;

  constructor(source: AsyncIterable<Uint8Array>, options: PktLineReaderOptions = {}) {
    this.#input = new ByteReader(source, { maxBytes: options.maxBytes, label: options.label ?? 'request body' });
  }

  /** Bytes of the stream consumed so far. */
  get position(): number {
    return this.#input.position;
  }

  /** The next pkt-line. A data payload is a fresh copy the caller may keep. */
  async read(): Promise<Pkt> {
    const input = this.#input;
    const at = input.position;
    if (!(await input.fill(4))) {
      if (input.available === 0) return EOF;
      throw protocolError(`stream ended inside a pkt-line length at byte ${at}`, { offset: at });
    }
    const header = input.peek(4);
    let length = 0;
    for (const byte of header) {
      const digit = hexDigit(byte);
      if (digit < 0) {
        const shown = JSON.stringify(fromUtf8(header));
        throw protocolError(`bad pkt-line length ${shown} at byte ${at}`, { offset: at });
      }
      length = length * 16 + digit;
    }
    if (length < 4) {
      input.consume(4);
      if (length === 0) return FLUSH;
      if (length === 1) return DELIM;
      if (length === 2) return RESPONSE_END;
      throw protocolError(`invalid pkt-line length 0003 at byte ${at}`, { offset: at });
    }
    if (length > MAX_PKT_LENGTH) {
      throw protocolError(`pkt-line length ${length} at byte ${at} exceeds ${MAX_PKT_LENGTH}`, { offset: at });
    }
    if (!(await input.fill(length))) {
      throw protocolError(
        `stream ended inside a pkt-line at byte ${at}: ${length} bytes announced, ${input.available} present`,
        { offset: at },
      );
    }
    return { kind: 'data', payload: input.consume(length).slice(4) };
  }

  /**
   * The next pkt-line as text: a data packet's payload decoded as UTF-8 with
   * one trailing LF removed, or the marker (flush, delim, response-end, eof).
   */
  async readLine(): Promise<string | PktMarker> {
    const pkt = await this.read();
    if (pkt.kind !== 'data') return pkt;
    const { payload } = pkt;
    const end = payload.length > 0 && payload[payload.length - 1] === 0x0a ? payload.length - 1 : payload.length;
    return fromUtf8(payload.subarray(0, end));
  }

  /**
   * Everything after the last pkt-line read: the bytes already buffered, then
   * the rest of the source. Use it once, and read no more pkt-lines after.
   */
  remaining(): AsyncIterable<Uint8Array> {
    return this.#input.rest();
  }

  /** Stops reading the source early. */
  close(): Promise<void> {
    return this.#input.close();
  }
}
