/**
 * Path quoting in patch headers, as git's quote.c `quote_c_style` with
 * `core.quotePath` on (the default): a path holding a control char, `"`,
 * `\`, DEL or any byte ≥ 0x80 is written in double quotes with C escapes
 * (`\t`, `\n`, `\"`, `\\`…, other bytes as three octal digits); any other
 * path as is. `quotePrefixed` quotes prefix and path together
 * (`quote_two_c_style`): `"a/caf\303\251"`.
 */
const LETTER: Readonly<Record<number, string>> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 0x22: '"', 0x5c: '\\' };
const encoder = new TextEncoder();

function mustQuote(byte: number): boolean {
  return byte < 0x20 || byte === 0x22 || byte === 0x5c || byte >= 0x7f;
}

/** The escaped bytes of `bytes` without surrounding quotes, as one char per byte. */
function escaped(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    if (!mustQuote(byte)) out += String.fromCharCode(byte);
    else out += `\\${LETTER[byte] ?? byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}

/** `path` as git writes it in `rename from`/`rename to` lines: one char per byte (latin1), quoted if needed. */
export function quotePath(path: string): string {
  return quotePrefixed('', path);
}

/** `prefix + path`, quoted as a whole if either needs it; one char per byte. */
export function quotePrefixed(prefix: string, path: string): string {
  const bytes = encoder.encode(prefix + path);
  if (!bytes.some(mustQuote)) return escaped(bytes);
  return `"${escaped(bytes)}"`;
}
