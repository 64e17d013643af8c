/**
 * The protocol v2 capability advertisement, read by a client (gitprotocol-v2,
 * "Capability Advertisement"):
 *
 *   capability-advertisement = protocol-version capability-list flush-pkt
 *   protocol-version = PKT-LINE("version 2" LF)
 *   capability-list = *capability
 *   capability = PKT-LINE(key[=value] LF)
 *
 * The `version 2` line has been read by the caller.
 */
import type { RemoteReader } from './RemoteReader.ts';

export async function parseCapabilitiesV2(reader: RemoteReader, maxLines: number): Promise<Map<string, string>> {
  const capabilities = new Map<string, string>();
  for (let count = 0; ; count++) {
    const line = await reader.readLine();
    if (typeof line !== 'string') {
      if (line.kind === 'flush') return capabilities;
      throw reader.error(line.kind === 'eof' ? 'the capability advertisement ended without a flush' : `unexpected ${line.kind} packet in the capability advertisement`);
    }
    if (count >= maxLines) throw reader.error(`more than ${maxLines} capabilities`);
    const eq = line.indexOf('=');
    capabilities.set(eq < 0 ? line : line.slice(0, eq), eq < 0 ? '' : line.slice(eq + 1));
  }
}

/** The space-separated features of a capability value (`fetch=shallow filter` → shallow, filter). */
export function features(capabilities: ReadonlyMap<string, string>, name: string): Set<string> {
  return new Set((capabilities.get(name) ?? '').split(' ').filter((f) => f !== ''));
}
