/**
 * Reads a protocol v2 `fetch` response as it streams by, keeping nothing but
 * counts: total bytes, the bytes of the pack (side-band 1 after `packfile`),
 * the object count from the pack header, and any error the server sent
 * (an `ERR` line, or side-band 3). From gitprotocol-v2(5):
 *
 *   output = acknowledgements flush-pkt |
 *            [acknowledgments delim-pkt] [shallow-info delim-pkt]
 *            [wanted-refs delim-pkt] [packfile-uris delim-pkt]
 *            packfile flush-pkt
 *   packfile = PKT-LINE("packfile" LF) *PKT-LINE(%x01-03 *%x00-ff)
 *
 * and gitprotocol-pack(5): the pack starts "PACK", version (4 bytes), number
 * of objects (4 bytes, network order).
 */

export class PackResponseMeter {
  bytes = 0;
  packBytes = 0;
  packObjects: number | undefined;
  error: string | undefined;
  /** The section lines seen before the pack (`packfile`, `shallow-info`...). */
  readonly sections: string[] = [];
  #inPack = false;
  #lengthDigits = '';
  /** Payload bytes left in the current packet. */
  #left = 0;
  /** The first bytes of the current packet's payload (after the band byte in the pack section). */
  #head: number[] = [];
  /** The side-band number of the current packet, once inside the pack section. */
  #band: number | undefined;
  #packHeader: number[] = [];
  #preview = '';
  #broken = false;

  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (this.#preview.length < 400) this.#preview += new TextDecoder().decode(chunk.subarray(0, 400 - this.#preview.length));
    if (this.#broken) return;
    let i = 0;
    while (i < chunk.length) {
      if (this.#left === 0) {
        this.#lengthDigits += String.fromCharCode(chunk[i++] as number);
        if (this.#lengthDigits.length < 4) continue;
        const digits = this.#lengthDigits;
        const length = Number.parseInt(digits, 16);
        this.#lengthDigits = '';
        if (!/^[0-9a-f]{4}$/.test(digits)) {
          this.error ??= `response is not pkt-lines: ${this.#preview.slice(0, 200)}`;
          this.#broken = true;
          return;
        }
        this.#head = [];
        this.#band = undefined;
        if (length > 4) this.#left = length - 4;
        continue;
      }
      const take = Math.min(this.#left, chunk.length - i);
      this.#payload(chunk, i, take);
      i += take;
      this.#left -= take;
      if (this.#left === 0) this.#endPacket();
    }
  }

  #payload(chunk: Uint8Array, start: number, length: number): void {
    let from = start;
    if (this.#inPack && this.#band === undefined && length > 0) {
      this.#band = chunk[from] as number;
      from++;
    }
    const end = start + length;
    if (this.#inPack && this.#band === 1) {
      this.packBytes += end - from;
      for (let j = from; j < end && this.#packHeader.length < 12; j++) this.#packHeader.push(chunk[j] as number);
      return;
    }
    for (let j = from; j < end && this.#head.length < 512; j++) this.#head.push(chunk[j] as number);
  }

  #endPacket(): void {
    const head = this.#head;
    if (this.#inPack) {
      if (this.#band === 3) this.error ??= `server error: ${String.fromCharCode(...head).trim()}`;
    } else {
      const line = String.fromCharCode(...head).trim();
      if (line.startsWith('ERR ')) this.error ??= line;
      else if (line === 'packfile') this.#inPack = true;
      else if (!line.includes(' ')) this.sections.push(line);
    }
    if (this.#packHeader.length >= 12 && this.packObjects === undefined) {
      const h = this.#packHeader;
      this.packObjects = (((h[8] as number) << 24) >>> 0) + ((h[9] as number) << 16) + ((h[10] as number) << 8) + (h[11] as number);
    }
  }

  /** The error to report once the response ended, if any. */
  finish(status: number): string | undefined {
    if (status !== 200) return `HTTP ${status}: ${this.#preview.slice(0, 300)}`;
    if (this.error !== undefined) return this.error;
    if (!this.#inPack) return 'no packfile section in the response';
    return undefined;
  }
}
