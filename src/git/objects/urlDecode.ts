/**
 * git 2.39's url.c `url_decode_mem`, on a byte string (one char per byte):
 * the part before the first ':' (a scheme) is kept as is, the rest has its
 * `%XX` escapes decoded, except `%00`, which stays as written.
 */

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

export function urlDecode(url: string): string {
  const colon = url.indexOf(':');
  let out = colon > 0 ? url.slice(0, colon) : '';
  for (let i = Math.max(colon, 0); i < url.length; i++) {
    if (url.charCodeAt(i) === 0x25 && i + 3 <= url.length) {
      const high = hexValue(url.charCodeAt(i + 1));
      const low = hexValue(url.charCodeAt(i + 2));
      const byte = (high << 4) | low;
      if (high >= 0 && low >= 0 && byte > 0) {
        out += String.fromCharCode(byte);
        i += 2;
        continue;
      }
    }
    out += url[i]!;
  }
  return out;
}
