/**
 * Content-defined chunking (a gear hash, as in FastCDC): a file is cut
 * where the hash of its last 32 bytes has its top 20 bits clear, so an edit
 * moves only the cuts next to it and every other chunk keeps its bytes —
 * and its id. Clients and the server cut the same way (same table, same
 * sizes), so a file edited in place, grown at the end, or with bytes
 * inserted in the middle shares all but a chunk or two with its previous
 * version.
 *
 *   - no cut in a chunk's first MIN_CHUNK bytes (they are not hashed);
 *   - a cut where `(h >>> 12) === 0`, h the gear hash (about 1 in 2^20);
 *   - a cut at MAX_CHUNK bytes whatever the hash.
 *
 * Streaming: `push` takes the bytes in any blocks and returns where the
 * chunks it completed end (offsets from the start of the stream); `end`
 * closes the last one.
 */
export const MIN_CHUNK = 256 * 1024;
export const MAX_CHUNK = 4 * 1024 * 1024;
/** Files from this size travel as chunks; smaller ones whole. */
export const CHUNKED_FROM = 2 * 1024 * 1024;

const GEAR = gearTable();

export class ContentChunker {
  /** The stream's offset where the current chunk started. */
  #start = 0;
  /** Bytes consumed so far. */
  #offset = 0;
  #hash = 0;

  /** Consumes `block`; the end offsets of the chunks it completed. */
  push(block: Uint8Array): number[] {
    const cuts: number[] = [];
    let i = 0;
    while (i < block.length) {
      const inChunk = this.#offset - this.#start;
      // The first MIN_CHUNK bytes of a chunk cannot hold a cut: skip all but the 32 the hash needs.
      if (inChunk < MIN_CHUNK - 32) {
        const skip = Math.min(block.length - i, MIN_CHUNK - 32 - inChunk);
        i += skip;
        this.#offset += skip;
        continue;
      }
      const limit = Math.min(block.length, i + (this.#start + MAX_CHUNK - this.#offset));
      let h = this.#hash;
      let cut = -1;
      const hashFrom = this.#offset - this.#start < MIN_CHUNK ? i + (MIN_CHUNK - (this.#offset - this.#start)) : i;
      for (let j = i; j < limit; j++) {
        h = ((h << 1) + GEAR[block[j]!]!) | 0;
        if (j >= hashFrom && h >>> 12 === 0) {
          cut = j + 1;
          break;
        }
      }
      const end = cut === -1 ? limit : cut;
      this.#offset += end - i;
      i = end;
      this.#hash = h;
      if (cut !== -1 || this.#offset - this.#start === MAX_CHUNK) {
        cuts.push(this.#offset);
        this.#start = this.#offset;
        this.#hash = 0;
      }
    }
    return cuts;
  }

  /** Ends the stream: the end offset of its last chunk, or null when it ended on a cut (or was empty). */
  end(): number | null {
    return this.#offset > this.#start ? this.#offset : null;
  }
}

/** The chunk boundaries of `data` held whole: each chunk's [start, end). */
export function chunkRanges(data: Uint8Array): Array<[number, number]> {
  const chunker = new ContentChunker();
  const ends = chunker.push(data);
  const last = chunker.end();
  if (last !== null) ends.push(last);
  let start = 0;
  return ends.map((end) => {
    const range: [number, number] = [start, end];
    start = end;
    return range;
  });
}

/** 256 fixed pseudo-random words (splitmix32 from a fixed seed): the same everywhere, forever. */
function gearTable(): Int32Array {
  const table = new Int32Array(256);
  let state = 0x47524f56; // "GROV"
  for (let i = 0; i < 256; i++) {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    table[i] = z ^ (z >>> 16);
  }
  return table;
}
