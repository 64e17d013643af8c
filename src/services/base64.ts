/**
 * Base64 (RFC 4648 §4: the standard alphabet, `=` padding) between bytes
 * and text: `content_base64` in the content API, `write {encoding: 'base64'}`
 * and a binary `read` of the file tools. Decoding goes straight into bytes —
 * without `atob`'s intermediate string of one UTF-16 char per byte, which
 * for a 50 MiB content costs 100 MiB more (padding optional, no whitespace);
 * it returns null for text that is not base64.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 16384;
  for (let at = 0; at < bytes.length; at += CHUNK) {
    const chunk = bytes.subarray(at, at + CHUNK);
    let out = '';
    let i = 0;
    for (; i + 2 < chunk.length; i += 3) {
      const n = (chunk[i]! << 16) | (chunk[i + 1]! << 8) | chunk[i + 2]!;
      out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
    }
    if (i + 1 === chunk.length) {
      const n = chunk[i]! << 16;
      out += `${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}==`;
    } else if (i + 2 === chunk.length) {
      const n = (chunk[i]! << 16) | (chunk[i + 1]! << 8);
      out += `${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}${ALPHABET[(n >> 6) & 63]!}=`;
    }
    parts.push(out);
  }
  return parts.join('');
}

export function decodeBase64(text: string): Uint8Array | null {
  let end = text.length;
  if (end % 4 === 0 && end > 0 && text.charCodeAt(end - 1) === 0x3d) end -= text.charCodeAt(end - 2) === 0x3d ? 2 : 1;
  if (end % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let count = 0;
  let at = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? VALUES[code]! : -1;
    if (value < 0) return null;
    bits = ((bits << 6) | value) & 0xffffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[at++] = (bits >> count) & 0xff;
    }
  }
  return out;
}
