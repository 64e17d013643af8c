/**
 * Side-band demultiplexing, client side (gitprotocol-pack, "side-band,
 * side-band-64k"; gitprotocol-v2, "packfile"):
 *
 *   The packfile section [...] Each packet starting with the packet-line
 *   length of the amount of data that follows, followed by a single byte
 *   specifying the sideband the following data is coming in on.
 *     1 - pack data
 *     2 - progress messages
 *     3 - fatal error message just before stream aborts
 *
 * Band 1 is yielded as it arrives — a pack can be gigabytes and is never
 * held whole; band 2 goes to `onProgress`; band 3 ends the transfer with the
 * remote's message. The section ends with a flush; a stream that stops
 * before it was cut short.
 */
import { fromUtf8 } from '../bytes.ts';
import type { RemoteReader } from './RemoteReader.ts';

export async function* demuxSideband(reader: RemoteReader, onProgress?: (text: string) => void): AsyncGenerator<Uint8Array> {
  for (;;) {
    const pkt = await reader.read();
    if (pkt.kind === 'flush') return;
    if (pkt.kind === 'eof') throw reader.error('the answer was cut short: it ended inside the pack (no flush after it)', { truncated: true });
    if (pkt.kind !== 'data') throw reader.error(`unexpected ${pkt.kind} packet inside the pack`);
    const band = pkt.payload[0];
    const data = pkt.payload.subarray(1);
    if (band === 1) {
      if (data.length > 0) yield data; // an empty band-1 packet is a keep-alive
    } else if (band === 2) {
      onProgress?.(fromUtf8(data));
    } else if (band === 3) {
      throw reader.error(`the remote failed while sending the pack: ${fromUtf8(data).trim()}`);
    } else {
      throw reader.error(`side-band packet on unknown band ${band ?? '(none)'}`);
    }
  }
}
