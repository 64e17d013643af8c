/**
 * The body of a batch upload (`POST …/drafts/{id}/blobs`, `…/chunks`):
 * pieces of bytes one after the other, each behind its length as 4 bytes,
 * big-endian. The server names each piece by hashing it, so the body says
 * nothing else.
 *
 *   frame = length:uint32be bytes[length]
 *   body  = frame*
 */
export const FRAME_HEADER_BYTES = 4;

/** The 4 bytes that go before a piece of `length` bytes. */
export function frameHeader(length: number): Uint8Array {
  const header = new Uint8Array(FRAME_HEADER_BYTES);
  new DataView(header.buffer).setUint32(0, length);
  return header;
}

/** The pieces of `body`; null when it is not a whole number of frames. */
export function readFrames(body: Uint8Array): Uint8Array[] | null {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < body.length;) {
    if (at + FRAME_HEADER_BYTES > body.length) return null;
    const length = view.getUint32(at);
    at += FRAME_HEADER_BYTES;
    if (at + length > body.length) return null;
    pieces.push(body.subarray(at, at + length));
    at += length;
  }
  return pieces;
}
