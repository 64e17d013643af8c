/**
 * Streaming pack parser: reads a pack as its bytes arrive and yields each
 * entry (header fields, its zlib stream verbatim, and the inflated data)
 * without resolving deltas. Memory stays at one entry plus a small
 * read-ahead; the whole pack is never held.
 *
 * gitformat-pack:
 *
 *     - A header appears at the beginning and consists of the following:
 *       4-byte signature: The signature is: {'P', 'A', 'C', 'K'}
 *       4-byte version number (network byte order):
 *         Git currently accepts version number 2 or 3 but
 *         generates version 2 only.
 *       4-byte number of objects contained in the pack (network byte order)
 *     - The header is followed by a number of object entries, each of
 *       which looks like this:
 *       (undeltified representation)
 *       n-byte type and length (3-bit type, (n-1)*7+4-bit length)
 *       compressed data
 *       (deltified representation)
 *       n-byte type and length (3-bit type, (n-1)*7+4-bit length)
 *       base object name if OBJ_REF_DELTA or a negative relative
 *         offset from the delta object's position in the pack if this
 *         is an OBJ_OFS_DELTA object
 *       compressed delta data
 *     - The trailer records a pack checksum of all of the above.
 *
 * The compressed length of an entry is not stored: the only way to find the
 * next entry is to inflate this one to its end, so each entry is inflated
 * exactly once, on a window of buffered input that grows geometrically until
 * it holds the whole zlib stream (O(size) work for any entry size).
 */
import type { Codec, InflatedPrefix } from '../codec.ts';
import { GroveError, isGroveError } from '../../errors.ts';
import { ByteReader } from '../ByteReader.ts';
import { bytesEqual } from '../bytes.ts';
import { bytesToHex, OID_BYTES, readOid, type Oid } from '../objects/objectId.ts';
import { decodeEntryHeader, decodeOfsDelta, isPackTypeCode, OFS_DELTA, REF_DELTA } from './entryHeader.ts';

export interface PackEntry {
  /** 0-based position in the pack. */
  index: number;
  /** Byte offset of the entry header in the pack. */
  offset: number;
  /** 1..4 (commit, tree, blob, tag), 6 (OFS_DELTA) or 7 (REF_DELTA). */
  typeCode: number;
  /** Inflated size from the header: the object's size, or the delta's. */
  size: number;
  /** OFS_DELTA: absolute offset of the base entry. */
  baseOffset?: number;
  /** REF_DELTA: id of the base object (which may be outside a thin pack). */
  baseOid?: Oid;
  /** The entry's zlib stream exactly as it appeared in the pack. */
  compressed: Uint8Array;
  /** The inflated bytes (object content or delta instructions); `length === size`. */
  data: Uint8Array;
}

export interface PackSummary {
  objectCount: number;
  /** The pack's trailing SHA-1, verified. */
  checksum: Oid;
  /** Length of the pack in bytes, trailer included. */
  bytes: number;
}

export interface ReadPackOptions {
  /** Fail with PAYLOAD_TOO_LARGE once the input exceeds this many bytes. */
  maxBytes?: number;
}

const HEADER_LENGTH = 12;
const MIN_WINDOW = 64;

function badPack(message: string, details?: Record<string, unknown>, cause?: unknown): GroveError {
  return new GroveError('BAD_PACK', message, details, cause === undefined ? undefined : { cause });
}

/** Upper bound of zlib's output for `size` input bytes (deflateBound is ~size + size/4096 + 13). */
function zlibBound(size: number): number {
  return size + Math.ceil(size / 1024) + MIN_WINDOW;
}

