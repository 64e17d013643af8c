/**
 * The report-status of a receive-pack answer, read by hand. gitprotocol-pack,
 * "Report Status": `unpack <status>` then one `ok <refname>` or
 * `ng <refname> <reason>` per command, each an LF-terminated pkt-line, then a
 * flush-pkt; with side-band-64k the whole report travels in band 1.
 */
import { readPktLines, sidebandData } from './pktLines.ts';

/**
 * The lines of a receive-pack report-status (`unpack ...`, `ok ...`, `ng ...`),
 * checked to end with a flush; `sideband` when it travelled in band 1.
 */
export function reportLines(body: Uint8Array, sideband: boolean): string[] {
  const status = sideband ? sidebandData(body, 1) : body;
  const packets = readPktLines(status);
  const last = packets.pop();
  if (last?.kind !== 'flush') throw new Error('report-status does not end with a flush-pkt');
  return packets.map((p) => {
    if (p.kind !== 'data' || !p.text.endsWith('\n')) throw new Error(`report-status line is not an LF-terminated data packet`);
    return p.text.slice(0, -1);
  });
}
