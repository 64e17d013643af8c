/**
 * A pull reader over an `AsyncIterable<Uint8Array>` whose chunks may split
 * anywhere: callers ask for "at least n bytes", look at them as one contiguous
 * view, then consume them. It buffers only what has been asked for (plus the
 * rest of the last chunk) and enforces a limit on the total bytes pulled.
 * The pkt-line reader and the streaming pack parser both sit on it.
 *
 * Views returned by `peek`/`consume` stay valid only until the next `fill`:
 * copy (`slice`) whatever must outlive that.
 */
import { GroveError } from '../errors.ts';

const MIN_CAPACITY = 64 * 1024;

export interface ByteReaderOptions {
  /** Fail with PAYLOAD_TOO_LARGE once more than this many bytes have been pulled from the source. */
  maxBytes?: number;
  /** Names the input in the PAYLOAD_TOO_LARGE message ("request body", "pack"). */
  label?: string;
}

export class ByteReader {
  readonly #iterator: AsyncIterator<Uint8Array>;
  readonly #maxBytes: number;
  readonly #label: string;
  #buf: Uint8Array = new Uint8Array(0);
  #owned = false; // true when #buf is ours to write into (never write into a caller's chunk)
  #start = 0;
  #end = 0;
  #pulled = 0;
  #consumed = 0;
  #ended = false;

  constructor(source: AsyncIterable<Uint8Array>, options: ByteReaderOptions = {}) {
    this.#iterator = source[Symbol.asyncIterator]();
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#label = options.label ?? 'input';
  }

  /** Bytes buffered and not yet consumed. */
  get available(): number {
    return this.#end - this.#start;
  }

  /** Bytes consumed so far (the stream position of the next unconsumed byte). */
  get position(): number {
    return this.#consumed;
  }

  /** Bytes pulled from the source so far (consumed + buffered). */
  get pulled(): number {
    return this.#pulled;
  }

  /** True once the source is exhausted (buffered bytes may remain). */
  get ended(): boolean {
    return this.#ended;
  }

  /** Pulls chunks until at least `n` bytes are buffered; false if the source ends first. */
  async fill(n: number): Promise<boolean> {
    while (this.available < n) {
      if (this.#ended) return false;
      const next = await this.#iterator.next();
      if (next.done === true) {
        this.#ended = true;
        return false;
      }
      this.#append(next.value);
    }
    return true;
  }

  /** A view of the next `n` buffered bytes (`n <= available`), not consumed. */
  peek(n: number): Uint8Array {
    if (n > this.available) throw new RangeError(`peek(${n}) with only ${this.available} bytes buffered`);
    return this.#buf.subarray(this.#start, this.#start + n);
  }

  /** Consumes the next `n` buffered bytes and returns a view of them. */
  consume(n: number): Uint8Array {
    const view = this.peek(n);
    this.#start += n;
    this.#consumed += n;
    return view;
  }

  /**
   * Everything not consumed yet: the buffered bytes, then the rest of the
   * source as it arrives (still counted against `maxBytes`). The reader must
   * not be used for anything else afterwards.
   */
  async *rest(): AsyncGenerator<Uint8Array, void, undefined> {
    if (this.available > 0) yield this.consume(this.available);
    while (!this.#ended) {
      const next = await this.#iterator.next();
      if (next.done === true) {
        this.#ended = true;
        return;
      }
      this.#count(next.value.length);
      this.#consumed += next.value.length;
      if (next.value.length > 0) yield next.value;
    }
  }

  /** Stops the source early (lets a generator source run its `finally`). */
  async close(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    await this.#iterator.return?.();
  }

  #count(length: number): void {
    this.#pulled += length;
    if (this.#pulled > this.#maxBytes) {
      throw new GroveError('PAYLOAD_TOO_LARGE', `${this.#label} exceeds the limit of ${this.#maxBytes} bytes`, {
        maxBytes: this.#maxBytes,
      });
    }
  }

  #append(chunk: Uint8Array): void {
    this.#count(chunk.length);
    if (chunk.length === 0) return;
    const live = this.available;
    if (live === 0) {
      // Adopt the chunk without copying; it is the caller's, so never write into it.
      this.#buf = chunk;
      this.#owned = false;
      this.#start = 0;
      this.#end = chunk.length;
      return;
    }
    const needed = live + chunk.length;
    const capacity = this.#buf.length;
    const oversized = capacity > 4 * Math.max(needed, MIN_CAPACITY);
    if (this.#owned && !oversized && capacity - this.#end >= chunk.length) {
      this.#buf.set(chunk, this.#end);
      this.#end += chunk.length;
      return;
    }
    // Reallocate at twice what is needed: amortised O(1) copying per byte, and a
    // buffer that grew for one big entry shrinks again afterwards.
    const next = new Uint8Array(Math.max(MIN_CAPACITY, 2 * needed));
    next.set(this.#buf.subarray(this.#start, this.#end), 0);
    next.set(chunk, live);
    this.#buf = next;
    this.#owned = true;
    this.#start = 0;
    this.#end = needed;
  }
}
