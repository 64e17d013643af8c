/**
 * pkt-lines of a remote's answer (gitprotocol-common): a `PktLineReader`
 * whose failures name the remote. "An error packet is a special pkt-line
 * that contains an error string: error-line = PKT-LINE("ERR" SP
 * explanation-text)" — it may come wherever a pkt-line is expected, and
 * ends the exchange with the remote's own words.
 */
import { GroveError, isGroveError } from '../../errors.ts';
import { fromUtf8 } from '../bytes.ts';
import { PktLineReader, type Pkt, type PktMarker } from '../protocol/PktLineReader.ts';
import { isRemoteError, remoteError } from './remoteError.ts';
import type { ResponseChunks } from './responseChunks.ts';

export class RemoteReader {
  readonly #reader: PktLineReader;
  readonly #response: ResponseChunks;
  readonly #url: string;

  /** `maxBytes` bounds everything read from the response. */
  constructor(response: ResponseChunks, url: string, maxBytes: number) {
    this.#response = response;
    this.#url = url;
    this.#reader = new PktLineReader(response.chunks, { maxBytes, label: `the response of ${url}` });
  }

  /** The next pkt-line; an `ERR` packet is thrown as the remote's error. */
  async read(): Promise<Pkt> {
    let pkt: Pkt;
    try {
      pkt = await this.#reader.read();
    } catch (err) {
      throw this.#wrap(err);
    }
    if (pkt.kind === 'data' && isErrPacket(pkt.payload)) {
      throw this.error(`the remote refused: ${fromUtf8(pkt.payload.subarray(4)).trim()}`);
    }
    return pkt;
  }

  /** The next pkt-line as text without its trailing LF, or the marker. */
  async readLine(): Promise<string | PktMarker> {
    const pkt = await this.read();
    if (pkt.kind !== 'data') return pkt;
    const { payload } = pkt;
    return fromUtf8(payload.length > 0 && payload[payload.length - 1] === 0x0a ? payload.subarray(0, -1) : payload);
  }

  /** The next line, which must be text (a flush or the end of the answer here is an error). */
  async expectLine(what: string): Promise<string> {
    const line = await this.readLine();
    if (typeof line === 'string') return line;
    throw this.error(line.kind === 'eof' ? `the answer ended before ${what}` : `expected ${what}, got a ${line.kind} packet`);
  }

  /** The raw bytes after the last pkt-line read (a v0 pack without side-band). */
  async *remaining(): AsyncGenerator<Uint8Array> {
    try {
      yield* this.#reader.remaining();
    } catch (err) {
      throw this.#wrap(err);
    }
  }

  /** A REMOTE_ERROR about this answer. */
  error(message: string, details: Record<string, unknown> = {}): GroveError {
    return remoteError(this.#url, message, details);
  }

  /** Stops reading and releases the connection. */
  async close(): Promise<void> {
    await this.#reader.close().catch(() => {});
    await this.#response.cancel();
  }

  #wrap(err: unknown): unknown {
    if (!isGroveError(err) || isRemoteError(err) || err.code === 'INTERNAL') return err;
    if (err.code === 'PAYLOAD_TOO_LARGE') return err;
    return remoteError(this.#url, err.message, { ...err.details }, err);
  }
}

function isErrPacket(payload: Uint8Array): boolean {
  return payload.length >= 4 && payload[0] === 0x45 && payload[1] === 0x52 && payload[2] === 0x52 && payload[3] === 0x20;
}
