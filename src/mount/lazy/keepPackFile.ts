/**
 * Keeps a fetched blob pack in the mount's git directory, as git's partial
 * clone keeps what it fetches from its promisor remote, without running
 * `git index-pack` over it again: the mount has parsed and hashed every
 * object already, so it writes the pack's bytes as they stream by and the
 * .idx from what it learnt (writePackIndex.ts), then a .promisor file
 * (gitrepository-layout: "objects/pack/pack-*.promisor ... objects in this
 * pack came from a promisor remote"). git commands in the mount (diff,
 * log -p, blame) then find these blobs without the network.
 */
import { closeSync, openSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { crc32 } from 'node:zlib';
import type { Codec } from '../../git/codec.ts';
import { bytesToHex, type Oid } from '../../git/objects/objectId.ts';
import { writePackIndex } from './writePackIndex.ts';

let counter = 0;

export class KeptPackFile {
  readonly #dir: string;
  readonly #temp: string;
  readonly #fd: number;
  #length = 0;
  readonly #objects: { oid: Oid; offset: number }[] = [];

  constructor(gitDir: string) {
    this.#dir = join(gitDir, 'objects', 'pack');
    this.#temp = join(this.#dir, `tmp_pack_grove_${process.pid}_${threadId}_${++counter}`);
    this.#fd = openSync(this.#temp, 'w+');
  }

  /** Passes `pack` through, writing each chunk to the file. */
  async *tee(pack: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of pack) {
      writeSync(this.#fd, chunk, 0, chunk.length, this.#length);
      this.#length += chunk.length;
      yield chunk;
    }
  }

  /** Records that the object `oid` has its entry at `offset`. */
  object(oid: Oid, offset: number): void {
    this.#objects.push({ oid, offset });
  }

  /** Writes the .idx and .promisor and moves the pack into place; returns the pack's name. */
  finish(codec: Codec): string {
    try {
      const checksum = new Uint8Array(20);
      readSync(this.#fd, checksum, 0, 20, this.#length - 20);
      const byOffset = [...this.#objects].sort((a, b) => a.offset - b.offset);
      const packed = byOffset.map((object, i) => ({
        ...object,
        crc: this.#crc(object.offset, i + 1 < byOffset.length ? byOffset[i + 1]!.offset : this.#length - 20),
      }));
      const name = `pack-${bytesToHex(checksum)}`;
      closeSync(this.#fd);
      writeFileSync(join(this.#dir, `${name}.promisor`), '');
      writeFileSync(join(this.#dir, `${name}.idx.tmp`), writePackIndex(codec, checksum, packed));
      renameSync(this.#temp, join(this.#dir, `${name}.pack`));
      renameSync(join(this.#dir, `${name}.idx.tmp`), join(this.#dir, `${name}.idx`));
      return name;
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  abort(): void {
    try {
      closeSync(this.#fd);
    } catch {
      // closed already
    }
    rmSync(this.#temp, { force: true });
  }

  #crc(start: number, end: number): number {
    const buffer = Buffer.allocUnsafe(Math.min(end - start, 1 << 20));
    let crc = 0;
    for (let at = start; at < end;) {
      const n = readSync(this.#fd, buffer, 0, Math.min(buffer.length, end - at), at);
      if (n <= 0) break;
      crc = crc32(buffer.subarray(0, n), crc);
      at += n;
    }
    return crc;
  }
}
