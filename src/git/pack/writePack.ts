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
 */
import type { Codec } from '../codec.ts';
import { GroveError } from '../../errors.ts';
import { TYPE_CODE } from '../objects/gitObject.ts';
import { writeOid, type Oid } from '../objects/objectId.ts';
import type { ObjectStore, PackedObject } from '../ports.ts';
import { encodeEntryHeader, encodeOfsDelta } from './entryHeader.ts';

const OFS_DELTA = 6;
const REF_DELTA = 7;
const BATCH = 512;
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
  const hasher = codec.sha1();
  let position = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;

  const emit = (bytes: Uint8Array): void => {
    pending.push(bytes);
    pendingBytes += bytes.length;
    position += bytes.length;
  };
  function* flush(force: boolean): Generator<Uint8Array> {
    if (pendingBytes === 0 || (!force && pendingBytes < CHUNK)) return;
    const out = pending.length === 1 ? pending[0]! : concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    hasher.update(out);
    stats.bytes += out.length;
    yield out;
  }

  const header = new Uint8Array(12);
  header.set([0x50, 0x41, 0x43, 0x4b, 0, 0, 0, 2]);
  new DataView(header.buffer).setUint32(8, inPack.size);
  emit(header);

  let rows = new Map<Oid, PackedObject>();
  const fetchRows = async (batch: readonly Oid[]): Promise<void> => {
    rows = await store.readPacked(batch);
  };

  /** Writes `row`, writing its delta base first when the base belongs to the pack but is not written yet. */
  const writeObject = async (row: PackedObject): Promise<void> => {
    const chain: PackedObject[] = [row];
    for (let base = row.base; base !== null && inPack.has(base) && !offsets.has(base); ) {
      const baseRow = rows.get(base) ?? (await store.readPacked([base])).get(base);
      if (baseRow === undefined) throw new GroveError('MISSING_OBJECT', `delta base ${base} of ${row.oid} is missing`, { oid: base });
      chain.push(baseRow);
      base = baseRow.base;
    }
    for (let i = chain.length - 1; i >= 0; i--) await writeEntry(chain[i]!);
  };

  const writeEntry = async (row: PackedObject): Promise<void> => {
    if (offsets.has(row.oid)) return;
    const start = position;
    offsets.set(row.oid, start);
    stats.objects++;
    if (row.base === null) {
      emit(encodeEntryHeader(TYPE_CODE[row.type], row.size));
      emit(row.data);
      return;
    }
    const baseOffset = offsets.get(row.base);
    if (baseOffset !== undefined && options.ofsDelta) {
      stats.deltas++;
      emit(encodeEntryHeader(OFS_DELTA, row.storedSize));
      emit(encodeOfsDelta(start - baseOffset));
      emit(row.data);
      return;
    }
    if (baseOffset !== undefined || options.thinBases?.has(row.base)) {
      stats.deltas++;
      emit(encodeEntryHeader(REF_DELTA, row.storedSize));
      const base = new Uint8Array(20);
      writeOid(row.base, base, 0);
      emit(base);
      emit(row.data);
      return;
    }
    // The client will not have the base: send the object whole.
    const whole = (await store.readObjects([row.oid])).get(row.oid);
    if (whole === undefined) throw new GroveError('MISSING_OBJECT', `object ${row.oid} is missing`, { oid: row.oid });
    stats.rebuilt++;
    emit(encodeEntryHeader(TYPE_CODE[whole.type], whole.data.length));
    emit(codec.deflate(whole.data));
  };

  for (let i = 0; i < oids.length; i += BATCH) {
    const batch = oids.slice(i, i + BATCH).filter((oid) => !offsets.has(oid));
    await fetchRows(batch);
    for (const oid of batch) {
      const row = rows.get(oid);
      if (row === undefined) throw new GroveError('MISSING_OBJECT', `object ${oid} is missing`, { oid });
      await writeObject(row);
      yield* flush(false);
    }
  }
  yield* flush(true);
  const trailer = hasher.digest();
  stats.bytes += trailer.length;
  yield trailer;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
