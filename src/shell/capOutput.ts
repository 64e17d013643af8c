/**
 * An output stream cut to at most `maxBytes` of UTF-8, at a character
 * boundary, keeping its beginning.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function capOutput(text: string, maxBytes: number): { text: string; cut: boolean } {
  if (text.length * 3 <= maxBytes) return { text, cut: false }; // no char is more than 3 bytes per UTF-16 unit
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return { text, cut: false };
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // back off a continuation byte
  return { text: decoder.decode(bytes.subarray(0, end)), cut: true };
}
