/**
 * Delta data for hand-made packs (buildPack.ts), right or deliberately wrong,
 * written independently of Grove's delta code. gitformat-pack, "Deltified
 * representation": the base size and the result size (7 bits a byte, least
 * significant first), then instructions — copy `1xxxxxxx offset1..4 size1..3`
 * (bits say which bytes are present; size 0 means 0x10000) and insert
 * `0xxxxxxx data` (1..127 bytes).
 */
import { bytesOf, type Part } from './bytesOf.ts';

export type DeltaOp = { copy: [offset: number, size: number] } | { insert: Part };

function sizeBytes(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/**
 * Delta instructions on a `baseSize`-byte base. `resultSize` defaults to what
 * the instructions produce; give it to declare a wrong one.
 */
export function deltaBytes(baseSize: number, ops: readonly DeltaOp[], resultSize?: number): Uint8Array {
  const out: number[] = [];
  let produced = 0;
  for (const op of ops) {
    if ('copy' in op) {
      const [offset, size] = op.copy;
      let code = 0x80;
      const args: number[] = [];
      for (let i = 0; i < 4; i++) {
        const byte = Math.floor(offset / 2 ** (8 * i)) & 0xff;
        if (byte !== 0) {
          code |= 1 << i;
          args.push(byte);
        }
      }
      const encodedSize = size === 0x10000 ? 0 : size;
      for (let i = 0; i < 3; i++) {
        const byte = (encodedSize >> (8 * i)) & 0xff;
        if (byte !== 0) {
          code |= 1 << (4 + i);
          args.push(byte);
        }
      }
      out.push(code, ...args);
      produced += size;
    } else {
      const data = bytesOf(op.insert);
      for (let at = 0; at < data.length; at += 127) {
        const piece = data.subarray(at, at + 127);
        out.push(piece.length, ...piece);
      }
      produced += data.length;
    }
  }
  return Uint8Array.from([...sizeBytes(baseSize), ...sizeBytes(resultSize ?? produced), ...out]);
}

export interface DiffDeltaOptions {
  /** Also copy the common suffix (default true); false copies the common prefix only and inserts all the rest. */
  suffix?: boolean;
}

/** A correct delta from `base` to `target`: copy their common prefix (and suffix), insert the middle. */
export function diffDelta(base: Uint8Array, target: Uint8Array, options: DiffDeltaOptions = {}): Uint8Array {
  let prefix = 0;
  while (prefix < base.length && prefix < target.length && base[prefix] === target[prefix]) prefix++;
  let suffix = 0;
  while (
    options.suffix !== false
    && suffix < base.length - prefix && suffix < target.length - prefix
    && base[base.length - 1 - suffix] === target[target.length - 1 - suffix]
  ) suffix++;
  const ops: DeltaOp[] = [];
  for (let at = 0; at < prefix; at += 0x10000) ops.push({ copy: [at, Math.min(0x10000, prefix - at)] });
  if (target.length - suffix > prefix) ops.push({ insert: target.subarray(prefix, target.length - suffix) });
  for (let at = base.length - suffix; at < base.length; at += 0x10000) ops.push({ copy: [at, Math.min(0x10000, base.length - at)] });
  return deltaBytes(base.length, ops);
}
