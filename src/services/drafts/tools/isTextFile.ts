/**
 * Text or binary, as the tools decide it: binary when the first 8000 bytes
 * hold a NUL (git's own test, isBinary.ts) or when the bytes are not valid
 * UTF-8 anywhere. The UTF-8 check streams through the file a slice at a
 * time, so a 50 MiB file costs no 50 MiB string.
 */
import { isBinary } from '../../content/diff/isBinary.ts';

const SLICE = 1024 * 1024;

export function isTextFile(bytes: Uint8Array): boolean {
  if (isBinary(bytes)) return false;
  return isUtf8(bytes);
}

export function isUtf8(bytes: Uint8Array): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    for (let at = 0; at < bytes.length; at += SLICE) decoder.decode(bytes.subarray(at, at + SLICE), { stream: true });
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}
