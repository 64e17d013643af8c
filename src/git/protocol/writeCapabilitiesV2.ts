/**
 * The protocol v2 capability advertisement (gitprotocol-v2, "Capability
 * Advertisement"). Over HTTP it is the whole `info/refs` answer, with no
 * `# service=` preamble:
 *
 *   capability-advertisement = protocol-version capability-list flush-pkt
 *   protocol-version = PKT-LINE("version 2" LF)
 *   capability = PKT-LINE(key[=value] LF)
 */
import { FLUSH_PKT, pktLine } from './pktLine.ts';
import { AGENT, OBJECT_FORMAT } from './serverInfo.ts';

/** What Grove's upload-pack implements, and nothing more. */
export const V2_CAPABILITIES: readonly string[] = [
  `agent=${AGENT}`,
  'ls-refs=unborn',
  'fetch=shallow wait-for-done filter',
  'server-option',
  `object-format=${OBJECT_FORMAT}`,
  'object-info',
];

export function writeCapabilitiesV2(): Uint8Array[] {
  return [pktLine('version 2\n'), ...V2_CAPABILITIES.map((c) => pktLine(`${c}\n`)), FLUSH_PKT];
}
