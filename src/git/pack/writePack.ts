/**
 * Writes a pack of the given objects as a stream, copying each object's
 * stored bytes verbatim: whole objects as they are, stored deltas as
 * OFS_DELTA (or REF_DELTA) when their base is in the pack too — the base is
 * written first — or as REF_DELTA against an object the client already has
 * (thin pack). Only a delta whose base the client will not have is rebuilt
 * and sent whole.
 *
 *   pack   = "PACK" version(4) count(4) entry* sha1(everything before)
 *   entry  = header [ofs-distance | base-oid] zlib-data   (gitformat-pack)
 *
 * Rows are read a batch at a time; entries are copied into 64 KiB output
 * chunks. Objects whose rows are in hand are written without awaiting; only
 * a base outside the batch or a rebuild reads the store on the way.
 */
import type { Codec } from '../codec.ts';
import { GroveError } from '../../errors.ts';
import { TYPE_CODE } from '../objects/gitObject.ts';
import { writeOid, type Oid } from '../objects/objectId.ts';
import type { ObjectStore, PackedObject } from '../ports.ts';
import { encodeEntryHeader, encodeOfsDelta } from './entryHeader.ts';

const OFS_DELTA = 6;
const REF_DELTA = 7;
const BATCH = 1024;
const CHUNK = 64 * 1024;

export interface WritePackOptions {
  /** The client accepts OFS_DELTA entries. */
  ofsDelta: boolean;
  /** Objects the client has, usable as delta bases outside the pack (thin pack); omit for a self-contained pack. */
  thinBases?: ReadonlySet<Oid>;
}

export interface PackStats {
  objects: number;
  deltas: number;
  /** Deltas that had to be rebuilt into whole objects. */
  rebuilt: number;
  bytes: number;
}

export async function* writePack(
  store: ObjectStore,
  codec: Codec,
  oids: readonly Oid[],
  options: WritePackOptions,
  stats: PackStats = { objects: 0, deltas: 0, rebuilt: 0, bytes: 0 },
): AsyncGenerator<Uint8Array> {
  const inPack = new Set(oids);
  const offsets = new Map<Oid, number>();
  const out = new ChunkWriter(codec);

  const header = new Uint8Array(12);
  header.set([0x50, 0x41, 0x43, 0x4b, 0, 0, 0, 2]);
  new DataView(header.buffer).setUint32(8, inPack.size);
  out.write(header);

  let rows = new Map<Oid, PackedObject>();

  /** The row of an object that must be written before `row` (its base), if the pack holds it and it is not out yet. */
  const pendingBase = (row: PackedObject): Oid | undefined =>
    row.base !== null && inPack.has(row.base) && !offsets.has(row.base) ? row.base : undefined;

  /** Writes one entry; false when it needs its whole content rebuilt (done by the caller, asynchronously). */
  const writeEntry = (row: PackedObject): boolean => {
    const start = out.position;
    if (row.base === null) {
      offsets.set(row.oid, start);
      out.write(encodeEntryHeader(TYPE_CODE[row.type], row.size));
      out.write(row.data);
      return true;
    }
    const baseOffset = offsets.get(row.base);
    if (baseOffset !== undefined && options.ofsDelta) {
      offsets.set(row.oid, start);
      out.write(encodeEntryHeader(OFS_DELTA, row.storedSize));
      out.write(encodeOfsDelta(start - baseOffset));
      out.write(row.data);
      stats.deltas++;
      return true;
    }
    if (baseOffset !== undefined || options.thinBases?.has(row.base)) {
      offsets.set(row.oid, start);
      out.write(encodeEntryHeader(REF_DELTA, row.storedSize));
      const base = new Uint8Array(20);
      writeOid(row.base, base, 0);
      out.write(base);
      out.write(row.data);
      stats.deltas++;
      return true;
    }
    return false;
  };

  /** The client will not have the base: send the object whole. */
  const writeRebuilt = async (row: PackedObject): Promise<void> => {
    const whole = (await store.readObjects([row.oid])).get(row.oid);
    if (whole === undefined) throw new GroveError('MISSING_OBJECT', `object ${row.oid} is missing`, { oid: row.oid });
    offsets.set(row.oid, out.position);
    out.write(encodeEntryHeader(TYPE_CODE[whole.type], whole.data.length));
    out.write(codec.deflate(whole.data));
    stats.rebuilt++;
  };

  /** Writes `row`, writing the bases it needs first (fetching their rows when outside the batch). */
  const writeWithBases = async (row: PackedObject): Promise<void> => {
    const chain: PackedObject[] = [row];
    for (let base = pendingBase(row); base !== undefined; ) {
      const baseRow = rows.get(base) ?? (await store.readPacked([base])).get(base);
      if (baseRow === undefined) throw new GroveError('MISSING_OBJECT', `delta base ${base} of ${row.oid} is missing`, { oid: base });
      chain.push(baseRow);
      base = pendingBase(baseRow);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const next = chain[i]!;
      if (offsets.has(next.oid)) continue;
      stats.objects++;
      if (!writeEntry(next)) await writeRebuilt(next);
    }
  };

  for (let i = 0; i < oids.length; i += BATCH) {
    const batch = oids.slice(i, i + BATCH).filter((oid) => !offsets.has(oid));
    rows = await store.readPacked(batch);
    for (const oid of batch) {
      if (offsets.has(oid)) continue;
      const row = rows.get(oid);
      if (row === undefined) throw new GroveError('MISSING_OBJECT', `object ${oid} is missing`, { oid });
      if (pendingBase(row) === undefined) {
        stats.objects++;
        if (!writeEntry(row)) await writeRebuilt(row);
      } else {
        await writeWithBases(row);
      }
      yield* out.full();
    }
  }
  yield* out.end();
  stats.bytes = out.position + 20;
}

/** Collects pack bytes into 64 KiB chunks, hashing what it hands out; ends with the SHA-1 trailer. */
class ChunkWriter {
  readonly #hasher;
  #chunk = new Uint8Array(CHUNK);
  #used = 0;
  #ready: Uint8Array[] = [];
  position = 0;

  constructor(codec: Codec) {
    this.#hasher = codec.sha1();
  }

  write(bytes: Uint8Array): void {
    this.position += bytes.length;
    if (bytes.length >= CHUNK) {
      this.#seal();
      this.#hasher.update(bytes);
      this.#ready.push(bytes);
      return;
    }
    let at = 0;
    while (at < bytes.length) {
      const take = Math.min(bytes.length - at, CHUNK - this.#used);
      this.#chunk.set(at === 0 && take === bytes.length ? bytes : bytes.subarray(at, at + take), this.#used);
      this.#used += take;
      at += take;
      if (this.#used === CHUNK) this.#seal();
    }
  }

  /** Chunks completed so far. */
  *full(): Generator<Uint8Array> {
    if (this.#ready.length === 0) return;
    const ready = this.#ready;
    this.#ready = [];
    yield* ready;
  }

  /** Everything left, then the trailer. */
  *end(): Generator<Uint8Array> {
    this.#seal();
    yield* this.full();
    yield this.#hasher.digest();
  }

  #seal(): void {
    if (this.#used === 0) return;
    const sealed = this.#chunk.subarray(0, this.#used);
    this.#hasher.update(sealed);
    this.#ready.push(sealed);
    this.#chunk = new Uint8Array(CHUNK);
    this.#used = 0;
  }
}