function isEntryStart(starts: readonly number[], offset: number): boolean {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = starts[mid]!;
    if (value === offset) return true;
    if (value < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * Parses the pack in `source` (chunks may split anywhere), yielding its
 * entries in order and returning a summary once the trailer has been checked.
 * Throws GroveError BAD_PACK on any malformed, truncated or inconsistent
 * input, PAYLOAD_TOO_LARGE past `maxBytes`.
 *
 * @example
 * const entries = readPack(request.body, nodeCodec, { maxBytes: 1 << 30 });
 * let step = await entries.next();
 * for (; !step.done; step = await entries.next()) store(step.value);
 * const { objectCount, checksum } = step.value;
 */
export async function* readPack(
  source: AsyncIterable<Uint8Array>,
  codec: Codec,
  options: ReadPackOptions = {},
): AsyncGenerator<PackEntry, PackSummary, undefined> {
  const input = new ByteReader(source, { maxBytes: options.maxBytes, label: 'pack' });
  const hasher = codec.sha1();
  const take = (n: number): Uint8Array => {
    const bytes = input.consume(n);
    hasher.update(bytes);
    return bytes;
  };
  try {
    const objectCount = await readHeader(input);
    take(HEADER_LENGTH);
    const starts: number[] = [];
    for (let index = 0; index < objectCount; index++) {
      const entry = await readEntry(input, take, codec, { index, objectCount, starts });
      starts.push(entry.offset);
      yield entry;
    }
    const checksum = await readTrailer(input, hasher.digest(), objectCount);
    return { objectCount, checksum, bytes: input.position };
  } finally {
    await input.close();
  }
}

async function readHeader(input: ByteReader): Promise<number> {
  await input.fill(HEADER_LENGTH);
  const head = input.peek(Math.min(HEADER_LENGTH, input.available));
  const signature = head.subarray(0, 4);
  if (!bytesEqual(signature, new Uint8Array([0x50, 0x41, 0x43, 0x4b])) && head.length >= 4) {
    throw badPack(`not a pack: signature is 0x${bytesToHex(signature)}, expected "PACK"`);
  }
  if (head.length < HEADER_LENGTH) {
    throw badPack(`pack truncated: ${head.length} bytes, shorter than the ${HEADER_LENGTH}-byte header`);
  }
  const view = new DataView(head.buffer, head.byteOffset, HEADER_LENGTH);
  const version = view.getUint32(4);
  if (version !== 2 && version !== 3) throw badPack(`unsupported pack version ${version} (only 2 and 3 are read)`);
  return view.getUint32(8);
}

interface EntryContext {
  index: number;
  objectCount: number;
  /** Offsets of the entries read so far, ascending. */
  starts: readonly number[];
}

async function readEntry(
  input: ByteReader,
  take: (n: number) => Uint8Array,
  codec: Codec,
  { index, objectCount, starts }: EntryContext,
): Promise<PackEntry> {
  const offset = input.position;
  const where = `pack entry ${index} at offset ${offset}`;
  const details = { index, offset };
  const truncated = (part: string): GroveError => badPack(`pack truncated inside ${part} of ${where}`, details);
  if (input.available <= OID_BYTES) await input.fill(OID_BYTES + 1);
  if (input.ended && input.available === OID_BYTES) {
    throw badPack(`pack ends after ${index} objects (a trailer follows), its header declares ${objectCount}`, details);
  }
  const decode = async <T>(decoder: (bytes: Uint8Array, at: number) => T | undefined, part: string): Promise<T> => {
    for (;;) {
      let value: T | undefined;
      try {
        value = decoder(input.peek(input.available), 0);
      } catch (err) {
        throw isGroveError(err) ? badPack(`${where}: ${err.message}`, details) : err;
      }
      if (value !== undefined) return value;
      if (!(await input.fill(input.available + 1))) throw truncated(part);
    }
  };

  const header = await decode(decodeEntryHeader, 'the header');
  const { typeCode, size } = header;
  if (!isPackTypeCode(typeCode)) throw badPack(`${where} has invalid type code ${typeCode}`, details);
  take(header.length);

  let baseOffset: number | undefined;
  let baseOid: Oid | undefined;
  if (typeCode === OFS_DELTA) {
    const ofs = await decode(decodeOfsDelta, 'the OFS_DELTA offset');
    take(ofs.length);
    baseOffset = offset - ofs.distance;
    if (baseOffset < HEADER_LENGTH) {
      throw badPack(`${where}: OFS_DELTA distance ${ofs.distance} points before the first entry`, details);
    }
    if (!isEntryStart(starts, baseOffset)) {
      throw badPack(`${where}: OFS_DELTA base offset ${baseOffset} is not the start of an earlier entry`, details);
    }
  } else if (typeCode === REF_DELTA) {
    if (!(await input.fill(OID_BYTES))) throw truncated('the REF_DELTA base id');
    baseOid = readOid(take(OID_BYTES));
  }

  const inflated = await inflateEntry(input, codec, size, where, details, truncated);
  if (inflated.data.length !== size) {
    throw badPack(`${where} inflates to ${inflated.data.length} bytes, its header says ${size}`, details);
  }
  const compressed = take(inflated.consumed).slice();
  const entry: PackEntry = { index, offset, typeCode, size, compressed, data: inflated.data };
  if (baseOffset !== undefined) entry.baseOffset = baseOffset;
  if (baseOid !== undefined) entry.baseOid = baseOid;
  return entry;
}

/**
 * Inflates the zlib stream at the read position without consuming it. Starts
 * with what is buffered (capped at the stream's largest plausible size); each
 * time the window proves too short, waits for twice as many bytes. A window
 * that fails is shorter than the stream, so the read-ahead stays below twice
 * the stream's length and the total work is O(stream length).
 */
async function inflateEntry(
  input: ByteReader,
  codec: Codec,
  size: number,
  where: string,
  details: Record<string, unknown>,
  truncated: (part: string) => GroveError,
): Promise<InflatedPrefix> {
  let window = Math.min(input.available, zlibBound(size));
  for (;;) {
    if (window > input.available) await input.fill(window);
    const length = Math.min(window, input.available);
    let result: InflatedPrefix | undefined;
    if (length > 0) {
      try {
        result = codec.inflatePrefix(input.peek(length), size);
      } catch (err) {
        if (err instanceof RangeError) throw badPack(`${where}: inflates to more than ${size} bytes, its header says ${size}`, details, err);
        throw badPack(`${where}: corrupt zlib stream (${(err as Error).message})`, details, err);
      }
    }
    if (result !== undefined) {
      if (result.consumed <= 0 || result.consumed > length) {
        throw new GroveError('INTERNAL', `inflatePrefix reported ${result.consumed} bytes consumed of ${length}`);
      }
      return result;
    }
    if (input.ended && length === input.available) throw truncated('the zlib stream');
    window = Math.max(2 * length, MIN_WINDOW);
  }
}

async function readTrailer(input: ByteReader, digest: Uint8Array, objectCount: number): Promise<Oid> {
  const actual = bytesToHex(digest);
  if (!(await input.fill(OID_BYTES))) {
    throw badPack(`pack truncated: ${input.available} of the 20 trailer bytes after ${objectCount} objects`);
  }
  const trailer = input.consume(OID_BYTES);
  const more = await input.fill(1);
  if (!bytesEqual(trailer, digest)) {
    const hint = more ? ' (and more data follows: the header may declare too few objects)' : '';
    throw badPack(`pack checksum mismatch: trailer is ${bytesToHex(trailer)}, content hashes to ${actual}${hint}`, {
      expected: bytesToHex(trailer),
      actual,
    });
  }
  if (more) throw badPack(`trailing data after the pack trailer at offset ${input.position}`);
  return actual;
}
