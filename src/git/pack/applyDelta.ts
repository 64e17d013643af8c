/**
 * Applying a Git delta (the inflated data of an OFS_DELTA or REF_DELTA entry)
 * to its base object.
 *
 * gitformat-pack, "Deltified representation":
 *
 *     The delta data starts with the size of the base object and the
 *     size of the object to be reconstructed. These sizes are
 *     encoded using the size encoding from above. [...]
 *
 *     Instruction to copy from base object
 *     | 1xxxxxxx | offset1 | offset2 | offset3 | offset4 | size1 | size2 | size3 |
 *     [...] The first seven bits in the first octet determine which of the
 *     next seven octets is present. [...] size zero is automatically
 *     converted to 0x10000.
 *
 *     Instruction to add new data
 *     | 0xxxxxxx |    data    |
 *     [...] The first seven bits of the first octet determine the size of
 *     data in bytes. The size must be non-zero.
 *
 *     Reserved instruction
 *     | 00000000 |
 *
 * ("Size encoding": 7 bits per byte, least significant first, MSB = more.)
 */
import { GroveError } from '../../errors.ts';

export interface DeltaSizes {
  baseSize: number;
  resultSize: number;
  /** Bytes the two sizes occupy at the start of the delta. */
  headerLength: number;
}

function badDelta(message: string, details?: Record<string, unknown>): GroveError {
  return new GroveError('BAD_PACK', `bad delta: ${message}`, details);
}

/** Reads one size-encoded number at `offset`; returns [value, next offset]. */
function readSize(delta: Uint8Array, offset: number, what: string): [number, number] {
  let value = 0;
  let scale = 1;
  let i = offset;
  for (;;) {
    const byte = delta[i++];
    if (byte === undefined) throw badDelta(`truncated ${what} size`);
    value += (byte & 0x7f) * scale;
    if (value > Number.MAX_SAFE_INTEGER || scale > 2 ** 53) throw badDelta(`${what} size overflows 2^53`);
    scale *= 128;
    if ((byte & 0x80) === 0) return [value, i];
  }
}

/** The base and result sizes that open `delta`. */
export function readDeltaSizes(delta: Uint8Array): DeltaSizes {
  const [baseSize, afterBase] = readSize(delta, 0, 'base');
  const [resultSize, headerEnd] = readSize(delta, afterBase, 'result');
  return { baseSize, resultSize, headerLength: headerEnd };
}

/** The object that `delta` builds from `base`; throws BAD_PACK on any inconsistency. */
export function applyDelta(base: Uint8Array, delta: Uint8Array): Uint8Array {
  const { baseSize, resultSize, headerLength } = readDeltaSizes(delta);
  if (baseSize !== base.length) {
    throw badDelta(`base size is ${base.length} bytes, the delta expects ${baseSize}`, {
      baseSize,
      actual: base.length,
    });
  }
  // One instruction byte can yield at most 2^23 result bytes (a 2-byte copy of
  // up to 0xff0000 bytes), so a larger declared size is a lie: refuse it
  // before allocating.
  if (resultSize > (delta.length - headerLength) * 2 ** 23) {
    throw badDelta(`declared result size ${resultSize} is impossible for a ${delta.length}-byte delta`);
  }
  const result = new Uint8Array(resultSize);
  let out = 0;
  let i = headerLength;
  while (i < delta.length) {
    const op = delta[i++]!;
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      for (let bit = 0; bit < 7; bit++) {
        if ((op & (1 << bit)) === 0) continue;
        const byte = delta[i++];
        if (byte === undefined) throw badDelta(`truncated copy instruction at delta byte ${i - 1}`);
        // bits 0-3: offset bytes 1-4; bits 4-6: size bytes 1-3 (little-endian)
        if (bit < 4) offset += byte * 2 ** (8 * bit);
        else size += byte * 2 ** (8 * (bit - 4));
      }
      if (size === 0) size = 0x10000;
      if (offset + size > base.length) {
        throw badDelta(`copy of ${size} bytes at base offset ${offset} exceeds the ${base.length}-byte base`, {
          offset,
          size,
        });
      }
      if (out + size > resultSize) throw badDelta(`copy overflows the ${resultSize}-byte result`);
      result.set(base.subarray(offset, offset + size), out);
      out += size;
    } else if (op !== 0) {
      if (i + op > delta.length) throw badDelta(`truncated insert of ${op} bytes at delta byte ${i - 1}`);
      if (out + op > resultSize) throw badDelta(`insert overflows the ${resultSize}-byte result`);
      result.set(delta.subarray(i, i + op), out);
      i += op;
      out += op;
    } else {
      throw badDelta(`reserved instruction 0x00 at delta byte ${i - 1}`);
    }
  }
  if (out !== resultSize) {
    throw badDelta(`result is ${out} bytes, the delta declares ${resultSize}`, { resultSize, actual: out });
  }
  return result;
}
